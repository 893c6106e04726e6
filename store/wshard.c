/*
 * wshard.c - what waits in a shard for the next flush, and the flush and
 * seal themselves (see wshard.h).
 *
 * A flush sorts the waiting rows, cuts them into blocks of BLK_ROWS and
 * stores them as one run; a seal merges all runs of a shard into one, so a
 * sealed shard has one record per allocation and few blocks per address.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "merge.h"
#include "runmerge.h"
#include "store.h"
#include "wshard.h"

int
wshard_new(const char *path, uint32_t p, int64_t period_ms,
    struct wspare *spare, struct wshard **out)
{
	struct wshard *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return CGN_ENOMEM;
	if (spare != NULL && spare->rows != NULL) {
		w->pend = spare->rows;
		w->cappend = spare->cap;
		spare->rows = NULL;
		spare->cap = 0;
	}
	if (spare != NULL) {
		w->ev = spare->ev;
		w->evout = spare->evout;
		memset(&spare->ev, 0, sizeof(spare->ev));
		memset(&spare->evout, 0, sizeof(spare->evout));
	}
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->p = p;
	w->start_ms = (int64_t)p * period_ms;
	w->end_ms = w->start_ms + period_ms;
	*out = w;
	return CGN_OK;
}

/* Forget the file's device and subscriber ids (the maps may be empty). */
static void
forget_ids(struct wshard *w)
{
	if (w->ndevmap > 0)
		memset(w->devmap, 0, w->ndevmap * sizeof(*w->devmap));
	if (w->nsubmap > 0)
		memset(w->submap, 0, w->nsubmap * sizeof(*w->submap));
}

int
wshard_file(struct wshard *w, char *err, size_t errlen)
{
	int rc;

	if (w->sh != NULL)
		return CGN_OK;
	if ((rc = shard_open(w->path, w->start_ms, w->end_ms, 0, &w->sh, err,
	    errlen)) != CGN_OK)
		return rc;
	w->was_sealed = w->sh->sealed;
	return CGN_OK;
}

void
wshard_release_file(struct wshard *w)
{
	shard_close(w->sh);
	w->sh = NULL;
	forget_ids(w);	/* they were the closed file's */
}

/* The bigger of *keep and *from goes to *keep (emptied); what is left in
 * *from is the caller's to free. */
static void
give_buf(struct buf *keep, struct buf *from)
{
	if (from->cap > keep->cap) {
		buf_free(keep);
		*keep = *from;
		memset(from, 0, sizeof(*from));
	}
	buf_reset(keep);
}

void
wspare_free(struct wspare *spare)
{
	free(spare->rows);
	buf_free(&spare->ev);
	buf_free(&spare->evout);
	memset(spare, 0, sizeof(*spare));
}

void
wshard_close(struct wshard *w, struct wspare *spare)
{
	size_t i;

	if (w == NULL)
		return;
	shard_close(w->sh);
	if (spare != NULL && w->cappend > spare->cap) {
		free(spare->rows);
		spare->rows = w->pend;
		spare->cap = w->cappend;
		w->pend = NULL;
	}
	free(w->pend);
	free(w->devmap);
	free(w->submap);
	if (spare != NULL) {
		give_buf(&spare->ev, &w->ev);
		give_buf(&spare->evout, &w->evout);
	}
	buf_free(&w->ev);
	buf_free(&w->evout);
	for (i = 0; i < w->nacc; i++)
		free(w->acc[i].minutes);
	free(w->acc);
	free(w->gaps);
	free(w);
}

int
wshard_add(struct wshard *w, const struct ival *iv)
{
	struct ival *np;
	size_t nc;

	if (w->npend == w->cappend) {
		nc = w->cappend ? w->cappend * 2 : 1024;
		if ((np = realloc(w->pend, nc * sizeof(*np))) == NULL)
			return CGN_ENOMEM;
		w->pend = np;
		w->cappend = nc;
	}
	w->pend[w->npend++] = *iv;
	w->dirty = 1;
	return CGN_OK;
}

