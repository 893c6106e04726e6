/*
 * codec_enc.c - rows to a block: columns of varints, each deflated alone
 * (the picture is in shard.h).
 *
 * Why columns: a CGN's intervals sorted by (public address, port, start)
 * repeat themselves column by column - the same address for a hundred
 * rows, ports stepping by the block size, times a few seconds apart - and
 * deltas of such columns are runs of tiny numbers that deflate well.
 * Why a dictionary for inside addresses: behind one public address sit a
 * few hundred subscribers (paired pooling), so an index into a sorted list
 * costs a byte where the address costs four or sixteen.
 * Speed: the writer encodes every row at least twice (its flush, the
 * seal), so the work per row is a handful of varints written through
 * pointers into columns sized for the block beforehand; the dictionary is
 * a radix sort of (address, row) pairs, not a search per row.
 * Not here: decoding (codec_dec.c), where blocks live (shard.c).
 */
#include <stdlib.h>
#include <string.h>

#include "bloom.h"
#include "codec_int.h"
#include "store.h"

/* Optional columns a block may leave out entirely. */
enum {
	O_PROTO = 1, O_VRF = 2, O_SUB = 4, O_IN4 = 8, O_INPORT = 16,
	O_DST = 32, O_DPORT = 64, O_EVS = 128, O_EVE = 256
};

