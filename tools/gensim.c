/*
 * gensim.c - the simulated CGN (see gensim.h).
 *
 * Each subscriber cycles: idle, take a block on its paired public address
 * (RFC 4787 paired pooling, what CGNs do for PBA), hold it, give it back.
 * A public address hands out its blocks least recently freed first, and a
 * freed block rests hold_down_ms (RFC 6888 REQ-8) before reuse; when none
 * is free the subscriber retries later (counted as exhausted). Times come
 * from a min-heap, so events leave in time order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cgn.h"
#include "gensim.h"

enum { K_ALLOC = 0, K_RELEASE = 1, K_INTERIM = 2 };

struct hent {
	int64_t t;
	uint32_t sub;
	uint32_t gen;		/* stale if != the subscriber's */
	uint8_t kind;
};

struct sub {
	int32_t block;		/* held block, -1: none */
	int64_t start;
	uint32_t gen;
};

struct addr {			/* a public address: its free blocks */
	uint16_t *q;		/* FIFO of block numbers */
	int64_t *freed;		/* when each queued block was freed */
	uint32_t head, n;
};

struct gensim {
	struct gensim_cfg c;
	uint64_t rng;
	struct sub *subs;
	struct addr *addrs;
	uint32_t nblocks;
	struct hent *heap;
	size_t nheap, capheap;
	double hold_mean, idle_mean;
	int64_t end_ms;
	int finished;		/* open intervals reported */
	struct gensim_stats st;
};

void
gensim_cfg_default(struct gensim_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->seed = 1;
	c->subscribers = 1000;
	c->inside_base = 0x64400000;	/* 100.64.0.0 */
	c->pool_base = 0xcb007100;	/* 203.0.113.0 */
	c->pool_size = 16;
	c->block_size = 512;
	c->port_min = 1024;
	c->start_ms = 1795860000000LL;	/* 2026-11-28T10:00:00Z */
	c->duration_ms = 3600000;
	c->events = 20000;
	c->hold_down_ms = 120000;
	c->resolution_ms = 1000;
	c->device = "cgn1";
}

static uint64_t
rnd(struct gensim *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);	/* splitmix64 */

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
unif(struct gensim *g)
{
	return (double)(rnd(g) >> 11) / 9007199254740992.0;
}

/* An exponential duration with this mean, at the resolution, >= one unit. */
static int64_t
expo(struct gensim *g, double mean)
{
	double v = -log(1.0 - unif(g)) * mean;
	int64_t r = g->c.resolution_ms, d = (int64_t)v / r * r;

	return d < r ? r : d;
}

static int
heap_push(struct gensim *g, int64_t t, uint32_t sub, uint8_t kind)
{
	struct hent *nh, e = { t, sub, g->subs[sub].gen, kind };
	size_t i, p;

	if (g->nheap == g->capheap) {
		size_t nc = g->capheap ? g->capheap * 2 : 1024;

		if ((nh = realloc(g->heap, nc * sizeof(*nh))) == NULL)
			return CGN_ENOMEM;
		g->heap = nh;
		g->capheap = nc;
	}
	/* ties broken by subscriber then kind: deterministic order */
	for (i = g->nheap++; i > 0; i = p) {
		p = (i - 1) / 2;
		if (g->heap[p].t < t || (g->heap[p].t == t &&
		    (g->heap[p].sub < sub || (g->heap[p].sub == sub &&
		    g->heap[p].kind <= kind))))
			break;
		g->heap[i] = g->heap[p];
	}
	g->heap[i] = e;
	return CGN_OK;
}

static int
hless(const struct hent *a, const struct hent *b)
{
	if (a->t != b->t)
		return a->t < b->t;
	if (a->sub != b->sub)
		return a->sub < b->sub;
	return a->kind < b->kind;
}

