/*
 * runmerge.c - writing a sorted run, and merging runs a block at a time
 * (see runmerge.h).
 *
 * A merge keeps one decoded block per run and a heap of the runs ordered
 * by their next row; rows of one allocation (same address, first port and
 * start) come out side by side and are collapsed as they leave. Nothing
 * is sorted: the runs are. Ties go to the earlier run, so the result is
 * the one sorting all rows at once would give.
 * Not here: which runs to merge, and when (wshard.c).
 */
#include <stdlib.h>
#include <string.h>

#include "a128.h"
#include "merge.h"
#include "runmerge.h"
#include "store.h"

/* rows of a flush gathered this far ahead of the copy */
#define GATHER_AHEAD 16

/* The block's keys (shard.h): its first row's, and the greatest (address,
 * last port) of the run so far. Rows are in address order, so that is
 * among the rows with the last row's address (a whole address or a wide
 * block can end past a later narrower one: hence the running maximum). */
static void
block_keys(const struct ival *b, size_t k, uint8_t lo[SHARD_KEY_LEN],
    uint8_t hi[SHARD_KEY_LEN])
{
	uint8_t key[SHARD_KEY_LEN];
	uint16_t top = b[k - 1].port_hi;
	size_t j;

	shard_key(lo, &b[0].outside, b[0].port_lo);
	for (j = k - 1; j-- > 0 && memcmp(b[j].outside.b, b[k - 1].outside.b,
	    16) == 0;)
		if (b[j].port_hi > top)
			top = b[j].port_hi;
	shard_key(key, &b[k - 1].outside, top);
	if (memcmp(key, hi, SHARD_KEY_LEN) > 0)
		memcpy(hi, key, SHARD_KEY_LEN);
}

int
runs_put(struct shard *sh, struct blk_ctx *ctx, struct run_out *o,
    const struct ival *rows, const uint32_t *order, size_t n,
    const struct run_ids *ids)
{
	struct ival *blk = NULL;
	const struct ival *b;
	uint8_t *data, lo[SHARD_KEY_LEN];
	const uint8_t *bloom;
	size_t i, j, k, len, bloomlen;
	int64_t t_lo, t_hi, e;
	int rc = CGN_OK;

	/* rows by index are gathered a block at a time first: the encoder
	 * reads each row several times, and in block order the rows of a
	 * flush are scattered over the whole queue */
	if (order != NULL && (blk = malloc((n < BLK_ROWS ? n : BLK_ROWS) *
	    sizeof(*blk))) == NULL)
		return CGN_ENOMEM;
	for (i = 0; i < n; i += k) {
		k = n - i < BLK_ROWS ? n - i : BLK_ROWS;
		/* each row a miss or two of its own: ask ahead */
		for (j = 0; order != NULL && j < k; j++) {
			if (i + j + GATHER_AHEAD < n)
				ival_prefetch(&rows[order[i + j +
				    GATHER_AHEAD]]);
			blk[j] = rows[order[i + j]];
			if (ids != NULL) {
				blk[j].dev = ids->dev[blk[j].dev];
				if (blk[j].sub != 0)
					blk[j].sub = ids->sub[blk[j].sub];
			}
		}
		b = blk != NULL ? blk : rows + i;
		t_lo = INT64_MAX;
		t_hi = INT64_MIN;
		for (j = 0; j < k; j++) {
			e = b[j].flags & STORE_F_OPEN ? INT64_MAX : b[j].end_ms;
			if (b[j].start_ms < t_lo)
				t_lo = b[j].start_ms;
			if (e > t_hi)
				t_hi = e;
		}
		if ((rc = blk_encode(ctx, b, k, &data, &len)) != CGN_OK)
			break;
		block_keys(b, k, lo, o->key_hi);
		bloom = NULL;
		bloomlen = 0;
		if (o->filters && (bloom = blk_bloom(ctx, &bloomlen)) == NULL)
			rc = CGN_ENOMEM;
		else
			rc = shard_put_block(sh, o->run, lo, o->key_hi, t_lo,
			    t_hi, k, data, len, bloom, bloomlen);
		free(data);
		if (rc != CGN_OK)
			break;
		o->bytes += len;
	}
	free(blk);
	return rc;
}

/* One run being merged: its statement and its current block. */
struct cur {
	sqlite3_stmt *st;
	struct ival *rows;
	size_t n, cap, pos;
	struct a128 a;		/* the next row's key */
	uint16_t port;
	int64_t start;
	size_t ord;		/* the run's place: ties go to the earlier */
};

/* The next block of c; 0 when the run is done. */
static int
cur_fill(struct cur *c, struct blk_ctx *ctx)
{
	int s, rc;

	c->n = c->pos = 0;
	while (c->n == 0) {
		if ((s = sqlite3_step(c->st)) == SQLITE_DONE)
			return 0;
		if (s != SQLITE_ROW)
			return CGN_EDB;
		if ((rc = blk_decode(ctx, sqlite3_column_blob(c->st, 0),
		    (size_t)sqlite3_column_bytes(c->st, 0), &c->rows, &c->n,
		    &c->cap)) != CGN_OK)
			return rc;
	}
	return 1;
}

static void
cur_key(struct cur *c)
{
	const struct ival *r = &c->rows[c->pos];

	c->a = a128_of(&r->outside);
	c->port = r->port_lo;
	c->start = r->start_ms;
}

