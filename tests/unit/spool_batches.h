/*
 * spool_batches.h - batches for the spool tests, and the checks that one
 * came back from the spool as it went in (cmocka asserts).
 */
#ifndef SPOOL_BATCHES_H
#define SPOOL_BATCHES_H

#include "ptest.h"
#include "ring.h"

/* Batch number k: k+1 messages "m<k>.<i>", one event each, one gap. */
void fill(struct batch *b, int k);
/* b is fill(b, k)'s batch. */
void assert_batch(const struct batch *b, int k);
/* Three messages and three gaps with everything a field can hold (see
 * spool_batches.c). */
void fill_wide(struct batch *b);
/* Every field of every message, gap and event, and the raw bytes. */
void assert_batch_equal(const struct batch *a, const struct batch *b);
/* a from IPv4 or IPv6 text */
void set_addr(struct cgn_addr *a, const char *s);

#endif /* SPOOL_BATCHES_H */
