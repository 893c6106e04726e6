/*
 * pair.c - open allocations in a compact hash table, and the pairing rules
 * (see pair.h for the contract).
 *
 * Memory is the constraint: a big CGN has hundreds of thousands of blocks
 * open at once, and millions of sessions. An entry is 56 bytes in chunked
 * storage, found through an open-addressing index of 32-bit slots; IPv4
 * addresses are stored inline, IPv6 ones interned once.
 * Not here: shards, periods on disk, evidence (writer.c).
 */
#include <stdlib.h>
#include <string.h>

#include "pair.h"
#include "store.h"

enum { ST_FREE = 0, ST_OPEN = 1, ST_CLOSED = 2 };
#define ST_MASK 0x3
#define ST_OUT6 0x4		/* out is an index into the v6 table */
#define ST_IN6 0x8		/* in is an index into the v6 table */

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
	uint32_t idx;
	int64_t end_ms;
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
 * address): kept aside, so an entry stays 48 bytes. */
struct pair_extra {
	uint32_t vrf, sub, in4;
	uint32_t next_free;	/* free list, index + 1 */
};

#define CHUNK_BITS 12
#define CHUNK (1u << CHUNK_BITS)

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
	uint32_t open;
	uint32_t open_peak;		/* most open at once */
	uint32_t *slot;			/* index: entry + 1, 0: empty */
	uint32_t mask;			/* slots - 1 */
	struct v6tab v6;
	struct pair_extra *x;		/* rare fields */
	uint32_t nx, capx, x_free;
	struct tomb *tq;		/* tombstones, oldest first (ring) */
	size_t tq_head, tq_n, tq_cap;
	int64_t now;			/* latest event time seen */
	int64_t rx;			/* receive time of the current message */
	struct dev_clock *dclk;		/* by device id */
	uint32_t ndclk;
};

static struct pair_ent *
ent(const struct pair_tab *t, uint32_t i)
{
	return &t->chunk[i >> CHUNK_BITS][i & (CHUNK - 1)];
}

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint32_t
addr_hash(const struct cgn_addr *a)
{
	uint64_t x, y;

	memcpy(&x, a->b, 8);
	memcpy(&y, a->b + 8, 8);
	return (uint32_t)mix(x ^ mix(y));
}

/* ---- IPv6 interning: NAT64 / DS-Lite insides, IPv6 publics ------------ */

static int
v6_grow(struct v6tab *v)
{
	uint32_t ncap = v->cap ? v->cap * 2 : 64, i, j, *ns;
	struct cgn_addr *na;

	if ((na = realloc(v->a, ncap * sizeof(*na))) == NULL)
		return CGN_ENOMEM;
	v->a = na;
	if ((ns = calloc((size_t)ncap * 2, sizeof(*ns))) == NULL)
		return CGN_ENOMEM;
	free(v->slot);
	v->slot = ns;
	v->cap = ncap;
	v->mask = ncap * 2 - 1;
	for (i = 0; i < v->n; i++) {
		for (j = addr_hash(&v->a[i]) & v->mask; v->slot[j];
		    j = (j + 1) & v->mask)
			;
		v->slot[j] = i + 1;
	}
	return CGN_OK;
}

static int
v6_intern(struct v6tab *v, const struct cgn_addr *a, uint32_t *idx)
{
	uint32_t j;

	if (v->cap != 0) {
		for (j = addr_hash(a) & v->mask; v->slot[j];
		    j = (j + 1) & v->mask) {
			if (memcmp(&v->a[v->slot[j] - 1], a, 16) == 0) {
				*idx = v->slot[j] - 1;
				return CGN_OK;
			}
		}
	}
	if (v->n == v->cap && v6_grow(v) != CGN_OK)
		return CGN_ENOMEM;
	v->a[v->n] = *a;
	for (j = addr_hash(a) & v->mask; v->slot[j]; j = (j + 1) & v->mask)
		;
	v->slot[j] = v->n + 1;
	*idx = v->n++;
	return CGN_OK;
}

