/*
 * bloom.h - a block's inside addresses as a Bloom filter, so that a search
 * by subscriber (cgnq history --inside) reads only the blocks that may
 * hold it. Without it every block of every shard in the period had its
 * dictionary inflated and read: seconds per shard on a busy day, for a
 * question asked over months. Private to store/.
 *
 * Blob: [probes u8][lowest address 16][highest address 16][bits,
 * little-endian within bytes]; 6 bits per distinct address, rounded up to
 * 64, and 4 probes: about 1 block in 18 that does not hold the address is
 * read all the same. The range comes first: where a public address
 * serves a contiguous range of subscribers (deterministic NAT, RFC 7422,
 * and cgnlog-gen's pools), it alone rules out almost every block. The
 * probes come from one 64-bit hash (double hashing), reduced to the
 * filter's size by multiplication, not division. Addresses are 16-byte
 * IPv4-mapped or IPv6, compared as a128 (hi, then lo).
 */
#ifndef BLOOM_H
#define BLOOM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "a128.h"

#define BLOOM_BITS_PER_KEY 6
#define BLOOM_PROBES 4

#define BLOOM_HDR 33	/* probes, lowest, highest */

/* Bytes of the blob for nkeys distinct addresses. */
static inline size_t
bloom_len(size_t nkeys)
{
	size_t bits = (nkeys * BLOOM_BITS_PER_KEY + 63) / 64 * 64;

	return BLOOM_HDR + (bits ? bits : 64) / 8;
}

static inline uint64_t
bloom_hash(const struct a128 *a)
{
	uint64_t h = a->hi * 0x9e3779b97f4a7c15ULL ^ a->lo;

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

/* The i-th probe's bit among nbits. */
static inline uint32_t
bloom_bit(uint64_t h, int i, uint32_t nbits)
{
	uint32_t x = (uint32_t)h + (uint32_t)i * ((uint32_t)(h >> 32) | 1);

	return (uint32_t)(((uint64_t)x * nbits) >> 32);
}

/* Start an empty filter in b (bloom_len bytes) for addresses lo..hi. */
static inline void
bloom_init(uint8_t *b, size_t len, const struct a128 *lo,
    const struct a128 *hi)
{
	struct cgn_addr t;

	/* the range as addresses are stored: big-endian, 16 bytes each */
	b[0] = BLOOM_PROBES;
	a128_set(&t, lo->hi, lo->lo);
	memcpy(b + 1, t.b, 16);
	a128_set(&t, hi->hi, hi->lo);
	memcpy(b + 17, t.b, 16);
	memset(b + BLOOM_HDR, 0, len - BLOOM_HDR);
}

static inline void
bloom_add(uint8_t *b, size_t len, const struct a128 *a)
{
	uint64_t h = bloom_hash(a);
	uint32_t nbits = (uint32_t)((len - BLOOM_HDR) * 8), bit;
	int i;

	for (i = 0; i < b[0]; i++) {
		bit = bloom_bit(h, i, nbits);
		b[BLOOM_HDR + bit / 8] |= (uint8_t)(1u << (bit % 8));
	}
}

/* 0 if the block surely lacks a; 1 if it may hold it, or the blob is not
 * a filter this code reads (then the block is read). */
static inline int
bloom_may_have(const uint8_t *b, size_t len, const struct a128 *a)
{
	struct cgn_addr t;
	struct a128 lo, hi;
	uint64_t h;
	uint32_t nbits, bit;
	int i;

	if (len <= BLOOM_HDR || b[0] == 0 || b[0] > 16)
		return 1;
	memcpy(t.b, b + 1, 16);
	lo = a128_of(&t);
	memcpy(t.b, b + 17, 16);
	hi = a128_of(&t);
	if (a128_cmp(a, &lo) < 0 || a128_cmp(a, &hi) > 0)
		return 0;
	h = bloom_hash(a);
	nbits = (uint32_t)((len - BLOOM_HDR) * 8);
	for (i = 0; i < b[0]; i++) {
		bit = bloom_bit(h, i, nbits);
		if (!(b[BLOOM_HDR + bit / 8] & (1u << (bit % 8))))
			return 0;
	}
	return 1;
}

#endif /* BLOOM_H */
