/*
 * spool_crc.c - CRC32C (see spool_crc.h).
 *
 * On x86-64 with SSE4.2 the crc32 instruction takes 8 bytes at a time
 * (measured by make bench-spool: a few ns per event); the choice is made
 * once, at the first call. Elsewhere a byte-at-a-time table. Not here:
 * what is checksummed (spool.c).
 */
#include <pthread.h>
#include <string.h>

#include "spool_crc.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#define POLY 0x82f63b78u	/* Castagnoli, bits reversed */

static uint32_t table[256];
static int hw;			/* the CPU has SSE4.2 */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
init(void)
{
	uint32_t c;
	unsigned i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? c >> 1 ^ POLY : c >> 1;
		table[i] = c;
	}
#if defined(__x86_64__)
	hw = __builtin_cpu_supports("sse4.2");
#endif
}

uint32_t
spool_crc_table(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;

	pthread_once(&once, init);
	crc = ~crc;
	while (n-- > 0)
		crc = table[(crc ^ *b++) & 0xff] ^ crc >> 8;
	return ~crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t
crc_hw(uint32_t crc, const uint8_t *b, size_t n)
{
	uint64_t c = ~crc, w;

	for (; n >= 8; n -= 8, b += 8) {
		memcpy(&w, b, 8);	/* unaligned; little-endian */
		c = _mm_crc32_u64(c, w);
	}
	for (; n > 0; n--)
		c = _mm_crc32_u8((uint32_t)c, *b++);
	return ~(uint32_t)c;
}
#endif

uint32_t
spool_crc(uint32_t crc, const void *p, size_t n)
{
	pthread_once(&once, init);
#if defined(__x86_64__)
	if (hw)
		return crc_hw(crc, p, n);
#endif
	return spool_crc_table(crc, p, n);
}