/* Address to (value, is_v6). */
static int
addr_pack(struct pair_tab *t, const struct cgn_addr *a, uint32_t *val,
    int *v6)
{
	if (cgn_addr_is_v4(a, val) || cgn_addr_is_zero(a)) {
		if (cgn_addr_is_zero(a))
			*val = 0;
		*v6 = 0;
		return CGN_OK;
	}
	*v6 = 1;
	return v6_intern(&t->v6, a, val);
}

static void
addr_unpack(const struct pair_tab *t, uint32_t val, int v6,
    struct cgn_addr *a)
{
	if (v6)
		*a = t->v6.a[val];
	else if (val == 0)
		memset(a, 0, sizeof(*a));
	else
		cgn_addr_v4(a, val);
}

/* ---- rare fields ------------------------------------------------------ */

static const struct pair_extra no_extra;

static const struct pair_extra *
extra_of(const struct pair_tab *t, const struct pair_ent *e)
{
	return e->extra ? &t->x[e->extra - 1] : &no_extra;
}

static void
extra_free(struct pair_tab *t, struct pair_ent *e)
{
	if (e->extra == 0)
		return;
	t->x[e->extra - 1].next_free = t->x_free;
	t->x_free = e->extra;
	e->extra = 0;
}

/* Give e these rare fields (all zero: none). */
static int
extra_set(struct pair_tab *t, struct pair_ent *e, uint32_t vrf, uint32_t sub,
    uint32_t in4)
{
	struct pair_extra *nx;
	uint32_t i;

	extra_free(t, e);
	if (vrf == 0 && sub == 0 && in4 == 0)
		return CGN_OK;
	if (t->x_free != 0) {
		i = t->x_free - 1;
		t->x_free = t->x[i].next_free;
	} else {
		if (t->nx == t->capx) {
			uint32_t nc = t->capx ? t->capx * 2 : 256;

			if ((nx = realloc(t->x, nc * sizeof(*nx))) == NULL)
				return CGN_ENOMEM;
			t->x = nx;
			t->capx = nc;
		}
		i = t->nx++;
	}
	t->x[i] = (struct pair_extra){ vrf, sub, in4, 0 };
	e->extra = i + 1;
	return CGN_OK;
}

/* ---- the table -------------------------------------------------------- */

int
pair_new(const struct pair_cfg *cfg, struct pair_tab **out)
{
	struct pair_tab *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return CGN_ENOMEM;
	t->cfg = *cfg;
	if (t->cfg.period_ms <= 0)
		t->cfg.period_ms = 3600000;
	t->mask = 1023;
	if ((t->slot = calloc(t->mask + 1, sizeof(*t->slot))) == NULL) {
		free(t);
		return CGN_ENOMEM;
	}
	*out = t;
	return CGN_OK;
}

void
pair_free(struct pair_tab *t)
{
	uint32_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nchunk; i++)
		free(t->chunk[i]);
	free(t->chunk);
	free(t->slot);
	free(t->v6.a);
	free(t->v6.slot);
	free(t->x);
	free(t->tq);
	free(t->dclk);
	free(t);
}

void
pair_set_since(struct pair_tab *t, int64_t since_ms)
{
	t->since_ms = since_ms;
}

void
pair_set_rx(struct pair_tab *t, int64_t rx_ms)
{
	t->rx = rx_ms;
}

/* A clock too far ahead of its receive time is a broken clock: it would
 * age every allocation of the device at once. */
#define CLOCK_AHEAD_MS	(24 * 3600 * 1000LL)

static int
dev_tick(struct pair_tab *t, uint16_t dev, int64_t ts)
{
	struct dev_clock *d;
	uint32_t n;

	if (t->rx <= 0)
		return CGN_OK;
	if (dev >= t->ndclk) {
		n = t->ndclk ? t->ndclk : 16;
		while (n <= dev)
			n *= 2;
		if ((d = realloc(t->dclk, n * sizeof(*d))) == NULL)
			return CGN_ENOMEM;
		memset(d + t->ndclk, 0, (n - t->ndclk) * sizeof(*d));
		t->dclk = d;
		t->ndclk = n;
	}
	d = &t->dclk[dev];
	if (ts > t->rx + CLOCK_AHEAD_MS)
		ts = t->rx;
	if (ts >= d->ev_ms || d->rx_ms == 0) {
		d->ev_ms = ts;
		d->rx_ms = t->rx;
	}
	return CGN_OK;
}

