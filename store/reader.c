/*
 * reader.c - read-only access to a store: find intervals, coverage,
 * evidence, per-shard and per-device summaries.
 *
 * A search reads only the shards its time window meets (shard.h's
 * invariant makes that enough) and in each only the blocks whose address
 * and time ranges meet the query. Records of one allocation from several
 * shards are merged (merge.c) before the time filter, so an allocation
 * open in one shard and closed in the next is seen closed.
 * Not here: verdicts (query/), writing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "bloom.h"
#include "codec.h"
#include "merge.h"
#include "shard.h"
#include "store.h"
#include "strtab.h"

/* Later shards looked into for the end of a still-open allocation. */
#define RESOLVE_MAX 48

struct rshard {
	char path[512];
	int64_t start_ms, end_ms;
	struct shard *sh;		/* opened on first use */
	sqlite3_stmt *by_addr, *by_time, *gaps;
	sqlite3_stmt *by_id;		/* a block's data (with filters) */
	int bloom;			/* blocks have inside filters */
	int64_t *runids;		/* the runs, each sorted */
	int *keylen;			/* each run's block key length */
	size_t nrunids;
	uint32_t *devmap, *submap;	/* shard id -> reader id */
	size_t ndevmap, nsubmap;
	uint8_t *cov;			/* collector minutes, cached */
	size_t covlen;
	int cov_read;
};

struct store_reader {
	char root[400];
	struct rshard *s;		/* sorted by start */
	size_t n;
	struct blk_ctx *ctx;
	struct strtab *devs, *subs;	/* reader-wide ids */
	struct ival *rows;
	size_t nrows, caprows;
	uint64_t blocks;		/* decoded so far */
	char err[600];
};

static int
rfail(struct store_reader *rd, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->err, sizeof(rd->err), fmt, ap);
	va_end(ap);
	return rc;
}

const char *
store_reader_errmsg(const struct store_reader *rd)
{
	return rd->err;
}

static int
rs_cmp(const void *a, const void *b)
{
	const struct rshard *x = a, *y = b;

	return x->start_ms < y->start_ms ? -1 : x->start_ms > y->start_ms;
}

/* store_reader_open()'s scan: the shards found so far (shard_scan_fn). */
struct rs_list {
	const char *root;
	struct store_reader *rd;
	size_t cap;			/* room in rd->s */
};

static int
rs_add(void *arg, const char *name, int64_t start, int64_t per)
{
	struct rs_list *l = arg;
	struct store_reader *rd = l->rd;
	struct rshard *ns;

	if (rd->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((ns = realloc(rd->s, l->cap * sizeof(*ns))) == NULL)
			return CGN_ENOMEM;
		rd->s = ns;
	}
	memset(&rd->s[rd->n], 0, sizeof(rd->s[0]));
	snprintf(rd->s[rd->n].path, sizeof(rd->s[0].path), "%s/%s", l->root,
	    name);
	rd->s[rd->n].start_ms = start;
	rd->s[rd->n].end_ms = start + per;
	rd->n++;
	return CGN_OK;
}

int
store_reader_open(const char *root, struct store_reader **out, char *err,
    size_t errlen)
{
	struct store_reader *rd;
	struct rs_list l;
	int rc;

	if ((rd = calloc(1, sizeof(*rd))) == NULL)
		return CGN_ENOMEM;
	snprintf(rd->root, sizeof(rd->root), "%s", root);
	l.root = root;
	l.rd = rd;
	l.cap = 0;
	if ((rc = shard_scan(root, rs_add, &l)) == CGN_EIO) {
		snprintf(err, errlen, "%s: %s", root, strerror(errno));
		store_reader_close(rd);
		return CGN_EIO;
	}
	if (rc != CGN_OK)
		goto oom;
	qsort(rd->s, rd->n, sizeof(*rd->s), rs_cmp);
	/* columns inflated by libdeflate: zlib's inflate took about as
	 * long as the rest of a lookup (cgnlog-verify still reads with
	 * zlib, so both keep reading every block) */
	if (blk_ctx_new(1, 1, &rd->ctx) != CGN_OK ||
	    strtab_new(&rd->devs) != CGN_OK || strtab_new(&rd->subs) != CGN_OK)
		goto oom;
	*out = rd;
	return CGN_OK;
oom:
	store_reader_close(rd);
	snprintf(err, errlen, "out of memory");
	return CGN_ENOMEM;
}

