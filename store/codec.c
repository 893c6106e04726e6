/*
 * codec.c - interval blocks: columns of varints, each deflated alone.
 *
 * Why columns: a CGN's intervals sorted by (public address, port, start)
 * repeat themselves column by column - the same address for a hundred
 * rows, ports stepping by the block size, times a few seconds apart - and
 * deltas of such columns are runs of tiny numbers that deflate well.
 * Why a dictionary for inside addresses: behind one public address sit a
 * few hundred subscribers (paired pooling), so an index into a sorted list
 * costs a byte where the address costs four or sixteen.
 * Not here: where blocks live (shard.c), which rows go together (writer.c).
 */
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <zlib.h>

#include "a128.h"
#include "buf.h"
#include "codec.h"
#include "radix.h"
#include "store.h"

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

/* Optional columns a block may leave out entirely. */
enum {
	O_PROTO = 1, O_VRF = 2, O_SUB = 4, O_IN4 = 8, O_INPORT = 16,
	O_DST = 32, O_DPORT = 64, O_EVS = 128, O_EVE = 256
};

struct blk_ctx {
	int level;
	struct libdeflate_compressor *ld;	/* NULL: zlib deflate */
	z_stream zd;				/* zlib deflate */
	z_stream zi;				/* zlib inflate */
	int zd_ok, zi_ok;
	struct buf col[C_MAX];			/* encode: raw columns */
	struct buf tmp;				/* encode: compressed */
	struct buf raw[C_MAX];			/* decode: inflated */
	struct cgn_addr *dict;			/* decode dictionary */
	size_t dictcap;
	struct a128 *d128;			/* encode dictionary */
	uint32_t *u32;				/* ... its IPv4 scratch */
	size_t d128cap;
	uint8_t *mask;				/* decode: rows selected */
	size_t maskcap;
};

