/*
 * radix.h - LSD radix sorts for the writer's hot paths (block order, the
 * inside-address dictionary), where qsort's comparisons and copies cost
 * more than the encoding itself. Private to store/.
 */
#ifndef RADIX_H
#define RADIX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Sort a[0..n) of 32-bit values; tmp has room for n. 8-bit digits: the
 * counters stay in L1 for the small arrays this sees (a block). */
static inline void
radix_u32(uint32_t *a, uint32_t *tmp, size_t n)
{
	size_t cnt[256], i, pos;
	uint32_t *src = a, *dst = tmp, *sw;
	int shift;

	for (shift = 0; shift < 32; shift += 8) {
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> shift) & 255]++;
		for (i = 0, pos = 0; i < 256; i++) {
			size_t c = cnt[i];

			cnt[i] = pos;
			pos += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & 255]++] = src[i];
		sw = src;
		src = dst;
		dst = sw;
	}
	/* four passes: the result is back in a */
}

/* Digit of radix_kv: 12 bits measured faster than 16 (-20% a row at
 * 65,536 to 1,000,000 pairs; the 16-bit counters no longer fit a cache
 * level, and each pass scatters to 65,536 places) and than 8 or 11. */
#define RADIX_KV_BITS 12
#define RADIX_KV_CNT (1u << RADIX_KV_BITS)

/*
 * Stable sort of n (key, idx) pairs by key bits lo..hi-1 (the others must
 * be equal in every key), RADIX_KV_BITS a pass; k2/i2 are scratch of n.
 * The result ends in k/i.
 */
static inline void
radix_kv(uint64_t *k, uint32_t *idx, uint64_t *k2, uint32_t *i2, size_t n,
    int lo, int hi, size_t *cnt /* RADIX_KV_CNT entries */)
{
	uint64_t *ks = k, *kd = k2, *kt;
	uint32_t *is = idx, *id = i2, *it;
	size_t i, pos;
	int shift, passes = 0;

	for (shift = lo; shift < hi; shift += RADIX_KV_BITS, passes++) {
		memset(cnt, 0, RADIX_KV_CNT * sizeof(*cnt));
		for (i = 0; i < n; i++)
			cnt[(ks[i] >> shift) & (RADIX_KV_CNT - 1)]++;
		for (i = 0, pos = 0; i < RADIX_KV_CNT; i++) {
			size_t c = cnt[i];

			cnt[i] = pos;
			pos += c;
		}
		for (i = 0; i < n; i++) {
			size_t d = cnt[(ks[i] >> shift) & (RADIX_KV_CNT - 1)]++;

			kd[d] = ks[i];
			id[d] = is[i];
		}
		kt = ks; ks = kd; kd = kt;
		it = is; is = id; id = it;
	}
	if (passes % 2 == 1) {
		memcpy(k, ks, n * sizeof(*k));
		memcpy(idx, is, n * sizeof(*idx));
	}
}

#endif /* RADIX_H */
