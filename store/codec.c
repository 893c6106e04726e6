/*
 * codec.c - the block codec's context and compression: deflate and
 * inflate for columns (libdeflate or zlib, same raw DEFLATE either way),
 * evidence blobs, column statistics. The format is drawn in shard.h.
 *
 * Level 0 stores a block's columns as they are: a run that a merge will
 * rewrite soon (a flush's, a tier's) is not worth compressing, and reading
 * it back then costs no inflating. Evidence is compressed at any level,
 * since nothing rewrites it, and with zstd rather than deflate: on
 * Juniper lines zstd level 1 packs as small as libdeflate level 1 at about
 * 2.5 times its speed, and unpacks about 8 times faster (a flush's
 * evidence is one blob, read whole to print one line). Evidence deflated
 * by earlier versions still reads.
 * Not here: rows to columns (codec_enc.c), columns to rows (codec_dec.c).
 */
#include <stdlib.h>
#include <string.h>

#include "codec_int.h"
#include "store.h"

int
blk_ctx_new(int level, int use_libdeflate, struct blk_ctx **out)
{
	struct blk_ctx *c;
	int zl;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return CGN_ENOMEM;
	c->level = level < 0 ? 0 : level > 9 ? 9 : level;
	zl = c->level < 1 ? 1 : c->level;
	if (use_libdeflate &&
	    ((c->ld = libdeflate_alloc_compressor(zl)) == NULL ||
	    (c->ldd = libdeflate_alloc_decompressor()) == NULL))
		goto fail;
	if (deflateInit2(&c->zd, zl, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		goto fail;
	c->zd_ok = 1;
	if (inflateInit2(&c->zi, -15) != Z_OK)
		goto fail;
	c->zi_ok = 1;
	*out = c;
	return CGN_OK;
fail:
	blk_ctx_free(c);
	return CGN_ENOMEM;
}

void
blk_ctx_free(struct blk_ctx *c)
{
	int i;

	if (c == NULL)
		return;
	if (c->ld != NULL)
		libdeflate_free_compressor(c->ld);
	if (c->ldd != NULL)
		libdeflate_free_decompressor(c->ldd);
	if (c->zd_ok)
		deflateEnd(&c->zd);
	if (c->zi_ok)
		inflateEnd(&c->zi);
	ZSTD_freeCCtx(c->zc);
	ZSTD_freeDCtx(c->zdc);
	for (i = 0; i < C_MAX; i++) {
		buf_free(&c->col[i]);
		buf_free(&c->raw[i]);
	}
	buf_free(&c->tmp);
	buf_free(&c->pack);
	buf_free(&c->bloom);
	free(c->dict);
	free(c->d128);
	free(c->key);
	free(c->didx);
	free(c->mask);
	free(c->picks);
	free(c);
}

int
blk_compress(struct blk_ctx *c, const uint8_t *src, size_t len)
{
	size_t bound, got;

	buf_reset(&c->tmp);
	if (len < 16)
		return 0;
	if (c->ld != NULL) {
		bound = libdeflate_deflate_compress_bound(c->ld, len);
		if (!buf_grow(&c->tmp, bound))
			return 0;
		got = libdeflate_deflate_compress(c->ld, src, len, c->tmp.p,
		    len - 1);
		c->tmp.len = got;
		return got != 0;
	}
	bound = deflateBound(&c->zd, (uLong)len);
	if (!buf_grow(&c->tmp, bound) || deflateReset(&c->zd) != Z_OK)
		return 0;
	c->zd.next_in = (Bytef *)(uintptr_t)src;
	c->zd.avail_in = (uInt)len;
	c->zd.next_out = c->tmp.p;
	c->zd.avail_out = (uInt)bound;
	if (deflate(&c->zd, Z_FINISH) != Z_STREAM_END)
		return 0;
	c->tmp.len = bound - c->zd.avail_out;
	return c->tmp.len < len;
}

int
blk_inflate(struct blk_ctx *c, const uint8_t *src, size_t len, uint8_t *dst,
    size_t rawlen)
{
	size_t got;

	if (c->ldd != NULL) {
		/* about half the time of zlib's inflate on block columns */
		if (libdeflate_deflate_decompress(c->ldd, src, len, dst, rawlen,
		    &got) != LIBDEFLATE_SUCCESS || got != rawlen)
			return CGN_EMALFORMED;
		return CGN_OK;
	}
	if (inflateReset(&c->zi) != Z_OK)
		return CGN_ENOMEM;
	c->zi.next_in = (Bytef *)(uintptr_t)src;
	c->zi.avail_in = (uInt)len;
	c->zi.next_out = dst;
	c->zi.avail_out = (uInt)rawlen;
	if (inflate(&c->zi, Z_FINISH) != Z_STREAM_END || c->zi.avail_out != 0)
		return CGN_EMALFORMED;
	return CGN_OK;
}

/* Evidence codecs: the first byte of a packed blob. */
enum { PACK_RAW, PACK_DEFLATE, PACK_ZSTD };
/* zstd level 1: higher levels gain a few percent on log lines for a
 * third more time; negative ones lose a sixth of the ratio for little */
#define PACK_ZSTD_LEVEL 1

/*
 * [codec][raw length] then src zstd-compressed, or as it is when that
 * does not make it smaller, into c->pack. The buffer is the context's and
 * kept: a flush's evidence is megabytes, and a fresh buffer each time was
 * a fresh mapping whose every page faulted in.
 */
int
blk_pack(struct blk_ctx *c, const uint8_t *src, size_t len,
    const uint8_t **out, size_t *outlen)
{
	size_t bound = ZSTD_compressBound(len), got = 0, hdr;
	struct buf *o = &c->pack;

	buf_reset(o);
	buf_u8(o, PACK_ZSTD);
	buf_varint(o, len);
	hdr = o->len;
	if (!buf_grow(o, bound))	/* at least len: the raw fallback fits */
		return CGN_ENOMEM;
	if (len >= 16 && (c->zc != NULL || (c->zc = ZSTD_createCCtx()) !=
	    NULL))
		got = ZSTD_compressCCtx(c->zc, o->p + hdr, bound, src, len,
		    PACK_ZSTD_LEVEL);
	if (got == 0 || ZSTD_isError(got) || got >= len) {
		o->p[0] = PACK_RAW;
		memcpy(o->p + hdr, src, len);
		got = len;
	}
	o->len = hdr + got;
	*out = o->p;
	*outlen = o->len;
	return CGN_OK;
}

/* A zstd frame of exactly rawlen bytes into dst. */
static int
unpack_zstd(struct blk_ctx *c, const uint8_t *src, size_t len, uint8_t *dst,
    size_t rawlen)
{
	size_t got;

	if (c->zdc == NULL && (c->zdc = ZSTD_createDCtx()) == NULL)
		return CGN_ENOMEM;
	if (ZSTD_getFrameContentSize(src, len) != (unsigned long long)rawlen)
		return CGN_EMALFORMED;
	got = ZSTD_decompressDCtx(c->zdc, dst, rawlen, src, len);
	return !ZSTD_isError(got) && got == rawlen ? CGN_OK : CGN_EMALFORMED;
}

int
blk_unpack(struct blk_ctx *c, const uint8_t *src, size_t len,
    const uint8_t **out, size_t *outlen)
{
	struct vrd r = { src, src + len, 0 };
	struct buf *dst = &c->raw[0];
	uint64_t rawlen;
	size_t zlen;
	int z, rc;

	if (len < 2)
		return CGN_EMALFORMED;
	z = *r.p++;
	rawlen = vrd_varint(&r);
	if (r.bad || rawlen > 256u << 20 || z > PACK_ZSTD ||
	    (z == PACK_RAW && rawlen != (uint64_t)(r.end - r.p)))
		return CGN_EMALFORMED;
	if (z == PACK_RAW) {
		*out = r.p;
		*outlen = (size_t)rawlen;
		return CGN_OK;
	}
	buf_reset(dst);
	if (!buf_grow(dst, (size_t)rawlen + 1))
		return CGN_ENOMEM;
	zlen = (size_t)(r.end - r.p);
	if (z == PACK_ZSTD)
		rc = unpack_zstd(c, r.p, zlen, dst->p, (size_t)rawlen);
	else
		rc = blk_inflate(c, r.p, zlen, dst->p, (size_t)rawlen);
	if (rc != CGN_OK)
		return rc;
	*out = dst->p;
	*outlen = (size_t)rawlen;
	return CGN_OK;
}

static const char *const colnames[C_MAX] = {
	"out_hi", "out_lo", "plo", "pspan", "proto", "kind", "dev", "vrf",
	"sub", "dict_hi", "dict_lo", "inidx", "in4_hi", "in4_lo", "inport",
	"start", "dur", "dst_hi", "dst_lo", "dport", "evs_t", "evs_n",
	"eve_t", "eve_n"
};

int
blk_ncols(void)
{
	return C_MAX;
}

const char *
blk_colname(int i)
{
	return i >= 0 && i < C_MAX ? colnames[i] : "?";
}

int
blk_colstats(const uint8_t *buf, size_t len, uint64_t *raw, uint64_t *stored)
{
	struct blk_hdr h;
	int k, rc;

	if ((rc = blk_hdr_parse(buf, len, &h)) != CGN_OK)
		return rc;
	for (k = 0; k < C_MAX; k++) {
		if (h.src[k] == NULL)
			continue;
		raw[k] += h.rawlen[k];
		stored[k] += h.srclen[k];
	}
	return CGN_OK;
}
