/*
 * rd.h - a bounds-checked big-endian byte reader.
 *
 * Never lay a struct over a packet: alignment, padding and the sender's
 * honesty are not ours to assume. A read past the end returns 0, moves the
 * cursor to the end and sets short_read, which is sticky: a parser reads a
 * whole record and checks once.
 */
#ifndef RD_H
#define RD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p;	/* next byte */
	const uint8_t *end;	/* one past the last */
	int short_read;		/* a read ran past end */
};

static inline void
rd_init(struct rd *r, const uint8_t *buf, size_t len)
{
	r->p = buf;
	r->end = buf + len;
	r->short_read = 0;
}

static inline size_t
rd_left(const struct rd *r)
{
	return (size_t)(r->end - r->p);
}

static inline int
rd_need(struct rd *r, size_t n)
{
	if (rd_left(r) < n) {
		r->short_read = 1;
		r->p = r->end;
		return 0;
	}
	return 1;
}

/* The big-endian value at p, whose bytes the caller has checked are
 * there (netlink attributes, fixed-length records). */
static inline uint16_t
rd_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
rd_get64(const uint8_t *p)
{
	return (uint64_t)rd_get32(p) << 32 | rd_get32(p + 4);
}

static inline uint8_t
rd_u8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return *r->p++;
}

static inline uint16_t
rd_u16(struct rd *r)
{
	if (!rd_need(r, 2))
		return 0;
	r->p += 2;
	return rd_get16(r->p - 2);
}

static inline uint32_t
rd_u32(struct rd *r)
{
	if (!rd_need(r, 4))
		return 0;
	r->p += 4;
	return rd_get32(r->p - 4);
}

static inline uint64_t
rd_u64(struct rd *r)
{
	uint64_t hi = rd_u32(r);

	return hi << 32 | rd_u32(r);
}

/* An unsigned integer of n bytes (1..8): IPFIX reduced-size encoding. */
static inline uint64_t
rd_uint(struct rd *r, size_t n)
{
	uint64_t v = 0;
	size_t i;

	if (n > 8 || !rd_need(r, n))
		return 0;
	for (i = 0; i < n; i++)
		v = v << 8 | r->p[i];
	r->p += n;
	return v;
}

static inline void
rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (!rd_need(r, n)) {
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, r->p, n);
	r->p += n;
}

static inline void
rd_skip(struct rd *r, size_t n)
{
	if (rd_need(r, n))
		r->p += n;
}

#endif /* RD_H */
