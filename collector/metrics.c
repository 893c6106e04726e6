/*
 * metrics.c - the Prometheus endpoint (see metrics.h).
 *
 * A connection lives in a slot and moves READ -> WRITE -> LINGER. READ
 * gathers the request until its header is complete (or too long); the
 * whole reply is then rendered in memory and WRITE sends it, watching for
 * writability instead of input only while the socket buffer is full.
 * LINGER half-closes and reads until the client closes, so request bytes
 * we never read cannot turn our close into a reset that eats the reply
 * (Apache's lingering close). The 1 s tick closes what outlived its
 * deadline.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "url.h"

enum mc_state { MC_FREE = 0, MC_READ, MC_WRITE, MC_LINGER };

struct mconn {
	struct metrics *m;
	int fd;
	enum mc_state state;
	int want_write;			/* the loop watches for output */
	char req[METRICS_REQMAX];	/* the request so far */
	size_t rlen;
	char *out;			/* the reply, headers and body */
	size_t olen, off;		/* its length, bytes sent */
	int64_t deadline;		/* monotonic ms */
};

struct metrics {
	int fd;
	char bound[300];
	struct loop *lp;
	struct stats *stats;
	struct wthread *wt;
	struct devstat *devs;
	int64_t start_ms;		/* wall clock */
	int paused;			/* accept failed: retried next tick */
	int warned;			/* ... and that was logged */
	struct mconn c[METRICS_MAXCONN];
};

/* ---- the request ------------------------------------------------------ */