static void
rs_close(struct rshard *s)
{
	sqlite3_finalize(s->by_addr);
	sqlite3_finalize(s->by_time);
	sqlite3_finalize(s->gaps);
	sqlite3_finalize(s->by_id);
	shard_close(s->sh);
	free(s->devmap);
	free(s->submap);
	free(s->cov);
	free(s->runids);
	free(s->keylen);
	memset(&s->sh, 0, sizeof(*s) - offsetof(struct rshard, sh));
}

uint64_t
store_reader_blocks(const struct store_reader *rd)
{
	return rd->blocks;
}

void
store_reader_close(struct store_reader *rd)
{
	size_t i;

	if (rd == NULL)
		return;
	for (i = 0; i < rd->n; i++)
		rs_close(&rd->s[i]);
	free(rd->s);
	blk_ctx_free(rd->ctx);
	strtab_free(rd->devs);
	strtab_free(rd->subs);
	free(rd->rows);
	free(rd);
}

/* The runs of a shard, each one sorted: a lookup seeks each, with keys
 * as long as that run's (shard.h). */
static int
rs_runs(struct store_reader *rd, struct rshard *s)
{
	int rc;

	if ((rc = shard_run_ids(s->sh, &s->runids, &s->keylen,
	    &s->nrunids)) == CGN_OK)
		return CGN_OK;
	return rc == CGN_ENOMEM ? rfail(rd, rc, "out of memory") :
	    rfail(rd, rc, "%s: %s", s->path, shard_errmsg(s->sh));
}

