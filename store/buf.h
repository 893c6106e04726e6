/*
 * buf.h - a growable byte buffer and LEB128 varints, for the block codec
 * and the evidence blocks. Private to store/.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	uint8_t *p;
	size_t len, cap;
	int oom;		/* sticky: an append failed to grow */
};

static inline int
buf_grow(struct buf *b, size_t more)
{
	size_t cap;
	uint8_t *p;

	if (b->oom)
		return 0;
	if (b->len + more <= b->cap)
		return 1;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return 0;
	}
	b->p = p;
	b->cap = cap;
	return 1;
}

static inline void
buf_put(struct buf *b, const void *src, size_t n)
{
	if (n == 0 || !buf_grow(b, n))
		return;
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static inline void
buf_u8(struct buf *b, uint8_t v)
{
	if (buf_grow(b, 1))
		b->p[b->len++] = v;
}

static inline void
buf_varint(struct buf *b, uint64_t v)
{
	if (!buf_grow(b, 10))
		return;
	while (v >= 0x80) {
		b->p[b->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->p[b->len++] = (uint8_t)v;
}

static inline uint64_t
zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t
unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static inline void
buf_svarint(struct buf *b, int64_t v)
{
	buf_varint(b, zigzag(v));
}

static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->oom = 0;
}

static inline void
buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Reading varints back: a cursor with a sticky error like rd.h. */
struct vrd {
	const uint8_t *p, *end;
	int bad;
};

static inline uint64_t
vrd_varint(struct vrd *r)
{
	uint64_t v = 0;
	int shift = 0;

	while (r->p < r->end && shift < 64) {
		uint8_t c = *r->p++;

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
	r->bad = 1;
	r->p = r->end;
	return 0;
}

static inline int64_t
vrd_svarint(struct vrd *r)
{
	return unzigzag(vrd_varint(r));
}

/* Pass over n varints without decoding them: a word at a time, counting
 * the bytes that end one (high bit clear), while the n-th end lies
 * beyond the word. */
static inline void
vrd_skip(struct vrd *r, size_t n)
{
	uint64_t w, ends;
	size_t c;

	while (n > 0 && r->end - r->p >= 8) {
		memcpy(&w, r->p, 8);
		ends = (~w & 0x8080808080808080ULL) >> 7;
		c = (size_t)((ends * 0x0101010101010101ULL) >> 56);
		if (c >= n)
			break;
		n -= c;
		r->p += 8;
	}
	while (n > 0 && r->p < r->end)
		if (!(*r->p++ & 0x80))
			n--;
	if (n > 0) {
		r->bad = 1;
		r->p = r->end;
	}
}

#endif /* BUF_H */
