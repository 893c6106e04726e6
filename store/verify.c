/*
 * verify.c - check a store: every shard opens read-only, passes SQLite's
 * integrity check, and every block decodes to rows that match its index
 * keys (address range, time range, row count). What cgnlog-verify runs,
 * and what the crash test runs after each kill -9.
 * Not here: repairing anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bloom.h"
#include "codec.h"
#include "shard.h"
#include "store.h"

static int
report(store_verify_fn *fn, void *arg, const char *path, int ok,
    const char *fmt, const char *detail)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), fmt, detail);
	return fn(arg, path, ok, msg);
}

/* The rows of one block against its index row. */
static int
check_block(struct blk_ctx *ctx, sqlite3_stmt *st, struct ival **rows,
    size_t *cap, char *why, size_t wlen)
{
	const uint8_t *data = sqlite3_column_blob(st, 0);
	const void *alo = sqlite3_column_blob(st, 1);
	const void *ahi = sqlite3_column_blob(st, 2);
	int64_t t_lo = sqlite3_column_int64(st, 3), t_hi = sqlite3_column_int64(st,
	    4), n = sqlite3_column_int64(st, 5), e;
	size_t len = (size_t)sqlite3_column_bytes(st, 0), nr = 0, i, klen;
	const uint8_t *bloom = sqlite3_column_blob(st, 8);
	size_t blen = (size_t)sqlite3_column_bytes(st, 8);
	uint8_t klo[SHARD_KEY_LEN], khi[SHARD_KEY_LEN];
	struct a128 in;

	if (blk_decode(ctx, data, len, rows, &nr, cap) != CGN_OK) {
		snprintf(why, wlen, "block %lld does not decode",
		    (long long)sqlite3_column_int64(st, 6));
		return 0;
	}
	klen = (size_t)sqlite3_column_bytes(st, 1);
	if ((int64_t)nr != n || (klen != SHARD_KEY_LEN && klen !=
	    SHARD_KEY_LEN_V1) || (size_t)sqlite3_column_bytes(st, 2) != klen) {
		snprintf(why, wlen, "block %lld: %zu rows, index says %lld",
		    (long long)sqlite3_column_int64(st, 6), nr, (long long)n);
		return 0;
	}
	for (i = 0; i < nr; i++) {
		const struct ival *r = &(*rows)[i];

		e = r->flags & STORE_F_OPEN ? INT64_MAX : r->end_ms;
		in = a128_of(&r->inside);
		if (bloom != NULL && !bloom_may_have(bloom, blen, &in)) {
			snprintf(why, wlen, "block %lld row %zu: its inside"
			    " address is not in the block's filter",
			    (long long)sqlite3_column_int64(st, 6), i);
			return 0;
		}
		/* keys without ports (earlier versions) compare the
		 * address alone */
		shard_key(klo, &r->outside, r->port_lo);
		shard_key(khi, &r->outside, r->port_hi);
		if (memcmp(klo, alo, klen) < 0 || memcmp(khi, ahi, klen) > 0 ||
		    r->start_ms < t_lo ||
		    e > t_hi || r->port_lo > r->port_hi ||
		    (!(r->flags & STORE_F_OPEN) && r->end_ms < r->start_ms)) {
			snprintf(why, wlen, "block %lld row %zu is outside its"
			    " index keys or inconsistent",
			    (long long)sqlite3_column_int64(st, 6), i);
			return 0;
		}
	}
	return 1;
}

/* The block's a_hi is not below the previous block's in its run (keys
 * checked by check_block: one length). */
static int
keys_ascend(sqlite3_stmt *st, int64_t *run, uint8_t prev[SHARD_KEY_LEN],
    size_t *prevlen)
{
	const void *hi = sqlite3_column_blob(st, 2);
	size_t len = (size_t)sqlite3_column_bytes(st, 2);
	int64_t r = sqlite3_column_int64(st, 7);

	if (r == *run && len == *prevlen && memcmp(hi, prev, len) < 0)
		return 0;
	*run = r;
	memcpy(prev, hi, len);
	*prevlen = len;
	return 1;
}

