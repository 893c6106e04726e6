/* prng.c - splitmix64 for the unit tests (prng.h). */
#include "prng.h"

uint64_t prng_state;

void
prng_seed(uint64_t seed)
{
	prng_state = seed;
}

uint64_t
prng(void)
{
	uint64_t z = (prng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
