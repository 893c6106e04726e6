/*
 * codec_dec.c - a block back to rows: all of them, or only those of one
 * public address and port range, or of one inside address (see codec.h;
 * the picture is in shard.h).
 *
 * A lookup first reads the address and port columns (or the dictionary)
 * and decodes the rest only if a row matches. Rows are decoded a column at
 * a time, each a tight loop over the block; a column left out (all zeros)
 * costs nothing. Every read is bounds-checked: a damaged block is
 * CGN_EMALFORMED, never a crash, and adds no rows.
 * Not here: encoding (codec_enc.c), inflating (codec.c).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "codec_int.h"
#include "store.h"

int
blk_hdr_parse(const uint8_t *buf, size_t len, struct blk_hdr *h)
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
	int rc;

	if (h->src[k] == NULL) {
		r->p = zeros;
		r->end = NULL;	/* marks "absent": see col_u */
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
		if (!buf_grow(dst, h->rawlen[k] + 1))
			return CGN_ENOMEM;
		if ((rc = blk_inflate(c, h->src[k], h->srclen[k], dst->p,
		    h->rawlen[k])) != CGN_OK)
			return rc;
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

/* The field at offset off of row i. */
#define FLD(rows, i, off, type)	(*(type *)((char *)&(rows)[i] + (off)))

/*
 * Which rows a decode writes, as runs along the block: skip rows, then
 * take rows, and again; the taken rows are written one after another. A
 * merge takes the whole block (one run). A lookup takes a few rows of a
 * block's thousand, mostly side by side (one port block's holdings): a
 * column whose values do not add up (spans, kinds, ids, durations) is
 * passed over without decoding where no row is taken, and every column
 * past the last row taken. Decoding every row and copying out the few
 * was a third of a lookup's time.
 */
struct pick {
	uint32_t skip, take;
};

/* Skip k values of a column that deltas do not chain (absent: nothing). */
static inline void
col_skip(struct vrd *r, size_t k)
{
	if (r->end != NULL && k > 0)
		vrd_skip(r, k);
}

/* An address column pair into the field at off of the rows taken. */
static void
dec_addr(struct vrd *hi, struct vrd *lo, struct ival *rows,
    const struct pick *pk, size_t npk, size_t off)
{
	struct a128 v = { 0, 0 };
	size_t i, k, j = 0;

	if (hi->end == NULL && lo->end == NULL)
		return;		/* all zero, as the rows are */
	for (k = 0; k < npk; k++) {
		for (i = 0; i < pk[k].skip; i++) {
			v.hi += (uint64_t)col_s(hi);
			v.lo += (uint64_t)col_s(lo);
		}
		for (i = 0; i < pk[k].take; i++) {
			v.hi += (uint64_t)col_s(hi);
			v.lo += (uint64_t)col_s(lo);
			a128_set(&FLD(rows, j++, off, struct cgn_addr), v.hi,
			    v.lo);
		}
	}
}

/* An unsigned column into the field at off, a uint32_t or (wide 0) a
 * uint16_t. */
static void
dec_uint(struct vrd *r, struct ival *rows, const struct pick *pk,
    size_t npk, size_t off, int wide)
{
	size_t i, k, j = 0;
	uint64_t v;

	if (r->end == NULL)
		return;
	for (k = 0; k < npk; k++) {
		col_skip(r, pk[k].skip);
		for (i = 0; i < pk[k].take; i++, j++) {
			v = vrd_varint(r);
			if (wide)
				FLD(rows, j, off, uint32_t) = (uint32_t)v;
			else
				FLD(rows, j, off, uint16_t) = (uint16_t)v;
		}
	}
}

/* An evidence ref pair (time relative to the field at toff, written
 * before) into the field at off. */
static void
dec_ref(struct vrd *rt, struct vrd *rn, struct ival *rows,
    const struct pick *pk, size_t npk, size_t off, size_t toff)
{
	uint64_t t, lo;
	size_t i, k, j = 0;

	if (rn->end == NULL)
		return;		/* no refs: all zero */
	for (k = 0; k < npk; k++) {
		col_skip(rt, pk[k].skip);
		col_skip(rn, pk[k].skip);
		for (i = 0; i < pk[k].take; i++, j++) {
			t = (uint64_t)(col_s(rt) + FLD(rows, j, toff, int64_t));
			lo = vrd_varint(rn);
			FLD(rows, j, off, uint64_t) = lo ? t << 16 | (lo - 1) : 0;
		}
	}
}