void
wshard_evidence(struct wshard *w, uint64_t ref, uint32_t dev,
    const uint8_t *raw, size_t len)
{
	if (w->ev_n == 0) {
		buf_reset(&w->ev);
		w->ev_lo = w->ev_hi = ref;
		w->ev_prev = 0;
	}
	buf_svarint(&w->ev, (int64_t)(ref - w->ev_prev));
	buf_varint(&w->ev, dev);
	buf_varint(&w->ev, len);
	buf_put(&w->ev, raw, len);
	w->ev_prev = ref;
	if (ref < w->ev_lo)
		w->ev_lo = ref;
	if (ref > w->ev_hi)
		w->ev_hi = ref;
	w->ev_n++;
	w->dirty = 1;
}

static struct wdevacc *
acc_get(struct wshard *w, uint32_t dev)
{
	struct wdevacc *na;
	size_t nn;

	if (dev >= w->nacc) {
		nn = dev + 16;
		if ((na = realloc(w->acc, nn * sizeof(*na))) == NULL)
			return NULL;
		memset(na + w->nacc, 0, (nn - w->nacc) * sizeof(*na));
		w->acc = na;
		w->nacc = nn;
	}
	return &w->acc[dev];
}

void
wshard_heard(struct wshard *w, uint32_t dev, int64_t rx_ms,
    const struct cgn_event *ev, size_t n)
{
	struct wdevacc *a = acc_get(w, dev);
	int64_t start = w->start_ms, m, skew;
	size_t i, nbytes = (size_t)((w->end_ms - start) / 60000 + 8) / 8;

	if (a == NULL)
		return;
	if (a->minutes == NULL) {	/* first message of this flush */
		if ((a->minutes = calloc(1, nbytes)) == NULL)
			return;
		a->first_rx = a->last_rx = rx_ms;
		a->skew_min = INT64_MAX;
		a->skew_max = INT64_MIN;
	}
	if (rx_ms < a->first_rx)
		a->first_rx = rx_ms;
	if (rx_ms > a->last_rx)
		a->last_rx = rx_ms;
	m = (rx_ms - start) / 60000;
	if (m >= 0 && (size_t)m < nbytes * 8)
		a->minutes[m / 8] |= (uint8_t)(1u << (m % 8));
	a->events += n;
	for (i = 0; i < n; i++) {
		if (ev[i].tsrc == CGN_TS_RX)
			continue;
		skew = ev[i].ts_ms - rx_ms;
		if (skew < a->skew_min)
			a->skew_min = skew;
		if (skew > a->skew_max)
			a->skew_max = skew;
		a->skew_sum += skew;
		a->skew_n++;
	}
	w->dirty = 1;
}

void
wshard_running(struct wshard *w, int64_t from_ms, int64_t to_ms)
{
	if (w->run_to == 0 || from_ms < w->run_from)
		w->run_from = from_ms;
	if (to_ms > w->run_to)
		w->run_to = to_ms;
	w->dirty = 1;
}

int
wshard_gap(struct wshard *w, uint32_t dev, int64_t from_ms, int64_t to_ms)
{
	struct wgap *ng;

	if ((ng = realloc(w->gaps, (w->ngaps + 1) * sizeof(*ng))) == NULL)
		return CGN_ENOMEM;
	w->gaps = ng;
	w->gaps[w->ngaps++] = (struct wgap){ dev, from_ms, to_ms };
	w->dirty = 1;
	return CGN_OK;
}

/* The shard's id for writer id wid, interned on first use. */
static int
map_id(struct shard *sh, uint32_t **map, size_t *nmap, uint32_t wid,
    const struct strtab *names, int is_dev, uint32_t *out)
{
	uint32_t *nm;
	const char *name;
	size_t nn;
	int rc;

	if (wid >= *nmap) {
		nn = wid + 64;
		if ((nm = realloc(*map, nn * sizeof(*nm))) == NULL)
			return CGN_ENOMEM;
		memset(nm + *nmap, 0, (nn - *nmap) * sizeof(*nm));
		*map = nm;
		*nmap = nn;
	}
	if ((*map)[wid] == 0) {
		if ((name = strtab_str(names, wid)) == NULL)
			return CGN_EINVAL;
		rc = is_dev ? shard_dev_id(sh, name, &(*map)[wid]) :
		    shard_sub_id(sh, name, &(*map)[wid]);
		if (rc != CGN_OK)
			return rc;
	}
	*out = (*map)[wid];
	return CGN_OK;
}