static int
is_tchar(int ch)
{
	/* RFC 9110 5.6.2 token characters */
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || (ch != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

/* The path of a request target: origin form "/p?q", or absolute form
 * "http://host/p" (RFC 9112 3.2.2); [*p, *pe). */
static void
target_path(const char *t, size_t tlen, const char **p, const char **pe)
{
	const char *end = t + tlen, *s;

	if (tlen > 7 && (strncasecmp(t, "http://", 7) == 0 ||
	    (tlen > 8 && strncasecmp(t, "https://", 8) == 0))) {
		s = (const char *)memchr(t, ':', tlen) + 3;
		while (s < end && *s != '/')
			s++;
		t = s;
	}
	*p = t;
	for (s = t; s < end && *s != '?' && *s != '#'; s++)
		;
	*pe = s;
}

int
metrics_http_parse(const char *buf, size_t len, int *head)
{
	const char *p = buf, *end = buf + len, *eol, *le, *sp1, *sp2, *q;
	const char *path, *pathe, *line;
	size_t mlen, vlen;
	int version_ok, is_head;

	*head = 0;
	/* RFC 9112 2.2: empty lines before the request line are ignored */
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	line = p;
	/* the header is complete at the first empty line; a bare LF ends a
	 * line as well as CRLF does (RFC 9112 2.2) */
	for (;;) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return 0;
		le = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL)
			return 400;
		if (le == p)
			break;		/* (the request line is not empty) */
		p = eol + 1;
	}
	/* request-line = method SP request-target SP HTTP-version */
	eol = memchr(line, '\n', (size_t)(end - line));
	le = eol > line && eol[-1] == '\r' ? eol - 1 : eol;
	if ((sp1 = memchr(line, ' ', (size_t)(le - line))) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', (size_t)(le - sp1 - 1))) == NULL)
		return 400;
	mlen = (size_t)(sp1 - line);
	if (mlen == 0 || mlen > 16 || sp2 == sp1 + 1)
		return 400;
	for (q = line; q < sp1; q++)
		if (!is_tchar((unsigned char)*q))
			return 400;
	for (q = sp1 + 1; q < sp2; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f)
			return 400;
	vlen = (size_t)(le - sp2 - 1);
	if (vlen != 8 || strncmp(sp2 + 1, "HTTP/", 5) != 0 ||
	    sp2[6] < '0' || sp2[6] > '9' || sp2[7] != '.' ||
	    sp2[8] < '0' || sp2[8] > '9')
		return 400;
	version_ok = sp2[6] == '1' && (sp2[8] == '0' || sp2[8] == '1');
	/* field-line = field-name ":" OWS field-value OWS; no obs-fold */
	for (p = eol + 1; ; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		le = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		if (le == p)
			break;
		for (q = p; q < le && is_tchar((unsigned char)*q); q++)
			;
		if (q == p || q == le || *q != ':')
			return 400;
		for (q++; q < le; q++)
			if (((unsigned char)*q < ' ' && *q != '\t') ||
			    *q == 0x7f)
				return 400;
	}
	if (!version_ok)
		return 505;
	is_head = mlen == 4 && strncmp(line, "HEAD", 4) == 0;
	if (!is_head && !(mlen == 3 && strncmp(line, "GET", 3) == 0))
		return 405;
	*head = is_head;
	target_path(sp1 + 1, (size_t)(sp2 - sp1 - 1), &path, &pathe);
	if ((size_t)(pathe - path) != 8 || strncmp(path, "/metrics", 8) != 0)
		return 404;
	return 200;
}

/* ---- the body --------------------------------------------------------- */

void
metrics_label(const char *s, char *out, size_t outlen)
{
	size_t o = 0;
	int need;

	if (outlen == 0)
		return;
	for (; *s != '\0'; s++) {
		need = *s == '\\' || *s == '"' || *s == '\n' ? 2 : 1;
		if (o + (size_t)need >= outlen)
			break;
		if (need == 2) {
			out[o++] = '\\';
			out[o++] = *s == '\n' ? 'n' : *s;
		} else if ((unsigned char)*s < ' ' ||
		    (unsigned char)*s >= 0x7f) {
			out[o++] = '?';	/* the format wants UTF-8 */
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

/* Milliseconds as seconds with three decimals, without a float's
 * rounding: -250 is "-0.250". */
static void
put_ms(FILE *f, int64_t ms)
{
	uint64_t a = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;

	fprintf(f, "%s%llu.%03llu", ms < 0 ? "-" : "",
	    (unsigned long long)(a / 1000), (unsigned long long)(a % 1000));
}

static void
family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP cgnlogd_%s %s\n# TYPE cgnlogd_%s %s\n", name, help,
	    name, type);
}

static void
one(FILE *f, const char *name, const char *type, const char *help,
    uint64_t v)
{
	family(f, name, type, help);
	fprintf(f, "cgnlogd_%s %llu\n", name, (unsigned long long)v);
}

static void
write_store(FILE *f, struct wthread *wt)
{
	struct store_wstats w;

	wthread_wstats(wt, &w);
	if (w.last_flush_us < 0)
		w.last_flush_us = 0;
	one(f, "store_open_allocations", "gauge", "Allocations (port blocks,"
	    " sessions) open in the store writer's pairing table now.",
	    w.open);
	one(f, "store_open_allocations_peak", "gauge", "The most allocations"
	    " open at once since start.", w.open_peak);
	one(f, "store_open_table_bytes", "gauge", "Memory the table of open"
	    " allocations uses (it keeps what its peak needed).",
	    w.open_bytes);
	one(f, "store_intervals_total", "counter", "Allocation intervals the"
	    " store writer closed.", w.intervals);
	one(f, "store_duplicate_events_total", "counter", "Events the store"
	    " dropped as exact duplicates of events it had.", w.dups);
	one(f, "store_late_events_total", "counter", "Events for a shard"
	    " already sealed.", w.late);
	one(f, "store_written_bytes_total", "counter", "Compressed block"
	    " bytes the store writer wrote.", w.bytes_written);
	family(f, "store_last_flush_duration_seconds", "gauge", "How long the"
	    " last store flush took.");
	fprintf(f, "cgnlogd_store_last_flush_duration_seconds %lld.%06lld\n",
	    (long long)(w.last_flush_us / 1000000),
	    (long long)(w.last_flush_us % 1000000));
}

static void
write_devices(FILE *f, struct devstat *devs)
{
	struct devstat_ent *e;
	uint64_t untracked = 0;
	size_t i, n;
	char lab[CGN_NAMELEN * 2];

	if ((e = calloc(DEVSTAT_MAX, sizeof(*e))) == NULL)
		return;
	n = devstat_snapshot(devs, e, DEVSTAT_MAX, &untracked);
	family(f, "device_last_seen_timestamp_seconds", "gauge", "When the"
	    " device's latest accepted message arrived (Unix time).");
	for (i = 0; i < n; i++) {
		metrics_label(e[i].device, lab, sizeof(lab));
		fprintf(f, "cgnlogd_device_last_seen_timestamp_seconds"
		    "{device=\"%s\"} ", lab);
		put_ms(f, e[i].last_rx_ms);
		fputc('\n', f);
	}
	family(f, "device_clock_skew_seconds", "gauge", "The device's clock"
	    " minus ours: the newest event time in its latest message that"
	    " carried one, minus when that message arrived (export delay"
	    " included).");
	for (i = 0; i < n; i++) {
		if (!e[i].has_skew)
			continue;
		metrics_label(e[i].device, lab, sizeof(lab));
		fprintf(f, "cgnlogd_device_clock_skew_seconds{device=\"%s\"} ",
		    lab);
		put_ms(f, e[i].skew_ms);
		fputc('\n', f);
	}
	family(f, "device_messages_total", "counter", "Messages accepted from"
	    " the device.");
	for (i = 0; i < n; i++) {
		metrics_label(e[i].device, lab, sizeof(lab));
		fprintf(f, "cgnlogd_device_messages_total{device=\"%s\"}"
		    " %llu\n", lab, (unsigned long long)e[i].msgs);
	}
	family(f, "device_events_total", "counter", "NAT events parsed from"
	    " the device's messages.");
	for (i = 0; i < n; i++) {
		metrics_label(e[i].device, lab, sizeof(lab));
		fprintf(f, "cgnlogd_device_events_total{device=\"%s\"} %llu\n",
		    lab, (unsigned long long)e[i].events);
	}
	one(f, "devices_untracked_messages_total", "counter", "Messages of"
	    " devices beyond the table's bound (not shown per device).",
	    untracked);
	free(e);
}

/* Resident and peak resident memory from /proc/self/status, bytes. */
static void
write_memory(FILE *f)
{
	FILE *st;
	char line[128];
	unsigned long long rss = 0, hwm = 0;

	if ((st = fopen("/proc/self/status", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), st) != NULL) {
		sscanf(line, "VmRSS: %llu kB", &rss);
		sscanf(line, "VmHWM: %llu kB", &hwm);
	}
	fclose(st);
	one(f, "resident_memory_bytes", "gauge", "The daemon's resident"
	    " memory now.", rss * 1024);
	one(f, "resident_memory_peak_bytes", "gauge", "The most resident"
	    " memory the daemon has used.", hwm * 1024);
}

void
metrics_write(FILE *f, struct stats *stats, struct wthread *wt,
    struct devstat *devs, int64_t start_ms)
{
	stats_expose(stats, f);
	if (wt != NULL)
		write_store(f, wt);
	if (devs != NULL)
		write_devices(f, devs);
	write_memory(f);
	family(f, "start_time_seconds", "gauge", "When the daemon started"
	    " (Unix time).");
	fputs("cgnlogd_start_time_seconds ", f);
	put_ms(f, start_ms);
	fputc('\n', f);
}

/* ---- connections ------------------------------------------------------ */

static void
conn_close(struct mconn *c)
{
	loop_del(c->m->lp, c->fd);
	close(c->fd);
	free(c->out);
	c->out = NULL;
	c->fd = -1;
	c->state = MC_FREE;
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	case 505: return "HTTP Version Not Supported";
	default: return "Bad Request";
	}
}

/* The whole reply into c->out; 0 if memory ran out. */
static int
render(struct mconn *c, int status, int head)
{
	struct metrics *m = c->m;
	char *body = NULL, hdr[256];
	size_t blen = 0;
	FILE *f;
	int hlen;

	if ((f = open_memstream(&body, &blen)) == NULL)
		return 0;
	if (status == 200)
		metrics_write(f, m->stats, m->wt, m->devs, m->start_ms);
	else
		fprintf(f, "%d %s\n", status, reason(status));
	if (fclose(f) != 0) {
		free(body);
		return 0;
	}
	hlen = snprintf(hdr, sizeof(hdr), "HTTP/1.1 %d %s\r\n"
	    "Content-Type: text/plain; %scharset=utf-8\r\n"
	    "Content-Length: %zu\r\n%sConnection: close\r\n\r\n", status,
	    reason(status), status == 200 ? "version=0.0.4; " : "", blen,
	    status == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (head)
		blen = 0;
	if ((c->out = malloc((size_t)hlen + blen)) == NULL) {
		free(body);
		return 0;
	}
	memcpy(c->out, hdr, (size_t)hlen);
	memcpy(c->out + hlen, body, blen);
	c->olen = (size_t)hlen + blen;
	c->off = 0;
	free(body);
	return 1;
}

/* Send what the socket takes; on the last byte, half-close and linger. */
static void
send_more(struct mconn *c)
{
	ssize_t n;

	while (c->off < c->olen) {
		n = send(c->fd, c->out + c->off, c->olen - c->off,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!c->want_write &&
			    loop_want_write(c->m->lp, c->fd, 1) == CGN_OK)
				c->want_write = 1;
			else if (!c->want_write)
				conn_close(c);
			return;
		}
		if (n <= 0) {
			conn_close(c);
			return;
		}
		c->off += (size_t)n;
	}
	if (c->want_write) {
		loop_want_write(c->m->lp, c->fd, 0);
		c->want_write = 0;
	}
	free(c->out);
	c->out = NULL;
	shutdown(c->fd, SHUT_WR);
	c->state = MC_LINGER;
}

static void
on_conn(struct loop *lp, int fd, void *arg)
{
	struct mconn *c = arg;
	char junk[512];
	ssize_t n;
	int status, head;

	(void)lp;
	(void)fd;
	if (c->state == MC_WRITE) {
		send_more(c);
		return;
	}
	if (c->state == MC_LINGER) {
		while ((n = recv(c->fd, junk, sizeof(junk), MSG_DONTWAIT)) > 0)
			;
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			conn_close(c);
		return;
	}
	n = recv(c->fd, c->req + c->rlen, sizeof(c->req) - c->rlen,
	    MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);		/* gone before asking */
		return;
	}
	c->rlen += (size_t)n;
	status = metrics_http_parse(c->req, c->rlen, &head);
	if (status == 0 && c->rlen == sizeof(c->req))
		status = 431;
	if (status == 0)
		return;
	if (!render(c, status, head)) {
		log_warnx("metrics: out of memory for a reply");
		conn_close(c);
		return;
	}
	c->state = MC_WRITE;
	send_more(c);
}