/* Now on the device's clock, for a wall-clock now_ms. */
static int64_t
dev_now(const struct pair_tab *t, uint16_t dev, int64_t now_ms)
{
	const struct dev_clock *d;

	if (dev >= t->ndclk || t->dclk[dev].rx_ms == 0)
		return now_ms;
	d = &t->dclk[dev];
	return d->ev_ms + (now_ms > d->rx_ms ? now_ms - d->rx_ms : 0);
}

size_t
pair_count(const struct pair_tab *t)
{
	return t->open;
}

size_t
pair_peak(const struct pair_tab *t)
{
	return t->open_peak;
}

size_t
pair_bytes(const struct pair_tab *t)
{
	return (size_t)t->nchunk * CHUNK * sizeof(struct pair_ent) +
	    ((size_t)t->mask + 1) * sizeof(uint32_t) +
	    (size_t)t->capx * sizeof(struct pair_extra) +
	    t->tq_cap * sizeof(struct tomb) +
	    (size_t)t->v6.cap * (sizeof(struct cgn_addr) + 2 * sizeof(uint32_t));
}

static uint32_t
key_hash(uint16_t dev, uint8_t kind, uint8_t proto, uint32_t out, int out6,
    uint16_t lo)
{
	uint64_t k = (uint64_t)out << 32 | (uint64_t)lo << 16 | dev;
	uint64_t m = (uint64_t)kind << 8 | proto | (uint64_t)out6 << 15;

	return (uint32_t)mix(k ^ m << 48);
}

static uint32_t
ent_hash(const struct pair_ent *e)
{
	return key_hash(e->dev, e->kind, e->proto, e->out,
	    (e->st & ST_OUT6) != 0, e->lo);
}