static inline uint8_t *
put_uv(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static inline uint8_t *
put_sv(uint8_t *p, int64_t v)
{
	return put_uv(p, zigzag(v));
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

/* The unit g, narrowed so that it divides x too. A device logging whole
 * seconds keeps it at 1000: that test is a multiplication, not a divide. */
static uint64_t
unit_add(uint64_t g, uint64_t x)
{
	if (x == 0)
		return g;
	if (g == 0)
		return x;
	if (g == 1000 ? x % 1000 == 0 : x % g == 0)
		return g;
	return gcd64(g, x);
}

struct a128i {
	struct a128 v;
	uint32_t i;
};

static int
a128i_qcmp(const void *pa, const void *pb)
{
	const struct a128i *a = pa, *b = pb;
	int c = a128_cmp(&a->v, &b->v);

	return c != 0 ? c : a->i < b->i ? -1 : a->i > b->i;
}

static int
scratch(struct blk_ctx *c, size_t n)
{
	if (c->d128cap >= n)
		return CGN_OK;
	free(c->d128);
	free(c->key);
	free(c->didx);
	c->d128 = malloc(n * sizeof(*c->d128));
	c->key = malloc(2 * n * sizeof(*c->key));
	c->didx = malloc(n * sizeof(*c->didx));
	if (c->d128 == NULL || c->key == NULL || c->didx == NULL) {
		c->d128cap = 0;
		return CGN_ENOMEM;
	}
	c->d128cap = n;
	return CGN_OK;
}

/* IPv6 insides: sort (address, row) pairs the slow way. */
static int
dict_v6(struct blk_ctx *c, const struct ival *rows, size_t n, size_t *nd)
{
	struct a128i *p;
	size_t i, k = 0;

	if ((p = malloc(n * sizeof(*p))) == NULL)
		return CGN_ENOMEM;
	for (i = 0; i < n; i++) {
		p[i].v = a128_of(&rows[i].inside);
		p[i].i = (uint32_t)i;
	}
	qsort(p, n, sizeof(*p), a128i_qcmp);
	for (i = 0; i < n; i++) {
		if (k == 0 || a128_cmp(&p[i].v, &c->d128[k - 1]) != 0)
			c->d128[k++] = p[i].v;
		c->didx[p[i].i] = (uint32_t)(k - 1);
	}
	free(p);
	*nd = k;
	return CGN_OK;
}

/*
 * The sorted distinct inside addresses into c->d128 (*nd of them) and
 * each row's index among them into c->didx. IPv4 (the common case): one
 * radix sort of address << 32 | row on the address bits.
 */
static int
dict_build(struct blk_ctx *c, const struct ival *rows, size_t n,
    size_t *nd)
{
	uint64_t *key, *tmp, *src, *dst, *sw, diff = 0;
	size_t cnt[256], i, k, pos, cn;
	uint32_t v;
	int shift;

	if (scratch(c, n) != CGN_OK)
		return CGN_ENOMEM;
	key = c->key;
	tmp = c->key + n;
	for (i = 0; i < n; i++) {
		struct a128 a = a128_of(&rows[i].inside);

		if (a.hi != 0 || a.lo >> 32 != 0xffff)
			return dict_v6(c, rows, n, nd);
		key[i] = a.lo << 32 | i;
		diff |= key[i] ^ key[0];
	}
	src = key;
	dst = tmp;
	for (shift = 32; shift < 64; shift += 8) {
		if (((diff >> shift) & 255) == 0)
			continue;	/* the same byte everywhere */
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> shift) & 255]++;
		for (i = 0, pos = 0; i < 256; i++) {
			cn = cnt[i];
			cnt[i] = pos;
			pos += cn;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & 255]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	for (i = 0, k = 0; i < n; i++) {
		v = (uint32_t)(src[i] >> 32);
		if (k == 0 || v != (uint32_t)c->d128[k - 1].lo) {
			c->d128[k].hi = 0;
			c->d128[k++].lo = 0xffff00000000ULL | v;
		}
		c->didx[(uint32_t)src[i]] = (uint32_t)(k - 1);
	}
	*nd = k;
	return CGN_OK;
}

/* Room for n varints in every column, all emptied. */
static int
cols_reserve(struct blk_ctx *c, size_t n)
{
	int k;

	for (k = 0; k < C_MAX; k++) {
		buf_reset(&c->col[k]);
		if (!buf_grow(&c->col[k], n * 10 + 10))
			return CGN_ENOMEM;
	}
	return CGN_OK;
}

/* Address v as the deltas of its two halves against *prev, into columns
 * k and k + 1. */
static inline void
put_addr(uint8_t **p, uint64_t *any, int k, struct a128 v,
    struct a128 *prev)
{
	uint64_t dh = v.hi - prev->hi, dl = v.lo - prev->lo;

	p[k] = put_sv(p[k], (int64_t)dh);
	p[k + 1] = put_sv(p[k + 1], (int64_t)dl);
	any[k] |= dh;
	any[k + 1] |= dl;
	*prev = v;
}

int
blk_encode(struct blk_ctx *c, const struct ival *rows, size_t n,
    uint8_t **out, size_t *outlen)
{
	struct a128 pout = { 0, 0 }, pin4 = { 0, 0 }, pdst = { 0, 0 };
	struct a128 pdict = { 0, 0 };
	uint8_t *p[C_MAX], *o, *q;
	uint64_t any[C_MAX] = { 0 }, unit = 0;
	int64_t base, pstart = 0, t;
	uint16_t pplo = 0;
	size_t i, nd, need;
	int k, z, ncols = 0;
	unsigned opt = 0;

	if (n == 0)
		return CGN_EINVAL;
	base = rows[0].start_ms;
	for (i = 1; i < n; i++)
		if (rows[i].start_ms < base)
			base = rows[i].start_ms;
	/* one unit for every time in the block: 1000 when the device logs
	 * whole seconds, so the numbers are a thousand times smaller; and
	 * which optional columns the block has at all: most blocks carry no
	 * sessions, VRFs, DS-Lite or evidence */
	for (i = 0; i < n; i++) {
		const struct ival *r = &rows[i];

		if (unit != 1) {
			unit = unit_add(unit, (uint64_t)(r->start_ms - base));
			if (!(r->flags & STORE_F_OPEN) &&
			    r->end_ms > r->start_ms)
				unit = unit_add(unit,
				    (uint64_t)(r->end_ms - r->start_ms));
		}
		opt |= (r->vrf ? O_VRF : 0) | (r->sub ? O_SUB : 0) |
		    (r->inside_port ? O_INPORT : 0) | (r->dst_port ? O_DPORT :
		    0) | (r->ev_start ? O_EVS : 0) | (r->ev_end ? O_EVE : 0) |
		    (r->proto ? O_PROTO : 0) |
		    (!a128_zero(&r->inside_v4) ? O_IN4 : 0) |
		    (!a128_zero(&r->dst) ? O_DST : 0);
	}
	if (unit == 0)
		unit = 1;
	c->nd = 0;
	if (dict_build(c, rows, n, &nd) != CGN_OK ||
	    cols_reserve(c, n) != CGN_OK)
		return CGN_ENOMEM;
	c->nd = nd;
	for (k = 0; k < C_MAX; k++)
		p[k] = c->col[k].p;
	p[C_DICT_HI] = put_uv(p[C_DICT_HI], nd);
	any[C_DICT_HI] = 1;
	for (i = 0; i < nd; i++)
		put_addr(p, any, C_DICT_HI, c->d128[i], &pdict);
	for (i = 0; i < n; i++) {
		const struct ival *r = &rows[i];
		int64_t s = (r->start_ms - base) / (int64_t)unit, d = 0;
		uint64_t kf = (uint64_t)r->kind | (uint64_t)r->flags << 2;
		uint16_t span = (uint16_t)(r->port_hi - r->port_lo);

		put_addr(p, any, C_OUT_HI, a128_of(&r->outside), &pout);
		p[C_PLO] = put_sv(p[C_PLO], (int64_t)r->port_lo - pplo);
		any[C_PLO] |= (uint64_t)(r->port_lo ^ pplo);
		pplo = r->port_lo;
		p[C_PSPAN] = put_uv(p[C_PSPAN], span);
		any[C_PSPAN] |= span;
		p[C_KIND] = put_uv(p[C_KIND], kf);
		any[C_KIND] |= kf;
		p[C_DEV] = put_uv(p[C_DEV], r->dev);
		any[C_DEV] |= r->dev;
		p[C_INIDX] = put_uv(p[C_INIDX], c->didx[i]);
		any[C_INIDX] |= c->didx[i];
		p[C_START] = put_sv(p[C_START], s - pstart);
		any[C_START] |= (uint64_t)(s - pstart);
		pstart = s;
		if (!(r->flags & STORE_F_OPEN))
			d = (r->end_ms - r->start_ms) / (int64_t)unit;
		p[C_DUR] = put_sv(p[C_DUR], d);
		any[C_DUR] |= (uint64_t)d;
		if (opt == 0)
			continue;
		if (opt & O_PROTO) {
			*p[C_PROTO]++ = r->proto;
			any[C_PROTO] |= r->proto;
		}
		if (opt & O_VRF) {
			p[C_VRF] = put_uv(p[C_VRF], r->vrf);
			any[C_VRF] |= r->vrf;
		}
		if (opt & O_SUB) {
			p[C_SUB] = put_uv(p[C_SUB], r->sub);
			any[C_SUB] |= r->sub;
		}
		if (opt & O_IN4)
			put_addr(p, any, C_IN4_HI, a128_of(&r->inside_v4),
			    &pin4);
		if (opt & O_INPORT) {
			p[C_INPORT] = put_uv(p[C_INPORT], r->inside_port);
			any[C_INPORT] |= r->inside_port;
		}
		if (opt & O_DST)
			put_addr(p, any, C_DST_HI, a128_of(&r->dst), &pdst);
		if (opt & O_DPORT) {
			p[C_DPORT] = put_uv(p[C_DPORT], r->dst_port);
			any[C_DPORT] |= r->dst_port;
		}
		if (opt & O_EVS) {
			t = r->ev_start ? (int64_t)(r->ev_start >> 16) -
			    r->start_ms : 0;
			p[C_EVS_T] = put_sv(p[C_EVS_T], t);
			p[C_EVS_N] = put_uv(p[C_EVS_N], r->ev_start ?
			    (r->ev_start & 0xffff) + 1 : 0);
			any[C_EVS_T] |= (uint64_t)t;
			any[C_EVS_N] |= r->ev_start;
		}
		if (opt & O_EVE) {
			t = r->ev_end ? (int64_t)(r->ev_end >> 16) -
			    r->end_ms : 0;
			p[C_EVE_T] = put_sv(p[C_EVE_T], t);
			p[C_EVE_N] = put_uv(p[C_EVE_N], r->ev_end ?
			    (r->ev_end & 0xffff) + 1 : 0);
			any[C_EVE_T] |= (uint64_t)t;
			any[C_EVE_N] |= r->ev_end;
		}
	}
	/* a column whose values are all zero is left out: it decodes as
	 * zeros */
	need = 64;
	for (k = 0; k < C_MAX; k++) {
		c->col[k].len = (size_t)(p[k] - c->col[k].p);
		if (any[k] != 0) {
			ncols++;
			need += 24 + c->col[k].len;
		}
	}
	if ((o = malloc(need)) == NULL)
		return CGN_ENOMEM;
	/* header: version, rows, base, unit, columns present */
	q = o;
	*q++ = BLK_VERSION;
	q = put_uv(q, n);
	q = put_sv(q, base);
	q = put_uv(q, unit);
	*q++ = (uint8_t)ncols;
	for (k = 0; k < C_MAX; k++) {
		const struct buf *src = &c->col[k];

		if (any[k] == 0)
			continue;
		z = c->level > 0 && blk_compress(c, src->p, src->len);
		*q++ = (uint8_t)k;
		*q++ = (uint8_t)z;
		q = put_uv(q, src->len);
		q = put_uv(q, z ? c->tmp.len : src->len);
		memcpy(q, z ? c->tmp.p : src->p, z ? c->tmp.len : src->len);
		q += z ? c->tmp.len : src->len;
	}
	*out = o;
	*outlen = (size_t)(q - o);
	return CGN_OK;
}


const uint8_t *
blk_bloom(struct blk_ctx *c, size_t *len)
{
	size_t i;

	*len = bloom_len(c->nd);
	buf_reset(&c->bloom);
	if (!buf_grow(&c->bloom, *len))
		return NULL;
	/* the dictionary is sorted: its ends are the range (an empty one,
	 * lowest above highest, holds nobody) */
	if (c->nd == 0) {
		struct a128 top = { UINT64_MAX, UINT64_MAX }, zero = { 0, 0 };

		bloom_init(c->bloom.p, *len, &top, &zero);
	} else {
		bloom_init(c->bloom.p, *len, &c->d128[0],
		    &c->d128[c->nd - 1]);
	}
	for (i = 0; i < c->nd; i++)
		bloom_add(c->bloom.p, *len, &c->d128[i]);
	c->bloom.len = *len;
	return c->bloom.p;
}
