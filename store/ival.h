/*
 * ival.h - one allocation interval as the store keeps it internally:
 * device and subscriber are shard-local ids, not names. Private to store/;
 * readers get struct store_hit (store.h) with names filled in.
 */
#ifndef IVAL_H
#define IVAL_H

#include "cgn.h"

struct ival {
	struct cgn_addr outside;	/* public address */
	struct cgn_addr inside;		/* subscriber */
	struct cgn_addr inside_v4;	/* DS-Lite inner IPv4, else zero */
	struct cgn_addr dst;		/* session destination, else zero */
	int64_t start_ms;
	int64_t end_ms;			/* meaningless while STORE_F_OPEN */
	uint64_t ev_start;		/* evidence ref of the opening event */
	uint64_t ev_end;		/* ... of the closing event; 0: none */
	uint32_t dev;			/* shard-local device id (>= 1) */
	uint32_t vrf;
	uint32_t sub;			/* shard-local subscriber id, 0: none */
	uint16_t port_lo, port_hi;
	uint16_t inside_port;
	uint16_t dst_port;
	uint16_t flags;			/* STORE_F_* */
	uint8_t proto;
	uint8_t kind;			/* STORE_K_* */
};

/* Ask the memory for r, which spans two cache lines. */
static inline void
ival_prefetch(const struct ival *r)
{
	__builtin_prefetch(r);
	__builtin_prefetch((const char *)r + sizeof(*r) - 1);
}

#endif /* IVAL_H */
