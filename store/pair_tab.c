/*
 * pair_tab.c - the table of open allocations (pair_int.h draws it): entry
 * storage, the index and its deletion, IPv6 interning, rare fields and
 * IPv6 destinations, tombstones, device clocks, and the table's life and
 * counters.
 * Not here: what an event does to an allocation (pair.c).
 */
#include <stdlib.h>
#include <string.h>

#include "pair_int.h"
#include "store.h"

static uint32_t
addr_hash(const struct cgn_addr *a)
{
	uint64_t x, y;

	memcpy(&x, a->b, 8);
	memcpy(&y, a->b + 8, 8);
	return (uint32_t)ptab_mix(x ^ ptab_mix(y));
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

int
ptab_v6_intern(struct v6tab *v, const struct cgn_addr *a, uint32_t *idx)
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

/* ---- IPv6 destinations ------------------------------------------------ */

static int
d6_take(struct d6pool *d, const struct cgn_addr *a, uint32_t *idx)
{
	struct cgn_addr *na;
	uint32_t i, nc;

	if (d->free_head != 0) {
		i = d->free_head - 1;
		memcpy(&d->free_head, d->a[i].b, sizeof(d->free_head));
	} else {
		if (d->n == d->cap) {
			nc = d->cap ? d->cap * 2 : 64;
			if ((na = realloc(d->a, nc * sizeof(*na))) == NULL)
				return CGN_ENOMEM;
			d->a = na;
			d->cap = nc;
		}
		i = d->n++;
	}
	d->a[i] = *a;
	*idx = i;
	return CGN_OK;
}

static void
d6_give(struct d6pool *d, uint32_t i)
{
	memcpy(d->a[i].b, &d->free_head, sizeof(d->free_head));
	d->free_head = i + 1;
}

/* ---- rare fields ------------------------------------------------------ */

void
ptab_extra_free(struct pair_tab *t, struct pair_ent *e)
{
	struct pair_extra *x;

	e->st = (uint8_t)(e->st & ~ST_DST);
	if (e->extra == 0)
		return;
	x = &t->x[e->extra - 1];
	if (x->dst6)
		d6_give(&t->d6, x->dst);
	x->dst6 = 0;
	x->next_free = t->x_free;
	t->x_free = e->extra;
	e->extra = 0;
}

int
ptab_extra_set(struct pair_tab *t, struct pair_ent *e, uint32_t vrf,
    uint32_t sub, uint32_t in4, const struct pkey *k)
{
	struct pair_extra *nx, v = { vrf, sub, in4, 0, 0, 0, 0, 0 };
	uint32_t i;

	ptab_extra_free(t, e);
	if (vrf == 0 && sub == 0 && in4 == 0 && k->dk == DK_NONE)
		return CGN_OK;
	if (k->dk == DK_V6) {
		if (d6_take(&t->d6, k->dst6, &v.dst) != CGN_OK)
			return CGN_ENOMEM;
		v.dst6 = 1;
	} else if (k->dk == DK_V4) {
		v.dst = k->dst4;
	}
	v.dport = k->dk != DK_NONE ? k->dport : 0;
	if (t->x_free != 0) {
		i = t->x_free - 1;
		t->x_free = t->x[i].next_free;
	} else {
		if (t->nx == t->capx) {
			uint32_t nc = t->capx ? t->capx * 2 : 256;

			if ((nx = realloc(t->x, nc * sizeof(*nx))) == NULL) {
				if (v.dst6)
					d6_give(&t->d6, v.dst);
				return CGN_ENOMEM;
			}
			t->x = nx;
			t->capx = nc;
		}
		i = t->nx++;
	}
	t->x[i] = v;
	e->extra = i + 1;
	if (k->dk != DK_NONE)
		e->st = (uint8_t)(e->st | ST_DST);
	return CGN_OK;
}

int
ptab_dst_is(const struct pair_tab *t, const struct pair_ent *e,
    const struct pkey *k)
{
	const struct pair_extra *x = ptab_extra_of(t, e);

	if (x->dport != k->dport || x->dst6 != (k->dk == DK_V6))
		return 0;
	return x->dst6 ? memcmp(&t->d6.a[x->dst], k->dst6, 16) == 0 :
	    x->dst == k->dst4;
}

void
ptab_dst_get(const struct pair_tab *t, const struct pair_ent *e,
    struct cgn_addr *dst, uint16_t *dport)
{
	const struct pair_extra *x = ptab_extra_of(t, e);

	memset(dst, 0, sizeof(*dst));
	*dport = 0;
	if (!(e->st & ST_DST))
		return;
	if (x->dst6)
		*dst = t->d6.a[x->dst];
	else
		a128_set(dst, 0, 0xffff00000000ULL | x->dst);
	*dport = x->dport;
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
	free(t->d6.a);
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

int
ptab_dev_tick(struct pair_tab *t, uint16_t dev, int64_t ts)
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

int64_t
ptab_dev_now(const struct pair_tab *t, uint16_t dev, int64_t now_ms)
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
	    (size_t)t->d6.cap * sizeof(struct cgn_addr) +
	    t->tq_cap * sizeof(struct tomb) +
	    (size_t)t->v6.cap * (sizeof(struct cgn_addr) +
	    2 * sizeof(uint32_t));
}

/* ---- the index -------------------------------------------------------- */

int
ptab_grow(struct pair_tab *t)
{
	uint32_t nmask = t->mask, i, j, *ns;
	struct pair_ent *e;
	uint64_t h;

	if ((t->live + t->graves) * 4 <= (t->mask + 1) * 3)
		return CGN_OK;
	if (t->live * 2 > t->mask + 1)
		nmask = t->mask * 2 + 1;
	if ((ns = calloc((size_t)nmask + 1, sizeof(*ns))) == NULL)
		return CGN_ENOMEM;
	/* every entry in use has a slot: read them in storage order, not
	 * slot by slot (a cache miss each) */
	for (i = 0; i < t->used; i++) {
		e = ptab_ent(t, i);
		if ((e->st & ST_MASK) == ST_FREE)
			continue;
		h = ptab_ent_hash(e);
		for (j = (uint32_t)h & nmask; ns[j]; j = (j + 1) & nmask)
			;
		ns[j] = ptab_tag(h) | (i + 1);
	}
	free(t->slot);
	t->slot = ns;
	t->mask = nmask;
	t->graves = 0;
	return CGN_OK;
}

int
ptab_ent_alloc(struct pair_tab *t, uint32_t *idx)
{
	struct pair_ent **nc;

	if (t->free_head != 0) {
		*idx = t->free_head - 1;
		t->free_head = ptab_ent(t, *idx)->out;
		memset(ptab_ent(t, *idx), 0, sizeof(struct pair_ent));
		return CGN_OK;
	}
	if (t->used >= ENT_MAX)
		return CGN_ENOMEM;	/* the index cannot name more */
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
	memset(ptab_ent(t, *idx), 0, sizeof(struct pair_ent));
	return CGN_OK;
}

void
ptab_insert(struct pair_tab *t, uint32_t j, uint32_t idx, uint64_t h)
{
	if (t->slot[j] == GRAVE)
		t->graves--;
	t->slot[j] = ptab_tag(h) | (idx + 1);
	t->live++;
}

void
ptab_slot_remove(struct pair_tab *t, uint32_t j)
{
	uint32_t idx = ptab_slot_idx(t->slot[j]);
	struct pair_ent *e = ptab_ent(t, idx);

	if ((e->st & ST_MASK) == ST_OPEN)
		t->open--;
	ptab_extra_free(t, e);
	e->st = ST_FREE;
	e->out = t->free_head;
	t->free_head = idx + 1;
	t->live--;
	if (t->slot[(j + 1) & t->mask] != 0) {
		t->slot[j] = GRAVE;	/* a probe path goes on through it */
		t->graves++;
		return;
	}
	/* the end of a probe path: the graves right before it end there
	 * too */
	t->slot[j] = 0;
	for (j = (j - 1) & t->mask; t->slot[j] == GRAVE;
	    j = (j - 1) & t->mask) {
		t->slot[j] = 0;
		t->graves--;
	}
}

/* ---- tombstones ------------------------------------------------------- */

void
ptab_tomb_push(struct pair_tab *t, uint32_t idx, uint64_t h, int64_t end_ms)
{
	struct tomb *nq;
	size_t i, nc;

	if (t->tq_n == t->tq_cap) {
		nc = t->tq_cap ? t->tq_cap * 2 : 1024;
		if ((nq = malloc(nc * sizeof(*nq))) == NULL)
			return;		/* pair_expire reaps it later */
		for (i = 0; i < t->tq_n; i++)
			nq[i] = t->tq[(t->tq_head + i) & (t->tq_cap - 1)];
		free(t->tq);
		t->tq = nq;
		t->tq_head = 0;
		t->tq_cap = nc;
	}
	/* the capacity is a power of two */
	t->tq[(t->tq_head + t->tq_n++) & (t->tq_cap - 1)] = (struct tomb){
	    end_ms, idx, (uint32_t)h };
}

/*
 * Forget tombstones past the duplicate window as events go by: however
 * fast time runs (a replay, a backfill), the table holds the open
 * allocations and a duplicate window's worth of closed ones, not every
 * allocation closed since the last flush.
 */
void
ptab_tomb_reap(struct pair_tab *t)
{
	struct pair_ent *e;
	struct tomb *q;
	uint32_t j, s;

	while (t->tq_n > 0) {
		q = &t->tq[t->tq_head];
		if (q->end_ms + t->cfg.dup_ms >= t->now)
			break;
		e = ptab_ent(t, q->idx);
		/* still that tombstone (not reused since, not re-closed):
		 * its slot is on the probe path from its home */
		if ((e->st & ST_MASK) == ST_CLOSED &&
		    e->start_ms + (int64_t)e->last_ds * 100 == q->end_ms) {
			for (j = q->hash & t->mask; (s = t->slot[j]) != 0;
			    j = (j + 1) & t->mask) {
				if (ptab_slot_idx(s) == q->idx) {
					ptab_slot_remove(t, j);
					break;
				}
			}
		}
		if (++t->tq_head == t->tq_cap)
			t->tq_head = 0;
		t->tq_n--;
	}
	/* the next one to go, for a later event: its entry and the start
	 * of its probe path, which its removal reads */
	if (t->tq_n > 0) {
		q = &t->tq[t->tq_head];
		__builtin_prefetch(ptab_ent(t, q->idx));
		__builtin_prefetch(&t->slot[q->hash & t->mask]);
	}
}