static int
rs_open(struct store_reader *rd, struct rshard *s)
{
	char err[600];
	int rc;

	if (s->sh != NULL)
		return CGN_OK;
	if ((rc = shard_open(s->path, s->start_ms, s->end_ms, 1, &s->sh, err,
	    sizeof(err))) != CGN_OK)
		return rfail(rd, rc, "%s", err);
	s->bloom = shard_has_bloom(s->sh);
	if (sqlite3_prepare_v2(s->sh->db, "SELECT data, a_lo FROM blk WHERE"
	    " run = ?4 AND a_hi >= ?1 AND t_lo <= ?3 AND t_hi >= ?2"
	    " ORDER BY a_hi", -1, &s->by_addr, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->sh->db, "SELECT g.from_ms, g.to_ms FROM gap"
	    " g JOIN dev d ON d.id = g.dev WHERE d.name = ? AND g.to_ms >= ?"
	    " AND g.from_ms <= ? ORDER BY g.from_ms", -1, &s->gaps, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(s->sh->db, s->bloom ? "SELECT id, ibloom FROM"
	    " blk WHERE t_lo <= ?2 AND t_hi >= ?1" : "SELECT data FROM blk"
	    " WHERE t_lo <= ?2 AND t_hi >= ?1", -1, &s->by_time, NULL) !=
	    SQLITE_OK ||
	    (s->bloom && sqlite3_prepare_v2(s->sh->db, "SELECT data FROM blk"
	    " WHERE id = ?", -1, &s->by_id, NULL) != SQLITE_OK))
		return rfail(rd, CGN_EDB, "%s: %s", s->path,
		    shard_errmsg(s->sh));
	return rs_runs(rd, s);
}

/* Map a shard id to the reader's id through the shard's name table. */
static int
map_id(struct rshard *s, struct strtab *names, int is_dev, uint32_t sid,
    uint32_t *out)
{
	char name[CGN_NAMELEN];
	uint32_t **map = is_dev ? &s->devmap : &s->submap, *nm;
	size_t *nmap = is_dev ? &s->ndevmap : &s->nsubmap, nn;

	if (sid == 0) {
		*out = 0;
		return CGN_OK;
	}
	if (sid >= *nmap) {
		nn = sid + 64;
		if ((nm = realloc(*map, nn * sizeof(*nm))) == NULL)
			return CGN_ENOMEM;
		memset(nm + *nmap, 0, (nn - *nmap) * sizeof(*nm));
		*map = nm;
		*nmap = nn;
	}
	if ((*map)[sid] == 0) {
		if (is_dev)
			shard_dev_name(s->sh, sid, name, sizeof(name));
		else
			shard_sub_name(s->sh, sid, name, sizeof(name));
		if (strtab_id(names, name[0] ? name : "unknown",
		    &(*map)[sid]) != CGN_OK)
			return CGN_ENOMEM;
	}
	*out = (*map)[sid];
	return CGN_OK;
}

/* Block id's rows of inside address in (its filter said it may hold
 * them). */
static int
rs_inside_block(struct store_reader *rd, struct rshard *s, int64_t id,
    const struct cgn_addr *in)
{
	int r, rc = CGN_OK;

	sqlite3_reset(s->by_id);
	sqlite3_bind_int64(s->by_id, 1, id);
	if ((r = sqlite3_step(s->by_id)) == SQLITE_ROW) {
		rd->blocks++;
		rc = blk_select_inside(rd->ctx, sqlite3_column_blob(s->by_id,
		    0), (size_t)sqlite3_column_bytes(s->by_id, 0), in,
		    &rd->rows, &rd->nrows, &rd->caprows);
	} else if (r != SQLITE_DONE) {
		rc = CGN_EDB;
	}
	sqlite3_reset(s->by_id);
	return rc;
}

/* Rows of shard s meeting the query, appended to rd->rows with reader
 * ids. */
static int
rs_select(struct store_reader *rd, struct rshard *s,
    const struct store_query *q, int64_t from, int64_t to)
{
	sqlite3_stmt *st;
	uint8_t from_key[SHARD_KEY_LEN], to_key[SHARD_KEY_LEN];
	struct a128 in = a128_of(&q->inside);
	size_t first = rd->nrows, i, k, klen;
	int rc, by_addr = !cgn_addr_is_zero(&q->outside), r = SQLITE_DONE;
	int64_t ended;

	if ((rc = rs_open(rd, s)) != CGN_OK)
		return rc;
	/* Blocks whose rows all ended before the window can be skipped only
	 * in a compacted shard (one run): with several, the closed form of
	 * an allocation may sit in another run than its open record, and
	 * without it the merge would report the allocation as still held. */
	ended = s->nrunids <= 1 ? from : INT64_MIN;
	st = by_addr ? s->by_addr : s->by_time;
	shard_key(from_key, &q->outside, q->port_lo);
	shard_key(to_key, &q->outside, q->port_hi);
	/* by address: one seek per run, each sorted, stopping at the first
	 * block past the ports asked (past the address, in a run of an
	 * earlier version: its keys have no port); by inside: one scan */
	for (k = 0; k < (by_addr ? s->nrunids : 1); k++) {
		sqlite3_reset(st);
		klen = by_addr && s->keylen[k] == SHARD_KEY_LEN ?
		    SHARD_KEY_LEN : SHARD_KEY_LEN_V1;
		if (by_addr) {
			sqlite3_bind_blob(st, 1, from_key, (int)klen,
			    SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, ended);
			sqlite3_bind_int64(st, 3, to);
			sqlite3_bind_int64(st, 4, s->runids[k]);
		} else {
			sqlite3_bind_int64(st, 1, ended);
			sqlite3_bind_int64(st, 2, to);
		}
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			const uint8_t *data = sqlite3_column_blob(st, 0);
			size_t len = (size_t)sqlite3_column_bytes(st, 0);

			if (by_addr && ((size_t)sqlite3_column_bytes(st, 1) !=
			    klen || memcmp(sqlite3_column_blob(st, 1), to_key,
			    klen) > 0)) {
				r = SQLITE_DONE;
				break;
			}
			if (!by_addr && s->bloom) {
				/* the filter first; a NULL one (a block of an
				 * earlier version) may hold anything */
				if (!bloom_may_have(sqlite3_column_blob(st, 1),
				    (size_t)sqlite3_column_bytes(st, 1), &in))
					continue;
				rc = rs_inside_block(rd, s,
				    sqlite3_column_int64(st, 0), &q->inside);
			} else {
				rd->blocks++;
				rc = by_addr ? blk_select(rd->ctx, data, len,
				    &q->outside, q->port_lo, q->port_hi,
				    &rd->rows, &rd->nrows, &rd->caprows) :
				    blk_select_inside(rd->ctx, data, len,
				    &q->inside, &rd->rows, &rd->nrows,
				    &rd->caprows);
			}
			if (rc != CGN_OK) {
				sqlite3_reset(st);
				return rc == CGN_EDB ? rfail(rd, rc, "%s: %s",
				    s->path, shard_errmsg(s->sh)) :
				    rfail(rd, rc, "%s: damaged block",
				    s->path);
			}
		}
		sqlite3_reset(st);
		if (r != SQLITE_DONE)
			return rfail(rd, CGN_EDB, "%s: %s", s->path,
			    shard_errmsg(s->sh));
	}
	for (i = first; i < rd->nrows; i++) {
		if (map_id(s, rd->devs, 1, rd->rows[i].dev,
		    &rd->rows[i].dev) != CGN_OK ||
		    map_id(s, rd->subs, 0, rd->rows[i].sub,
		    &rd->rows[i].sub) != CGN_OK)
			return rfail(rd, CGN_ENOMEM, "out of memory");
	}
	return CGN_OK;
}

