/*
 * store.h - the store's contract: the writer the collector feeds, and the
 * read-only reader cgnq asks. Nothing outside store/ opens a shard.
 *
 * What is kept is intervals, not events: the writer pairs each allocation
 * (PBA_ALLOC, SESSION_CREATE, ADDR_ALLOC) with its release into "inside
 * address I held public ports LO-HI of address O from S to E", and says
 * how each end is known. Intervals live in time-period shards (SQLite
 * files) under one root, compressed in column blocks; see shard.h.
 *
 * Threads: a struct store belongs to one thread (the collector's writer
 * thread). Any number of readers, in any processes, may run beside it.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "cgn.h"

/* How an interval's ends are known (struct store_hit.flags). */
#define STORE_F_START_LOGGED	0x0001	/* an allocation event */
#define STORE_F_START_INTERIM	0x0002	/* rebuilt from an interim event */
#define STORE_F_START_UNSEEN	0x0004	/* no start seen: a lower bound */
#define STORE_F_END_LOGGED	0x0008	/* a release event */
#define STORE_F_END_REUSE	0x0010	/* release not seen: closed by the
					 * next allocation of the ports */
#define STORE_F_END_MAXAGE	0x0020	/* release not seen: closed after
					 * the maximum age */
#define STORE_F_OPEN		0x0040	/* not closed when last written */
#define STORE_F_TS_RX		0x0080	/* the device gave no time: times
					 * are the collector's receive times */
#define STORE_F_END_IDLE	0x0100	/* closed after an idle timeout */
#define STORE_F_RELEASE_NOT_SEEN (STORE_F_END_REUSE | STORE_F_END_MAXAGE | \
    STORE_F_END_IDLE)

/* What was allocated. */
enum store_kind {
	STORE_K_BLOCK = 1,	/* a port block (PBA) */
	STORE_K_SESSION = 2,	/* one port for one session */
	STORE_K_ADDR = 3,	/* a whole address (1:1 NAT) */
};

/* Rows a shard queues before it writes them as a run, flush or not. Every
 * row is rewritten once per tier it passes (wshard.c), so bigger runs mean
 * fewer tiers: at 262,144 rows (and a tier fan-out of 16) bench-store's
 * 6 h shards reach the seal without a tier merge; at 65,536 (fan-out 8)
 * most rows went through one, for 26% more bytes written and about an
 * eighth more CPU per event. The price is memory: 120 bytes a queued row,
 * 31 MB. */
#define STORE_FLUSH_ROWS 262144

/* End time of an interval still open: later than any real time. */
#define STORE_OPEN_END INT64_MAX

struct store_opts {
	const char *root;	/* directory; created if missing */
	int64_t period_ms;	/* shard length; divides a day */
	int64_t max_age_ms;	/* an allocation with no news for this long
				 * is closed (STORE_F_END_MAXAGE) */
	int64_t session_idle_ms; /* the same for sessions */
	int64_t dup_ms;		/* events this close, same content: one */
	int64_t retention_ms;	/* delete shards older than this; 0 never */
	int64_t flush_rows;	/* encode a shard's pending rows once this
				 * many wait, even before a flush
				 * (default STORE_FLUSH_ROWS) */
	int evidence;		/* keep each message's bytes */
	int level;		/* deflate level 1..9 */
	int use_libdeflate;	/* compress with libdeflate (else zlib) */
	int sync_full;		/* fsync every commit (else at checkpoints) */
	/* Called with a line worth logging (a shard deleted by retention, a
	 * shard reopened for late events). May be NULL. */
	void (*notice)(void *arg, const char *msg);
	void *notice_arg;
};

/* Defaults: 6 h shards (bench-store measures why: checkpoints), 24 h max
 * age, 10 min session idle, 2 s duplicate window, evidence on, no
 * retention, deflate level 1 by libdeflate. */
void store_opts_default(struct store_opts *o);