/* The sorted distinct inside addresses into c->dict; their count. */
static int
dec_dict(struct blk_ctx *c, struct vrd *hi, struct vrd *lo, size_t n,
    uint64_t *nd)
{
	struct cgn_addr pd = { { 0 } };
	size_t i;

	*nd = col_u(hi);
	if (*nd > n || (*nd == 0 && n > 0))
		return CGN_EMALFORMED;
	if (c->dictcap < *nd) {
		free(c->dict);
		if ((c->dict = malloc(*nd * sizeof(*c->dict))) == NULL) {
			c->dictcap = 0;
			return CGN_ENOMEM;
		}
		c->dictcap = (size_t)*nd;
	}
	for (i = 0; i < *nd; i++) {
		col_addr(hi, lo, &pd);
		c->dict[i] = pd;
	}
	return CGN_OK;
}

/* Decode the rows pk takes (nkeep of them) into rows. */
static int
decode_into(struct blk_ctx *c, struct blk_hdr *h, const struct pick *pk,
    size_t npk, size_t nkeep, struct ival *rows)
{
	struct vrd r[C_MAX];
	uint64_t nd, idx, kf;
	int64_t s = 0, d;
	uint16_t plo = 0;
	size_t i, j, k, upto, tail;
	int c_, rc, bad = 0;

	for (c_ = 0; c_ < C_MAX; c_++)
		if ((rc = col_open(c, h, c_, &r[c_])) != CGN_OK)
			return rc;
	if ((rc = dec_dict(c, &r[C_DICT_HI], &r[C_DICT_LO], h->n, &nd)) !=
	    CGN_OK)
		return rc;
	memset(rows, 0, nkeep * sizeof(*rows));
	dec_addr(&r[C_OUT_HI], &r[C_OUT_LO], rows, pk, npk,
	    offsetof(struct ival, outside));
	for (k = 0, j = 0; k < npk; k++) {
		for (i = 0; i < pk[k].skip; i++)
			plo = (uint16_t)(plo + col_s(&r[C_PLO]));
		col_skip(&r[C_PSPAN], pk[k].skip);
		for (i = 0; i < pk[k].take; i++, j++) {
			plo = (uint16_t)(plo + col_s(&r[C_PLO]));
			rows[j].port_lo = plo;
			rows[j].port_hi = (uint16_t)(plo + col_u(&r[C_PSPAN]));
		}
	}
	if (r[C_PROTO].end != NULL) {
		for (k = 0, j = 0; k < npk && !bad; k++) {
			if ((size_t)(r[C_PROTO].end - r[C_PROTO].p) <
			    (size_t)pk[k].skip + pk[k].take) {
				bad = 1;
				break;
			}
			r[C_PROTO].p += pk[k].skip;
			for (i = 0; i < pk[k].take; i++)
				rows[j++].proto = *r[C_PROTO].p++;
		}
	}
	for (k = 0, j = 0; k < npk; k++) {
		col_skip(&r[C_KIND], pk[k].skip);
		for (i = 0; i < pk[k].take; i++, j++) {
			kf = vrd_varint(&r[C_KIND]);
			rows[j].kind = (uint8_t)(kf & 3);
			rows[j].flags = (uint16_t)(kf >> 2);
		}
	}
	dec_uint(&r[C_DEV], rows, pk, npk, offsetof(struct ival, dev), 1);
	dec_uint(&r[C_VRF], rows, pk, npk, offsetof(struct ival, vrf), 1);
	dec_uint(&r[C_SUB], rows, pk, npk, offsetof(struct ival, sub), 1);
	for (k = 0, j = 0; k < npk && !bad; k++) {
		col_skip(&r[C_INIDX], pk[k].skip);
		for (i = 0; i < pk[k].take && !bad; i++) {
			if ((idx = col_u(&r[C_INIDX])) >= nd)
				bad = 1;
			else
				rows[j++].inside = c->dict[idx];
		}
	}
	dec_addr(&r[C_IN4_HI], &r[C_IN4_LO], rows, pk, npk,
	    offsetof(struct ival, inside_v4));
	dec_uint(&r[C_INPORT], rows, pk, npk, offsetof(struct ival,
	    inside_port), 0);
	for (k = 0, j = 0; k < npk; k++) {
		for (i = 0; i < pk[k].skip; i++)
			s += col_s(&r[C_START]);
		col_skip(&r[C_DUR], pk[k].skip);
		for (i = 0; i < pk[k].take; i++, j++) {
			s += col_s(&r[C_START]);
			d = col_s(&r[C_DUR]);
			rows[j].start_ms = h->base + s * h->unit;
			rows[j].end_ms = rows[j].start_ms + d * h->unit;
		}
	}
	dec_addr(&r[C_DST_HI], &r[C_DST_LO], rows, pk, npk,
	    offsetof(struct ival, dst));
	dec_uint(&r[C_DPORT], rows, pk, npk, offsetof(struct ival, dst_port),
	    0);
	dec_ref(&r[C_EVS_T], &r[C_EVS_N], rows, pk, npk,
	    offsetof(struct ival, ev_start), offsetof(struct ival, start_ms));
	dec_ref(&r[C_EVE_T], &r[C_EVE_N], rows, pk, npk,
	    offsetof(struct ival, ev_end), offsetof(struct ival, end_ms));
	/* the rows after the last one taken are passed over, not decoded,
	 * in every column: a column that runs out before the block's last
	 * row is damaged, as when every row was decoded */
	for (k = 0, upto = 0; k < npk; k++)
		upto += (size_t)pk[k].skip + pk[k].take;
	tail = upto < h->n ? h->n - upto : 0;
	for (c_ = 0; c_ < C_MAX; c_++)
		if (c_ != C_DICT_HI && c_ != C_DICT_LO && c_ != C_PROTO)
			col_skip(&r[c_], tail);
	if (r[C_PROTO].end != NULL &&
	    (size_t)(r[C_PROTO].end - r[C_PROTO].p) < tail)
		bad = 1;
	for (c_ = 0; c_ < C_MAX; c_++)
		bad |= r[c_].bad;
	return bad ? CGN_EMALFORMED : CGN_OK;
}