int
blk_ctx_new(int level, int use_libdeflate, struct blk_ctx **out)
{
	struct blk_ctx *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return CGN_ENOMEM;
	c->level = level < 1 ? 1 : level > 9 ? 9 : level;
	if (use_libdeflate &&
	    (c->ld = libdeflate_alloc_compressor(c->level)) == NULL)
		goto fail;
	if (deflateInit2(&c->zd, c->level, Z_DEFLATED, -15, 8,
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
	if (c->zd_ok)
		deflateEnd(&c->zd);
	if (c->zi_ok)
		inflateEnd(&c->zi);
	for (i = 0; i < C_MAX; i++) {
		buf_free(&c->col[i]);
		buf_free(&c->raw[i]);
	}
	buf_free(&c->tmp);
	free(c->dict);
	free(c->d128);
	free(c->u32);
	free(c->mask);
	free(c);
}

static int
a128_qcmp(const void *a, const void *b)
{
	return a128_cmp(a, b);
}

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Delta of an address against the previous one, as two signed varints;
 * an IPv4-mapped address differs from the last in the low half only. */
static void
put_addr(struct blk_ctx *c, int chi, int clo, const struct cgn_addr *a,
    struct a128 *prev)
{
	struct a128 v = a128_of(a);

	buf_svarint(&c->col[chi], (int64_t)(v.hi - prev->hi));
	buf_svarint(&c->col[clo], (int64_t)(v.lo - prev->lo));
	*prev = v;
}

static int
dict_build(struct blk_ctx *c, const struct ival *rows, const uint32_t *order,
    size_t n, size_t *nd)
{
	struct a128 *d;
	uint32_t *u, *tmp, v4;
	size_t i, k;
	int v4only = 1;

	if (c->d128cap < n) {
		free(c->d128);
		free(c->u32);
		c->u32 = malloc(2 * n * sizeof(*c->u32));
		if ((c->d128 = malloc(n * sizeof(*c->d128))) == NULL ||
		    c->u32 == NULL) {
			c->d128cap = 0;
			return CGN_ENOMEM;
		}
		c->d128cap = n;
	}
	d = c->d128;
	u = c->u32;
	tmp = c->u32 + n;
	for (i = 0; i < n && v4only; i++) {
		if (cgn_addr_is_v4(&rows[order ? order[i] : i].inside, &v4))
			u[i] = v4;
		else
			v4only = 0;
	}
	if (v4only) {		/* the common case: sort 32-bit values */
		radix_u32(u, tmp, n);
		for (i = 1, k = 1; i < n; i++)
			if (u[i] != u[k - 1])
				u[k++] = u[i];
		for (i = 0; i < k; i++) {
			d[i].hi = 0;
			d[i].lo = 0xffff00000000ULL | u[i];
		}
		*nd = k;
		return CGN_OK;
	}
	for (i = 0; i < n; i++)
		d[i] = a128_of(&rows[order ? order[i] : i].inside);
	qsort(d, n, sizeof(*d), a128_qcmp);
	for (i = 1, k = 1; i < n; i++)
		if (d[i].hi != d[k - 1].hi || d[i].lo != d[k - 1].lo)
			d[k++] = d[i];
	*nd = k;
	return CGN_OK;
}

static size_t
dict_index(const struct a128 *dict, size_t nd, const struct cgn_addr *a)
{
	struct a128 v = a128_of(a);
	size_t lo = 0, hi = nd, mid;

	while (lo < hi) {	/* the address is in the dictionary */
		mid = lo + (hi - lo) / 2;
		if (a128_cmp(&dict[mid], &v) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Raw deflate of src into c->tmp; 0 if it did not shrink. */
static int
compress_col(struct blk_ctx *c, const struct buf *src)
{
	size_t bound, got;

	buf_reset(&c->tmp);
	if (src->len < 16)
		return 0;
	if (c->ld != NULL) {
		bound = libdeflate_deflate_compress_bound(c->ld, src->len);
		if (!buf_grow(&c->tmp, bound))
			return 0;
		got = libdeflate_deflate_compress(c->ld, src->p, src->len,
		    c->tmp.p, src->len - 1);
		c->tmp.len = got;
		return got != 0;
	}
	bound = deflateBound(&c->zd, (uLong)src->len);
	if (!buf_grow(&c->tmp, bound) || deflateReset(&c->zd) != Z_OK)
		return 0;
	c->zd.next_in = src->p;
	c->zd.avail_in = (uInt)src->len;
	c->zd.next_out = c->tmp.p;
	c->zd.avail_out = (uInt)bound;
	if (deflate(&c->zd, Z_FINISH) != Z_STREAM_END)
		return 0;
	c->tmp.len = bound - c->zd.avail_out;
	return c->tmp.len < src->len;
}

static int
all_zero(const struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->p[i] != 0)
			return 0;
	return 1;
}

#define R(i) (rows[order != NULL ? order[i] : (i)])

int
blk_encode(struct blk_ctx *c, const struct ival *rows, size_t n,
    uint8_t **out, size_t *outlen)
{
	return blk_encode_idx(c, rows, NULL, n, out, outlen);
}

int
blk_encode_idx(struct blk_ctx *c, const struct ival *rows,
    const uint32_t *order, size_t n, uint8_t **out, size_t *outlen)
{
	struct a128 pout = { 0, 0 }, pin4 = { 0, 0 }, pdst = { 0, 0 };
	struct a128 pdict = { 0, 0 };
	struct buf o = { 0 };
	int64_t base, pstart = 0, t;
	uint64_t unit = 0;
	uint16_t pplo = 0;
	size_t i, nd;
	int k, z, ncols = 0;
	unsigned opt = 0;

	if (n == 0)
		return CGN_EINVAL;
	for (k = 0; k < C_MAX; k++)
		buf_reset(&c->col[k]);
	base = R(0).start_ms;
	for (i = 1; i < n; i++)
		if (R(i).start_ms < base)
			base = R(i).start_ms;
	/* one unit for every time in the block: 1000 when the device logs
	 * whole seconds, so the numbers are a thousand times smaller */
	for (i = 0; i < n && unit != 1; i++) {
		unit = gcd64(unit, (uint64_t)(R(i).start_ms - base));
		if (!(R(i).flags & STORE_F_OPEN) &&
		    R(i).end_ms > R(i).start_ms)
			unit = gcd64(unit,
			    (uint64_t)(R(i).end_ms - R(i).start_ms));
	}
	if (unit == 0)
		unit = 1;
	if (dict_build(c, rows, order, n, &nd) != CGN_OK)
		return CGN_ENOMEM;
	buf_varint(&c->col[C_DICT_HI], nd);
	for (i = 0; i < nd; i++) {
		buf_svarint(&c->col[C_DICT_HI], (int64_t)(c->d128[i].hi -
		    pdict.hi));
		buf_svarint(&c->col[C_DICT_LO], (int64_t)(c->d128[i].lo -
		    pdict.lo));
		pdict = c->d128[i];
	}
	/* which optional columns this block has at all: most blocks carry
	 * no sessions, VRFs, DS-Lite or evidence, and skipping them per row
	 * is a third of the work */
	for (i = 0; i < n; i++) {
		const struct ival *r = &R(i);

		opt |= (r->vrf ? O_VRF : 0) | (r->sub ? O_SUB : 0) |
		    (r->inside_port ? O_INPORT : 0) | (r->dst_port ? O_DPORT :
		    0) | (r->ev_start ? O_EVS : 0) | (r->ev_end ? O_EVE : 0) |
		    (r->proto ? O_PROTO : 0) |
		    (!cgn_addr_is_zero(&r->inside_v4) ? O_IN4 : 0) |
		    (!cgn_addr_is_zero(&r->dst) ? O_DST : 0);
	}
	for (i = 0; i < n; i++) {
		const struct ival *r = &R(i);
		int64_t s = (r->start_ms - base) / (int64_t)unit, d = 0;

		put_addr(c, C_OUT_HI, C_OUT_LO, &r->outside, &pout);
		buf_svarint(&c->col[C_PLO], (int64_t)r->port_lo - pplo);
		pplo = r->port_lo;
		buf_varint(&c->col[C_PSPAN], (uint64_t)(r->port_hi -
		    r->port_lo));
		buf_varint(&c->col[C_KIND], (uint64_t)r->kind |
		    (uint64_t)r->flags << 2);
		buf_varint(&c->col[C_DEV], r->dev);
		buf_varint(&c->col[C_INIDX], dict_index(c->d128, nd,
		    &r->inside));
		buf_svarint(&c->col[C_START], s - pstart);
		pstart = s;
		if (!(r->flags & STORE_F_OPEN))
			d = (r->end_ms - r->start_ms) / (int64_t)unit;
		buf_svarint(&c->col[C_DUR], d);
		if (opt == 0)
			continue;
		if (opt & O_PROTO)
			buf_u8(&c->col[C_PROTO], r->proto);
		if (opt & O_VRF)
			buf_varint(&c->col[C_VRF], r->vrf);
		if (opt & O_SUB)
			buf_varint(&c->col[C_SUB], r->sub);
		if (opt & O_IN4)
			put_addr(c, C_IN4_HI, C_IN4_LO, &r->inside_v4, &pin4);
		if (opt & O_INPORT)
			buf_varint(&c->col[C_INPORT], r->inside_port);
		if (opt & O_DST)
			put_addr(c, C_DST_HI, C_DST_LO, &r->dst, &pdst);
		if (opt & O_DPORT)
			buf_varint(&c->col[C_DPORT], r->dst_port);
		if (opt & O_EVS) {
			t = r->ev_start ? (int64_t)(r->ev_start >> 16) -
			    r->start_ms : 0;
			buf_svarint(&c->col[C_EVS_T], t);
			buf_varint(&c->col[C_EVS_N], r->ev_start ?
			    (r->ev_start & 0xffff) + 1 : 0);
		}
		if (opt & O_EVE) {
			t = r->ev_end ? (int64_t)(r->ev_end >> 16) -
			    r->end_ms : 0;
			buf_svarint(&c->col[C_EVE_T], t);
			buf_varint(&c->col[C_EVE_N], r->ev_end ?
			    (r->ev_end & 0xffff) + 1 : 0);
		}
	}
	for (k = 0; k < C_MAX; k++) {
		if (c->col[k].oom)
			goto oom;
		if (!all_zero(&c->col[k]))
			ncols++;
	}
	/* header: version, rows, base, unit, columns present */
	buf_u8(&o, BLK_VERSION);
	buf_varint(&o, n);
	buf_svarint(&o, base);
	buf_varint(&o, unit);
	buf_u8(&o, (uint8_t)ncols);
	for (k = 0; k < C_MAX; k++) {
		const struct buf *src = &c->col[k];

		if (all_zero(src))	/* absent: decodes as zeros */
			continue;
		z = compress_col(c, src);
		buf_u8(&o, (uint8_t)k);
		buf_u8(&o, (uint8_t)z);
		buf_varint(&o, src->len);
		buf_varint(&o, z ? c->tmp.len : src->len);
		buf_put(&o, z ? c->tmp.p : src->p, z ? c->tmp.len : src->len);
	}
	if (o.oom)
		goto oom;
	*out = o.p;
	*outlen = o.len;
	return CGN_OK;
oom:
	buf_free(&o);
	return CGN_ENOMEM;
}

#undef R

/* ---- decoding --------------------------------------------------------- */

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

static int
hdr_parse(const uint8_t *buf, size_t len, struct blk_hdr *h)
{
	struct vrd r = { buf, buf + len, 0 };
	uint64_t n, unit, rawlen, stored;
	int ncols, i, k;

	memset(h, 0, sizeof(*h));
	if (len < 5 || *r.p++ != BLK_VERSION)
		return CGN_EMALFORMED;
	n = vrd_varint(&r);
	h->base = vrd_svarint(&r);
	unit = vrd_varint(&r);
	if (r.bad || r.p >= r.end || n == 0 || n > 1u << 24 || unit == 0 ||
	    unit > (1ULL << 40))
		return CGN_EMALFORMED;
	h->n = (size_t)n;
	h->unit = (int64_t)unit;
	ncols = *r.p++;
	for (i = 0; i < ncols; i++) {
		if (r.end - r.p < 2)
			return CGN_EMALFORMED;
		k = *r.p++;
		if (k >= C_MAX || h->src[k] != NULL)
			return CGN_EMALFORMED;
		h->z[k] = *r.p++;
		rawlen = vrd_varint(&r);
		stored = vrd_varint(&r);
		if (r.bad || stored > (uint64_t)(r.end - r.p) ||
		    rawlen > 64u << 20 || (!h->z[k] && rawlen != stored))
			return CGN_EMALFORMED;
		h->src[k] = r.p;
		h->srclen[k] = (size_t)stored;
		h->rawlen[k] = (size_t)rawlen;
		r.p += stored;
	}
	/* every row has a kind, and a present column holds at least a byte
	 * per row: a row count the columns cannot hold is damage, caught
	 * before rows are allocated and decoded for it */
	if (h->src[C_KIND] == NULL)
		return CGN_EMALFORMED;
	for (k = 0; k < C_MAX; k++)
		if (h->src[k] != NULL && k != C_DICT_HI && k != C_DICT_LO &&
		    h->rawlen[k] < h->n)
			return CGN_EMALFORMED;
	return CGN_OK;
}

/* Make column k readable as a vrd; an absent column reads as zeros. */
static int
col_open(struct blk_ctx *c, struct blk_hdr *h, int k, struct vrd *r)
{
	static const uint8_t zeros[1];
	struct buf *dst = &c->raw[k];

	if (h->src[k] == NULL) {
		r->p = zeros;
		r->end = NULL;	/* marks "absent": see col_next */
		r->bad = 0;
		return CGN_OK;
	}
	if (!h->z[k]) {
		r->p = h->src[k];
		r->end = h->src[k] + h->srclen[k];
		r->bad = 0;
		return CGN_OK;
	}
	if (!h->have[k]) {
		buf_reset(dst);
		if (!buf_grow(dst, h->rawlen[k] + 1) ||
		    inflateReset(&c->zi) != Z_OK)
			return CGN_ENOMEM;
		c->zi.next_in = (Bytef *)(uintptr_t)h->src[k];
		c->zi.avail_in = (uInt)h->srclen[k];
		c->zi.next_out = dst->p;
		c->zi.avail_out = (uInt)h->rawlen[k];
		if (inflate(&c->zi, Z_FINISH) != Z_STREAM_END ||
		    c->zi.avail_out != 0)
			return CGN_EMALFORMED;
		dst->len = h->rawlen[k];
		h->have[k] = 1;
	}
	r->p = dst->p;
	r->end = dst->p + dst->len;
	r->bad = 0;
	return CGN_OK;
}

static uint64_t
col_u(struct vrd *r)
{
	return r->end == NULL ? 0 : vrd_varint(r);
}

static int64_t
col_s(struct vrd *r)
{
	return r->end == NULL ? 0 : vrd_svarint(r);
}

static uint8_t
col_byte(struct vrd *r)
{
	if (r->end == NULL)
		return 0;
	if (r->p >= r->end) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

/* Read an address column pair into *a, delta against *a. */
static void
col_addr(struct vrd *hi, struct vrd *lo, struct cgn_addr *a)
{
	struct a128 v = a128_of(a);

	a128_set(a, v.hi + (uint64_t)col_s(hi), v.lo + (uint64_t)col_s(lo));
}

static int
grow_rows(struct ival **rows, size_t *cap, size_t need)
{
	struct ival *p;
	size_t nc;

	if (need <= *cap)
		return CGN_OK;
	nc = *cap ? *cap : 64;
	while (nc < need)
		nc *= 2;
	if ((p = realloc(*rows, nc * sizeof(*p))) == NULL)
		return CGN_ENOMEM;
	*rows = p;
	*cap = nc;
	return CGN_OK;
}

/* Decode every column in lockstep; rows with mask[i] (mask NULL: all) go
 * to the output. */
static int
decode_rows(struct blk_ctx *c, struct blk_hdr *h, const uint8_t *mask,
    size_t nsel, struct ival **rows, size_t *n, size_t *cap)
{
	struct vrd r[C_MAX];
	struct ival cur;
	struct cgn_addr pd = { { 0 } };
	uint64_t nd, idx;
	int64_t s = 0, d;
	size_t i, out;
	int k, rc, bad = 0;

	for (k = 0; k < C_MAX; k++)
		if ((rc = col_open(c, h, k, &r[k])) != CGN_OK)
			return rc;
	nd = col_u(&r[C_DICT_HI]);
	if (nd > h->n || (nd == 0 && h->n > 0))
		return CGN_EMALFORMED;
	if (c->dictcap < nd) {
		free(c->dict);
		if ((c->dict = malloc(nd * sizeof(*c->dict))) == NULL) {
			c->dictcap = 0;
			return CGN_ENOMEM;
		}
		c->dictcap = (size_t)nd;
	}
	for (i = 0; i < nd; i++) {
		col_addr(&r[C_DICT_HI], &r[C_DICT_LO], &pd);
		c->dict[i] = pd;
	}
	if ((rc = grow_rows(rows, cap, *n + nsel)) != CGN_OK)
		return rc;
	memset(&cur, 0, sizeof(cur));
	out = *n;
	for (i = 0; i < h->n; i++) {
		uint64_t kf, t, lo;

		col_addr(&r[C_OUT_HI], &r[C_OUT_LO], &cur.outside);
		cur.port_lo = (uint16_t)(cur.port_lo + col_s(&r[C_PLO]));
		cur.port_hi = (uint16_t)(cur.port_lo + col_u(&r[C_PSPAN]));
		cur.proto = col_byte(&r[C_PROTO]);
		kf = col_u(&r[C_KIND]);
		cur.kind = (uint8_t)(kf & 3);
		cur.flags = (uint16_t)(kf >> 2);
		cur.dev = (uint32_t)col_u(&r[C_DEV]);
		cur.vrf = (uint32_t)col_u(&r[C_VRF]);
		cur.sub = (uint32_t)col_u(&r[C_SUB]);
		idx = col_u(&r[C_INIDX]);
		if (idx >= nd) {
			bad = 1;
			break;
		}
		cur.inside = c->dict[idx];
		col_addr(&r[C_IN4_HI], &r[C_IN4_LO], &cur.inside_v4);
		cur.inside_port = (uint16_t)col_u(&r[C_INPORT]);
		s += col_s(&r[C_START]);
		cur.start_ms = h->base + s * h->unit;
		d = col_s(&r[C_DUR]);
		cur.end_ms = cur.start_ms + d * h->unit;
		col_addr(&r[C_DST_HI], &r[C_DST_LO], &cur.dst);
		cur.dst_port = (uint16_t)col_u(&r[C_DPORT]);
		t = (uint64_t)(col_s(&r[C_EVS_T]) + cur.start_ms);
		lo = col_u(&r[C_EVS_N]);
		cur.ev_start = lo ? t << 16 | (lo - 1) : 0;
		t = (uint64_t)(col_s(&r[C_EVE_T]) + cur.end_ms);
		lo = col_u(&r[C_EVE_N]);
		cur.ev_end = lo ? t << 16 | (lo - 1) : 0;
		if (mask == NULL || mask[i])
			(*rows)[out++] = cur;
	}
	for (k = 0; k < C_MAX; k++)
		bad |= r[k].bad;
	if (bad)
		return CGN_EMALFORMED;
	*n = out;
	return CGN_OK;
}

int
blk_decode(struct blk_ctx *c, const uint8_t *buf, size_t len,
    struct ival **rows, size_t *n, size_t *cap)
{
	struct blk_hdr h;
	int rc;

	if ((rc = hdr_parse(buf, len, &h)) != CGN_OK)
		return rc;
	return decode_rows(c, &h, NULL, h.n, rows, n, cap);
}

static int
mask_get(struct blk_ctx *c, size_t n)
{
	if (c->maskcap < n) {
		free(c->mask);
		if ((c->mask = malloc(n)) == NULL) {
			c->maskcap = 0;
			return CGN_ENOMEM;
		}
		c->maskcap = n;
	}
	memset(c->mask, 0, n);
	return CGN_OK;
}

int
blk_select(struct blk_ctx *c, const uint8_t *buf, size_t len,
    const struct cgn_addr *outside, uint16_t port_lo, uint16_t port_hi,
    struct ival **rows, size_t *n, size_t *cap)
{
	struct vrd hi, lo, plo, pspan;
	struct blk_hdr h;
	struct cgn_addr a = { { 0 } };
	uint16_t p = 0, q;
	size_t i, nsel = 0;
	int rc, any = cgn_addr_is_zero(outside);

	if ((rc = hdr_parse(buf, len, &h)) != CGN_OK ||
	    (rc = mask_get(c, h.n)) != CGN_OK ||
	    (rc = col_open(c, &h, C_OUT_HI, &hi)) != CGN_OK ||
	    (rc = col_open(c, &h, C_OUT_LO, &lo)) != CGN_OK ||
	    (rc = col_open(c, &h, C_PLO, &plo)) != CGN_OK ||
	    (rc = col_open(c, &h, C_PSPAN, &pspan)) != CGN_OK)
		return rc;
	for (i = 0; i < h.n; i++) {
		col_addr(&hi, &lo, &a);
		p = (uint16_t)(p + col_s(&plo));
		q = (uint16_t)(p + col_u(&pspan));
		if ((any || memcmp(&a, outside, 16) == 0) && p <= port_hi &&
		    q >= port_lo) {
			c->mask[i] = 1;
			nsel++;
		}
	}
	if (hi.bad || lo.bad || plo.bad || pspan.bad)
		return CGN_EMALFORMED;
	if (nsel == 0)
		return CGN_OK;
	return decode_rows(c, &h, c->mask, nsel, rows, n, cap);
}

int
blk_select_inside(struct blk_ctx *c, const uint8_t *buf, size_t len,
    const struct cgn_addr *inside, struct ival **rows, size_t *n,
    size_t *cap)
{
	struct vrd dhi, dlo, idx;
	struct blk_hdr h;
	struct cgn_addr a = { { 0 } };
	uint64_t nd, want = UINT64_MAX, j;
	size_t i, nsel = 0;
	int rc;

	if ((rc = hdr_parse(buf, len, &h)) != CGN_OK ||
	    (rc = mask_get(c, h.n)) != CGN_OK ||
	    (rc = col_open(c, &h, C_DICT_HI, &dhi)) != CGN_OK ||
	    (rc = col_open(c, &h, C_DICT_LO, &dlo)) != CGN_OK)
		return rc;
	/* the dictionary alone says whether the block holds the address */
	nd = col_u(&dhi);
	for (j = 0; j < nd && j <= h.n; j++) {
		col_addr(&dhi, &dlo, &a);
		if (memcmp(&a, inside, 16) == 0) {
			want = j;
			break;
		}
	}
	if (dhi.bad || dlo.bad)
		return CGN_EMALFORMED;
	if (want == UINT64_MAX)
		return CGN_OK;
	if ((rc = col_open(c, &h, C_INIDX, &idx)) != CGN_OK)
		return rc;
	for (i = 0; i < h.n; i++) {
		if (col_u(&idx) == want) {
			c->mask[i] = 1;
			nsel++;
		}
	}
	if (idx.bad)
		return CGN_EMALFORMED;
	return decode_rows(c, &h, c->mask, nsel, rows, n, cap);
}

int
blk_pack(struct blk_ctx *c, const uint8_t *src, size_t len, uint8_t **out,
    size_t *outlen)
{
	struct buf o = { 0 }, in = { (uint8_t *)(uintptr_t)src, len, len, 0 };
	int z = compress_col(c, &in);

	buf_u8(&o, (uint8_t)z);
	buf_varint(&o, len);
	buf_put(&o, z ? c->tmp.p : src, z ? c->tmp.len : len);
	if (o.oom) {
		buf_free(&o);
		return CGN_ENOMEM;
	}
	*out = o.p;
	*outlen = o.len;
	return CGN_OK;
}

int
blk_unpack(struct blk_ctx *c, const uint8_t *src, size_t len,
    const uint8_t **out, size_t *outlen)
{
	struct vrd r = { src, src + len, 0 };
	struct buf *dst = &c->raw[0];
	uint64_t rawlen;
	int z;

	if (len < 2)
		return CGN_EMALFORMED;
	z = *r.p++;
	rawlen = vrd_varint(&r);
	if (r.bad || rawlen > 256u << 20 || z > 1 ||
	    (!z && rawlen != (uint64_t)(r.end - r.p)))
		return CGN_EMALFORMED;
	if (!z) {
		*out = r.p;
		*outlen = (size_t)rawlen;
		return CGN_OK;
	}
	buf_reset(dst);
	if (!buf_grow(dst, (size_t)rawlen + 1) || inflateReset(&c->zi) != Z_OK)
		return CGN_ENOMEM;
	c->zi.next_in = (Bytef *)(uintptr_t)r.p;
	c->zi.avail_in = (uInt)(r.end - r.p);
	c->zi.next_out = dst->p;
	c->zi.avail_out = (uInt)rawlen;
	if (inflate(&c->zi, Z_FINISH) != Z_STREAM_END || c->zi.avail_out != 0)
		return CGN_EMALFORMED;
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

	if ((rc = hdr_parse(buf, len, &h)) != CGN_OK)
		return rc;
	for (k = 0; k < C_MAX; k++) {
		if (h.src[k] == NULL)
			continue;
		raw[k] += h.rawlen[k];
		stored[k] += h.srclen[k];
	}
	return CGN_OK;
}