static int
index_grow(struct pair_tab *t)
{
	uint32_t nmask = t->mask * 2 + 1, i, j, *ns;

	if ((ns = calloc((size_t)nmask + 1, sizeof(*ns))) == NULL)
		return CGN_ENOMEM;
	for (i = 0; i <= t->mask; i++) {
		if (t->slot[i] == 0)
			continue;
		for (j = ent_hash(ent(t, t->slot[i] - 1)) & nmask; ns[j];
		    j = (j + 1) & nmask)
			;
		ns[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = ns;
	t->mask = nmask;
	return CGN_OK;
}

/* The slot holding the key, or the empty slot where it would go. */
static uint32_t
find_slot(const struct pair_tab *t, uint16_t dev, uint8_t kind,
    uint8_t proto, uint32_t out, int out6, uint16_t lo)
{
	uint32_t j;
	const struct pair_ent *e;

	for (j = key_hash(dev, kind, proto, out, out6, lo) & t->mask;
	    t->slot[j]; j = (j + 1) & t->mask) {
		e = ent(t, t->slot[j] - 1);
		if (e->out == out && e->lo == lo && e->dev == dev &&
		    e->kind == kind && e->proto == proto &&
		    ((e->st & ST_OUT6) != 0) == out6)
			return j;
	}
	return j;
}

static int
ent_alloc(struct pair_tab *t, uint32_t *idx)
{
	struct pair_ent **nc;

	if (t->free_head != 0) {
		*idx = t->free_head - 1;
		t->free_head = ent(t, *idx)->out;
		memset(ent(t, *idx), 0, sizeof(struct pair_ent));
		return CGN_OK;
	}
	if (t->used == t->nchunk * CHUNK) {
		if ((nc = realloc(t->chunk, (t->nchunk + 1) *
		    sizeof(*nc))) == NULL)
			return CGN_ENOMEM;
		t->chunk = nc;
		if ((nc[t->nchunk] = malloc(CHUNK *
		    sizeof(struct pair_ent))) == NULL)
			return CGN_ENOMEM;
		t->nchunk++;
	}
	*idx = t->used++;
	memset(ent(t, *idx), 0, sizeof(struct pair_ent));
	return CGN_OK;
}

/* Remove the entry in slot j: backward-shift deletion keeps linear probing
 * correct without tombstones in the index. */
static void
slot_remove(struct pair_tab *t, uint32_t j)
{
	uint32_t idx = t->slot[j] - 1, k, h;
	struct pair_ent *e = ent(t, idx);

	if ((e->st & ST_MASK) == ST_OPEN)
		t->open--;
	extra_free(t, e);
	e->st = ST_FREE;
	e->out = t->free_head;
	t->free_head = idx + 1;
	t->live--;
	t->slot[j] = 0;
	for (k = (j + 1) & t->mask; t->slot[k]; k = (k + 1) & t->mask) {
		h = ent_hash(ent(t, t->slot[k] - 1)) & t->mask;
		/* move k back to j if its home is not in (j, k] */
		if ((j < k) ? (h <= j || h > k) : (h <= j && h > k)) {
			t->slot[j] = t->slot[k];
			t->slot[k] = 0;
			j = k;
		}
	}
}

static int32_t
to_ds(int64_t ms)
{
	int64_t ds = ms / 100;

	return ds > INT32_MAX ? INT32_MAX : ds < INT32_MIN ? INT32_MIN :
	    (int32_t)ds;
}

/* The record of entry e, open or closed at end_ms with end flags. */
static void
ent_rec(const struct pair_tab *t, const struct pair_ent *e,
    struct pair_rec *r, int open, int64_t end_ms, uint16_t end_flags,
    uint64_t ev_end)
{
	struct ival *iv = &r->iv;

	memset(r, 0, sizeof(*r));
	addr_unpack(t, e->out, (e->st & ST_OUT6) != 0, &iv->outside);
	addr_unpack(t, e->in, (e->st & ST_IN6) != 0, &iv->inside);
	if (extra_of(t, e)->in4 != 0)
		cgn_addr_v4(&iv->inside_v4, extra_of(t, e)->in4);
	iv->start_ms = e->start_ms;
	iv->end_ms = open ? 0 : end_ms < e->start_ms ? e->start_ms : end_ms;
	iv->ev_start = e->ev_start;
	iv->ev_end = open ? 0 : ev_end;
	iv->dev = e->dev;
	iv->vrf = extra_of(t, e)->vrf;
	iv->sub = extra_of(t, e)->sub;
	iv->port_lo = e->lo;
	iv->port_hi = e->hi;
	iv->inside_port = e->in_port;
	iv->proto = e->proto;
	iv->kind = e->kind;
	iv->flags = (uint16_t)(e->flags | (open ? STORE_F_OPEN : end_flags));
	r->open = open;
	r->wp = e->wp;
}

static int
kind_of(int type, int *action)
{
	switch (type) {
	case CGN_EV_PBA_ALLOC:		*action = 1; return STORE_K_BLOCK;
	case CGN_EV_PBA_RELEASE:	*action = 2; return STORE_K_BLOCK;
	case CGN_EV_PBA_ACTIVE:		*action = 3; return STORE_K_BLOCK;
	case CGN_EV_SESSION_CREATE:	*action = 1; return STORE_K_SESSION;
	case CGN_EV_SESSION_DELETE:	*action = 2; return STORE_K_SESSION;
	case CGN_EV_ADDR_ALLOC:		*action = 1; return STORE_K_ADDR;
	case CGN_EV_ADDR_RELEASE:	*action = 2; return STORE_K_ADDR;
	default:			return 0;
	}
}

static int64_t
abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

/* Fill e as a new open allocation from ev. */
static int
ent_fill(struct pair_tab *t, struct pair_ent *e, const struct cgn_event *ev,
    uint16_t dev, uint32_t sub, uint64_t ref, int kind, int64_t start_ms,
    uint8_t flags, uint32_t out, int out6)
{
	uint32_t in, in4 = 0;
	int in6;

	if (addr_pack(t, &ev->inside, &in, &in6) != CGN_OK)
		return CGN_ENOMEM;
	(void)cgn_addr_is_v4(&ev->inside_v4, &in4);
	extra_free(t, e);
	memset(e, 0, sizeof(*e));
	if (extra_set(t, e, ev->vrf, sub, in4) != CGN_OK)
		return CGN_ENOMEM;
	e->start_ms = start_ms;
	e->ev_start = ref;
	e->out = out;
	e->in = in;
	e->last_ds = to_ds(ev->ts_ms - start_ms);
	e->wp = start_ms < 0 ? 0 : (uint32_t)(start_ms / t->cfg.period_ms);
	e->lo = ev->port_lo;
	e->hi = ev->port_hi;
	e->dev = dev;
	e->in_port = ev->inside_port;
	e->proto = ev->proto;
	e->kind = (uint8_t)kind;
	e->flags = (uint8_t)(flags | (ev->tsrc == CGN_TS_RX ?
	    STORE_F_TS_RX : 0));
	e->st = (uint8_t)(ST_OPEN | (out6 ? ST_OUT6 : 0) |
	    (in6 ? ST_IN6 : 0));
	return CGN_OK;
}

static int
same_inside(struct pair_tab *t, const struct pair_ent *e,
    const struct cgn_event *ev)
{
	struct cgn_addr a;

	if (cgn_addr_is_zero(&ev->inside))	/* release without inside */
		return 1;
	addr_unpack(t, e->in, (e->st & ST_IN6) != 0, &a);
	return memcmp(&a, &ev->inside, 16) == 0 &&
	    extra_of(t, e)->vrf == ev->vrf;
}

/* Remember that entry idx closed at end_ms. */
static void
tomb_push(struct pair_tab *t, uint32_t idx, int64_t end_ms)
{
	struct tomb *nq;
	size_t i, nc;

	if (t->tq_n == t->tq_cap) {
		nc = t->tq_cap ? t->tq_cap * 2 : 1024;
		if ((nq = malloc(nc * sizeof(*nq))) == NULL)
			return;		/* pair_expire reaps it later */
		for (i = 0; i < t->tq_n; i++)
			nq[i] = t->tq[(t->tq_head + i) % t->tq_cap];
		free(t->tq);
		t->tq = nq;
		t->tq_head = 0;
		t->tq_cap = nc;
	}
	t->tq[(t->tq_head + t->tq_n++) % t->tq_cap] = (struct tomb){ idx,
	    end_ms };
}

/*
 * Forget tombstones past the duplicate window as events go by: however
 * fast time runs (a replay, a backfill), the table holds the open
 * allocations and a duplicate window's worth of closed ones, not every
 * allocation closed since the last flush.
 */
static void
tomb_reap(struct pair_tab *t)
{
	struct pair_ent *e;
	struct tomb *q;
	uint32_t j;

	while (t->tq_n > 0) {
		q = &t->tq[t->tq_head];
		if (q->end_ms + t->cfg.dup_ms >= t->now)
			break;
		e = ent(t, q->idx);
		/* still that tombstone (not reused since, not re-closed) */
		if ((e->st & ST_MASK) == ST_CLOSED &&
		    e->start_ms + (int64_t)e->last_ds * 100 == q->end_ms) {
			j = find_slot(t, e->dev, e->kind, e->proto, e->out,
			    (e->st & ST_OUT6) != 0, e->lo);
			if (t->slot[j] == q->idx + 1)
				slot_remove(t, j);
		}
		t->tq_head = (t->tq_head + 1) % t->tq_cap;
		t->tq_n--;
	}
}

int
pair_event(struct pair_tab *t, const struct cgn_event *ev, uint16_t dev,
    uint32_t sub, uint64_t ref, struct pair_out *out)
{
	struct cgn_event tmp;
	struct pair_ent *e = NULL, scratch;
	uint32_t outv, j, idx;
	int64_t ts = ev->ts_ms, start, end;
	int kind, action, out6, rc;
	uint8_t flags;

	memset(out, 0, sizeof(*out));
	if ((kind = kind_of(ev->type, &action)) == 0)
		return CGN_EINVAL;
	if (ev->ts_ms > t->now)
		t->now = ev->ts_ms;
	if ((rc = dev_tick(t, dev, ev->ts_ms)) != CGN_OK)
		return rc;
	tomb_reap(t);
	if (kind == STORE_K_ADDR && ev->port_lo == 0 && ev->port_hi == 0) {
		tmp = *ev;	/* a whole address: every port */
		tmp.port_hi = 65535;
		ev = &tmp;
	}
	if (ev->port_hi < ev->port_lo)
		return CGN_EINVAL;
	if ((rc = addr_pack(t, &ev->outside, &outv, &out6)) != CGN_OK)
		return rc;
	j = find_slot(t, dev, (uint8_t)kind, ev->proto, outv, out6,
	    ev->port_lo);
	if (t->slot[j] != 0)
		e = ent(t, t->slot[j] - 1);

	if (action == 3 && e != NULL && (e->st & ST_MASK) == ST_OPEN &&
	    same_inside(t, e, ev)) {
		/* interim for what we hold: news, nothing to write */
		if (to_ds(ts - e->start_ms) > e->last_ds)
			e->last_ds = to_ds(ts - e->start_ms);
		return CGN_OK;
	}
	if (action == 2) {	/* a release */
		if (e != NULL && (e->st & ST_MASK) == ST_OPEN &&
		    same_inside(t, e, ev)) {
			if (ts < e->start_ms - t->cfg.dup_ms) {
				out->stray = 1;	/* of an earlier holder */
				return CGN_OK;
			}
			ent_rec(t, e, &out->rec[out->n++], 0, ts,
			    STORE_F_END_LOGGED, ref);
			e->st = (uint8_t)((e->st & ~ST_MASK) | ST_CLOSED);
			e->last_ds = to_ds((ts > e->start_ms ? ts :
			    e->start_ms) - e->start_ms);
			t->open--;
			tomb_push(t, t->slot[j] - 1, e->start_ms +
			    (int64_t)e->last_ds * 100);
			return CGN_OK;
		}
		if (e != NULL && (e->st & ST_MASK) == ST_CLOSED) {
			end = e->start_ms + (int64_t)e->last_ds * 100;
			if (same_inside(t, e, ev) &&
			    abs64(ts - end) <= t->cfg.dup_ms + 100) {
				out->dup = 1;
				return CGN_OK;
			}
			if (ts < end) {
				out->stray = 1;
				return CGN_OK;
			}
		}
		/* the allocation was never seen (lost, or before we started):
		 * the start is a lower bound, flagged as such */
		start = ev->start_ms > 0 ? ev->start_ms :
		    ts - t->cfg.max_age_ms;
		flags = ev->start_ms > 0 ? STORE_F_START_LOGGED :
		    STORE_F_START_UNSEEN;
		if (ev->start_ms <= 0 && e != NULL &&
		    (e->st & ST_MASK) == ST_CLOSED)
			start = e->start_ms + (int64_t)e->last_ds * 100;
		else if (ev->start_ms <= 0 && start < t->since_ms)
			start = t->since_ms;
		/* another holder is open: this one came after its start, and
		 * the two overlap, which a lookup reports as ambiguous */
		if (ev->start_ms <= 0 && e != NULL &&
		    (e->st & ST_MASK) == ST_OPEN && e->start_ms > start)
			start = e->start_ms;
		if (start > ts)
			start = ts;
		if (e != NULL && (e->st & ST_MASK) == ST_OPEN) {
			/* someone else held it: that ends now */
			ent_rec(t, e, &out->rec[out->n++], 0, ts,
			    STORE_F_END_REUSE, 0);
			t->open--;
		}
		if (e == NULL) {
			if ((rc = ent_alloc(t, &idx)) != CGN_OK)
				return rc;
			e = ent(t, idx);
			t->slot[j] = idx + 1;
			t->live++;
		}
		if ((rc = ent_fill(t, e, ev, dev, sub, 0, kind, start,
		    flags, outv, out6)) != CGN_OK)
			return rc;
		e->wp = UINT32_MAX;
		ent_rec(t, e, &out->rec[out->n++], 0, ts, STORE_F_END_LOGGED,
		    ref);
		out->rec[out->n - 1].wp = UINT32_MAX;
		e->ev_start = 0;
		e->st = (uint8_t)((e->st & ~ST_MASK) | ST_CLOSED);
		e->last_ds = to_ds((ts > start ? ts : start) - start);
		tomb_push(t, t->slot[j] - 1, e->start_ms +
		    (int64_t)e->last_ds * 100);
		goto grow;
	}

	/* an allocation, or an interim for one we do not hold */
	start = ts;
	flags = STORE_F_START_LOGGED;
	if (action == 3) {
		start = ev->start_ms > 0 ? ev->start_ms : ts;
		flags = STORE_F_START_INTERIM;
	}
	if (e != NULL && (e->st & ST_MASK) == ST_OPEN) {
		if (same_inside(t, e, ev) &&
		    abs64(start - e->start_ms) <= t->cfg.dup_ms) {
			out->dup = 1;
			return CGN_OK;
		}
		if (start < e->start_ms - t->cfg.dup_ms) {
			/* older than what is open: an allocation that arrived
			 * late; it ended when the current one began */
			memset(&scratch, 0, sizeof(scratch));
			if ((rc = ent_fill(t, &scratch, ev, dev, sub, ref,
			    kind, start, flags, outv, out6)) != CGN_OK)
				return rc;
			scratch.wp = UINT32_MAX;
			ent_rec(t, &scratch, &out->rec[out->n++], 0,
			    e->start_ms, STORE_F_END_REUSE, 0);
			extra_free(t, &scratch);
			return CGN_OK;
		}
		/* the ports were given again: the release was lost */
		ent_rec(t, e, &out->rec[out->n++], 0, start,
		    STORE_F_END_REUSE, 0);
		t->open--;
	} else if (e != NULL && (e->st & ST_MASK) == ST_CLOSED) {
		if (same_inside(t, e, ev) &&
		    abs64(start - e->start_ms) <= t->cfg.dup_ms) {
			out->dup = 1;
			return CGN_OK;
		}
		if (start < e->start_ms - t->cfg.dup_ms) {
			memset(&scratch, 0, sizeof(scratch));
			if ((rc = ent_fill(t, &scratch, ev, dev, sub, ref,
			    kind, start, flags, outv, out6)) != CGN_OK)
				return rc;
			scratch.wp = UINT32_MAX;
			ent_rec(t, &scratch, &out->rec[out->n++], 0,
			    e->start_ms, STORE_F_END_REUSE, 0);
			extra_free(t, &scratch);
			return CGN_OK;
		}
	} else {
		if ((rc = ent_alloc(t, &idx)) != CGN_OK)
			return rc;
		e = ent(t, idx);
		t->slot[j] = idx + 1;
		t->live++;
	}
	if ((rc = ent_fill(t, e, ev, dev, sub, ref, kind, start, flags,
	    outv, out6)) != CGN_OK)
		return rc;
	if (++t->open > t->open_peak)
		t->open_peak = t->open;
	ent_rec(t, e, &out->rec[out->n++], 1, 0, 0, 0);
grow:
	if (t->live * 4 > (t->mask + 1) * 3)
		return index_grow(t);
	return CGN_OK;
}

int
pair_expire(struct pair_tab *t, int64_t now_ms, pair_rec_fn *fn, void *arg)
{
	struct pair_rec r;
	struct pair_ent *e;
	int64_t age, last, end, now;
	uint32_t j;
	int rc;

	for (j = 0; j <= t->mask; j++) {
		if (t->slot[j] == 0)
			continue;
		e = ent(t, t->slot[j] - 1);
		last = e->start_ms + (int64_t)e->last_ds * 100;
		now = dev_now(t, e->dev, now_ms);
		if ((e->st & ST_MASK) == ST_CLOSED) {
			if (now - last <= t->cfg.dup_ms)
				continue;
			slot_remove(t, j);
			j--;	/* the slot may hold a shifted entry now */
			continue;
		}
		age = e->kind == STORE_K_SESSION ? t->cfg.session_idle_ms :
		    t->cfg.max_age_ms;
		if (age <= 0 || now - last <= age)
			continue;
		end = last + age < now ? last + age : now;
		ent_rec(t, e, &r, 0, end, e->kind == STORE_K_SESSION ?
		    STORE_F_END_IDLE : STORE_F_END_MAXAGE, 0);
		if ((rc = fn(arg, &r)) != 0)
			return rc;
		slot_remove(t, j);
		j--;
	}
	return CGN_OK;
}

int
pair_checkpoint(struct pair_tab *t, uint32_t p, int64_t now_ms,
    pair_rec_fn *fn, void *arg)
{
	struct pair_rec r;
	struct pair_ent *e;
	int64_t dnow;
	uint32_t i, to;
	int rc;

	for (i = 0; i < t->used; i++) {
		e = ent(t, i);
		if ((e->st & ST_MASK) != ST_OPEN)
			continue;
		to = p;
		if (now_ms > 0) {
			dnow = dev_now(t, e->dev, now_ms);
			if (dnow >= 0 && (uint64_t)(dnow / t->cfg.period_ms) < to)
				to = (uint32_t)(dnow / t->cfg.period_ms);
		}
		if (e->wp != UINT32_MAX && e->wp >= to)
			continue;
		if (e->wp == UINT32_MAX &&
		    (uint64_t)(e->start_ms / t->cfg.period_ms) > to)
			continue;	/* its own period holds it already */
		ent_rec(t, e, &r, 1, 0, 0, 0);
		r.to = to;
		e->wp = to;
		if ((rc = fn(arg, &r)) != 0)
			return rc;
	}
	return CGN_OK;
}

void
pair_skip_to(struct pair_tab *t, uint32_t p)
{
	struct pair_ent *e;
	uint32_t i;

	for (i = 0; i < t->used; i++) {
		e = ent(t, i);
		if ((e->st & ST_MASK) == ST_OPEN &&
		    (e->wp == UINT32_MAX || e->wp < p))
			e->wp = p;
	}
}

int
pair_resume(struct pair_tab *t, const struct ival *iv, uint32_t wp)
{
	struct cgn_event ev;
	struct pair_out o;
	struct pair_ent *e;
	uint32_t outv, j;
	int out6, rc;

	if ((rc = addr_pack(t, &iv->outside, &outv, &out6)) != CGN_OK)
		return rc;
	j = find_slot(t, (uint16_t)iv->dev, iv->kind, iv->proto, outv, out6,
	    iv->port_lo);
	if (t->slot[j] != 0)
		return CGN_OK;	/* a newer record of it was taken up first */
	memset(&ev, 0, sizeof(ev));
	ev.type = iv->kind == STORE_K_SESSION ? CGN_EV_SESSION_CREATE :
	    iv->kind == STORE_K_ADDR ? CGN_EV_ADDR_ALLOC : CGN_EV_PBA_ALLOC;
	ev.ts_ms = iv->start_ms;
	ev.tsrc = (iv->flags & STORE_F_TS_RX) ? CGN_TS_RX : CGN_TS_UTC;
	ev.inside = iv->inside;
	ev.inside_v4 = iv->inside_v4;
	ev.outside = iv->outside;
	ev.inside_port = iv->inside_port;
	ev.port_lo = iv->port_lo;
	ev.port_hi = iv->port_hi;
	ev.proto = iv->proto;
	ev.vrf = iv->vrf;
	if ((rc = pair_event(t, &ev, (uint16_t)iv->dev, iv->sub, iv->ev_start,
	    &o)) != CGN_OK)
		return rc;
	if ((rc = addr_pack(t, &iv->outside, &outv, &out6)) != CGN_OK)
		return rc;
	j = find_slot(t, (uint16_t)iv->dev, iv->kind, iv->proto, outv, out6,
	    iv->port_lo);
	if (t->slot[j] != 0) {
		e = ent(t, t->slot[j] - 1);
		/* keep how the start was known, not "logged" by default */
		e->flags = (uint8_t)(iv->flags & 0xff & ~STORE_F_OPEN);
		e->wp = wp;
	}
	return CGN_OK;
}
