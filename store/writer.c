/*
 * writer.c - the store writer: events in, interval records into the shards
 * of their time, one transaction per shard per flush.
 *
 * The writer's clock is the latest receive time it has seen (or the now a
 * flush is given); it decides the current period. When the clock enters a
 * new period, every open allocation is written into the new shard as a
 * checkpoint, so that shard alone answers for its period (shard.h has the
 * invariant). Shards the clock has left are compacted and sealed; a late
 * event reopens its shard.
 * Not here: pairing rules (pair.c), block bytes (codec.c), SQL (shard.c),
 * restart (wresume.c), the directory and retention (wdir.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "codec.h"
#include "merge.h"
#include "pair.h"
#include "shard.h"
#include "store.h"
#include "strtab.h"
#include "wshard.h"
#include "writer.h"

void
store_opts_default(struct store_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->period_ms = 6 * 3600000;
	o->max_age_ms = 24 * 3600000LL;
	o->session_idle_ms = 24 * 3600 * 1000LL;
	o->dup_ms = 2000;
	o->flush_rows = STORE_FLUSH_ROWS;
	o->evidence = 1;
	/* the columns are near-random varints: LZ77 finds little, Huffman
	 * coding does the work, so level 1 is as small as 9 (3.76 vs 3.74
	 * bytes/event on bench-store's day) at a fraction of the time */
	o->level = 1;
	/* measured faster than zlib at the same size (bench-store); readers
	 * use zlib either way */
	o->use_libdeflate = 1;
}

const char *
store_errmsg(const struct store *st)
{
	return st->err;
}

int
wr_fail(struct store *st, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return rc;
}