static int
same_alloc(const struct ival *a, const struct ival *b)
{
	return memcmp(&a->outside, &b->outside, 16) == 0 &&
	    memcmp(&a->inside, &b->inside, 16) == 0 &&
	    a->port_lo == b->port_lo && a->port_hi == b->port_hi &&
	    a->start_ms == b->start_ms && a->dev == b->dev &&
	    a->kind == b->kind && a->proto == b->proto && a->vrf == b->vrf &&
	    memcmp(&a->dst, &b->dst, 16) == 0 && a->dst_port == b->dst_port;
}

/* What shard j knows of allocation iv: -1 nothing, 0 only that it was
 * open, 1 how it closed (*iv is then updated). */
static int
probe(struct store_reader *rd, size_t j, struct ival *iv, int *rc)
{
	struct store_query q;
	size_t k, base = rd->nrows;
	int seen = -1;

	memset(&q, 0, sizeof(q));
	q.outside = iv->outside;
	q.port_lo = iv->port_lo;
	q.port_hi = iv->port_hi;
	if ((*rc = rs_select(rd, &rd->s[j], &q, iv->start_ms, INT64_MAX)) !=
	    CGN_OK)
		return -1;
	for (k = base; k < rd->nrows; k++) {
		if (!same_alloc(&rd->rows[k], iv))
			continue;
		if (seen < 0)
			seen = 0;
		if (ival_end_rank(&rd->rows[k]) > ival_end_rank(iv)) {
			*iv = rd->rows[k];
			seen = 1;
		}
	}
	rd->nrows = base;
	return seen;
}

/*
 * An allocation still open in the last shard read: find how it ended. The
 * shards holding a record of it are contiguous (each period it lived in
 * has one, shard.h), so gallop forward and then bisect for the last one:
 * a handful of probes even for an allocation that lived for days.
 */
static int
resolve_end(struct store_reader *rd, size_t si, struct ival *iv)
{
	size_t lo = si, hi, step = 1, last = rd->n - 1, mid;
	int rc = CGN_OK, r;

	if (si + RESOLVE_MAX < last)
		last = si + RESOLVE_MAX;
	/* lo: known to hold a record; hi: known not to, or past the end */
	for (;;) {
		hi = lo + step > last ? last + 1 : lo + step;
		if (hi > last)
			break;
		if ((r = probe(rd, hi, iv, &rc)) == 1 || rc != CGN_OK)
			return rc;
		if (r < 0)
			break;
		lo = hi;
		step *= 2;
	}
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if ((r = probe(rd, mid, iv, &rc)) == 1 || rc != CGN_OK)
			return rc;
		if (r < 0)
			hi = mid;
		else
			lo = mid;
	}
	/* the last shard with a record has the closed form, if any */
	if (lo > si && (iv->flags & STORE_F_OPEN))
		(void)probe(rd, lo, iv, &rc);
	return rc;
}

static void
to_hit(struct store_reader *rd, const struct ival *iv, struct store_hit *h)
{
	const char *s;

	memset(h, 0, sizeof(*h));
	h->outside = iv->outside;
	h->inside = iv->inside;
	h->inside_v4 = iv->inside_v4;
	h->dst = iv->dst;
	h->start_ms = iv->start_ms;
	h->end_ms = iv->flags & STORE_F_OPEN ? STORE_OPEN_END : iv->end_ms;
	h->ev_start = iv->ev_start;
	h->ev_end = iv->ev_end;
	h->vrf = iv->vrf;
	h->port_lo = iv->port_lo;
	h->port_hi = iv->port_hi;
	h->inside_port = iv->inside_port;
	h->dst_port = iv->dst_port;
	h->flags = iv->flags;
	h->proto = iv->proto;
	h->kind = iv->kind;
	if ((s = strtab_str(rd->devs, iv->dev)) != NULL)
		snprintf(h->device, sizeof(h->device), "%s", s);
	if ((s = strtab_str(rd->subs, iv->sub)) != NULL)
		snprintf(h->subscriber, sizeof(h->subscriber), "%s", s);
}

