/*
 * prng.h - the unit tests' random numbers: splitmix64, so that a seed
 * gives the same numbers on every machine. Parser tests set prng_state
 * directly; store tests call prng_seed().
 */
#ifndef PRNG_H
#define PRNG_H

#include <stdint.h>

extern uint64_t prng_state;

/* Restart at seed. */
void prng_seed(uint64_t seed);
uint64_t prng(void);

#endif /* PRNG_H */