void
wr_notice(struct store *st, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	if (st->o.notice == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st->o.notice(st->o.notice_arg, msg);
}

static int64_t
now_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- shards held open ------------------------------------------------- */

static int
ws_flush(struct store *st, struct wshard *w)
{
	int rc;

	if ((rc = wshard_flush(w, st->fctx, st->devs, st->subs,
	    &st->stats.bytes_written)) != CGN_OK ||
	    (rc = wshard_tier(w, st->fctx)) != CGN_OK)
		return wr_fail(st, rc, "%s: %s", w->path, w->sh != NULL ?
		    shard_errmsg(w->sh) : w->err);
	if (w->was_sealed && w->p + 1 < st->cur) {
		w->was_sealed = 0;
		st->stats.late++;
		wr_notice(st, "late events reopened sealed shard %s", w->path);
	}
	return CGN_OK;
}

/* Give shard i's file back, if its queue can be written first. */
static int
ws_evict(struct store *st, int i)
{
	struct wshard *w = st->ws[i];
	int rc;

	if ((rc = ws_flush(st, w)) != CGN_OK)
		return rc;	/* keep it, queue and all */
	wshard_close(w, &st->spare);
	st->ws[i] = st->ws[--st->nws];
	return CGN_OK;
}

/* The shard of period p, opened (created) if needed. */
static int
ws_get(struct store *st, uint32_t p, struct wshard **out)
{
	char path[512], err[512];
	struct wshard *w;
	int i, oldest = -1, rc;

	for (i = 0; i < st->nws; i++) {
		if (st->ws[i]->p == p) {
			*out = st->ws[i];
			return CGN_OK;
		}
	}
	if (st->nws >= WS_MAX && !st->failing) {
		for (i = 0; i < st->nws; i++)
			if (st->ws[i]->p != st->cur && (oldest < 0 ||
			    st->ws[i]->last_use < st->ws[oldest]->last_use))
				oldest = i;
		if (oldest >= 0 && ws_evict(st, oldest) != CGN_OK)
			st->failing = 1;	/* keep it; grow instead */
	}
	if (st->nws == st->capws) {
		struct wshard **nw;
		int nc = st->capws ? st->capws * 2 : WS_MAX;

		if ((nw = realloc(st->ws, (size_t)nc * sizeof(*nw))) == NULL)
			return wr_fail(st, CGN_ENOMEM, "out of memory");
		st->ws = nw;
		st->capws = nc;
	}
	shard_path(st->root, (int64_t)p * st->o.period_ms, st->o.period_ms,
	    path, sizeof(path));
	if ((rc = wshard_new(path, p, st->o.period_ms, &st->spare, &w)) !=
	    CGN_OK)
		return wr_fail(st, rc, "out of memory");
	(void)err;
	st->ws[st->nws++] = w;
	*out = w;
	return CGN_OK;
}

/* Write a record into period p's shard. */
static int
put_rec_in(struct store *st, uint32_t p, const struct ival *iv)
{
	struct wshard *w;
	int rc;

	if ((rc = ws_get(st, p, &w)) != CGN_OK)
		return rc;
	w->last_use = st->clock;
	if ((rc = wshard_add(w, iv)) != CGN_OK)
		return wr_fail(st, rc, "out of memory");
	/* a big queue is written early; if that fails the rows stay queued
	 * and the next store_flush says why */
	if (w->npend >= (size_t)st->o.flush_rows && !st->failing &&
	    ws_flush(st, w) != CGN_OK)
		st->failing = 1;
	return CGN_OK;
}

/* Write a record into periods a..b (a <= b), the last SPAN_MAX of them;
 * with first, period a too (the record's first: the period of its start,
 * which a lookup of the start reads). */
static int
put_span(struct store *st, uint32_t a, uint32_t b, int first,
    const struct ival *iv)
{
	uint32_t p;
	int rc;

	if (b - a >= SPAN_MAX) {
		if (first && (rc = put_rec_in(st, a, iv)) != CGN_OK)
			return rc;
		a = b - SPAN_MAX + 1;
	}
	for (p = a; p <= b; p++)
		if ((rc = put_rec_in(st, p, iv)) != CGN_OK)
			return rc;
	return CGN_OK;
}

/*
 * Where a record goes (shard.h has the invariant it keeps). An open record:
 * the period of its start; the periods after, up to now, get checkpoints
 * at the next flush, so an allocation that closes before then (a backfill)
 * is never written into shards it does not overlap. A closed record: the
 * periods after the last one holding its open record, up to its end - or,
 * when that open record reaches past the end (a release that arrives late),
 * every period from the end to that one, so the closed form supersedes
 * every open record that claims too much.
 */
static int
put_rec(struct store *st, const struct pair_rec *r)
{
	uint32_t a, b, ps = wr_period(st, r->iv.start_ms), pe;

	if (r->open) {
		a = b = ps;
	} else {
		pe = wr_period(st, r->iv.end_ms);
		if (r->wp == UINT32_MAX) {
			a = ps;
			b = pe;
		} else if (r->wp >= pe) {
			a = pe;
			b = r->wp;
		} else {
			a = r->wp + 1;
			b = pe;
		}
		st->stats.intervals++;
	}
	return put_span(st, a, b, r->wp == UINT32_MAX, &r->iv);
}

/* A checkpoint: an open allocation into the periods after its last record
 * up to the one its device's clock is in (pair_checkpoint); one with no
 * record yet from the period of its start. */
static int
put_checkpoint(void *arg, const struct pair_rec *r)
{
	struct store *st = arg;
	uint32_t a = r->wp == UINT32_MAX ? wr_period(st, r->iv.start_ms) :
	    r->wp + 1;

	return a > r->to ? CGN_OK : put_span(st, a, r->to,
	    r->wp == UINT32_MAX, &r->iv);
}

static int
put_rec_cb(void *arg, const struct pair_rec *r)
{
	return put_rec(arg, r);
}

/* ---- the clock and periods -------------------------------------------- */

/* Enter period p: checkpoint the open allocations into it - except across
 * a restart: while the collector was down nobody can say who held what, so
 * the periods in between get nothing. */
static int
roll(struct store *st, uint32_t p)
{
	int rc;

	if (st->resumed) {
		st->resumed = 0;
		if (p > st->cur + 1) {
			pair_skip_to(st->pair, p - 1);
			wr_notice(st, "collector was down for %u periods: open"
			    " allocations are not carried through them",
			    p - st->cur - 1);
		}
	}
	/* what has had no news for its age is closed first, so that a jump
	 * of the clock (a capture's old receive times, then the wall clock)
	 * carries only what is still held */
	if ((rc = pair_expire(st->pair, st->clock, put_rec_cb, st)) != CGN_OK)
		return rc;
	/* every open allocation goes into each period entered, now, while
	 * the open set is the one at the boundary; one pass for all of them */
	st->cur = p;
	return pair_checkpoint(st->pair, p, st->clock, put_checkpoint, st);
}

/* Move the clock forward to ms (never back). */
static int
clock_to(struct store *st, int64_t ms)
{
	uint32_t p;

	if (!st->have_clock) {
		st->have_clock = 1;
		st->clock = ms;
		st->cov_mark = ms;
		pair_set_since(st->pair, ms);
		if (!st->resumed)
			st->cur = wr_period(st, ms);
	} else if (ms <= st->clock) {
		return CGN_OK;
	} else {
		st->clock = ms;
	}
	p = wr_period(st, st->clock);
	if (p > st->cur)
		return roll(st, p);
	st->resumed = 0;	/* restarted within the same period */
	return CGN_OK;
}

/* ---- put -------------------------------------------------------------- */

static uint64_t
new_ref(struct store *st, int64_t rx_ms)
{
	/* rx_ms << 16 | counter: unique unless 65536 messages share a ms */
	return (uint64_t)rx_ms << 16 | (st->ref_ctr++ & 0xffff);
}

int
store_put(struct store *st, const struct store_msg *m,
    const struct cgn_event *ev, size_t n)
{
	struct pair_out out;
	struct wshard *w;
	const char *dname;
	uint32_t dev, sub;
	uint64_t ref = 0;
	size_t i;
	int k, rc;

	if ((rc = clock_to(st, m->rx_ms)) != CGN_OK)
		return rc;
	dname = m->device != NULL ? m->device : n > 0 ? ev[0].device : "";
	if (dname[0] == '\0')
		dname = "unknown";
	if (strtab_id(st->devs, dname, &dev) != CGN_OK || dev > UINT16_MAX)
		return wr_fail(st, CGN_ENOMEM, "too many devices");
	st->stats.msgs++;
	if ((rc = ws_get(st, wr_period(st, m->rx_ms), &w)) != CGN_OK)
		return rc;
	w->last_use = st->clock;
	if (st->o.evidence && m->raw != NULL && m->rawlen > 0) {
		ref = new_ref(st, m->rx_ms);
		wshard_evidence(w, ref, dev, m->raw, m->rawlen);
	}
	wshard_heard(w, dev, m->rx_ms, ev, n);
	pair_set_rx(st->pair, m->rx_ms);
	/* a message of many events (IPFIX: dozens) asks for each one's
	 * index slot and entry a few events ahead (STORE_PREFETCH_*): the
	 * table is megabytes, and each lookup otherwise waits for memory
	 * twice */
	for (i = 0; i < n && i < STORE_PREFETCH_SLOTS; i++)
		pair_prefetch_slot(st->pair, &ev[i], (uint16_t)dev);
	for (i = 0; i < n; i++) {
		if (i + STORE_PREFETCH_SLOTS < n)
			pair_prefetch_slot(st->pair, &ev[i +
			    STORE_PREFETCH_SLOTS], (uint16_t)dev);
		if (i + STORE_PREFETCH_ENTRIES < n)
			pair_prefetch_entry(st->pair, &ev[i +
			    STORE_PREFETCH_ENTRIES], (uint16_t)dev);
		sub = 0;
		if (ev[i].subscriber[0] != '\0' &&
		    strtab_id(st->subs, ev[i].subscriber, &sub) != CGN_OK)
			return wr_fail(st, CGN_ENOMEM, "out of memory");
		rc = pair_event(st->pair, &ev[i], (uint16_t)dev, sub, ref,
		    &out);
		if (rc == CGN_EINVAL)
			continue;	/* not an allocation event */
		if (rc != CGN_OK)
			return wr_fail(st, rc, "out of memory");
		st->stats.events++;
		st->stats.dups += (uint64_t)out.dup;
		for (k = 0; k < out.n; k++)
			if ((rc = put_rec(st, &out.rec[k])) != CGN_OK)
				return rc;
	}
	return CGN_OK;
}

void
store_prefetch(struct store *st, const struct store_msg *m,
    const struct cgn_event *ev, size_t n, int entries)
{
	const char *dname = m->device != NULL ? m->device : n > 0 ?
	    ev[0].device : "";
	uint32_t dev;
	size_t i;

	/* interning the name early is harmless: store_put would */
	if (dname[0] == '\0' || strtab_id(st->devs, dname, &dev) != CGN_OK ||
	    dev > UINT16_MAX)
		return;
	for (i = 0; i < n && i < STORE_PREFETCH_SLOTS; i++) {
		if (entries)
			pair_prefetch_entry(st->pair, &ev[i], (uint16_t)dev);
		else
			pair_prefetch_slot(st->pair, &ev[i], (uint16_t)dev);
	}
}

int
store_gap(struct store *st, const char *device, int64_t from_ms,
    int64_t to_ms)
{
	struct wshard *w;
	uint32_t dev, p;
	int rc;

	if (from_ms > to_ms)
		return CGN_EINVAL;
	if (strtab_id(st->devs, device, &dev) != CGN_OK)
		return wr_fail(st, CGN_ENOMEM, "out of memory");
	for (p = wr_period(st, from_ms); p <= wr_period(st, to_ms); p++) {
		if ((rc = ws_get(st, p, &w)) != CGN_OK)
			return rc;
		if ((rc = wshard_gap(w, dev, from_ms, to_ms)) != CGN_OK)
			return wr_fail(st, rc, "out of memory");
	}
	return CGN_OK;
}

/* ---- flush ------------------------------------------------------------ */

/* Mark the collector running over [cov_mark, clock] in each shard. */
static int
cover_running(struct store *st)
{
	struct wshard *w;
	uint32_t p, a, b;
	int rc;

	if (st->clock <= st->cov_mark)
		return CGN_OK;
	a = wr_period(st, st->cov_mark);
	b = wr_period(st, st->clock);
	if (b - a >= SPAN_MAX)
		a = b - SPAN_MAX + 1;
	for (p = a; p <= b; p++) {
		if ((rc = ws_get(st, p, &w)) != CGN_OK)
			return rc;
		wshard_running(w, st->cov_mark, st->clock);
	}
	st->cov_mark = st->clock;
	return CGN_OK;
}

static int seal_past(struct store *st, int closing);

int
store_flush(struct store *st, int64_t now_ms)
{
	int64_t t0 = now_wall_ms();
	int i, rc;

	if (now_ms > 0 && (rc = clock_to(st, now_ms)) != CGN_OK)
		return rc;
	if (!st->have_clock)
		return CGN_OK;
	if ((rc = pair_expire(st->pair, st->clock, put_rec_cb, st)) !=
	    CGN_OK)
		return rc;
	if ((rc = pair_checkpoint(st->pair, st->cur, st->clock,
	    put_checkpoint, st)) != CGN_OK)
		return rc;
	if ((rc = cover_running(st)) != CGN_OK)
		return rc;
	if ((rc = wr_check_root(st)) != CGN_OK) {
		st->failing = 1;
		return rc;
	}
	/* a failure keeps every queue for the next try: nothing taken is
	 * lost while the disk is full or the directory read-only */
	for (i = 0; i < st->nws; i++) {
		if ((rc = ws_flush(st, st->ws[i])) != CGN_OK) {
			st->failing = 1;
			return rc;
		}
	}
	st->failing = 0;
	if ((rc = seal_past(st, 0)) != CGN_OK)
		return rc;
	wr_retention(st);
	st->stats.flushes++;
	st->stats.last_flush_us = (now_wall_ms() - t0) * 1000;
	return CGN_OK;
}

/*
 * Seal the shards the clock has left behind and nobody wrote to for a
 * while (a backfill into an old shard keeps it open while it lasts, so it
 * is compacted once, not every flush); all past ones when closing.
 */
static int
seal_past(struct store *st, int closing)
{
	int i, rc;

	for (i = 0; i < st->nws; i++) {
		struct wshard *w = st->ws[i];

		if (w->p >= st->cur || (!closing &&
		    (st->clock - w->end_ms < SEAL_GRACE_MS ||
		    st->clock - w->last_use < SEAL_GRACE_MS)))
			continue;
		if ((rc = wshard_seal(w, st->ctx, 1)) != CGN_OK)
			return wr_fail(st, rc, "%s: sealing: %s", w->sh->path,
			    shard_errmsg(w->sh));
		wshard_close(w, &st->spare);
		st->ws[i--] = st->ws[--st->nws];
	}
	return CGN_OK;
}

void
store_set_retention(struct store *st, int64_t retention_ms)
{
	if (retention_ms != st->o.retention_ms) {
		st->o.retention_ms = retention_ms;
		st->last_retention = 0;	/* look at once */
	}
}

void
store_wstats(const struct store *st, struct store_wstats *out)
{
	*out = st->stats;
	out->open = pair_count(st->pair);
	out->open_peak = pair_peak(st->pair);
	out->open_bytes = pair_bytes(st->pair);
}

/* ---- open and close --------------------------------------------------- */

int
store_open(const struct store_opts *o, struct store **out, char *err,
    size_t errlen)
{
	struct pair_cfg pc;
	struct store *st;
	int rc = CGN_ENOMEM;

	if (o->root == NULL || o->period_ms < 60000 ||
	    86400000 % o->period_ms != 0) {
		snprintf(err, errlen, "the shard period must divide a day and"
		    " be at least a minute");
		return CGN_EINVAL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return CGN_ENOMEM;
	st->o = *o;
	snprintf(st->root, sizeof(st->root), "%s", o->root);
	st->o.root = st->root;
	if (st->o.flush_rows <= 0)
		st->o.flush_rows = STORE_FLUSH_ROWS;
	pc.max_age_ms = o->max_age_ms;
	pc.session_idle_ms = o->session_idle_ms;
	pc.dup_ms = o->dup_ms;
	pc.period_ms = o->period_ms;
	if (pair_new(&pc, &st->pair) != CGN_OK ||
	    strtab_new(&st->devs) != CGN_OK ||
	    strtab_new(&st->subs) != CGN_OK ||
	    blk_ctx_new(o->level, o->use_libdeflate, &st->ctx) != CGN_OK ||
	    blk_ctx_new(0, o->use_libdeflate, &st->fctx) != CGN_OK) {
		snprintf(st->err, sizeof(st->err), "out of memory");
		goto fail;
	}
	if (store_mkdirs(st->root) != 0) {
		rc = CGN_EIO;
		snprintf(st->err, sizeof(st->err), "%s: %s", st->root,
		    strerror(errno));
		goto fail;
	}
	if (stat(st->root, &st->root_st) != 0) {
		rc = CGN_EIO;
		snprintf(st->err, sizeof(st->err), "%s: %s", st->root,
		    strerror(errno));
		goto fail;
	}
	if ((rc = wr_resume(st)) != CGN_OK)
		goto fail;
	*out = st;
	return CGN_OK;
fail:
	snprintf(err, errlen, "%s", st->err);
	store_close(st, 0);
	return rc;
}

int
store_close(struct store *st, int64_t now_ms)
{
	int rc = CGN_OK, i;

	if (st == NULL)
		return CGN_OK;
	if (st->have_clock && (rc = store_flush(st, now_ms)) == CGN_OK)
		rc = seal_past(st, 1);
	for (i = 0; i < st->nws && rc == CGN_OK; i++)	/* the current one */
		rc = wshard_seal(st->ws[i], st->ctx, 0);
	for (i = 0; i < st->nws; i++) {
		int r2 = ws_flush(st, st->ws[i]);

		if (rc == CGN_OK)
			rc = r2;
		wshard_close(st->ws[i], &st->spare);
	}
	free(st->ws);
	wspare_free(&st->spare);
	pair_free(st->pair);
	strtab_free(st->devs);
	strtab_free(st->subs);
	blk_ctx_free(st->ctx);
	blk_ctx_free(st->fctx);
	free(st);
	return rc;
}
