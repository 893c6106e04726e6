/*
 * pair.h - the table of open allocations, and the rules that turn events
 * into intervals. Private to store/ (writer.c); pure, so unit-testable.
 *
 * An allocation is keyed by (device, kind, protocol, public address, first
 * port) and, for a session whose destination was logged, that destination
 * (address and port): a NAT with address-and-port-dependent mapping (Linux
 * conntrack) gives one public port to several subscribers at once, for
 * different destinations, so only a create of the same destination ends a
 * session by reuse. Each event either opens one (ALLOC, CREATE, an interim
 * for an allocation never seen), refreshes one (interim), or closes one
 * (RELEASE, DELETE; or the next allocation of the same ports, or the
 * maximum age). A session release whose own key is not open closes the one
 * open session of its ports and inside that it can be of (its destination
 * or the create's not logged); with several, none (see pair.c).
 * What comes out is records: an allocation as it opens (so a crash loses
 * nothing flushed) and as it closes. A closed allocation stays as a
 * tombstone for the duplicate window, so the second copy of an event from
 * an HA pair or a replay is recognised and dropped.
 */
#ifndef PAIR_H
#define PAIR_H

#include "cgn.h"
#include "ival.h"

struct pair_tab;

/* One record for the writer. */
struct pair_rec {
	struct ival iv;		/* dev and sub are the writer's ids */
	int open;		/* 1: still open (end unknown) */
	uint32_t wp;		/* the last period that already holds an
				 * open record of it (UINT32_MAX: none); an
				 * open record is written in its start's */
	uint32_t to;		/* checkpoint: carry it up to this period */
};

/* What one event produced: at most two closed records (another holder
 * ended, and this release). */
struct pair_out {
	struct pair_rec rec[2];
	int n;
	int dup;		/* the event repeated one already seen */
	int stray;		/* a release that closed nothing: older than
				 * what it would close, or of one of several
				 * sessions that differ only in destination */
};

struct pair_cfg {
	int64_t max_age_ms;	/* blocks and addresses */
	int64_t session_idle_ms;
	int64_t dup_ms;
	int64_t period_ms;	/* for period numbers (wp) */
};

int pair_new(const struct pair_cfg *cfg, struct pair_tab **out);
void pair_free(struct pair_tab *t);

/*
 * Apply one event: dev/sub are the writer's ids for its device and
 * subscriber (sub 0: none), ref its evidence ref (0: none). *out says
 * what to write: closed records. An allocation opened gets no record
 * here: pair_checkpoint writes it if it is still open then.
 */
int pair_event(struct pair_tab *t, const struct cgn_event *ev, uint16_t dev,
    uint32_t sub, uint64_t ref, struct pair_out *out);

/*
 * Ask the memory, ahead of pair_event(ev), for what it will read: the
 * index slot of ev's key, then (a few events later, once that slot is in
 * the cache) the entry the slot names. Hints only: they change nothing,
 * and do nothing for keys made only with the table (IPv6 public addresses).
 */
void pair_prefetch_slot(const struct pair_tab *t, const struct cgn_event *ev,
    uint16_t dev);
void pair_prefetch_entry(const struct pair_tab *t,
    const struct cgn_event *ev, uint16_t dev);

/* The earliest time a start may be assumed for a release whose allocation
 * was never seen (when the store began listening). */
void pair_set_since(struct pair_tab *t, int64_t since_ms);

/* The receive time of the events that follow: with it, each device's
 * allocations age on that device's own clock (see pair_expire). */
void pair_set_rx(struct pair_tab *t, int64_t rx_ms);

typedef int pair_rec_fn(void *arg, const struct pair_rec *r);

/*
 * Close every open allocation without news for its maximum age at now_ms
 * (STORE_F_END_MAXAGE / STORE_F_END_IDLE, end = last news + age, not later
 * than now), and forget tombstones older than the duplicate window.
 * now_ms is the receive clock; once pair_set_rx was used, "now" for an
 * allocation is its device's latest event time plus the receive time
 * passed since that event arrived.
 * fn gets each closed record.
 */
int pair_expire(struct pair_tab *t, int64_t now_ms, pair_rec_fn *fn,
    void *arg);

/*
 * Checkpoint: every open allocation whose records stop before period p is
 * handed to fn as an open record, with r->wp the last period that holds
 * one (UINT32_MAX: none); the writer fills the periods after it up to
 * r->to. That is p, or, when now_ms > 0, the period its device's clock is
 * in if that is earlier (see pair_expire): a backfilled allocation is not
 * carried into periods its device has not reached. An allocation with no
 * record yet (opened since the last checkpoint) goes at least into the
 * period of its start. Their written-up-to period becomes r->to. The
 * writer checkpoints at every flush, so an open allocation is on disk
 * after the flush that follows its start, as any record is.
 */
int pair_checkpoint(struct pair_tab *t, uint32_t p, int64_t now_ms,
    pair_rec_fn *fn, void *arg);

/* Mark every open allocation as written up to period p without writing
 * anything: the periods before were a downtime, nobody can say. */
void pair_skip_to(struct pair_tab *t, uint32_t p);

/* Take up an open record read back from a shard (restart); one already
 * in the table (taken up from a newer shard) is kept as it is. */
int pair_resume(struct pair_tab *t, const struct ival *iv, uint32_t wp);

/* Open allocations now, and the bytes the table uses. */
size_t pair_count(const struct pair_tab *t);
/* The most allocations open at once so far. */
size_t pair_peak(const struct pair_tab *t);
size_t pair_bytes(const struct pair_tab *t);

#endif /* PAIR_H */
