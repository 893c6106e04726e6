/*
 * lookup.c - verdicts (see lookup.h): find the intervals over the window,
 * drop those another logged destination rules out, decide which holders
 * the data vouches for, and look for gaps.
 */
#include <stdlib.h>
#include <string.h>

#include "lookup.h"

#define HOUR_MS 3600000LL
#define CACHE_SLOTS 64
#define CACHE_DEVS 32
#define WIN_SLOTS 65536		/* open addressing, at most half full */
#define WIN_BYTES (512u << 20)	/* past this, the windows are dropped */
#define WIN_PAD_MS (20 * 60000LL)

/* The devices heard in the shards around one hour, with their skew. */
struct q_hour {
	int64_t hour;		/* t / HOUR_MS; INT64_MIN: empty slot */
	size_t n;
	struct q_skew dev[CACHE_DEVS];
};

/*
 * Every interval of one public address over an hour and a margin on each
 * side, as store_find gave them: a batch asks the same address around the
 * same time many times, and decoding its blocks once is what makes a
 * batch fast. A lookup whose window fits is answered from here with the
 * filters store_find applies (ports, protocol, time).
 */
struct q_win {
	struct cgn_addr ip;
	int64_t hour;		/* INT64_MIN: empty */
	int64_t from_ms, to_ms;	/* what was fetched */
	struct q_hits hits;
};

struct q_cache {
	struct q_hour slot[CACHE_SLOTS];	/* direct-mapped by hour */
	struct q_win *win[WIN_SLOTS];		/* by address and hour */
	size_t nwin;
	size_t bytes;				/* held in windows */
};

int
q_cache_new(struct q_cache **out)
{
	struct q_cache *c;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return CGN_ENOMEM;
	for (i = 0; i < CACHE_SLOTS; i++)
		c->slot[i].hour = INT64_MIN;
	*out = c;
	return CGN_OK;
}

static void
win_drop(struct q_cache *c)
{
	size_t i;

	for (i = 0; i < WIN_SLOTS; i++) {
		if (c->win[i] != NULL) {
			free(c->win[i]->hits.h);
			free(c->win[i]);
			c->win[i] = NULL;
		}
	}
	c->nwin = 0;
	c->bytes = 0;
}

void
q_cache_free(struct q_cache *c)
{
	if (c == NULL)
		return;
	win_drop(c);
	free(c);
}

const char *
q_verdict_str(enum q_verdict v)
{
	switch (v) {
	case Q_UNIQUE:		return "unique";
	case Q_NOTFOUND:	return "not_found";
	case Q_AMBIGUOUS:	return "ambiguous";
	case Q_NOCOVERAGE:	return "no_coverage";
	}
	return "invalid";
}

int
q_same_holder(const struct store_hit *a, const struct store_hit *b)
{
	return cgn_addr_cmp(&a->inside, &b->inside) == 0 &&
	    cgn_addr_cmp(&a->inside_v4, &b->inside_v4) == 0 &&
	    a->vrf == b->vrf;
}

int
q_both_logged(const struct store_hit *h)
{
	/* an interim names the block's start as the device knows it */
	return (h->flags & (STORE_F_START_LOGGED | STORE_F_START_INTERIM)) &&
	    (h->flags & STORE_F_END_LOGGED) && !(h->flags & STORE_F_TS_RX);
}

/* ---- device skew ------------------------------------------------------- */

static int
hour_dev(void *arg, const struct store_dev_info *di)
{
	struct q_hour *h = arg;
	struct q_skew *s;

	if (h->n == CACHE_DEVS)
		return 0;	/* more devices than kept: no skew for those */
	s = &h->dev[h->n++];
	memset(s, 0, sizeof(*s));
	memcpy(s->device, di->name, sizeof(s->device));
	s->known = di->skew_n > 0;
	s->n = di->skew_n;
	s->avg_ms = di->skew_avg_ms;
	s->min_ms = di->skew_min_ms;
	s->max_ms = di->skew_max_ms;
	s->last_rx_ms = di->last_rx_ms;
	s->used = s->known && llabs(s->avg_ms) <= Q_SKEW_TRUST_MS &&
	    s->max_ms - s->min_ms <= Q_SKEW_SPREAD_MS;
	return 0;
}