/* ---- writer ----------------------------------------------------------- */

struct store;

/* One received message (datagram, line, record) and what it said. */
struct store_msg {
	const char *device;	/* who sent it; NULL: events[0].device */
	int64_t rx_ms;		/* when */
	const uint8_t *raw;	/* its bytes, kept as evidence; may be NULL */
	size_t rawlen;
};

/* Open (creating) the store at o->root; resumes open allocations from the
 * newest shard. On failure err gets a message. */
int store_open(const struct store_opts *o, struct store **out, char *err,
    size_t errlen);

/*
 * Add one message and the n events parsed from it (n may be 0: the device
 * was heard from). Copies everything; keeps no pointer. Nothing is durable
 * until store_flush().
 */
int store_put(struct store *st, const struct store_msg *m,
    const struct cgn_event *ev, size_t n);

/*
 * A hint for a caller holding many messages (a batch of syslog lines): a
 * few messages before store_put(m, ev), ask the memory for what pairing
 * them will read - with entries 0 the table's index slots, with entries 1
 * (a message or two later, once those are cached) the entries they name.
 * Changes nothing; store_put does the same inside a message of several
 * events.
 */
void store_prefetch(struct store *st, const struct store_msg *m,
    const struct cgn_event *ev, size_t n, int entries);
/* How far ahead, in events or messages: slots, then entries. */
#define STORE_PREFETCH_SLOTS 4
#define STORE_PREFETCH_ENTRIES 2

/* Record that device's log stream lost messages between from and to
 * (sequence gap): lookups there say "no coverage". */
int store_gap(struct store *st, const char *device, int64_t from_ms,
    int64_t to_ms);

/*
 * Make everything put so far durable, in one transaction per shard. now_ms
 * is the collector's clock: the collector counts as running up to it, and
 * periods it has passed are sealed (open allocations carried into the next
 * shard, blocks compacted). Applies retention.
 */
int store_flush(struct store *st, int64_t now_ms);

/* Flush and close. Open allocations stay open in the store and are taken
 * up again by the next store_open. st is freed even on error. */
int store_close(struct store *st, int64_t now_ms);

/* The last error's text. */
const char *store_errmsg(const struct store *st);

/* Change the retention (0: keep everything); applied at the next flush. */
void store_set_retention(struct store *st, int64_t retention_ms);
/* mkdir -p with mode 0750 (the store's directories); 0 or -1 with errno.
 * cgnlogd makes the root with it before dropping root. */
int store_mkdirs(const char *path);

struct store_wstats {
	uint64_t msgs;		/* messages put */
	uint64_t events;	/* events put */
	uint64_t dups;		/* events dropped as duplicates */
	uint64_t late;		/* events for a shard already sealed */
	uint64_t intervals;	/* intervals closed */
	uint64_t open;		/* allocations open now */
	uint64_t open_peak;	/* most open at once */
	uint64_t open_bytes;	/* memory the open table uses (it keeps
				 * what the peak needed) */
	uint64_t flushes;
	uint64_t bytes_written;	/* compressed block bytes */
	int64_t last_flush_us;	/* duration of the last flush */
};

void store_wstats(const struct store *st, struct store_wstats *out);

/* ---- reader ----------------------------------------------------------- */

struct store_reader;

/* Open read-only. Never writes, never creates. */
int store_reader_open(const char *root, struct store_reader **out,
    char *err, size_t errlen);
void store_reader_close(struct store_reader *rd);
const char *store_reader_errmsg(const struct store_reader *rd);
/* Blocks decoded since the reader was opened: what a lookup costs, for
 * benchmarks and tests (a lookup by public address reads one or two per
 * run of a shard). */
uint64_t store_reader_blocks(const struct store_reader *rd);