static int
verify_shard(const char *path, int64_t start, int64_t period,
    struct blk_ctx *ctx, struct store_verify_stats *vs, store_verify_fn *fn,
    void *arg)
{
	struct shard *sh = NULL;
	struct ival *rows = NULL;
	sqlite3_stmt *st = NULL;
	char err[512], why[300];
	uint8_t prev[SHARD_KEY_LEN];
	size_t cap = 0, prevlen = 0;
	int64_t run = INT64_MIN;
	const char *res;
	int ok = 0, rc;

	if (shard_open(path, start, start + period, 1, &sh, err,
	    sizeof(err)) != CGN_OK) {
		rc = report(fn, arg, path, 0, "does not open: %s", err);
		goto out;
	}
	if (sqlite3_prepare_v2(sh->db, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		rc = report(fn, arg, path, 0, "integrity check failed: %s",
		    shard_errmsg(sh));
		goto out;
	}
	res = (const char *)sqlite3_column_text(st, 0);
	if (res == NULL || strcmp(res, "ok") != 0) {
		rc = report(fn, arg, path, 0, "integrity check: %s",
		    res ? res : "?");
		goto out;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(sh->db, shard_has_bloom(sh) ?
	    "SELECT data, a_lo, a_hi, t_lo, t_hi, n, id, run, ibloom FROM blk"
	    " ORDER BY run, id" : "SELECT data, a_lo, a_hi, t_lo, t_hi, n, id,"
	    " run, NULL FROM blk ORDER BY run, id", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = report(fn, arg, path, 0, "%s", shard_errmsg(sh));
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!check_block(ctx, st, &rows, &cap, why, sizeof(why))) {
			rc = report(fn, arg, path, 0, "%s", why);
			goto out;
		}
		/* a lookup seeks a run by a_hi in block order (shard.h) */
		if (!keys_ascend(st, &run, prev, &prevlen)) {
			snprintf(why, sizeof(why), "block %lld: its a_hi is"
			    " below the one before it in run %lld",
			    (long long)sqlite3_column_int64(st, 6),
			    (long long)run);
			rc = report(fn, arg, path, 0, "%s", why);
			goto out;
		}
		vs->blocks++;
		vs->rows += (uint64_t)sqlite3_column_int64(st, 5);
	}
	if (rc != SQLITE_DONE) {
		rc = report(fn, arg, path, 0, "reading blocks: %s",
		    shard_errmsg(sh));
		goto out;
	}
	ok = 1;
	rc = report(fn, arg, path, 1, "%s", sh->sealed ? "ok, sealed" :
	    "ok, open");
out:
	vs->shards++;
	if (!ok)
		vs->bad++;
	sqlite3_finalize(st);
	shard_close(sh);
	free(rows);
	return rc;
}

/* What store_verify() hands each shard its scan finds (shard_scan_fn). */
struct verify_scan {
	const char *root;
	struct blk_ctx *ctx;
	struct store_verify_stats *vs;
	store_verify_fn *fn;
	void *arg;
};

static int
verify_found(void *arg, const char *name, int64_t start, int64_t period)
{
	struct verify_scan *v = arg;
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", v->root, name);
	return verify_shard(path, start, period, v->ctx, v->vs, v->fn,
	    v->arg);
}

int
store_verify(const char *root, struct store_verify_stats *vs,
    store_verify_fn *fn, void *arg)
{
	struct verify_scan v = { root, NULL, vs, fn, arg };
	int rc;

	memset(vs, 0, sizeof(*vs));
	/* zlib, not libdeflate as cgnq and the writer: a second decoder
	 * checks that the columns are plain raw DEFLATE */
	if (blk_ctx_new(1, 0, &v.ctx) != CGN_OK)
		return CGN_ENOMEM;
	rc = shard_scan(root, verify_found, &v);
	blk_ctx_free(v.ctx);
	return rc;
}