int
store_find(struct store_reader *rd, const struct store_query *q,
    store_hit_fn *fn, void *arg)
{
	struct store_hit h;
	size_t i, n, last = 0;
	int rc, any = 0;

	rd->nrows = 0;
	for (i = 0; i < rd->n; i++) {
		if (rd->s[i].end_ms <= q->from_ms ||
		    rd->s[i].start_ms > q->to_ms)
			continue;
		if ((rc = rs_select(rd, &rd->s[i], q, q->from_ms, q->to_ms)) !=
		    CGN_OK)
			return rc;
		last = i;
		any = 1;
	}
	if (!any)
		return CGN_OK;
	n = ival_merge(rd->rows, rd->nrows);
	rd->nrows = n;
	for (i = 0; i < n; i++) {
		struct ival iv = rd->rows[i];
		int open = (iv.flags & STORE_F_OPEN) != 0;

		if (iv.start_ms > q->to_ms || (!open && iv.end_ms < q->from_ms))
			continue;
		if (q->proto != 0 && iv.proto != 0 && iv.proto != q->proto)
			continue;
		if (iv.port_lo > q->port_hi || iv.port_hi < q->port_lo)
			continue;
		if (open && q->resolve_end) {
			if ((rc = resolve_end(rd, last, &iv)) != CGN_OK)
				return rc;
			if (!(iv.flags & STORE_F_OPEN) &&
			    iv.end_ms < q->from_ms)
				continue;
		}
		to_hit(rd, &iv, &h);
		if ((rc = fn(arg, &h)) != 0)
			return rc;
	}
	return CGN_OK;
}

/* ---- coverage --------------------------------------------------------- */

static int
rs_cov(struct store_reader *rd, struct rshard *s)
{
	const void *b;
	int rc, len;

	if (s->cov_read)
		return CGN_OK;
	if ((rc = rs_open(rd, s)) != CGN_OK)
		return rc;
	sqlite3_reset(s->sh->get_cov);
	sqlite3_bind_int64(s->sh->get_cov, 1, 0);
	if (sqlite3_step(s->sh->get_cov) == SQLITE_ROW &&
	    (b = sqlite3_column_blob(s->sh->get_cov, 0)) != NULL &&
	    (len = sqlite3_column_bytes(s->sh->get_cov, 0)) > 0) {
		if ((s->cov = malloc((size_t)len)) == NULL)
			return CGN_ENOMEM;
		memcpy(s->cov, b, (size_t)len);
		s->covlen = (size_t)len;
	}
	sqlite3_reset(s->sh->get_cov);
	s->cov_read = 1;
	return CGN_OK;
}

static int
minute_set(const struct rshard *s, int64_t m)
{
	return m >= 0 && (size_t)(m / 8) < s->covlen &&
	    (s->cov[m / 8] & (1u << (m % 8)));
}

static void
gap_add(struct store_gap *gaps, size_t max, size_t *n, int64_t from,
    int64_t to, int collector, const char *dev)
{
	struct store_gap *g;

	/* extend the last gap if this one continues it */
	if (*n > 0 && *n <= max) {
		g = &gaps[*n - 1];
		if (g->collector == collector && g->to_ms + 1 >= from &&
		    strcmp(g->device, dev) == 0) {
			if (to > g->to_ms)
				g->to_ms = to;
			return;
		}
	}
	if (*n < max) {
		g = &gaps[*n];
		g->from_ms = from;
		g->to_ms = to;
		g->collector = collector;
		snprintf(g->device, sizeof(g->device), "%s", dev);
	}
	(*n)++;
}

