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
 * Not here: pairing rules (pair.c), block bytes (codec.c), SQL (shard.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "codec.h"
#include "merge.h"
#include "pair.h"
#include "shard.h"
#include "store.h"
#include "strtab.h"
#include "wshard.h"

/* Shard files held open at once: the current one, the last, late ones.
 * More are kept in memory while their flush fails (a full disk). */
#define WS_MAX 8
/* A closed record is written into at most this many periods. */
#define SPAN_MAX 64
/* A shard the clock left this long ago is sealed. */
#define SEAL_GRACE_MS 5000

struct store {
	struct store_opts o;
	char root[400];
	struct pair_tab *pair;
	struct strtab *devs, *subs;	/* the writer's ids */
	struct blk_ctx *ctx;		/* sealing: the configured level */
	struct blk_ctx *fctx;		/* flush runs: fast, rewritten at
					 * the seal anyway */
	struct wshard **ws;		/* shards being written */
	int nws, capws;
	int failing;			/* the last flush failed */
	struct stat root_st;		/* to notice the root replaced */
	uint32_t cur;			/* current period number */
	int have_clock;
	int64_t clock;			/* latest time seen */
	int64_t cov_mark;		/* collector coverage written up to */
	int resumed;			/* first roll after a restart */
	uint64_t ref_ctr;
	int64_t last_retention;
	struct store_wstats stats;
	char err[512];
};

void
store_opts_default(struct store_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->period_ms = 6 * 3600000;
	o->max_age_ms = 24 * 3600000LL;
	o->session_idle_ms = 24 * 3600 * 1000LL;
	o->dup_ms = 2000;
	o->flush_rows = 65536;
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

static int
fail(struct store *st, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return rc;
}

static void
notice(struct store *st, const char *fmt, ...)
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

static uint32_t
period_of(const struct store *st, int64_t ms)
{
	if (ms < 0)
		return 0;
	return (uint32_t)(ms / st->o.period_ms);
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
		return fail(st, rc, "%s: %s", w->path, w->sh != NULL ?
		    shard_errmsg(w->sh) : w->err);
	if (w->was_sealed && w->p + 1 < st->cur) {
		w->was_sealed = 0;
		st->stats.late++;
		notice(st, "late events reopened sealed shard %s", w->path);
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
	wshard_close(w);
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
			return fail(st, CGN_ENOMEM, "out of memory");
		st->ws = nw;
		st->capws = nc;
	}
	shard_path(st->root, (int64_t)p * st->o.period_ms, st->o.period_ms,
	    path, sizeof(path));
	if ((rc = wshard_new(path, p, st->o.period_ms, &w)) != CGN_OK)
		return fail(st, rc, "out of memory");
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
		return fail(st, rc, "out of memory");
	/* a big queue is written early; if that fails the rows stay queued
	 * and the next store_flush says why */
	if (w->npend >= (size_t)st->o.flush_rows && !st->failing &&
	    ws_flush(st, w) != CGN_OK)
		st->failing = 1;
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
	uint32_t a, b, p, ps = period_of(st, r->iv.start_ms), pe;
	int rc;

	if (r->open) {
		a = b = ps;
	} else {
		pe = period_of(st, r->iv.end_ms);
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
	if (b - a >= SPAN_MAX)
		a = b - SPAN_MAX + 1;
	for (p = a; p <= b; p++)
		if ((rc = put_rec_in(st, p, &r->iv)) != CGN_OK)
			return rc;
	return CGN_OK;
}

/* A checkpoint: an open allocation into the periods after its last record
 * up to the current one. */
static int
put_checkpoint(void *arg, const struct pair_rec *r)
{
	struct store *st = arg;
	uint32_t p, a = r->wp == UINT32_MAX ? period_of(st, r->iv.start_ms) :
	    r->wp + 1;
	int rc;

	if (st->cur - a >= SPAN_MAX)
		a = st->cur - SPAN_MAX + 1;
	for (p = a; p <= st->cur; p++)
		if ((rc = put_rec_in(st, p, &r->iv)) != CGN_OK)
			return rc;
	return CGN_OK;
}

static int
put_rec_cb(void *arg, const struct pair_rec *r)
{
	return put_rec(arg, r);
}

/* ---- the clock and periods -------------------------------------------- */

/* Delete shards wholly older than the retention. */
static void
retention(struct store *st)
{
	char path[1024];
	struct dirent *de;
	int64_t start, per, limit;
	DIR *d;

	if (st->o.retention_ms <= 0 ||
	    st->clock - st->last_retention < 60000)
		return;
	st->last_retention = st->clock;
	limit = st->clock - st->o.retention_ms;
	if ((d = opendir(st->root)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!shard_name_parse(de->d_name, &start, &per) ||
		    start + per > limit)
			continue;
		snprintf(path, sizeof(path), "%s/%s", st->root, de->d_name);
		if (unlink(path) == 0)
			notice(st, "retention: deleted %s (older than %lld s)",
			    path, (long long)(st->o.retention_ms / 1000));
		snprintf(path, sizeof(path), "%s/%s-wal", st->root,
		    de->d_name);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s-shm", st->root,
		    de->d_name);
		unlink(path);
	}
	closedir(d);
}

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
			notice(st, "collector was down for %u periods: open"
			    " allocations are not carried through them",
			    p - st->cur - 1);
		}
	}
	/* every open allocation goes into each period entered, now, while
	 * the open set is the one at the boundary */
	while (st->cur < p) {
		st->cur++;
		if ((rc = pair_checkpoint(st->pair, st->cur, put_checkpoint,
		    st)) != CGN_OK)
			return rc;
	}
	return CGN_OK;
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
			st->cur = period_of(st, ms);
	} else if (ms <= st->clock) {
		return CGN_OK;
	} else {
		st->clock = ms;
	}
	p = period_of(st, st->clock);
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
		return fail(st, CGN_ENOMEM, "too many devices");
	st->stats.msgs++;
	if ((rc = ws_get(st, period_of(st, m->rx_ms), &w)) != CGN_OK)
		return rc;
	w->last_use = st->clock;
	if (st->o.evidence && m->raw != NULL && m->rawlen > 0) {
		ref = new_ref(st, m->rx_ms);
		wshard_evidence(w, ref, dev, m->raw, m->rawlen);
	}
	wshard_heard(w, dev, m->rx_ms, ev, n);
	pair_set_rx(st->pair, m->rx_ms);
	for (i = 0; i < n; i++) {
		sub = 0;
		if (ev[i].subscriber[0] != '\0' &&
		    strtab_id(st->subs, ev[i].subscriber, &sub) != CGN_OK)
			return fail(st, CGN_ENOMEM, "out of memory");
		rc = pair_event(st->pair, &ev[i], (uint16_t)dev, sub, ref,
		    &out);
		if (rc == CGN_EINVAL)
			continue;	/* not an allocation event */
		if (rc != CGN_OK)
			return fail(st, rc, "out of memory");
		st->stats.events++;
		st->stats.dups += (uint64_t)out.dup;
		for (k = 0; k < out.n; k++)
			if ((rc = put_rec(st, &out.rec[k])) != CGN_OK)
				return rc;
	}
	return CGN_OK;
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
		return fail(st, CGN_ENOMEM, "out of memory");
	for (p = period_of(st, from_ms); p <= period_of(st, to_ms); p++) {
		if ((rc = ws_get(st, p, &w)) != CGN_OK)
			return rc;
		if ((rc = wshard_gap(w, dev, from_ms, to_ms)) != CGN_OK)
			return fail(st, rc, "out of memory");
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
	a = period_of(st, st->cov_mark);
	b = period_of(st, st->clock);
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
static int mkdirs(const char *path);

/*
 * The store directory must still be the one we write into. If it was
 * removed (or replaced), the shard files we hold are gone with it: say so,
 * make it again, and write the queued rows into new files.
 */
static int
check_root(struct store *st)
{
	struct stat sb;
	int i;

	if (stat(st->root, &sb) == 0 && sb.st_dev == st->root_st.st_dev &&
	    sb.st_ino == st->root_st.st_ino)
		return CGN_OK;
	if (mkdirs(st->root) != 0 || stat(st->root, &sb) != 0)
		return fail(st, CGN_EIO, "store directory %s is gone and"
		    " cannot be made again: %s", st->root, strerror(errno));
	notice(st, "store directory %s vanished: made it again; what was"
	    " written there before is lost, what is queued is written now",
	    st->root);
	st->root_st = sb;
	for (i = 0; i < st->nws; i++)
		wshard_release_file(st->ws[i]);
	return CGN_OK;
}

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
	if ((rc = pair_checkpoint(st->pair, st->cur, put_checkpoint, st)) !=
	    CGN_OK)
		return rc;
	if ((rc = cover_running(st)) != CGN_OK)
		return rc;
	if ((rc = check_root(st)) != CGN_OK) {
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
	retention(st);
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
			return fail(st, rc, "%s: sealing: %s", w->sh->path,
			    shard_errmsg(w->sh));
		wshard_close(w);
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

static int
mkdirs(const char *path)
{
	char tmp[512], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Take up the open allocations of the newest shard. */
static int
resume(struct store *st)
{
	char best[1024] = "", err[512];
	struct shard *sh = NULL;
	struct dirent *de;
	struct ival *rows = NULL;
	int64_t start, per, bstart = -1, bper = 0;
	size_t n = 0, cap = 0, i;
	uint32_t dev, sub, p;
	char name[CGN_NAMELEN];
	DIR *d;
	int rc;

	if ((d = opendir(st->root)) == NULL)
		return fail(st, CGN_EIO, "%s: %s", st->root, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (shard_name_parse(de->d_name, &start, &per) &&
		    start > bstart) {
			bstart = start;
			bper = per;
			snprintf(best, sizeof(best), "%s/%s", st->root,
			    de->d_name);
		}
	}
	closedir(d);
	if (bstart < 0)
		return CGN_OK;
	if ((rc = shard_open(best, bstart, bstart + bper, 0, &sh, err,
	    sizeof(err))) != CGN_OK)
		return fail(st, rc, "%s", err);
	if ((rc = wshard_read_all(sh, st->ctx, &rows, &n, &cap)) != CGN_OK) {
		fail(st, rc, "%s: reading blocks: %s", best, shard_errmsg(sh));
		goto out;
	}
	n = ival_merge(rows, n);
	p = bper == st->o.period_ms ? period_of(st, bstart) :
	    period_of(st, bstart + bper - 1);
	for (i = 0; i < n; i++) {
		if (!(rows[i].flags & STORE_F_OPEN))
			continue;
		shard_dev_name(sh, rows[i].dev, name, sizeof(name));
		if ((rc = strtab_id(st->devs, name[0] ? name : "unknown",
		    &dev)) != CGN_OK)
			goto out;
		sub = 0;
		if (rows[i].sub != 0) {
			shard_sub_name(sh, rows[i].sub, name, sizeof(name));
			if (name[0] && (rc = strtab_id(st->subs, name,
			    &sub)) != CGN_OK)
				goto out;
		}
		rows[i].dev = dev;
		rows[i].sub = sub;
		if ((rc = pair_resume(st->pair, &rows[i], p)) != CGN_OK)
			goto out;
	}
	st->cur = p;
	st->resumed = 1;
	notice(st, "resumed %zu open allocations from %s",
	    pair_count(st->pair), best);
	rc = CGN_OK;
out:
	free(rows);
	shard_close(sh);
	return rc;
}

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
		st->o.flush_rows = 65536;
	pc.max_age_ms = o->max_age_ms;
	pc.session_idle_ms = o->session_idle_ms;
	pc.dup_ms = o->dup_ms;
	pc.period_ms = o->period_ms;
	if (pair_new(&pc, &st->pair) != CGN_OK ||
	    strtab_new(&st->devs) != CGN_OK ||
	    strtab_new(&st->subs) != CGN_OK ||
	    blk_ctx_new(o->level, o->use_libdeflate, &st->ctx) != CGN_OK ||
	    blk_ctx_new(1, o->use_libdeflate, &st->fctx) != CGN_OK) {
		snprintf(st->err, sizeof(st->err), "out of memory");
		goto fail;
	}
	if (mkdirs(st->root) != 0) {
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
	if ((rc = resume(st)) != CGN_OK)
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
		wshard_close(st->ws[i]);
	}
	free(st->ws);
	pair_free(st->pair);
	strtab_free(st->devs);
	strtab_free(st->subs);
	blk_ctx_free(st->ctx);
	blk_ctx_free(st->fctx);
	free(st);
	return rc;
}