/* The runs of mask (n rows, nsel set) into c->picks; their count. */
static int
picks_of(struct blk_ctx *c, const uint8_t *mask, size_t n, size_t *npk)
{
	size_t i = 0, k = 0, a;

	while (i < n) {
		if (k == c->pickcap) {
			size_t nc = c->pickcap ? c->pickcap * 2 : 16;
			struct pick *np = realloc(c->picks, nc * sizeof(*np));

			if (np == NULL)
				return CGN_ENOMEM;
			c->picks = np;
			c->pickcap = nc;
		}
		for (a = i; i < n && !mask[i]; i++)
			;
		if (i == n)
			break;	/* nothing taken past the last run */
		c->picks[k].skip = (uint32_t)(i - a);
		for (a = i; i < n && mask[i]; i++)
			;
		c->picks[k++].take = (uint32_t)(i - a);
	}
	*npk = k;
	return CGN_OK;
}

/* Rows with mask[i] (mask NULL: all; nsel of them) appended to *rows. */
static int
decode_rows(struct blk_ctx *c, struct blk_hdr *h, const uint8_t *mask,
    size_t nsel, struct ival **rows, size_t *n, size_t *cap)
{
	struct pick all;
	const struct pick *pk = &all;
	size_t npk = 1;
	int rc;

	if (mask == NULL) {
		all.skip = 0;
		all.take = (uint32_t)h->n;
		nsel = h->n;
	} else if ((rc = picks_of(c, mask, h->n, &npk)) != CGN_OK) {
		return rc;
	} else {
		pk = c->picks;
	}
	if ((rc = grow_rows(rows, cap, *n + nsel)) != CGN_OK ||
	    (rc = decode_into(c, h, pk, npk, nsel, *rows + *n)) != CGN_OK)
		return rc;
	*n += nsel;
	return CGN_OK;
}

int
blk_decode(struct blk_ctx *c, const uint8_t *buf, size_t len,
    struct ival **rows, size_t *n, size_t *cap)
{
	struct blk_hdr h;
	int rc;

	if ((rc = blk_hdr_parse(buf, len, &h)) != CGN_OK)
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

	if ((rc = blk_hdr_parse(buf, len, &h)) != CGN_OK ||
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

	if ((rc = blk_hdr_parse(buf, len, &h)) != CGN_OK ||
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