static int
flush_rows(struct wshard *w, struct blk_ctx *ctx, const struct strtab *devs,
    const struct strtab *subs, uint64_t *bytes)
{
	struct run_ids ids;
	struct run_out o;
	uint32_t *order = NULL, id, last_dev = UINT32_MAX;
	size_t i, n;
	int rc;

	/* the shard's ids for every writer id the rows name, interned in
	 * this transaction; the rows keep the writer's (if the transaction
	 * fails, the mappings are forgotten and the queue is still right) */
	for (i = 0; i < w->npend; i++) {
		const struct ival *r = &w->pend[i];

		if (r->dev != last_dev && (rc = map_id(w->sh, &w->devmap,
		    &w->ndevmap, r->dev, devs, 1, &id)) != CGN_OK)
			return rc;
		last_dev = r->dev;
		if (r->sub != 0 && (rc = map_id(w->sh, &w->submap,
		    &w->nsubmap, r->sub, subs, 0, &id)) != CGN_OK)
			return rc;
	}
	/* sorted and folded in place, not in a copy of the queue (a flush
	 * is tens of megabytes): an allocation opened and closed within this
	 * flush needs one row, and its other records are marked, which a
	 * failed flush undoes with wshard_flush's ival_drop_merged */
	if ((order = malloc(w->npend * sizeof(*order))) == NULL)
		return CGN_ENOMEM;
	n = ival_merge_order(w->pend, w->npend, order);
	ids.dev = w->devmap;
	ids.sub = w->submap;
	memset(&o, 0, sizeof(o));
	o.run = w->sh->next_run + 1;
	rc = n == 0 ? CGN_ENOMEM : runs_put(w->sh, ctx, &o, w->pend, order, n,
	    &ids);
	*bytes += o.bytes;
	if (rc == CGN_OK)
		rc = shard_run_add(w->sh, w->sh->next_run + 1, 0, n);
	free(order);
	return rc;
}

/* Evidence: count, then the queued messages, packed. Device ids in it are
 * rewritten to the shard's. */
static int
flush_evidence(struct wshard *w, struct blk_ctx *ctx,
    const struct strtab *devs)
{
	struct vrd r = { w->ev.p, w->ev.p + w->ev.len, 0 };
	struct buf *o = &w->evout;
	const uint8_t *packed;
	uint64_t len, wdev;
	uint32_t sdev;
	size_t plen, i;
	int rc;

	buf_reset(o);
	buf_varint(o, w->ev_n);
	for (i = 0; i < w->ev_n; i++) {
		buf_svarint(o, vrd_svarint(&r));
		wdev = vrd_varint(&r);
		len = vrd_varint(&r);
		if (r.bad || len > (uint64_t)(r.end - r.p))
			return CGN_EINVAL;
		if ((rc = map_id(w->sh, &w->devmap, &w->ndevmap,
		    (uint32_t)wdev, devs, 1, &sdev)) != CGN_OK)
			return rc;
		buf_varint(o, sdev);
		buf_varint(o, len);
		buf_put(o, r.p, (size_t)len);
		r.p += len;
	}
	if (o->oom || blk_pack(ctx, o->p, o->len, &packed, &plen) != CGN_OK)
		return CGN_ENOMEM;
	return shard_put_evidence(w->sh, w->ev_lo, w->ev_hi, w->ev_n, packed,
	    plen);
}

/* Minute bits to coverage: each run of set bits is one shard_cover. */
static int
flush_minutes(struct wshard *w, uint32_t sdev, const uint8_t *bits)
{
	int64_t m, a, nmin = (w->end_ms - w->start_ms) / 60000;
	int rc;

	for (m = 0; m < nmin; m++) {
		if (!(bits[m / 8] & (1u << (m % 8))))
			continue;
		for (a = m; m + 1 < nmin && (bits[(m + 1) / 8] &
		    (1u << ((m + 1) % 8))); m++)
			;
		if ((rc = shard_cover(w->sh, sdev, w->start_ms + a * 60000,
		    w->start_ms + m * 60000)) != CGN_OK)
			return rc;
	}
	return CGN_OK;
}