/* x's next row comes before y's. */
static int
cur_less(const struct cur *x, const struct cur *y)
{
	if (x->a.hi != y->a.hi)
		return x->a.hi < y->a.hi;
	if (x->a.lo != y->a.lo)
		return x->a.lo < y->a.lo;
	if (x->port != y->port)
		return x->port < y->port;
	if (x->start != y->start)
		return x->start < y->start;
	return x->ord < y->ord;
}

static void
sift_down(struct cur **h, size_t n, size_t i)
{
	struct cur *t = h[i];
	size_t k;

	while ((k = 2 * i + 1) < n) {
		if (k + 1 < n && cur_less(h[k + 1], h[k]))
			k++;
		if (!cur_less(h[k], t))
			break;
		h[i] = h[k];
		i = k;
	}
	h[i] = t;
}

/* Rows on their way out: whole blocks leave, the rest waits. */
struct outq {
	struct ival *rows;
	size_t n, cap;
	struct ival *grp;	/* the current allocation's records */
	size_t ngrp, capgrp;
	uint64_t total;
};

static int
grow(struct ival **p, size_t *cap, size_t need)
{
	struct ival *np;
	size_t nc;

	if (need <= *cap)
		return CGN_OK;
	nc = *cap ? *cap : BLK_ROWS;
	while (nc < need)
		nc *= 2;
	if ((np = realloc(*p, nc * sizeof(*np))) == NULL)
		return CGN_ENOMEM;
	*p = np;
	*cap = nc;
	return CGN_OK;
}

/* Collapse the group into the queue; write the whole blocks it holds
 * (all of it when last). */
static int
out_group(struct outq *q, struct shard *sh, struct blk_ctx *ctx,
    struct run_out *o, int last)
{
	size_t k = ival_collapse(q->grp, q->ngrp), w;
	int rc;

	if ((rc = grow(&q->rows, &q->cap, q->n + k)) != CGN_OK)
		return rc;
	memcpy(q->rows + q->n, q->grp, k * sizeof(*q->rows));
	q->n += k;
	q->ngrp = 0;
	w = last ? q->n : q->n / BLK_ROWS * BLK_ROWS;
	if (w == 0)
		return CGN_OK;
	if ((rc = runs_put(sh, ctx, o, q->rows, NULL, w, NULL)) != CGN_OK)
		return rc;
	memmove(q->rows, q->rows + w, (q->n - w) * sizeof(*q->rows));
	q->n -= w;
	q->total += w;
	return CGN_OK;
}

int
runs_merge(struct shard *sh, struct blk_ctx *ctx, const int64_t *ids,
    size_t nids, int64_t out, int filters, uint64_t *rows, uint64_t *bytes)
{
	struct cur *cs, **h;
	struct outq q;
	struct run_out o;
	size_t nh = 0, i;
	int rc = CGN_OK;

	memset(&q, 0, sizeof(q));
	memset(&o, 0, sizeof(o));
	o.run = out;
	o.filters = filters;
	cs = calloc(nids ? nids : 1, sizeof(*cs));
	h = calloc(nids ? nids : 1, sizeof(*h));
	if (cs == NULL || h == NULL) {
		rc = CGN_ENOMEM;
		goto out;
	}
	for (i = 0; i < nids; i++) {
		cs[i].ord = i;
		if (sqlite3_prepare_v2(sh->db, "SELECT data FROM blk WHERE"
		    " run=? ORDER BY id", -1, &cs[i].st, NULL) != SQLITE_OK) {
			rc = CGN_EDB;
			goto out;
		}
		sqlite3_bind_int64(cs[i].st, 1, ids[i]);
		if ((rc = cur_fill(&cs[i], ctx)) < 0)
			goto out;
		if (rc == 1) {
			cur_key(&cs[i]);
			h[nh++] = &cs[i];
		}
		rc = CGN_OK;
	}
	for (i = nh; i-- > 0;)
		sift_down(h, nh, i);
	while (nh > 0) {
		struct cur *c = h[0];
		const struct ival *r = &c->rows[c->pos];

		if (q.ngrp > 0 && !ival_same_group(&q.grp[0], r) &&
		    (rc = out_group(&q, sh, ctx, &o, 0)) != CGN_OK)
			goto out;
		if ((rc = grow(&q.grp, &q.capgrp, q.ngrp + 1)) != CGN_OK)
			goto out;
		q.grp[q.ngrp++] = *r;
		if (++c->pos == c->n && (rc = cur_fill(c, ctx)) <= 0) {
			if (rc < 0)
				goto out;
			h[0] = h[--nh];	/* this run is done */
		} else {
			cur_key(c);
		}
		rc = CGN_OK;
		if (nh > 0)
			sift_down(h, nh, 0);
	}
	if (q.ngrp > 0 || q.n > 0)
		rc = out_group(&q, sh, ctx, &o, 1);
	*rows = q.total;
	*bytes += o.bytes;
out:
	for (i = 0; cs != NULL && i < nids; i++) {
		sqlite3_finalize(cs[i].st);
		free(cs[i].rows);
	}
	free(cs);
	free(h);
	free(q.rows);
	free(q.grp);
	return rc;
}
