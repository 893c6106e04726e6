/*
 * merge.h - one allocation, many records: the open record written when it
 * began, checkpoints, the closed record, duplicates from HA pairs. Merging
 * keeps the best-known form of each. Private to store/.
 */
#ifndef MERGE_H
#define MERGE_H

#include <stddef.h>

#include "ival.h"

/* Order of rows in a block: public address, first port, start. */
int ival_cmp(const void *a, const void *b);
/* Sort rows into that order (CGN_ENOMEM leaves them as they were). */
int ival_sort(struct ival *rows, size_t n);
/* The same as indices: order[] (room for n) gets the rows' positions in
 * that order; the rows stay where they are. */
int ival_order(const struct ival *rows, size_t n, uint32_t *order);
/* ival_merge by indices: collapses in place (the kept row of each
 * allocation is updated), order[] gets the kept rows in block order;
 * returns how many (0 only for n == 0 or out of memory). */
size_t ival_merge_order(struct ival *rows, size_t n, uint32_t *order);

/*
 * Sort rows by (outside, first port, start, ...) - the block order - and
 * collapse records of the same allocation (same device, kind, protocol,
 * addresses, ports, VRF, destination and start) into one: a closed record
 * beats an open one, a logged end beats a guessed one, and of two equal the
 * earlier end wins. Returns the new count.
 */
size_t ival_merge(struct ival *rows, size_t n);

/* a and b share address, first port and start: records that may be of one
 * allocation, a group the collapse looks into. */
int ival_same_group(const struct ival *a, const struct ival *b);

/*
 * The same collapse for the rows of g[0..n), which are in block order and
 * share address, first port and start (one group, as a merge of sorted
 * runs meets them), in arrival order. Survivors are moved to the front in
 * their order; returns how many.
 */
size_t ival_collapse(struct ival *g, size_t n);

/* Leave out of rows[0..n) the records ival_merge_order folded into
 * others (marked so; what they said lives on in the one kept), keeping
 * the order of the rest; returns how many are left. */
size_t ival_drop_merged(struct ival *rows, size_t n);

/* How well an end is known: 3 logged, 2 reuse, 1 max age/idle, 0 open. */
int ival_end_rank(const struct ival *iv);

#endif /* MERGE_H */