static int
flush_devs(struct wshard *w, const struct strtab *devs)
{
	struct wdevacc *a;
	uint32_t sdev;
	size_t i;
	int rc;

	for (i = 0; i < w->nacc; i++) {
		a = &w->acc[i];
		if (a->minutes == NULL)
			continue;
		if ((rc = map_id(w->sh, &w->devmap, &w->ndevmap, (uint32_t)i,
		    devs, 1, &sdev)) != CGN_OK ||
		    (rc = flush_minutes(w, sdev, a->minutes)) != CGN_OK ||
		    (rc = shard_devstat(w->sh, sdev, a->events, a->first_rx,
		    a->last_rx, a->skew_n ? a->skew_min : 0,
		    a->skew_n ? a->skew_max : 0, a->skew_sum, a->skew_n)) !=
		    CGN_OK)
			return rc;
	}
	for (i = 0; i < w->ngaps; i++) {
		if ((rc = map_id(w->sh, &w->devmap, &w->ndevmap,
		    w->gaps[i].dev, devs, 1, &sdev)) != CGN_OK ||
		    (rc = shard_gap(w->sh, sdev, w->gaps[i].from_ms,
		    w->gaps[i].to_ms)) != CGN_OK)
			return rc;
	}
	return CGN_OK;
}

/* After a commit: forget what was written. */
static void
flushed(struct wshard *w)
{
	size_t i;

	if (w->npend > 0) {
		w->sh->next_run++;
		w->sh->runs++;
	}
	w->npend = 0;
	w->ev_n = 0;
	buf_reset(&w->ev);
	for (i = 0; i < w->nacc; i++) {
		free(w->acc[i].minutes);
		memset(&w->acc[i], 0, sizeof(w->acc[i]));
	}
	w->ngaps = 0;
	w->run_from = w->run_to = 0;
	w->dirty = 0;
}

int
wshard_flush(struct wshard *w, struct blk_ctx *ctx, const struct strtab *devs,
    const struct strtab *subs, uint64_t *bytes)
{
	int rc;

	if (!w->dirty)
		return CGN_OK;
	if ((rc = wshard_file(w, w->err, sizeof(w->err))) != CGN_OK)
		return rc;
	if ((rc = shard_begin(w->sh)) != CGN_OK)
		goto fail;
	if (w->npend > 0 &&
	    (rc = flush_rows(w, ctx, devs, subs, bytes)) != CGN_OK)
		goto fail;
	if (w->ev_n > 0 && (rc = flush_evidence(w, ctx, devs)) != CGN_OK)
		goto fail;
	if ((rc = flush_devs(w, devs)) != CGN_OK)
		goto fail;
	if (w->run_to != 0 &&
	    (rc = shard_cover(w->sh, 0, w->run_from, w->run_to)) != CGN_OK)
		goto fail;
	if (w->sh->sealed && (rc = shard_set_sealed(w->sh, 0)) != CGN_OK)
		goto fail;
	if ((rc = shard_commit(w->sh)) != CGN_OK)
		goto fail;
	flushed(w);
	return CGN_OK;
fail:
	/* nothing of this flush is on disk, and ids interned in it are gone
	 * too: forget the mappings, keep the queue for the next try, less
	 * the records folded into others */
	shard_rollback(w->sh);
	forget_ids(w);
	w->npend = ival_drop_merged(w->pend, w->npend);
	return rc;
}

int
wshard_read_all(struct shard *sh, struct blk_ctx *ctx, struct ival **rows,
    size_t *n, size_t *cap)
{
	sqlite3_stmt *st;
	int rc = CGN_OK, s;

	if (sqlite3_prepare_v2(sh->db, "SELECT data FROM blk ORDER BY id", -1,
	    &st, NULL) != SQLITE_OK)
		return CGN_EDB;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		rc = blk_decode(ctx, sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), rows, n, cap);
		if (rc != CGN_OK)
			break;
	}
	if (rc == CGN_OK && s != SQLITE_DONE)
		rc = CGN_EDB;
	sqlite3_finalize(st);
	return rc;
}