/* A free slot; when there is none, the one of the client that has been
 * silent longest, so idle connections cannot lock a scraper out. */
static struct mconn *
free_slot(struct metrics *m)
{
	struct mconn *old = NULL;
	int i;

	for (i = 0; i < METRICS_MAXCONN; i++) {
		if (m->c[i].state == MC_FREE)
			return &m->c[i];
		if (m->c[i].state == MC_READ && (old == NULL ||
		    m->c[i].deadline < old->deadline))
			old = &m->c[i];
	}
	if (old != NULL)
		conn_close(old);
	return old;
}

static void
on_accept(struct loop *lp, int fd, void *arg)
{
	struct metrics *m = arg;
	struct mconn *c;
	int cfd;

	while ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) >= 0) {
		m->warned = 0;
		if ((c = free_slot(m)) == NULL) {
			close(cfd);	/* all busy replying: retried */
			continue;
		}
		c->fd = cfd;
		c->rlen = 0;
		c->want_write = 0;
		c->deadline = loop_mono_ms() + METRICS_DEADLINE_MS;
		if (loop_add(lp, cfd, on_conn, c) != CGN_OK) {
			close(cfd);
			continue;
		}
		c->state = MC_READ;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
	    errno != ECONNABORTED) {
		/* out of descriptors: the listener would stay readable and
		 * spin the loop; look again in a second */
		if (!m->warned)
			log_warn("metrics: accept (retried every second)");
		m->warned = 1;
		loop_del(lp, fd);
		m->paused = 1;
	}
}