/* The devices around t: from the cache, else asked and kept in it. */
static int
hour_get(struct store_reader *rd, struct q_cache *c, int64_t t_ms,
    struct q_hour *tmp, const struct q_hour **out)
{
	int64_t hour = t_ms >= 0 ? t_ms / HOUR_MS : (t_ms + 1) / HOUR_MS - 1;
	struct q_hour *h = tmp;
	int rc;

	if (c != NULL) {
		h = &c->slot[(uint64_t)hour % CACHE_SLOTS];
		if (h->hour == hour) {
			*out = h;
			return CGN_OK;
		}
	}
	h->hour = INT64_MIN;
	h->n = 0;
	if ((rc = store_devices(rd, hour * HOUR_MS, hour * HOUR_MS + HOUR_MS -
	    1, hour_dev, h)) != CGN_OK)
		return rc;
	h->hour = hour;
	*out = h;
	return CGN_OK;
}

static const struct q_skew *
skew_of(const struct q_hour *h, const char *device)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->dev[i].device, device) == 0)
			return &h->dev[i];
	return NULL;
}

/* The skew applied to device's times: 0 unless trusted. */
static int64_t
used_skew(const struct q_hour *h, const char *device)
{
	const struct q_skew *s = skew_of(h, device);

	return s != NULL && s->used ? s->avg_ms : 0;
}

/* ---- finding ----------------------------------------------------------- */

struct find {
	const struct q_request *r;
	const struct q_hour *hour;
	struct q_answer *a;
};

static int
meets(const struct store_hit *h, int64_t from, int64_t to)
{
	return h->start_ms <= to && h->end_ms >= from;
}

/* A session logged with another destination than the one asked for. */
static int
other_dst(const struct q_request *r, const struct store_hit *h)
{
	if (cgn_addr_is_zero(&r->dst) || cgn_addr_is_zero(&h->dst))
		return 0;
	if (cgn_addr_cmp(&r->dst, &h->dst) != 0)
		return 1;
	return r->dst_port != 0 && h->dst_port != 0 &&
	    r->dst_port != h->dst_port;
}

static int
collect(void *arg, const struct store_hit *h)
{
	struct find *f = arg;
	struct q_answer *a = f->a;
	int64_t lo = f->r->t_ms - f->r->tol_ms, hi = f->r->t_ms + f->r->tol_ms;
	int64_t s = used_skew(f->hour, h->device);

	/* the window as given, or as the device's skewed clock saw it */
	if (!meets(h, lo, hi) && !meets(h, lo + s, hi + s))
		return 0;
	if (other_dst(f->r, h)) {
		a->ndst++;
		return 0;
	}
	if (a->nhits < Q_MAXHITS)
		a->hits[a->nhits++] = *h;
	else
		a->nmore++;
	return 0;
}

int
q_hits_keep(void *arg, const struct store_hit *h)
{
	struct q_hits *hs = arg;
	struct store_hit *nh;

	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? hs->cap * 2 : 64;
		if ((nh = realloc(hs->h, hs->cap * sizeof(*nh))) == NULL) {
			hs->oom = 1;
			return 1;
		}
		hs->h = nh;
	}
	hs->h[hs->n++] = *h;
	return 0;
}

/* ---- the batch's window cache ------------------------------------------- */

/* The window of q's address and hour, fetched if not held; NULL if q's
 * window does not fit one (a long tolerance): then ask the store. */