/* Runs merged at once: a shard keeps fewer than this many per level, so
 * a lookup in the shard being written seeks at most 15 runs a level, and
 * a row is rewritten once per level: a 6 h period flushed every second
 * (21,600 runs) has four levels at 16 (five at 8). See STORE_FLUSH_ROWS
 * for what that does to bench-store. */
#define TIER_FANOUT 16
#define TIER_LEVELS 8
/* The level of the run a compaction writes: the only one compressed at
 * the configured level (flushes and tiers store raw columns, see
 * codec.c), so a shard whose one run is of another level is compacted
 * too when it is sealed or closed. */
#define LEVEL_COMPACT (TIER_LEVELS + 1)

/*
 * Merge the runs ids[0..nids) (every run when nids is 0) into one new run
 * of the given level, in the caller's transaction.
 */
static int
merge_runs(struct wshard *w, struct blk_ctx *ctx, const int64_t *ids,
    size_t nids, int level)
{
	int64_t id = w->sh->next_run + 1, *all = NULL;
	uint64_t bytes = 0, n = 0;
	size_t i;
	int rc, every = nids == 0;

	if (every) {
		if ((rc = shard_run_ids(w->sh, &all, NULL, &nids)) != CGN_OK)
			return rc;
		ids = all;
	}
	/* the new run is written before the old ones go: they are read
	 * while it is */
	if ((rc = runs_merge(w->sh, ctx, ids, nids, id, level ==
	    LEVEL_COMPACT, &n, &bytes)) != CGN_OK)
		goto out;
	if (every)
		rc = shard_runs_keep(w->sh, id);
	for (i = 0; !every && i < nids && rc == CGN_OK; i++)
		rc = shard_run_drop(w->sh, ids[i]);
	if (rc == CGN_OK && n > 0)
		rc = shard_run_add(w->sh, id, level, n);
	if (rc != CGN_OK)
		goto out;
	w->sh->next_run = id;
	w->sh->runs = (every ? 0 : w->sh->runs - (int64_t)nids) +
	    (n > 0 ? 1 : 0);
out:
	free(all);
	return rc;
}

int
wshard_tier(struct wshard *w, struct blk_ctx *ctx)
{
	int64_t ids[TIER_FANOUT];
	size_t n;
	int level, rc;

	if (w->sh == NULL)
		return CGN_OK;
	for (level = 0; level < TIER_LEVELS; level++) {
		if ((rc = shard_runs_at(w->sh, level, ids, TIER_FANOUT, &n)) !=
		    CGN_OK)
			return rc;
		if (n < TIER_FANOUT)
			break;
		if ((rc = shard_begin(w->sh)) != CGN_OK)
			return rc;
		if ((rc = merge_runs(w, ctx, ids, n, level + 1)) != CGN_OK ||
		    (rc = shard_commit(w->sh)) != CGN_OK) {
			shard_rollback(w->sh);
			return rc;
		}
	}
	return CGN_OK;
}

#define STR_(x) #x
#define STR(x) STR_(x)

static int
page_size(struct shard *sh)
{
	return (int)shard_int(sh, "PRAGMA page_size");
}

/*
 * The sealed file is a compacted copy (VACUUM INTO, at the sealed page
 * size) renamed over the shard. A VACUUM in place wrote the same copy and
 * then, to be undone after a crash, the whole old file - its flush runs'
 * freed pages too - into a rollback journal: in bench-store 44% of the
 * writer's bytes written went into these two, 77 -> 43 bytes an event.
 * The rename is the commit: before it the old file is whole, after it the
 * new one; a reader holding the old one open keeps reading it. Only a
 * shard out of WAL is renamed over: a WAL left beside the new file would
 * be replayed into it by the next opener.
 */
