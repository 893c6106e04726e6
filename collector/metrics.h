/*
 * metrics.h - the Prometheus endpoint: an optional HTTP listener (meant
 * for loopback) that answers GET /metrics with the daemon's counters, the
 * store writer's figures and each device's last-seen time and clock skew,
 * in the text exposition format 0.0.4.
 *
 * It runs on the main event loop: non-blocking, one request per
 * connection, a bounded request, a few connections at once, and a
 * deadline after which a slow or idle client is closed. No HTTP library.
 * Not here: the counters themselves (stats.h, devstat.h, the store).
 */
#ifndef METRICS_H
#define METRICS_H

#include <stddef.h>
#include <stdio.h>

#include "devstat.h"
#include "loop.h"
#include "stats.h"
#include "wthread.h"

#define METRICS_REQMAX 4096	/* request line and headers, bytes */
#define METRICS_MAXCONN 8	/* clients served at once */
#define METRICS_DEADLINE_MS 5000 /* to send a request and read the reply */

struct metrics;

/*
 * Listen on addr ("127.0.0.1:9464", "[::1]:0"; port 0: any free port)
 * and register with lp. Keeps pointers to stats and wt (which may be
 * started later: it is read only when a scrape arrives). Owns a device
 * table (metrics_devstat) for the receivers to fill. err says what
 * failed.
 */
int metrics_open(struct metrics **out, const char *addr, struct loop *lp,
    struct stats *stats, struct wthread *wt, char *err, size_t errlen);
/* Close every connection and the listener, free (NULL: nothing). Call
 * once the loop no longer runs: its 1 s timer stays registered. */
void metrics_free(struct metrics *m);
/* "metrics://127.0.0.1:9464", with the port bound. */
const char *metrics_bound(const struct metrics *m);
/* The device table the receivers note devices in. */
struct devstat *metrics_devstat(struct metrics *m);

/*
 * The body of a scrape: stats, the writer's figures (wt may be NULL: not
 * shown) and devs (may be NULL), written to f. start_ms is the wall-clock
 * time shown as cgnlogd_start_time_seconds.
 */
void metrics_write(FILE *f, struct stats *stats, struct wthread *wt,
    struct devstat *devs, int64_t start_ms);

/*
 * What to answer to the request in buf[0..len) (the bytes so far).
 * 0: the header is not complete yet. Else an HTTP status: 200 (GET or HEAD
 * of /metrics; *head 1 for HEAD), 404 (another path), 405 (another
 * method), 505 (not HTTP/1.x), 400 (malformed).
 */
int metrics_http_parse(const char *buf, size_t len, int *head);

/* s as a label value: backslash, quote and newline escaped, bytes that
 * are not printable ASCII as '?'; cut to fit outlen. */
void metrics_label(const char *s, char *out, size_t outlen);

#endif /* METRICS_H */
