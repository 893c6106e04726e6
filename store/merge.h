/*
 * merge.h - one allocation, many records: the open record written when it
 * began, checkpoints, the closed record, duplicates from HA pairs. Merging
 * keeps the best-known form of each. Private to store/.
 */
#ifndef MERGE_H
#define MERGE_H

#include <stddef.h>

#include "ival.h"

/*
 * Sort rows by (outside, first port, start, ...) - the block order - and
 * collapse records of the same allocation (same device, kind, protocol,
 * addresses, ports, VRF and start) into one: a closed record beats an open
 * one, a logged end beats a guessed one, and of two equal the earlier end
 * wins. Returns the new count.
 */
size_t ival_merge(struct ival *rows, size_t n);

/* How well an end is known: 3 logged, 2 reuse, 1 max age/idle, 0 open. */
int ival_end_rank(const struct ival *iv);

#endif /* MERGE_H */