int
store_coverage(struct store_reader *rd, const char *device, int64_t from_ms,
    int64_t to_ms, struct store_gap *gaps, size_t max, size_t *n)
{
	sqlite3_stmt *st;
	int64_t cur = from_ms, m, lo, hi, next;
	size_t i;
	int rc;

	*n = 0;
	while (cur <= to_ms) {
		for (i = 0; i < rd->n; i++)
			if (rd->s[i].start_ms <= cur && rd->s[i].end_ms > cur)
				break;
		if (i == rd->n) {	/* no shard: nobody was writing */
			next = to_ms + 1;
			for (i = 0; i < rd->n; i++)
				if (rd->s[i].start_ms > cur &&
				    rd->s[i].start_ms < next)
					next = rd->s[i].start_ms;
			gap_add(gaps, max, n, cur, next - 1, 1, "");
			cur = next;
			continue;
		}
		if ((rc = rs_cov(rd, &rd->s[i])) != CGN_OK)
			return rc;
		hi = rd->s[i].end_ms - 1 < to_ms ? rd->s[i].end_ms - 1 : to_ms;
		for (; cur <= hi; cur = lo + 60000) {
			m = (cur - rd->s[i].start_ms) / 60000;
			lo = rd->s[i].start_ms + m * 60000;
			if (!minute_set(&rd->s[i], m))
				gap_add(gaps, max, n, cur, lo + 59999 < hi ?
				    lo + 59999 : hi, 1, "");
		}
	}
	if (device == NULL)
		return CGN_OK;
	for (i = 0; i < rd->n; i++) {
		if (rd->s[i].end_ms <= from_ms || rd->s[i].start_ms > to_ms)
			continue;
		if ((rc = rs_open(rd, &rd->s[i])) != CGN_OK)
			return rc;
		st = rd->s[i].gaps;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, from_ms);
		sqlite3_bind_int64(st, 3, to_ms);
		while (sqlite3_step(st) == SQLITE_ROW)
			gap_add(gaps, max, n, sqlite3_column_int64(st, 0),
			    sqlite3_column_int64(st, 1), 0, device);
		sqlite3_reset(st);
	}
	return CGN_OK;
}

/* ---- evidence --------------------------------------------------------- */

int
store_evidence(struct store_reader *rd, uint64_t ref, store_raw_fn *fn,
    void *arg)
{
	char dev[CGN_NAMELEN];
	struct rshard *s = NULL;
	sqlite3_stmt *st;
	const uint8_t *raw;
	int64_t rx = (int64_t)(ref >> 16);
	uint64_t cnt, r, d, len, k;
	size_t rawlen, i;
	int rc = CGN_ENOTFOUND;

	for (i = 0; i < rd->n; i++)
		if (rd->s[i].start_ms <= rx && rd->s[i].end_ms > rx)
			s = &rd->s[i];
	if (s == NULL)
		return CGN_ENOTFOUND;
	if ((rc = rs_open(rd, s)) != CGN_OK)
		return rc;
	rc = CGN_ENOTFOUND;
	st = s->sh->sel_ev;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (int64_t)ref);
	sqlite3_bind_int64(st, 2, (int64_t)ref);
	while (rc == CGN_ENOTFOUND && sqlite3_step(st) == SQLITE_ROW) {
		struct vrd v;

		if (blk_unpack(rd->ctx, sqlite3_column_blob(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2), &raw, &rawlen) !=
		    CGN_OK) {
			rc = rfail(rd, CGN_EMALFORMED, "%s: damaged evidence",
			    s->path);
			break;
		}
		v.p = raw;
		v.end = raw + rawlen;
		v.bad = 0;
		cnt = vrd_varint(&v);
		for (r = 0, k = 0; k < cnt && !v.bad; k++) {
			r += (uint64_t)vrd_svarint(&v);
			d = vrd_varint(&v);
			len = vrd_varint(&v);
			if (v.bad || len > (uint64_t)(v.end - v.p))
				break;
			if (r == ref) {
				shard_dev_name(s->sh, (uint32_t)d, dev,
				    sizeof(dev));
				rc = fn(arg, ref, rx, dev, v.p, (size_t)len);
				break;
			}
			v.p += len;
		}
	}
	sqlite3_reset(st);
	return rc;
}

/* ---- summaries -------------------------------------------------------- */