/* Close the clients that are too slow, or idle; listen again after a
 * failed accept. */
static void
on_tick(struct loop *lp, void *arg)
{
	struct metrics *m = arg;
	int64_t now = loop_mono_ms();
	int i;

	for (i = 0; i < METRICS_MAXCONN; i++)
		if (m->c[i].state != MC_FREE && now >= m->c[i].deadline)
			conn_close(&m->c[i]);
	if (m->paused && loop_add(lp, m->fd, on_accept, m) == CGN_OK)
		m->paused = 0;
}

/* ---- the listener ----------------------------------------------------- */

static int
is_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *s6 = (const void *)ss;

	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)ss)->
		    sin_addr.s_addr) >> 24) == 127;
	return ss->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
}

int
metrics_open(struct metrics **out, const char *addr, struct loop *lp,
    struct stats *stats, struct wthread *wt, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct src_url u;
	struct metrics *m;
	socklen_t sl;
	char url[400], e[300];
	int one = 1, i;

	snprintf(url, sizeof(url), "tcp://%s", addr);
	if (url_parse(url, &u, e, sizeof(e)) != CGN_OK || u.query[0] != '\0') {
		snprintf(err, errlen, "metrics: '%s' is not ADDRESS:PORT",
		    addr);
		return CGN_EINVAL;
	}
	if (url_sockaddr(&u, &ss, &sl, e, sizeof(e)) != CGN_OK) {
		snprintf(err, errlen, "metrics: %s", e);
		return CGN_EINVAL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return CGN_ENOMEM;
	}
	for (i = 0; i < METRICS_MAXCONN; i++) {
		m->c[i].m = m;
		m->c[i].fd = -1;
	}
	m->lp = lp;
	m->stats = stats;
	m->wt = wt;
	m->start_ms = loop_wall_ms();
	if ((m->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		goto fail;
	setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(m->fd, (struct sockaddr *)&ss, sl) != 0 ||
	    listen(m->fd, 16) != 0)
		goto fail;
	sl = sizeof(ss);
	if (getsockname(m->fd, (struct sockaddr *)&ss, &sl) != 0)
		goto fail;
	snprintf(m->bound, sizeof(m->bound), strchr(u.host, ':') != NULL ?
	    "metrics://[%s]:%u" : "metrics://%s:%u", u.host,
	    ntohs(ss.ss_family == AF_INET ?
	    ((struct sockaddr_in *)(void *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)(void *)&ss)->sin6_port));
	if (devstat_new(&m->devs) != CGN_OK)
		goto fail;
	if (loop_add(lp, m->fd, on_accept, m) != CGN_OK ||
	    loop_every(lp, 1000, on_tick, m) != CGN_OK)
		goto fail;
	if (!is_loopback(&ss))
		log_warnx("metrics on %s: not loopback, and it has no"
		    " authentication", m->bound);
	*out = m;
	return CGN_OK;
fail:
	snprintf(err, errlen, "metrics: %s: %s", addr, strerror(errno));
	metrics_free(m);
	return CGN_EIO;
}

void
metrics_free(struct metrics *m)
{
	int i;

	if (m == NULL)
		return;
	for (i = 0; i < METRICS_MAXCONN; i++)
		if (m->c[i].state != MC_FREE)
			conn_close(&m->c[i]);
	if (m->fd >= 0) {
		loop_del(m->lp, m->fd);
		close(m->fd);
	}
	devstat_free(m->devs);
	free(m);
}

const char *
metrics_bound(const struct metrics *m)
{
	return m->bound;
}

struct devstat *
metrics_devstat(struct metrics *m)
{
	return m->devs;
}