static int
win_get(struct store_reader *rd, struct q_cache *c,
    const struct store_query *q, struct q_win **out)
{
	int64_t hour = q->from_ms >= 0 ? q->from_ms / HOUR_MS :
	    (q->from_ms + 1) / HOUR_MS - 1;
	uint64_t k = (uint64_t)hour * 0x9e3779b97f4a7c15ULL;
	struct store_query wq;
	struct q_win *w;
	size_t i;
	int rc;

	*out = NULL;
	if (q->to_ms > (hour + 1) * HOUR_MS + WIN_PAD_MS)
		return CGN_OK;
	for (i = 0; i < 16; i++)
		k = (k ^ q->outside.b[i]) * 0x100000001b3ULL;
	for (k >>= 16;; k++) {
		w = c->win[k % WIN_SLOTS];
		if (w == NULL)
			break;
		if (w->hour == hour && cgn_addr_cmp(&w->ip, &q->outside) == 0) {
			*out = w;
			return CGN_OK;
		}
	}
	if (c->nwin >= WIN_SLOTS / 2 || c->bytes >= WIN_BYTES)
		win_drop(c);	/* start over rather than grow without end */
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return CGN_OK;	/* no memory to keep it: ask the store */
	w->hour = INT64_MIN;
	memset(&wq, 0, sizeof(wq));
	wq.outside = q->outside;
	wq.port_lo = 0;
	wq.port_hi = 65535;
	wq.from_ms = hour * HOUR_MS - WIN_PAD_MS;
	wq.to_ms = (hour + 1) * HOUR_MS + WIN_PAD_MS;
	wq.resolve_end = 1;
	if ((rc = store_find(rd, &wq, q_hits_keep, &w->hits)) != CGN_OK ||
	    w->hits.oom) {
		rc = w->hits.oom ? CGN_OK : rc;	/* no memory: ask the store */
		free(w->hits.h);
		free(w);
		return rc;
	}
	w->ip = q->outside;
	w->hour = hour;
	w->from_ms = wq.from_ms;
	w->to_ms = wq.to_ms;
	c->win[k % WIN_SLOTS] = w;	/* the free slot the probe ended on */
	c->nwin++;
	c->bytes += sizeof(*w) + w->hits.cap * sizeof(*w->hits.h);
	*out = w;
	return CGN_OK;
}

/* What store_find(q) would give, from the window. */
static void
win_find(const struct q_win *w, const struct store_query *q,
    struct find *f)
{
	const struct store_hit *h;
	size_t i;

	for (i = 0; i < w->hits.n; i++) {
		h = &w->hits.h[i];
		if (h->start_ms > q->to_ms || h->end_ms < q->from_ms)
			continue;
		if (q->proto != 0 && h->proto != 0 && h->proto != q->proto)
			continue;
		if (h->port_lo > q->port_hi || h->port_hi < q->port_lo)
			continue;
		collect(f, h);
	}
}

/* ---- gaps -------------------------------------------------------------- */

static void
gap_keep(struct q_answer *a, const struct store_gap *g)
{
	size_t i;

	for (i = 0; i < a->ngaps; i++)
		if (a->gaps[i].from_ms == g->from_ms &&
		    a->gaps[i].to_ms == g->to_ms &&
		    a->gaps[i].collector == g->collector &&
		    strcmp(a->gaps[i].device, g->device) == 0)
			return;
	if (a->ngaps < Q_MAXGAPS)
		a->gaps[a->ngaps++] = *g;
}

/* The device's own losses (not the collector's) over [from, to]. */
static int
device_gaps(struct store_reader *rd, struct q_answer *a, const char *dev,
    int64_t from, int64_t to)
{
	struct store_gap tmp[Q_MAXGAPS];
	size_t n = 0, k;
	int rc;

	if ((rc = store_coverage(rd, dev, from, to, tmp, Q_MAXGAPS, &n)) !=
	    CGN_OK)
		return rc;
	for (k = 0; k < n && k < Q_MAXGAPS; k++)
		if (!tmp[k].collector)
			gap_keep(a, &tmp[k]);
	return CGN_OK;
}

/*
 * Is hit i vouched for? Both ends logged: yes. Otherwise the stretch from
 * its start (in the collector's time: both readings when the device's
 * skew is trusted) to the end of the window must have no gap.
 */
static int
vouch(struct store_reader *rd, const struct q_request *r,
    const struct q_hour *hour, struct q_answer *a, size_t i)
{
	const struct store_hit *h = &a->hits[i];
	struct store_gap g[1];
	int64_t s = used_skew(hour, h->device);
	int64_t from = h->start_ms, to = r->t_ms + r->tol_ms + (s > 0 ? s : 0);
	size_t n = 0;
	int rc;

	if (q_both_logged(h))
		return CGN_OK;
	if (h->end_ms < to)
		to = h->end_ms;
	from -= s > 0 ? s : 0;
	to -= s < 0 ? s : 0;
	/* rebuilt from an interim: held for certain when that message came
	 * (its receive time is the high bits of its evidence ref) */
	if ((h->flags & STORE_F_START_INTERIM) && h->ev_start != 0 &&
	    (int64_t)(h->ev_start >> 16) > from &&
	    (int64_t)(h->ev_start >> 16) <= to)
		from = (int64_t)(h->ev_start >> 16);
	if (from > to)
		from = to;
	if ((rc = store_coverage(rd, h->device, from, to, g, 1, &n)) !=
	    CGN_OK)
		return rc;
	if (n > 0) {
		a->doubt[i] |= Q_D_GAP;
		a->why[i] = g[0];
	}
	return CGN_OK;
}

