/*
 * pair_int.h - the table of open allocations inside: entries, the hash
 * index over them, IPv6 interning, rare fields, tombstones and device
 * clocks. Shared by pair_tab.c (the table) and pair.c (the rules); private
 * to them. The contract of both is pair.h.
 *
 * Memory is the constraint: a big CGN has hundreds of thousands of blocks
 * open at once, and millions of sessions. An entry is 48 bytes in chunked
 * storage, found through an open-addressing index of 32-bit slots; IPv4
 * addresses are stored inline, IPv6 ones interned once.
 *
 * A session's destination, where the device logged one, is part of its
 * identity (a NAT with address-and-port-dependent mapping gives one public
 * port to several subscribers at once, for different destinations). It is
 * kept in the rare fields, so blocks and sessions without one pay nothing,
 * and it is left out of the hash: the sessions of one public port with
 * different destinations share a probe path, so a release without a
 * destination can find every one of them.
 */
#ifndef PAIR_INT_H
#define PAIR_INT_H

#include <string.h>

#include "a128.h"
#include "pair.h"

enum { ST_FREE = 0, ST_OPEN = 1, ST_CLOSED = 2 };
#define ST_MASK 0x3
#define ST_OUT6 0x4		/* out is an index into the v6 table */
#define ST_IN6 0x8		/* in is an index into the v6 table */
#define ST_DST 0x10		/* a session with a destination (in extra) */

struct pair_ent {
	int64_t start_ms;	/* allocation start */
	uint64_t ev_start;	/* evidence ref of the start */
	uint32_t out, in;	/* IPv4 (host order) or v6 table index */
	int32_t last_ds;	/* open: last news; closed: end; in tenths of
				 * a second after start_ms */
	uint32_t wp;		/* last period holding a record of it */
	uint32_t extra;		/* index + 1 into the rare-fields table */
	uint16_t lo, hi;
	uint16_t dev;
	uint16_t in_port;
	uint8_t proto, kind;
	uint8_t flags;		/* STORE_F_* of the start (low byte) */
	uint8_t st;		/* ST_* | ST_OUT6 | ST_IN6 */
};

/* A closed allocation kept for the duplicate window, in close order. */
struct tomb {
	int64_t end_ms;
	uint32_t idx;
	uint32_t hash;		/* low half of its key hash: where to look */
};

/*
 * A device's own clock: its latest event time and when we received it.
 * Expiry measures "no news for so long" on this clock, so a backfill of
 * last week's logs pairs like the live stream did, and a device that
 * goes silent still ages at wall-clock speed from its last message.
 */
struct dev_clock {
	int64_t ev_ms;
	int64_t rx_ms;
};

/* Fields most allocations don't have (VRF, subscriber id, DS-Lite inner
 * address, a session's destination): kept aside, so an entry stays 48
 * bytes. */
struct pair_extra {
	uint32_t vrf, sub, in4;
	uint32_t next_free;	/* free list, index + 1 */
	uint32_t dst;		/* IPv4 (host order), or with dst6 an index
				 * into the destination table */
	uint16_t dport;
	uint8_t dst6;
	uint8_t pad;
};

/*
 * IPv6 destinations, one slot per session holding one, given back when
 * the session is forgotten: unlike insides (one per subscriber) they are
 * as many as the addresses on the Internet, so they are not interned.
 */
struct d6pool {
	struct cgn_addr *a;
	uint32_t n, cap;
	uint32_t free_head;	/* index + 1, linked through a[i].b[0..3] */
};

#define CHUNK_BITS 12
#define CHUNK (1u << CHUNK_BITS)

/*
 * An index slot: 0 empty, else the entry's index + 1 in the low IDX_BITS
 * and the top bits of its key hash above them. A probe compares those
 * bits first and reads an entry (a cache miss each, the table being far
 * bigger than the cache) only when they agree: one in 64 of the others.
 *
 * A removed entry leaves a grave (GRAVE: an index no entry has) that
 * probes pass over and an insertion takes, rather than shifting the slots
 * after it back: that shift has to know the home of every slot up to the
 * next empty one, a read of its entry each, where a grave costs nothing.
 * Graves count towards the load; when they fill the slack, the index is
 * built again from the entries in storage order (ptab_grow).
 */
