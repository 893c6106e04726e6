/*
 * codec_int.h - what the block codec's files share: the column numbers,
 * the scratch context, the parsed header. Private to codec.c (context,
 * compression, evidence), codec_enc.c (encode) and codec_dec.c (decode);
 * the contract is codec.h, the picture shard.h.
 */
#ifndef CODEC_INT_H
#define CODEC_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libdeflate.h>
#include <zlib.h>
#include <zstd.h>

#include "a128.h"
#include "buf.h"
#include "codec.h"

#define BLK_VERSION 1

enum col {
	C_OUT_HI, C_OUT_LO,	/* public address halves, delta */
	C_PLO,			/* first port, delta */
	C_PSPAN,		/* last - first port */
	C_PROTO,
	C_KIND,			/* kind | flags << 2 */
	C_DEV, C_VRF, C_SUB,	/* shard-local ids */
	C_DICT_HI, C_DICT_LO,	/* sorted unique inside addresses: count,
				 * then deltas */
	C_INIDX,		/* row's index into the dictionary */
	C_IN4_HI, C_IN4_LO,	/* DS-Lite inner address, delta */
	C_INPORT,
	C_START,		/* (start - base) / unit, delta */
	C_DUR,			/* (end - start) / unit; 0 while open */
	C_DST_HI, C_DST_LO,	/* destination, delta */
	C_DPORT,
	C_EVS_T, C_EVS_N,	/* evidence ref of the start: ms - start_ms,
				 * low 16 bits + 1 (0: none) */
	C_EVE_T, C_EVE_N,	/* ... of the end, relative to end_ms */
	C_MAX
};

struct blk_ctx {
	int level;				/* 0: columns stored raw */
	struct libdeflate_compressor *ld;	/* NULL: zlib deflate */
	struct libdeflate_decompressor *ldd;	/* NULL: zlib inflate */
	z_stream zd;				/* zlib deflate */
	z_stream zi;				/* zlib inflate */
	int zd_ok, zi_ok;
	ZSTD_CCtx *zc;				/* evidence: made at first use */
	ZSTD_DCtx *zdc;
	struct buf col[C_MAX];			/* encode: raw columns */
	struct buf tmp;				/* encode: compressed */
	struct buf pack;			/* blk_pack's result */
	struct buf raw[C_MAX];			/* decode: inflated */
	struct cgn_addr *dict;			/* decode dictionary */
	size_t dictcap;
	struct a128 *d128;			/* encode dictionary */
	uint64_t *key;				/* ... its sort keys */
	uint32_t *didx;				/* ... each row's index */
	size_t d128cap;
	size_t nd;				/* ... its length */
	struct buf bloom;			/* ... as a Bloom filter */
	uint8_t *mask;				/* decode: rows selected */
	size_t maskcap;
	struct pick *picks;			/* ... as runs */
	size_t pickcap;
};

/* A block's header and where its columns are. */
struct blk_hdr {
	size_t n;
	int64_t base;
	int64_t unit;
	const uint8_t *src[C_MAX];	/* stored bytes, NULL: absent */
	size_t srclen[C_MAX];
	size_t rawlen[C_MAX];
	int z[C_MAX];
	int have[C_MAX];		/* inflated into c->raw[] */
};

/* Raw deflate of src[0..len) into c->tmp at the context's level (at
 * least 1); 0 if it did not shrink. */
int blk_compress(struct blk_ctx *c, const uint8_t *src, size_t len);
/* Inflate exactly rawlen bytes from src into dst; CGN_EMALFORMED if the
 * stream is damaged or of another length. */
int blk_inflate(struct blk_ctx *c, const uint8_t *src, size_t len,
    uint8_t *dst, size_t rawlen);
/* Parse a block's header (codec_dec.c). */
int blk_hdr_parse(const uint8_t *buf, size_t len, struct blk_hdr *h);

#endif /* CODEC_INT_H */