static struct hent
heap_pop(struct gensim *g)
{
	struct hent top = g->heap[0], last = g->heap[--g->nheap];
	size_t i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= g->nheap)
			break;
		if (c + 1 < g->nheap && hless(&g->heap[c + 1], &g->heap[c]))
			c++;
		if (!hless(&g->heap[c], &last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (g->nheap > 0)
		g->heap[i] = last;
	return top;
}

void
gensim_free(struct gensim *g)
{
	uint32_t i;

	if (g == NULL)
		return;
	for (i = 0; g->addrs != NULL && i < g->c.pool_size; i++) {
		free(g->addrs[i].q);
		free(g->addrs[i].freed);
	}
	free(g->addrs);
	free(g->subs);
	free(g->heap);
	free(g);
}

int
gensim_new(const struct gensim_cfg *c, struct gensim **out)
{
	struct gensim *g;
	double cycle;
	uint32_t i, b;

	if (c->subscribers == 0 || c->pool_size == 0 || c->block_size == 0 ||
	    c->port_min + (uint32_t)c->block_size > 65536 ||
	    c->resolution_ms <= 0 || c->duration_ms <= 0 || c->events < 2)
		return CGN_EINVAL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return CGN_ENOMEM;
	g->c = *c;
	g->rng = c->seed;
	g->nblocks = (65536 - c->port_min) / c->block_size;
	g->end_ms = c->start_ms + c->duration_ms;
	/* each cycle logs two events: fit the count into the duration, half
	 * of each cycle holding a block */
	cycle = (double)c->duration_ms * c->subscribers / ((double)c->events /
	    2.0);
	g->hold_mean = cycle * 0.5;
	g->idle_mean = cycle * 0.5;
	if ((g->subs = calloc(c->subscribers, sizeof(*g->subs))) == NULL ||
	    (g->addrs = calloc(c->pool_size, sizeof(*g->addrs))) == NULL)
		goto oom;
	for (i = 0; i < c->pool_size; i++) {
		struct addr *a = &g->addrs[i];

		if ((a->q = malloc(g->nblocks * sizeof(*a->q))) == NULL ||
		    (a->freed = calloc(g->nblocks, sizeof(*a->freed))) ==
		    NULL)
			goto oom;
		for (b = 0; b < g->nblocks; b++) {
			a->q[b] = (uint16_t)b;
			a->freed[b] = INT64_MIN / 2;
		}
		a->n = g->nblocks;
	}
	for (i = 0; i < c->subscribers; i++) {
		int64_t t = c->start_ms + (int64_t)(unif(g) * cycle) /
		    c->resolution_ms * c->resolution_ms;

		g->subs[i].block = -1;
		if (heap_push(g, t, i, K_ALLOC) != CGN_OK)
			goto oom;
	}
	*out = g;
	return CGN_OK;
oom:
	gensim_free(g);
	return CGN_ENOMEM;
}

static void
fill(struct gensim *g, struct gensim_ev *ev, int type, int64_t t,
    uint32_t sub)
{
	struct sub *s = &g->subs[sub];
	uint32_t a = sub % g->c.pool_size;

	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->ts_ms = t;
	ev->start_ms = s->start;
	ev->inside = g->c.inside_base + sub;
	ev->outside = g->c.pool_base + a;
	ev->port_lo = (uint16_t)(g->c.port_min + (uint32_t)s->block *
	    g->c.block_size);
	ev->port_hi = (uint16_t)(ev->port_lo + g->c.block_size - 1);
	ev->logged = 1;
}

static void
truth(struct gensim *g, uint32_t sub, int64_t end, int logged,
    gensim_truth_fn *fn, void *arg)
{
	struct gensim_truth t;
	struct gensim_ev ev;

	if (fn == NULL)
		return;
	fill(g, &ev, 0, 0, sub);
	t.inside = ev.inside;
	t.outside = ev.outside;
	t.port_lo = ev.port_lo;
	t.port_hi = ev.port_hi;
	t.start_ms = g->subs[sub].start;
	t.end_ms = end;
	t.release_logged = logged;
	fn(arg, &t);
}

int
gensim_next(struct gensim *g, struct gensim_ev *ev, gensim_truth_fn *fn,
    void *arg)
{
	struct hent e;
	struct sub *s;
	struct addr *a;
	uint32_t i;

	while (g->nheap > 0) {
		e = heap_pop(g);
		if (e.t >= g->end_ms)
			break;
		s = &g->subs[e.sub];
		if (e.gen != s->gen)
			continue;	/* an interim of a block given back */
		a = &g->addrs[e.sub % g->c.pool_size];
		switch (e.kind) {
		case K_ALLOC:
			if (a->n == 0 || a->freed[a->head] + g->c.hold_down_ms >
			    e.t) {
				g->st.exhausted++;	/* try again later */
				heap_push(g, e.t + 30 * g->c.resolution_ms,
				    e.sub, K_ALLOC);
				continue;
			}
			s->block = a->q[a->head];
			a->head = (a->head + 1) % g->nblocks;
			a->n--;
			s->start = e.t;
			s->gen++;
			heap_push(g, e.t + expo(g, g->hold_mean), e.sub,
			    K_RELEASE);
			if (g->c.interim_ms > 0)
				heap_push(g, e.t + g->c.interim_ms, e.sub,
				    K_INTERIM);
			fill(g, ev, CGN_EV_PBA_ALLOC, e.t, e.sub);
			g->st.allocs++;
			return 1;
		case K_RELEASE:
			fill(g, ev, CGN_EV_PBA_RELEASE, e.t, e.sub);
			ev->logged = unif(g) >= g->c.lost_release;
			g->st.releases++;
			if (!ev->logged)
				g->st.lost++;
			truth(g, e.sub, e.t, ev->logged, fn, arg);
			i = (a->head + a->n) % g->nblocks;
			a->q[i] = (uint16_t)s->block;
			a->freed[i] = e.t;
			a->n++;
			s->block = -1;
			s->gen++;
			heap_push(g, e.t + expo(g, g->idle_mean), e.sub,
			    K_ALLOC);
			return 1;
		case K_INTERIM:
			fill(g, ev, CGN_EV_PBA_ACTIVE, e.t, e.sub);
			g->st.interims++;
			heap_push(g, e.t + g->c.interim_ms, e.sub, K_INTERIM);
			return 1;
		}
	}
	if (!g->finished) {
		g->finished = 1;
		for (i = 0; i < g->c.subscribers; i++)
			if (g->subs[i].block >= 0)
				truth(g, i, -1, 0, fn, arg);
	}
	return 0;
}

void
gensim_stats(const struct gensim *g, struct gensim_stats *s)
{
	*s = g->st;
}

void
gensim_truth_write(FILE *f, const struct gensim_truth *t)
{
	fprintf(f, "%u.%u.%u.%u\t%u.%u.%u.%u\t%u\t%u\t%lld\t%lld\t%d\n",
	    t->inside >> 24, t->inside >> 16 & 255, t->inside >> 8 & 255,
	    t->inside & 255, t->outside >> 24, t->outside >> 16 & 255,
	    t->outside >> 8 & 255, t->outside & 255, t->port_lo, t->port_hi,
	    (long long)t->start_ms, (long long)t->end_ms, t->release_logged);
}