#define IDX_BITS 26
#define IDX_MASK ((1u << IDX_BITS) - 1)
#define ENT_MAX (IDX_MASK - 1)	/* entries the index can name */
#define GRAVE IDX_MASK		/* names entry ENT_MAX: none */

struct v6tab {
	struct cgn_addr *a;
	uint32_t n, cap;
	uint32_t *slot;		/* index + 1, 0: empty */
	uint32_t mask;
};

struct pair_tab {
	struct pair_cfg cfg;
	int64_t since_ms;
	struct pair_ent **chunk;	/* entries, CHUNK per chunk */
	uint32_t nchunk;
	uint32_t used;			/* high-water entry count */
	uint32_t free_head;		/* free list through .out, +1 */
	uint32_t live;			/* open + tombstones */
	uint32_t graves;		/* GRAVE slots */
	uint32_t open;
	uint32_t open_peak;		/* most open at once */
	uint32_t *slot;			/* the index (see IDX_BITS) */
	uint32_t mask;			/* slots - 1 */
	struct v6tab v6;
	struct pair_extra *x;		/* rare fields */
	struct d6pool d6;		/* IPv6 destinations */
	uint32_t nx, capx, x_free;
	struct tomb *tq;		/* tombstones, oldest first (ring) */
	size_t tq_head, tq_n, tq_cap;
	int64_t now;			/* latest event time seen */
	int64_t rx;			/* receive time of this message */
	struct dev_clock *dclk;		/* by device id */
	uint32_t ndclk;
};

/* The destination part of a key: none, IPv4 inline, or IPv6 by value. */
enum { DK_NONE = 0, DK_V4 = 1, DK_V6 = 2 };

/* The lookup key of an allocation. The hash covers all but the
 * destination (see the top of this file). */
struct pkey {
	uint32_t out;		/* as in pair_ent */
	uint16_t lo, dev;
	uint8_t kind, proto, out6;
	uint8_t dk;		/* DK_* */
	uint16_t dport;
	uint32_t dst4;		/* DK_V4: host order */
	const struct cgn_addr *dst6;	/* DK_V6 */
};

static inline struct pair_ent *
ptab_ent(const struct pair_tab *t, uint32_t i)
{
	return &t->chunk[i >> CHUNK_BITS][i & (CHUNK - 1)];
}

static inline uint64_t
ptab_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* A key's hash: one multiply, then the high half folded into the low
 * half, which picks the slot (the top bits are the tag). The hash is
 * worked out three times an event (two prefetches and the lookup), and
 * ptab_mix's two multiplies in a row were 3% of the writer's time. Only
 * this table uses it; nothing written depends on it. */
static inline uint64_t
ptab_hash(const struct pkey *k)
{
	uint64_t a = (uint64_t)k->out << 32 | (uint64_t)k->lo << 16 | k->dev;
	uint64_t b = (uint64_t)k->kind << 8 | k->proto |
	    (uint64_t)k->out6 << 15;
	uint64_t h = (a ^ b << 48) * 0x9e3779b97f4a7c15ULL;

	return h ^ h >> 32;
}

/* The hash of the key entry e holds (the index is built from it). */
static inline uint64_t
ptab_ent_hash(const struct pair_ent *e)
{
	struct pkey k = { .out = e->out, .lo = e->lo, .dev = e->dev,
	    .kind = e->kind, .proto = e->proto,
	    .out6 = (e->st & ST_OUT6) != 0 };

	return ptab_hash(&k);
}

static inline uint32_t
ptab_tag(uint64_t h)
{
	return (uint32_t)(h >> (64 - (32 - IDX_BITS))) << IDX_BITS;
}

/* The entry index a full slot names. */
static inline uint32_t
ptab_slot_idx(uint32_t s)
{
	return (s & IDX_MASK) - 1;
}

/* The slot names an entry: neither empty nor a grave. */
static inline int
ptab_full(uint32_t s)
{
	return s != 0 && s != GRAVE;
}

/* The same allocation but for the destination. */
static inline int
ptab_base_is(const struct pair_ent *e, const struct pkey *k)
{
	return e->out == k->out && e->lo == k->lo && e->dev == k->dev &&
	    e->kind == k->kind && e->proto == k->proto &&
	    ((e->st & ST_OUT6) != 0) == k->out6;
}

/* e's destination is k's (none for none). */
int ptab_dst_is(const struct pair_tab *t, const struct pair_ent *e,
    const struct pkey *k);

