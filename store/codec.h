/*
 * codec.h - a block of intervals, column-wise, delta-encoded and deflated
 * (the picture is in shard.h). Private to store/.
 *
 * Encode sorts nothing: the caller hands rows in ival_cmp order, which is
 * what makes the deltas small. Every column is deflated on its own (raw
 * deflate, RFC 1951) so a reader inflates only what it reads: a lookup
 * first decodes the address and port columns, the rest only if a row
 * matches.
 */
#ifndef CODEC_H
#define CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "ival.h"

/* Rows per block: small enough that a lookup inflates little. */
#define BLK_ROWS 1024

/* Scratch state (deflate/inflate streams, column buffers) reused across
 * calls; one per thread. */
struct blk_ctx;

/* level: deflate level 1 (fast) .. 9 (small); 0 stores block columns
 * raw (a run soon rewritten by a merge), evidence still at level 1.
 * use_libdeflate: compress and inflate with libdeflate instead of zlib
 * (the same format either way; readers use zlib). */
int blk_ctx_new(int level, int use_libdeflate, struct blk_ctx **out);
void blk_ctx_free(struct blk_ctx *c);

/*
 * Encode n rows (1 <= n) into a newly allocated buffer *out (free() it).
 * Returns CGN_OK or CGN_ENOMEM.
 */
int blk_encode(struct blk_ctx *c, const struct ival *rows, size_t n,
    uint8_t **out, size_t *outlen);
/* The inside addresses of the block blk_encode made last, as a Bloom
 * filter (bloom.h); owned by c, valid until its next encode. */
const uint8_t *blk_bloom(struct blk_ctx *c, size_t *len);
/*
 * Decode rows into *rows (grown with realloc; *cap is its capacity, *n the
 * count, both updated; rows are appended). Which rows:
 *  - blk_decode: all;
 *  - blk_select: public address == *outside (zero: any) and a port range
 *    meeting [port_lo, port_hi];
 *  - blk_select_inside: inside address == *inside.
 * Returns CGN_OK, or CGN_EMALFORMED for a damaged block (nothing added).
 */
int blk_decode(struct blk_ctx *c, const uint8_t *buf, size_t len,
    struct ival **rows, size_t *n, size_t *cap);
int blk_select(struct blk_ctx *c, const uint8_t *buf, size_t len,
    const struct cgn_addr *outside, uint16_t port_lo, uint16_t port_hi,
    struct ival **rows, size_t *n, size_t *cap);
int blk_select_inside(struct blk_ctx *c, const uint8_t *buf, size_t len,
    const struct cgn_addr *inside, struct ival **rows, size_t *n,
    size_t *cap);

/*
 * Any bytes (an evidence block), as [codec u8][raw length varint][bytes]:
 * codec 2 a zstd frame (blk_pack, when that is smaller), 0 the bytes as
 * they are, 1 raw deflate (written by earlier versions; still read).
 * The *out of either is owned by c and valid until its next call.
 */
int blk_pack(struct blk_ctx *c, const uint8_t *src, size_t len,
    const uint8_t **out, size_t *outlen);
int blk_unpack(struct blk_ctx *c, const uint8_t *src, size_t len,
    const uint8_t **out, size_t *outlen);

/* Column statistics, for tuning and the benchmark: the raw and stored
 * bytes of each column of a block are added to raw[]/stored[] (indexed
 * 0..blk_ncols()-1); blk_colname() names them. */
int blk_ncols(void);
const char *blk_colname(int i);
int blk_colstats(const uint8_t *buf, size_t len, uint64_t *raw,
    uint64_t *stored);

#endif /* CODEC_H */
