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
 * up to the one its device's clock is in (pair_checkpoint). */
static int
put_checkpoint(void *arg, const struct pair_rec *r)
{
	struct store *st = arg;
	uint32_t p, a = r->wp == UINT32_MAX ? period_of(st, r->iv.start_ms) :
	    r->wp + 1;
	int rc;

	if (a > r->to)
		return CGN_OK;
	if (r->to - a >= SPAN_MAX)
		a = r->to - SPAN_MAX + 1;
	for (p = a; p <= r->to; p++)
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
	if ((rc = pair_checkpoint(st->pair, st->cur, st->clock,
	    put_checkpoint, st)) != CGN_OK)
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

/* A closed allocation seen in a newer shard: the same key and start still
 * open in an older one is not to be taken up. */
static uint64_t
closed_key(const struct ival *iv, uint32_t dev)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)iv->start_ms;
	size_t i;

	for (i = 0; i < sizeof(iv->outside.b); i++)
		h = (h ^ iv->outside.b[i]) * 0x100000001b3ULL;
	h = (h ^ ((uint64_t)dev << 32 | (uint64_t)iv->port_lo << 16 |
	    (uint64_t)iv->kind << 8 | iv->proto)) * 0xff51afd7ed558ccdULL;
	return h ^ h >> 29;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct resume_ctx {
	uint64_t *closed;	/* closed_key of closed rows, newer shards */
	size_t nclosed, capclosed;
	size_t sorted;		/* closed[0..sorted) is sorted */
	struct ival *rows;
	size_t cap;
};

/* Take up the open allocations of one shard (period p); newer shards were
 * read before, so what they hold (open or closed) wins. */
static int
resume_shard(struct store *st, struct resume_ctx *rc_, const char *path,
    int64_t start, int64_t per, uint32_t p)
{
	char err[512], name[CGN_NAMELEN];
	struct shard *sh = NULL;
	size_t n = 0, i, k;
	uint32_t dev, sub;
	uint64_t key, *nk;
	int rc;

	if ((rc = shard_open(path, start, start + per, 0, &sh, err,
	    sizeof(err))) != CGN_OK)
		return fail(st, rc, "%s", err);
	if ((rc = wshard_read_all(sh, st->ctx, &rc_->rows, &n, &rc_->cap)) !=
	    CGN_OK) {
		fail(st, rc, "%s: reading blocks: %s", path, shard_errmsg(sh));
		goto out;
	}
	n = ival_merge(rc_->rows, n);
	k = rc_->nclosed;
	for (i = 0; i < n; i++) {
		struct ival *iv = &rc_->rows[i];

		shard_dev_name(sh, iv->dev, name, sizeof(name));
		if ((rc = strtab_id(st->devs, name[0] ? name : "unknown",
		    &dev)) != CGN_OK)
			goto out;
		key = closed_key(iv, dev);
		if (!(iv->flags & STORE_F_OPEN)) {
			if (k == rc_->capclosed) {
				rc_->capclosed = k ? k * 2 : 1024;
				nk = realloc(rc_->closed, rc_->capclosed *
				    sizeof(*nk));
				if (nk == NULL) {
					rc = fail(st, CGN_ENOMEM, "out of memory");
					goto out;
				}
				rc_->closed = nk;
			}
			rc_->closed[k++] = key;
			continue;
		}
		if (rc_->sorted > 0 && bsearch(&key, rc_->closed, rc_->sorted,
		    sizeof(key), cmp_u64) != NULL)
			continue;	/* closed in a newer period */
		sub = 0;
		if (iv->sub != 0) {
			shard_sub_name(sh, iv->sub, name, sizeof(name));
			if (name[0] && (rc = strtab_id(st->subs, name,
			    &sub)) != CGN_OK)
				goto out;
		}
		iv->dev = dev;
		iv->sub = sub;
		if ((rc = pair_resume(st->pair, iv, p)) != CGN_OK)
			goto out;
	}
	rc_->nclosed = k;
	if (k > 0)	/* closed is NULL until the first closed row */
		qsort(rc_->closed, k, sizeof(*rc_->closed), cmp_u64);
	rc_->sorted = k;
	rc = CGN_OK;
out:
	shard_close(sh);
	return rc;
}

struct shard_ent {
	int64_t start, per;
	char name[256];
};

static int
cmp_shard_newest(const void *a, const void *b)
{
	const struct shard_ent *x = a, *y = b;

	return x->start < y->start ? 1 : x->start > y->start ? -1 : 0;
}

/*
 * Take up the open allocations of the newest shards: the newest, and the
 * older ones within the longest age an allocation may keep without news,
 * because a device whose clock lags (a backfill, a delayed relay) has its
 * open allocations in the period of its own clock.
 */
static int
resume(struct store *st)
{
	struct resume_ctx c;
	struct shard_ent *sv = NULL, *nsv;
	size_t ns = 0, caps = 0, i;
	struct dirent *de;
	int64_t start, per, window, oldest;
	char path[1024];
	uint32_t p, p0 = 0;
	DIR *d;
	int rc = CGN_OK;

	memset(&c, 0, sizeof(c));
	if ((d = opendir(st->root)) == NULL)
		return fail(st, CGN_EIO, "%s: %s", st->root, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!shard_name_parse(de->d_name, &start, &per) ||
		    strlen(de->d_name) >= sizeof(sv->name))
			continue;
		if (ns == caps) {
			caps = caps ? caps * 2 : 64;
			if ((nsv = realloc(sv, caps * sizeof(*sv))) == NULL) {
				closedir(d);
				free(sv);
				return fail(st, CGN_ENOMEM, "out of memory");
			}
			sv = nsv;
		}
		sv[ns].start = start;
		sv[ns].per = per;
		snprintf(sv[ns].name, sizeof(sv[ns].name), "%s", de->d_name);
		ns++;
	}
	closedir(d);
	if (ns == 0)
		goto out;
	qsort(sv, ns, sizeof(*sv), cmp_shard_newest);
	window = st->o.max_age_ms > st->o.session_idle_ms ?
	    st->o.max_age_ms : st->o.session_idle_ms;
	oldest = sv[0].start - window;
	for (i = 0; i < ns && rc == CGN_OK; i++) {
		if (i > 0 && sv[i].start + sv[i].per <= oldest)
			break;
		/* a compacted day shard counts as its last period */
		p = sv[i].per == st->o.period_ms ?
		    period_of(st, sv[i].start) :
		    period_of(st, sv[i].start + sv[i].per - 1);
		if (i == 0)
			p0 = p;
		snprintf(path, sizeof(path), "%s/%s", st->root, sv[i].name);
		rc = resume_shard(st, &c, path, sv[i].start, sv[i].per, p);
	}
	if (rc != CGN_OK)
		goto out;
	st->cur = p0;
	st->resumed = 1;
	notice(st, "resumed %zu open allocations from %s/%s and %zu older"
	    " shards", pair_count(st->pair), st->root, sv[0].name, i - 1);
out:
	free(c.closed);
	free(c.rows);
	free(sv);
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