static int
vacuum_into(struct shard *sh)
{
	char tmp[sizeof(sh->path) + 16];
	sqlite3_stmt *st;
	int rc, fd;

	snprintf(tmp, sizeof(tmp), "%s%s", sh->path, SHARD_SEALING);
	if (unlink(tmp) != 0 && errno != ENOENT)
		goto fail;
	if (sqlite3_prepare_v2(sh->db, "VACUUM INTO ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return CGN_EDB;
	sqlite3_bind_text(st, 1, tmp, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? CGN_OK : CGN_EDB;
	sqlite3_finalize(st);
	if (rc != CGN_OK) {
		unlink(tmp);
		return rc;
	}
	/* on disk before the name points at it, as a journal would be */
	if ((fd = open(tmp, O_RDONLY)) < 0)
		goto fail;
	if (fsync(fd) != 0) {
		close(fd);
		goto fail;
	}
	close(fd);
	if (rename(tmp, sh->path) != 0)
		goto fail;
	return CGN_OK;
fail:
	/* sh->err is short: the path is in the caller's message */
	snprintf(sh->err, sizeof(sh->err), "writing its sealed copy: %s",
	    strerror(errno));
	unlink(tmp);
	return CGN_EIO;
}

/* Take the shard out of WAL; *left says whether it left. A reader that
 * has it open keeps it there (SQLite says "locked", or answers "wal"):
 * no error, as failing the seal would stall the writer until the reader
 * goes. */
static int
leave_wal(struct shard *sh, int *left)
{
	sqlite3_stmt *st;
	int s;

	*left = 0;
	if (sqlite3_prepare_v2(sh->db, "PRAGMA journal_mode=DELETE", -1, &st,
	    NULL) != SQLITE_OK)
		return CGN_EDB;
	if ((s = sqlite3_step(st)) == SQLITE_ROW)
		*left = strcmp((const char *)sqlite3_column_text(st, 0),
		    "wal") != 0;
	sqlite3_finalize(st);
	return s == SQLITE_ROW || s == SQLITE_BUSY ? CGN_OK : CGN_EDB;
}

/* The shard is one compacted run (or none). */
static int
is_compact(struct wshard *w, int *yes)
{
	int64_t id;
	size_t n;
	int rc;

	*yes = w->sh->runs == 0;
	if (w->sh->runs != 1)
		return CGN_OK;
	if ((rc = shard_runs_at(w->sh, LEVEL_COMPACT, &id, 1, &n)) != CGN_OK)
		return rc;
	*yes = n == 1;
	return CGN_OK;
}

int
wshard_seal(struct wshard *w, struct blk_ctx *ctx, int seal)
{
	int rc, compact, compacted = 0, left;

	if ((rc = wshard_file(w, w->err, sizeof(w->err))) != CGN_OK)
		return rc;
	if (w->sh->sealed || (rc = is_compact(w, &compact)) != CGN_OK ||
	    (!seal && compact))
		return rc;
	if ((rc = shard_begin(w->sh)) != CGN_OK)
		return rc;
	/* a compacted run is merged, sorted and compressed already */
	if (!compact) {
		if ((rc = merge_runs(w, ctx, NULL, 0, LEVEL_COMPACT)) !=
		    CGN_OK)
			goto fail;
		compacted = 1;
	}
	if (seal && (rc = shard_set_sealed(w->sh, 1)) != CGN_OK)
		goto fail;
	if ((rc = shard_commit(w->sh)) != CGN_OK)
		goto fail;
	/* a sealed shard is read, rarely written, and leaves WAL so
	 * read-only openers need no -shm; give back the pages runs used,
	 * and take the sealed page size (which only a shard out of WAL
	 * can). A shard compacted at close goes back to WAL after. One
	 * that a reader holds stays in WAL and is shrunk in place. */
	if (!compacted && (!seal || page_size(w->sh) == SHARD_SEALED_PAGE))
		return seal ? leave_wal(w->sh, &left) : CGN_OK;
	if ((rc = leave_wal(w->sh, &left)) != CGN_OK)
		return rc;
	if (!left)
		return shard_exec(w->sh, "VACUUM");
	/* VACUUM INTO takes the page size asked for */
	if (shard_exec(w->sh, "PRAGMA page_size=" STR(SHARD_SEALED_PAGE)) !=
	    CGN_OK || (rc = vacuum_into(w->sh)) != CGN_OK)
		return rc == CGN_OK ? CGN_EDB : rc;
	/* the handle is the old file's */
	wshard_release_file(w);
	if (seal)
		return CGN_OK;
	if ((rc = wshard_file(w, w->err, sizeof(w->err))) != CGN_OK)
		return rc;
	return shard_exec(w->sh, "PRAGMA journal_mode=WAL");
fail:
	shard_rollback(w->sh);
	return rc;
}
