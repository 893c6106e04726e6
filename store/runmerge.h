/*
 * runmerge.h - sorted runs of a shard: rows written as one, runs merged
 * into one. Private to store/ (wshard.c).
 *
 * A run is blocks of rows in block order (public address, first port,
 * start), each block BLK_ROWS rows but the last. Merging reads the runs
 * side by side, a block of each at a time, so it needs memory for a few
 * blocks per run, not for the shard.
 */
#ifndef RUNMERGE_H
#define RUNMERGE_H

#include "codec.h"
#include "shard.h"

/* The shard's ids for the writer's device and subscriber ids (index:
 * the writer's id), every one the rows name already in the shard. */
struct run_ids {
	const uint32_t *dev;
	const uint32_t *sub;
};

/* A run being written: its id, whether its blocks get filters of their
 * inside addresses (a compacted run's: flushes and tiers are rewritten
 * at the seal, and building filters for them too cost the writer 2%),
 * the greatest key so far (every block's a_hi is at least the one before
 * it, shard.h), the bytes written. Zero it but for the id and filters
 * before the first runs_put of the run. */
struct run_out {
	int64_t run;
	int filters;		/* blocks get inside filters (bloom.h) */
	uint8_t key_hi[SHARD_KEY_LEN];
	uint64_t bytes;
};

/*
 * Rows rows[order[0]], rows[order[1]], ... (order NULL: rows in place;
 * n of them, in block order, following any rows put into o before) into
 * blocks of run o->run, in the caller's transaction. With ids (and
 * order), the rows hold the writer's ids and are written with the
 * shard's; without (NULL), they hold the shard's already.
 */
int runs_put(struct shard *sh, struct blk_ctx *ctx, struct run_out *o,
    const struct ival *rows, const uint32_t *order, size_t n,
    const struct run_ids *ids);

/*
 * Merge the runs ids[0..nids) (ascending: of two records of one
 * allocation, the one in the earlier run is the earlier) into the new run
 * out, collapsing the records of each allocation as ival_merge does, in
 * the caller's transaction, with inside filters if filters is set. The
 * old runs stay: the caller drops them. *rows gets the rows written,
 * *bytes grows by their block bytes.
 */
int runs_merge(struct shard *sh, struct blk_ctx *ctx, const int64_t *ids,
    size_t nids, int64_t out, int filters, uint64_t *rows, uint64_t *bytes);

#endif /* RUNMERGE_H */