/* A device's last message over some shards (store_devices callback). */
struct last_heard {
	const char *device;
	int known;
	int64_t rx_ms;
};

static int
last_heard_of(void *arg, const struct store_dev_info *di)
{
	struct last_heard *l = arg;

	if (strcmp(di->name, l->device) != 0)
		return 0;
	if (!l->known || di->last_rx_ms > l->rx_ms)
		l->rx_ms = di->last_rx_ms;
	l->known = 1;
	return 0;
}

/*
 * Did hit i's device go silent before the window? Its release not logged,
 * and its last message (collector's clock) more than Q_QUIET_MS before the
 * window: whatever it sent since, a release among it, may be lost, and
 * someone else may hold the ports now. Heard later in the hour's shards
 * (the common case, no query): no. Otherwise the store is asked from the
 * hit's start; a device it knows nothing of is left as it is.
 */
static int
silent(struct store_reader *rd, const struct q_request *r,
    const struct q_hour *hour, struct q_answer *a, size_t i)
{
	const struct store_hit *h = &a->hits[i];
	const struct q_skew *s = skew_of(hour, h->device);
	int64_t quiet = r->t_ms - r->tol_ms - Q_QUIET_MS;
	struct last_heard l;
	int rc;

	if (q_both_logged(h) || (s != NULL && s->last_rx_ms >= quiet))
		return CGN_OK;
	memset(&l, 0, sizeof(l));
	l.device = h->device;
	if ((rc = store_devices(rd, h->start_ms < r->t_ms - r->tol_ms ?
	    h->start_ms : r->t_ms - r->tol_ms, r->t_ms + r->tol_ms,
	    last_heard_of, &l)) != CGN_OK)
		return rc;
	if (l.known && l.rx_ms < quiet) {
		a->doubt[i] |= Q_D_SILENT;
		a->heard[i] = l.rx_ms;
	}
	return CGN_OK;
}

static void
skew_note(struct q_answer *a, const struct q_hour *hour, const char *dev)
{
	const struct q_skew *s;
	size_t i;

	for (i = 0; i < a->nskew; i++)
		if (strcmp(a->skew[i].device, dev) == 0)
			return;
	if (a->nskew == Q_MAXDEVS)
		return;
	if ((s = skew_of(hour, dev)) != NULL) {
		a->skew[a->nskew++] = *s;
	} else {
		memset(&a->skew[a->nskew], 0, sizeof(a->skew[0]));
		memcpy(a->skew[a->nskew++].device, dev, CGN_NAMELEN);
	}
}

/* The latest gap (collector, or a device heard then) in the lookback
 * before the window. */
static int
lookback(struct store_reader *rd, const struct q_request *r,
    const struct q_hour *hour, struct q_answer *a, int64_t hi)
{
	struct store_gap g[Q_MAXGAPS];
	int64_t to = r->t_ms - r->tol_ms - hi - 1;
	int64_t from = to - (r->lookback_ms ? r->lookback_ms : Q_LOOKBACK_MS);
	size_t i, k, n;
	int rc;

	if (r->lookback_ms < 0)
		return CGN_OK;
	for (i = 0; i <= hour->n; i++) {
		if ((rc = store_coverage(rd, i < hour->n ? hour->dev[i].device :
		    NULL, from, to, g, Q_MAXGAPS, &n)) != CGN_OK)
			return rc;
		for (k = 0; k < n && k < Q_MAXGAPS; k++)
			if (!a->has_before || g[k].to_ms > a->before.to_ms) {
				a->before = g[k];
				a->has_before = 1;
			}
	}
	return CGN_OK;
}