/* One interval as a reader sees it. */
struct store_hit {
	struct cgn_addr outside, inside, inside_v4, dst;
	int64_t start_ms;
	int64_t end_ms;		/* STORE_OPEN_END while open */
	uint64_t ev_start, ev_end;	/* evidence refs, 0: none */
	uint32_t vrf;
	uint16_t port_lo, port_hi, inside_port, dst_port;
	uint16_t flags;		/* STORE_F_* */
	uint8_t proto;
	uint8_t kind;		/* enum store_kind */
	char device[CGN_NAMELEN];
	char subscriber[CGN_NAMELEN];
};

struct store_query {
	struct cgn_addr outside;	/* zero: search by inside */
	struct cgn_addr inside;		/* used when outside is zero */
	uint16_t port_lo, port_hi;	/* public ports (0-65535: all) */
	uint8_t proto;			/* 0: any */
	int64_t from_ms, to_ms;		/* intervals meeting [from, to] */
	int resolve_end;		/* for a hit still open in the last
					 * shard read, look in later shards
					 * for how it ended */
};

typedef int store_hit_fn(void *arg, const struct store_hit *h);

/*
 * Every interval matching q, each once (an allocation seen in several
 * shards, or open in one and closed in a later one, is merged into its
 * best-known form), in (outside, port, start) order. fn's non-zero return
 * stops the search and is returned.
 */
int store_find(struct store_reader *rd, const struct store_query *q,
    store_hit_fn *fn, void *arg);

/* A stretch of time without coverage. */
struct store_gap {
	int64_t from_ms, to_ms;
	int collector;		/* 1: the collector was not running;
				 * 0: the device's stream lost messages */
	char device[CGN_NAMELEN];
};

/*
 * Gaps in coverage over [from, to] (minute resolution), for the collector
 * and, if device is not NULL, that device's recorded losses. Up to max go
 * to gaps; *n is how many there were in all.
 */
int store_coverage(struct store_reader *rd, const char *device,
    int64_t from_ms, int64_t to_ms, struct store_gap *gaps, size_t max,
    size_t *n);

/* The bytes of evidence ref: fn is called once. CGN_ENOTFOUND if gone. */
typedef int store_raw_fn(void *arg, uint64_t ref, int64_t rx_ms,
    const char *device, const uint8_t *raw, size_t len);
int store_evidence(struct store_reader *rd, uint64_t ref, store_raw_fn *fn,
    void *arg);

/* What the store holds, per shard. */
struct store_shard_info {
	char path[512];
	int64_t start_ms, end_ms;
	int sealed;
	uint64_t blocks, rows, bytes;	/* bytes: file size */
	uint64_t evidence_bytes;
	int64_t covered_ms;		/* collector running */
};

typedef int store_shard_fn(void *arg, const struct store_shard_info *si);
int store_shards(struct store_reader *rd, store_shard_fn *fn, void *arg);

/* Per device, summed over shards meeting [from, to]. */
struct store_dev_info {
	char name[CGN_NAMELEN];
	uint64_t events;
	int64_t first_rx_ms, last_rx_ms;
	int64_t skew_min_ms, skew_max_ms;	/* device time - receive */
	int64_t skew_avg_ms;
	uint64_t skew_n;
};

typedef int store_dev_fn(void *arg, const struct store_dev_info *di);
int store_devices(struct store_reader *rd, int64_t from_ms, int64_t to_ms,
    store_dev_fn *fn, void *arg);

/* ---- verification --------------------------------------------------- */

struct store_verify_stats {
	uint64_t shards, bad, blocks, rows;
};

/* Called once per shard: ok 1 or 0, and what was found. A non-zero
 * return stops the walk. */
typedef int store_verify_fn(void *arg, const char *path, int ok,
    const char *msg);

/* Check every shard under root, read-only: it opens, SQLite's integrity
 * check passes, and every block decodes to rows within its index keys. */
int store_verify(const char *root, struct store_verify_stats *vs,
    store_verify_fn *fn, void *arg);

#endif /* STORE_H */