int
store_shards(struct store_reader *rd, store_shard_fn *fn, void *arg)
{
	struct store_shard_info si;
	struct stat sb;
	size_t i, b, nb;
	int rc, pop;

	for (i = 0; i < rd->n; i++) {
		struct rshard *s = &rd->s[i];

		if ((rc = rs_open(rd, s)) != CGN_OK ||
		    (rc = rs_cov(rd, s)) != CGN_OK)
			return rc;
		memset(&si, 0, sizeof(si));
		snprintf(si.path, sizeof(si.path), "%s", s->path);
		si.start_ms = s->start_ms;
		si.end_ms = s->end_ms;
		si.sealed = s->sh->sealed;
		si.blocks = (uint64_t)shard_int(s->sh, "SELECT count(*) FROM blk");
		si.rows = (uint64_t)shard_int(s->sh,
		    "SELECT coalesce(sum(n), 0) FROM blk");
		si.evidence_bytes = (uint64_t)shard_int(s->sh,
		    "SELECT coalesce(sum(length(data)), 0) FROM ev");
		if (stat(s->path, &sb) == 0)
			si.bytes = (uint64_t)sb.st_size;
		nb = s->covlen;
		for (b = 0, pop = 0; b < nb; b++)
			pop += __builtin_popcount(s->cov[b]);
		si.covered_ms = (int64_t)pop * 60000;
		if ((rc = fn(arg, &si)) != 0)
			return rc;
	}
	return CGN_OK;
}

int
store_devices(struct store_reader *rd, int64_t from_ms, int64_t to_ms,
    store_dev_fn *fn, void *arg)
{
	struct store_dev_info *all = NULL, *na, *d;
	sqlite3_stmt *st;
	size_t i, j, n = 0;
	int rc = CGN_OK;

	for (i = 0; i < rd->n && rc == CGN_OK; i++) {
		if (rd->s[i].end_ms <= from_ms || rd->s[i].start_ms > to_ms)
			continue;
		if ((rc = rs_open(rd, &rd->s[i])) != CGN_OK)
			break;
		if (sqlite3_prepare_v2(rd->s[i].sh->db, "SELECT d.name,"
		    " s.events, s.first_rx, s.last_rx, s.skew_min, s.skew_max,"
		    " s.skew_sum, s.skew_n FROM devstat s JOIN dev d ON"
		    " d.id = s.dev", -1, &st, NULL) != SQLITE_OK) {
			rc = rfail(rd, CGN_EDB, "%s: %s", rd->s[i].path,
			    shard_errmsg(rd->s[i].sh));
			break;
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st,
			    0);
			int64_t sn = sqlite3_column_int64(st, 7);

			for (j = 0; j < n; j++)
				if (strcmp(all[j].name, name) == 0)
					break;
			if (j == n) {
				if ((na = realloc(all, (n + 1) *
				    sizeof(*na))) == NULL) {
					rc = CGN_ENOMEM;
					break;
				}
				all = na;
				memset(&all[n], 0, sizeof(all[n]));
				snprintf(all[n].name, sizeof(all[n].name), "%s",
				    name);
				all[n].first_rx_ms = INT64_MAX;
				all[n].skew_min_ms = INT64_MAX;
				all[n].skew_max_ms = INT64_MIN;
				n++;
			}
			d = &all[j];
			d->events += (uint64_t)sqlite3_column_int64(st, 1);
			if (sqlite3_column_int64(st, 2) < d->first_rx_ms)
				d->first_rx_ms = sqlite3_column_int64(st, 2);
			if (sqlite3_column_int64(st, 3) > d->last_rx_ms)
				d->last_rx_ms = sqlite3_column_int64(st, 3);
			if (sn > 0) {
				if (sqlite3_column_int64(st, 4) <
				    d->skew_min_ms)
					d->skew_min_ms =
					    sqlite3_column_int64(st, 4);
				if (sqlite3_column_int64(st, 5) >
				    d->skew_max_ms)
					d->skew_max_ms =
					    sqlite3_column_int64(st, 5);
				d->skew_avg_ms += sqlite3_column_int64(st, 6);
				d->skew_n += (uint64_t)sn;
			}
		}
		sqlite3_finalize(st);
	}
	for (j = 0; j < n && rc == CGN_OK; j++) {
		if (all[j].skew_n > 0) {
			all[j].skew_avg_ms /= (int64_t)all[j].skew_n;
		} else {
			all[j].skew_min_ms = all[j].skew_max_ms = 0;
		}
		rc = fn(arg, &all[j]);
	}
	free(all);
	return rc;
}