static void
count_holders(struct q_answer *a)
{
	size_t i, j;
	int conf;

	for (i = 0; i < a->nhits; i++) {
		for (j = 0; j < i; j++)
			if (q_same_holder(&a->hits[i], &a->hits[j]))
				break;
		if (j < i)
			continue;	/* counted with an earlier hit */
		a->nholders++;
		for (conf = 0, j = i; j < a->nhits; j++)
			if (q_same_holder(&a->hits[i], &a->hits[j]) &&
			    a->doubt[j] == 0)
				conf = 1;
		a->nconfirmed += (size_t)conf;
	}
}

int
q_lookup_with(struct store_reader *rd, struct q_cache *c,
    const struct q_request *r, struct q_answer *a)
{
	struct q_hour tmp;
	const struct q_hour *hour;
	struct q_win *w = NULL;
	struct store_query q;
	struct find f;
	int64_t lo = 0, hi = 0;
	size_t i, n;
	int rc;

	memset(a, 0, offsetof(struct q_answer, hits));
	a->nhits = a->nmore = a->nholders = a->nconfirmed = a->ndst = 0;
	a->ngaps = a->nskew = 0;
	a->has_before = 0;
	if ((rc = hour_get(rd, c, r->t_ms, &tmp, &hour)) != CGN_OK)
		return rc;
	for (i = 0; i < hour->n; i++) {
		if (!hour->dev[i].used)
			continue;
		if (hour->dev[i].avg_ms < lo)
			lo = hour->dev[i].avg_ms;
		if (hour->dev[i].avg_ms > hi)
			hi = hour->dev[i].avg_ms;
	}
	memset(&q, 0, sizeof(q));
	q.outside = r->ip;
	q.port_lo = q.port_hi = r->port;
	q.proto = r->proto;
	q.from_ms = a->from_ms = r->t_ms - r->tol_ms + lo;
	q.to_ms = a->to_ms = r->t_ms + r->tol_ms + hi;
	q.resolve_end = 1;
	f.r = r;
	f.hour = hour;
	f.a = a;
	if (c != NULL && (rc = win_get(rd, c, &q, &w)) != CGN_OK)
		return rc;
	if (w != NULL)
		win_find(w, &q, &f);
	else if ((rc = store_find(rd, &q, collect, &f)) != CGN_OK)
		return rc;
	memset(a->doubt, 0, a->nhits);
	for (i = 0; i < a->nhits; i++)
		if ((rc = vouch(rd, r, hour, a, i)) != CGN_OK ||
		    (rc = silent(rd, r, hour, a, i)) != CGN_OK)
			return rc;
	count_holders(a);

	/* gaps over the window in the collector's time, both readings */
	if ((rc = store_coverage(rd, NULL, r->t_ms - r->tol_ms - hi,
	    r->t_ms + r->tol_ms - lo, a->gaps, Q_MAXGAPS, &n)) != CGN_OK)
		return rc;
	a->ngaps = n < Q_MAXGAPS ? n : Q_MAXGAPS;
	for (i = 0; i < a->nhits; i++) {
		skew_note(a, hour, a->hits[i].device);
		if ((rc = device_gaps(rd, a, a->hits[i].device, r->t_ms -
		    r->tol_ms - hi, r->t_ms + r->tol_ms - lo)) != CGN_OK)
			return rc;
	}
	if (a->nhits == 0) {
		/* nobody: any device that lost messages then may have been
		 * the one serving this address */
		for (i = 0; i < hour->n; i++) {
			skew_note(a, hour, hour->dev[i].device);
			if ((rc = device_gaps(rd, a, hour->dev[i].device,
			    r->t_ms - r->tol_ms - hi, r->t_ms + r->tol_ms -
			    lo)) != CGN_OK)
				return rc;
		}
	}
	if (a->nhits == 0 && (rc = lookback(rd, r, hour, a, hi)) != CGN_OK)
		return rc;
	if (a->nholders > 1 || a->nmore > 0)
		a->verdict = Q_AMBIGUOUS;
	else if (a->nholders == 1)
		a->verdict = a->nconfirmed == 1 ? Q_UNIQUE : Q_NOCOVERAGE;
	else
		a->verdict = a->ngaps > 0 ? Q_NOCOVERAGE : Q_NOTFOUND;
	return CGN_OK;
}

int
q_lookup(struct store_reader *rd, const struct q_request *r,
    struct q_answer *a)
{
	return q_lookup_with(rd, NULL, r, a);
}