static inline int
ptab_key_is(const struct pair_tab *t, const struct pair_ent *e,
    const struct pkey *k)
{
	if (!ptab_base_is(e, k) || ((e->st & ST_DST) != 0) != (k->dk != 0))
		return 0;
	/* only a session with a destination reads its rare fields */
	return k->dk == DK_NONE || ptab_dst_is(t, e, k);
}

/* The slot holding key k (hash h), or the slot where it would go: the
 * first grave on its probe path, else the empty slot ending it. */
static inline uint32_t
ptab_find(const struct pair_tab *t, const struct pkey *k, uint64_t h)
{
	uint32_t j, s, tag = ptab_tag(h), grave = UINT32_MAX;

	for (j = (uint32_t)h & t->mask; (s = t->slot[j]) != 0;
	    j = (j + 1) & t->mask) {
		if (s == GRAVE) {
			if (grave == UINT32_MAX)
				grave = j;
		} else if ((s & ~IDX_MASK) == tag &&
		    ptab_key_is(t, ptab_ent(t, ptab_slot_idx(s)), k)) {
			return j;
		}
	}
	return grave != UINT32_MAX ? grave : j;
}

/* The index of IPv6 address a in v, added if new. */
int ptab_v6_intern(struct v6tab *v, const struct cgn_addr *a,
    uint32_t *idx);

/* Address to (value, is_v6): IPv4 inline, IPv6 interned. */
static inline int
ptab_addr_pack(struct pair_tab *t, const struct cgn_addr *a, uint32_t *val,
    uint8_t *v6)
{
	struct a128 x = a128_of(a);

	if (x.hi == 0 && (x.lo >> 32 == 0xffff || x.lo == 0)) {
		*val = (uint32_t)x.lo;
		*v6 = 0;
		return CGN_OK;
	}
	*v6 = 1;
	return ptab_v6_intern(&t->v6, a, val);
}

static inline void
ptab_addr_unpack(const struct pair_tab *t, uint32_t val, int v6,
    struct cgn_addr *a)
{
	if (v6)
		*a = t->v6.a[val];
	else if (val == 0)
		memset(a, 0, sizeof(*a));
	else
		a128_set(a, 0, 0xffff00000000ULL | val);
}

static inline const struct pair_extra *
ptab_extra_of(const struct pair_tab *t, const struct pair_ent *e)
{
	static const struct pair_extra none;

	return e->extra ? &t->x[e->extra - 1] : &none;
}

/* Give e these rare fields (all zero and no destination: none), or take
 * them away; the destination is k's (DK_NONE: none), and sets ST_DST. */
int ptab_extra_set(struct pair_tab *t, struct pair_ent *e, uint32_t vrf,
    uint32_t sub, uint32_t in4, const struct pkey *k);
void ptab_extra_free(struct pair_tab *t, struct pair_ent *e);
/* e's destination (zero: none). */
void ptab_dst_get(const struct pair_tab *t, const struct pair_ent *e,
    struct cgn_addr *dst, uint16_t *dport);

/* Advance dev's clock with an event of time ts (see struct dev_clock). */
int ptab_dev_tick(struct pair_tab *t, uint16_t dev, int64_t ts);
/* Now on the device's clock, for a wall-clock now_ms. */
int64_t ptab_dev_now(const struct pair_tab *t, uint16_t dev, int64_t now_ms);

/* A zeroed entry; CGN_ENOMEM past ENT_MAX or out of memory. */
int ptab_ent_alloc(struct pair_tab *t, uint32_t *idx);
/* Put entry idx (key hash h) in slot j, empty or a grave (ptab_find's). */
void ptab_insert(struct pair_tab *t, uint32_t j, uint32_t idx, uint64_t h);
/* Once entries and graves fill three quarters of the index, build it
 * again without graves, twice the size if the entries alone fill half
 * (slot numbers change). */
int ptab_grow(struct pair_tab *t);
/* Remove the entry in slot j and free it (slot numbers do not change). */
void ptab_slot_remove(struct pair_tab *t, uint32_t j);

/* Remember that entry idx (key hash h) closed at end_ms; forget
 * tombstones past the duplicate window. */
void ptab_tomb_push(struct pair_tab *t, uint32_t idx, uint64_t h,
    int64_t end_ms);
void ptab_tomb_reap(struct pair_tab *t);

#endif /* PAIR_INT_H */
