/*
 * lookup.h - the question an abuse desk asks, and its verdict:
 * who held public IP:PORT at TIME (within a tolerance)?
 *
 *   unique       exactly one inside holder over the window, and the
 *                data vouches for it                              exit 0
 *   not found    no holder, and the data covers the window        exit 1
 *   ambiguous    more than one holder (all are listed)            exit 2
 *   no coverage  no holder the data can vouch for, and logging was
 *                down (a candidate, if any, is listed)            exit 3
 *
 * Holders come from the logged intervals first (a backfilled interval with
 * both ends logged answers even for a time the collector was down).
 * Coverage decides between "not found" and "no coverage", and a gap in the
 * window is always reported beside the answer. With no holder, a gap in
 * the lookback before the window (default 24 h, the store's default max
 * age) is reported too: an allocation made in it, whose release was lost
 * as well, would be missing from the store.
 *
 * A holder is vouched for when both ends of its interval were logged, or
 * when nothing was lost between its start and the window: an interval
 * whose release was never seen (closed by reuse or age, or still open)
 * and that spans a collector outage or a device's lost messages may have
 * ended in that gap and the ports been given to someone whose allocation
 * was lost too; naming it as the unique holder could accuse the wrong
 * subscriber, so the answer is "no coverage" with the candidate listed.
 * The same when its device went silent: its last message (of any kind)
 * came more than Q_QUIET_MS before the window, so a release it sent since
 * may have been lost with everything else it sent (the candidate's doubt
 * says when it was last heard).
 *
 * Times in the store are the devices' clocks; coverage is the collector's.
 * A device's clock skew (store_devices, the shards around the time) of at
 * most Q_SKEW_TRUST_MS, steady within Q_SKEW_SPREAD_MS, is taken as a
 * clock error: the window is read both
 * as given and shifted by the skew (a holder change inside the skew then
 * shows as ambiguous, not as a wrong unique answer), and gaps are looked
 * for in both readings. A larger skew (replayed archives) is only shown.
 *
 * Not here: printing (output.c), argument syntax (args.c, timearg.c).
 */
#ifndef LOOKUP_H
#define LOOKUP_H

#include "store.h"

enum q_verdict {
	Q_UNIQUE = 0,
	Q_NOTFOUND = 1,
	Q_AMBIGUOUS = 2,
	Q_NOCOVERAGE = 3,
};

#define Q_MAXHITS 64
#define Q_MAXGAPS 16
#define Q_MAXDEVS 16
#define Q_SKEW_TRUST_MS (15 * 60000)	/* larger: not a clock error */
#define Q_SKEW_SPREAD_MS 60000		/* max - min wider: not one clock
					 * offset (a backfill, a replay) */
#define Q_LOOKBACK_MS (24 * 3600000LL)	/* the store's default max age */

#define Q_QUIET_MS 60000		/* a device not heard from for longer
					 * before the window went silent
					 * (coverage is kept per minute) */

/* Why a candidate is not vouched for (struct q_answer.doubt[i]). */
#define Q_D_GAP		0x01	/* release not logged, and a gap lies
				 * between its start and the window */
#define Q_D_SILENT	0x02	/* release not logged, and its device was
				 * last heard before the window
				 * (q_answer.heard[i]) */

struct q_request {
	struct cgn_addr ip;
	uint16_t port;
	int64_t t_ms;
	int64_t tol_ms;
	uint8_t proto;		/* 0: any */
	struct cgn_addr dst;	/* zero: any destination */
	uint16_t dst_port;	/* 0: any */
	int64_t lookback_ms;	/* 0: Q_LOOKBACK_MS; < 0: none */
};

/* A device's clock against the collector's, around the asked time. */
struct q_skew {
	char device[CGN_NAMELEN];
	int known;		/* 0: no message of it in those shards */
	int used;		/* 1: a steady clock error, applied */
	int64_t avg_ms, min_ms, max_ms;	/* device time - receive time */
	uint64_t n;		/* events measured */
	int64_t last_rx_ms;	/* its last message in those shards */
};

struct q_answer {
	enum q_verdict verdict;
	struct store_hit hits[Q_MAXHITS];
	uint8_t doubt[Q_MAXHITS];	/* Q_D_* per hit; 0: vouched for */
	struct store_gap why[Q_MAXHITS]; /* the gap behind Q_D_GAP */
	int64_t heard[Q_MAXHITS];	/* Q_D_SILENT: its device's last
					 * message (collector's clock) */
	size_t nhits;		/* intervals over the window (kept) */
	size_t nmore;		/* more intervals than Q_MAXHITS: not kept */
	size_t nholders;	/* distinct inside holders among them */
	size_t nconfirmed;	/* ... of which vouched for */
	size_t ndst;		/* intervals left out: logged with another
				 * destination than --dst */
	struct store_gap gaps[Q_MAXGAPS];
	size_t ngaps;		/* coverage gaps in the window */
	struct store_gap before;	/* with no holder: the latest gap in
					 * the lookback before the window */
	int has_before;
	struct q_skew skew[Q_MAXDEVS];
	size_t nskew;		/* the hits' devices (all devices heard
				 * around then when there is no hit) */
	int64_t from_ms, to_ms;	/* the window read, skew included */
};

/* Hits in the order store_find() gives them. q_hits_keep() is a
 * store_find() callback (arg: a struct q_hits) that appends a copy; out of
 * memory, it sets oom and stops the search. The caller frees h. */
struct q_hits {
	struct store_hit *h;
	size_t n, cap;
	int oom;
};

int q_hits_keep(void *arg, const struct store_hit *h);

/* Device skews per hour, kept across lookups of one batch. */
struct q_cache;

int q_cache_new(struct q_cache **out);
void q_cache_free(struct q_cache *c);

/*
 * Answer r from the store; c (may be NULL) keeps what later lookups can
 * reuse. CGN_OK, or an error from the store (its message is in
 * store_reader_errmsg).
 */
int q_lookup_with(struct store_reader *rd, struct q_cache *c,
    const struct q_request *r, struct q_answer *a);
int q_lookup(struct store_reader *rd, const struct q_request *r,
    struct q_answer *a);

/* "unique", "not_found", "ambiguous", "no_coverage". */
const char *q_verdict_str(enum q_verdict v);

/* The same holder: inside address, DS-Lite inner address and VRF. */
int q_same_holder(const struct store_hit *a, const struct store_hit *b);

/* 1 if both ends of h were logged by the device. */
int q_both_logged(const struct store_hit *h);

#endif /* LOOKUP_H */
