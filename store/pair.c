/*
 * pair.c - the pairing rules: what an event does to the open allocation
 * of its key (see pair.h for the contract), expiry, checkpoints, restart.
 * Not here: the table itself (pair_tab.c, drawn in pair_int.h); shards,
 * periods on disk, evidence (writer.c).
 */
#include <stdlib.h>
#include <string.h>

#include "pair_int.h"
#include "store.h"

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
	const struct pair_extra *x = ptab_extra_of(t, e);
	struct ival *iv = &r->iv;

	memset(r, 0, sizeof(*r));
	ptab_addr_unpack(t, e->out, (e->st & ST_OUT6) != 0, &iv->outside);
	ptab_addr_unpack(t, e->in, (e->st & ST_IN6) != 0, &iv->inside);
	if (x->in4 != 0)
		a128_set(&iv->inside_v4, 0, 0xffff00000000ULL | x->in4);
	ptab_dst_get(t, e, &iv->dst, &iv->dst_port);
	iv->start_ms = e->start_ms;
	iv->end_ms = open ? 0 : end_ms < e->start_ms ? e->start_ms : end_ms;
	iv->ev_start = e->ev_start;
	iv->ev_end = open ? 0 : ev_end;
	iv->dev = e->dev;
	iv->vrf = x->vrf;
	iv->sub = x->sub;
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

/* The key's fields but the public address and the destination: all the
 * hash reads besides the address (see pair_int.h). */
static void
key_base(const struct cgn_event *ev, int kind, uint16_t dev, struct pkey *k)
{
	memset(k, 0, sizeof(*k));
	k->lo = ev->port_lo;
	k->dev = dev;
	k->kind = (uint8_t)kind;
	k->proto = ev->proto;
}

/*
 * The key of ev's allocation (kind from kind_of). A session's destination
 * is part of it where the device logged one: one public port may be held
 * by several subscribers at once, for different destinations.
 */
static int
key_of(struct pair_tab *t, const struct cgn_event *ev, int kind,
    uint16_t dev, struct pkey *k)
{
	struct a128 d;
	int rc;

	key_base(ev, kind, dev, k);
	if ((rc = ptab_addr_pack(t, &ev->outside, &k->out, &k->out6)) != CGN_OK)
		return rc;
	if (kind != STORE_K_SESSION)
		return CGN_OK;	/* blocks and addresses have none */
	d = a128_of(&ev->dst);
	if (d.hi == 0 && (d.lo == 0 || d.lo == 0xffff00000000ULL))
		return CGN_OK;	/* not logged */
	k->dport = ev->dst_port;
	if (d.hi == 0 && d.lo >> 32 == 0xffff) {
		k->dk = DK_V4;
		k->dst4 = (uint32_t)d.lo;
	} else {
		k->dk = DK_V6;
		k->dst6 = &ev->dst;
	}
	return CGN_OK;
}

/* Fill e as a new open allocation of key k from ev. */
static int
ent_fill(struct pair_tab *t, struct pair_ent *e, const struct cgn_event *ev,
    uint16_t dev, uint32_t sub, uint64_t ref, int kind, int64_t start_ms,
    uint8_t flags, const struct pkey *k)
{
	struct a128 v4 = a128_of(&ev->inside_v4);
	uint32_t in, in4 = 0;
	uint8_t in6;

	if (ptab_addr_pack(t, &ev->inside, &in, &in6) != CGN_OK)
		return CGN_ENOMEM;
	if (v4.hi == 0 && v4.lo >> 32 == 0xffff)
		in4 = (uint32_t)v4.lo;
	ptab_extra_free(t, e);
	memset(e, 0, sizeof(*e));
	if (ptab_extra_set(t, e, ev->vrf, sub, in4, k) != CGN_OK)
		return CGN_ENOMEM;
	e->start_ms = start_ms;
	e->ev_start = ref;
	e->out = k->out;
	e->in = in;
	e->last_ds = to_ds(ev->ts_ms - start_ms);
	e->wp = UINT32_MAX;	/* no record of it yet (pair_checkpoint) */
	e->lo = ev->port_lo;
	e->hi = ev->port_hi;
	e->dev = dev;
	e->in_port = ev->inside_port;
	e->proto = ev->proto;
	e->kind = (uint8_t)kind;
	e->flags = (uint8_t)(flags | (ev->tsrc == CGN_TS_RX ?
	    STORE_F_TS_RX : 0));
	e->st = (uint8_t)(e->st | ST_OPEN | (k->out6 ? ST_OUT6 : 0) |
	    (in6 ? ST_IN6 : 0));	/* ST_DST from ptab_extra_set */
	return CGN_OK;
}

static int
same_inside(struct pair_tab *t, const struct pair_ent *e,
    const struct cgn_event *ev)
{
	struct a128 x = a128_of(&ev->inside);

	if (x.hi == 0 && x.lo == 0)	/* release without inside */
		return 1;
	if (e->st & ST_IN6) {
		if (memcmp(&t->v6.a[e->in], &ev->inside, 16) != 0)
			return 0;
	} else if (x.hi != 0 || x.lo != (e->in == 0 ? 0 :
	    0xffff00000000ULL | e->in)) {
		return 0;
	}
	return ptab_extra_of(t, e)->vrf == ev->vrf;
}

/* Close the open entry in slot j (key hash h): its release, logged at ts,
 * is evidence ref. */
static void
close_logged(struct pair_tab *t, uint32_t j, uint64_t h, int64_t ts,
    uint64_t ref, struct pair_out *out)
{
	struct pair_ent *e = ptab_ent(t, ptab_slot_idx(t->slot[j]));

	ent_rec(t, e, &out->rec[out->n++], 0, ts, STORE_F_END_LOGGED, ref);
	e->st = (uint8_t)((e->st & ~ST_MASK) | ST_CLOSED);
	e->last_ds = to_ds((ts > e->start_ms ? ts : e->start_ms) -
	    e->start_ms);
	t->open--;
	ptab_tomb_push(t, ptab_slot_idx(t->slot[j]), h,
	    e->start_ms + (int64_t)e->last_ds * 100);
}

/* Can session e (of k's ports, another key) be the one a release of key
 * k ends? Its destination, or the release's, was not logged, or only one
 * of them logged the destination's port. */
static int
dst_may_be(const struct pair_tab *t, const struct pair_ent *e,
    const struct pkey *k, const struct cgn_event *ev)
{
	struct cgn_addr d;
	uint16_t dport;

	if (k->dk == DK_NONE || !(e->st & ST_DST))
		return 1;
	ptab_dst_get(t, e, &d, &dport);
	return memcmp(&d, &ev->dst, sizeof(d)) == 0 &&
	    (dport == 0 || k->dport == 0);
}

/*
 * A session release that found no open session of its own key: the
 * destination may have been logged on one side only (a release without
 * one, or a create without one). The open sessions of the same ports and
 * inside that it can end share its probe path (the hash leaves the
 * destination out). Exactly one: it is closed. Several: which one ended
 * is unknown, so none is closed and the release is stray; they end with
 * their own releases or when idle. An interval kept too long makes a
 * lookup ambiguous, one ended too early makes it wrong. None open, but
 * one closed by the same release within the duplicate window: a
 * duplicate. Returns 1 when it dealt with the release, 0 when there is
 * nothing to pair it with.
 */
static int
release_other_dst(struct pair_tab *t, const struct cgn_event *ev,
    const struct pkey *k, uint64_t h, uint64_t ref, struct pair_out *out)
{
	uint32_t j, s, tag = ptab_tag(h), jopen = 0;
	struct pair_ent *e;
	int nopen = 0, dup = 0;
	int64_t end;

	for (j = (uint32_t)h & t->mask; (s = t->slot[j]) != 0;
	    j = (j + 1) & t->mask) {
		if ((s & ~IDX_MASK) != tag || s == GRAVE)
			continue;
		e = ptab_ent(t, ptab_slot_idx(s));
		if (!ptab_base_is(e, k) || ptab_key_is(t, e, k) ||
		    !dst_may_be(t, e, k, ev) || !same_inside(t, e, ev))
			continue;
		if ((e->st & ST_MASK) == ST_OPEN) {
			nopen++;
			jopen = j;
			continue;
		}
		end = e->start_ms + (int64_t)e->last_ds * 100;
		if (abs64(ev->ts_ms - end) <= t->cfg.dup_ms + 100)
			dup = 1;
	}
	if (nopen == 1) {
		e = ptab_ent(t, ptab_slot_idx(t->slot[jopen]));
		if (ev->ts_ms < e->start_ms - t->cfg.dup_ms)
			out->stray = 1;	/* of an earlier holder */
		else
			close_logged(t, jopen, h, ev->ts_ms, ref, out);
		return 1;
	}
	if (nopen > 1) {
		out->stray = 1;
		return 1;
	}
	if (dup) {
		out->dup = 1;
		return 1;
	}
	return 0;
}

/* The hash of ev's key without the table (see pair_prefetch_slot); 0 when
 * there is none to make. */
static int
prefetch_hash(const struct cgn_event *ev, uint16_t dev, uint64_t *h)
{
	struct pkey k;
	uint32_t v4;
	int kind, action;

	if ((kind = kind_of(ev->type, &action)) == 0 ||
	    !cgn_addr_is_v4(&ev->outside, &v4))
		return 0;
	/* the key as key_of makes it for an IPv4 public address */
	key_base(ev, kind, dev, &k);
	k.out = v4;
	*h = ptab_hash(&k);
	return 1;
}

void
pair_prefetch_slot(const struct pair_tab *t, const struct cgn_event *ev,
    uint16_t dev)
{
	uint64_t h;

	if (prefetch_hash(ev, dev, &h))
		__builtin_prefetch(&t->slot[(uint32_t)h & t->mask]);
}

void
pair_prefetch_entry(const struct pair_tab *t, const struct cgn_event *ev,
    uint16_t dev)
{
	uint64_t h;
	uint32_t s;

	if (!prefetch_hash(ev, dev, &h))
		return;
	s = t->slot[(uint32_t)h & t->mask];
	if (ptab_full(s) && (s & ~IDX_MASK) == ptab_tag(h))
		__builtin_prefetch(ptab_ent(t, ptab_slot_idx(s)));
}

int
pair_event(struct pair_tab *t, const struct cgn_event *ev, uint16_t dev,
    uint32_t sub, uint64_t ref, struct pair_out *out)
{
	struct cgn_event tmp;
	struct pair_ent *e = NULL, scratch;
	struct pkey k;
	uint64_t h;
	uint32_t j, idx;
	int64_t ts = ev->ts_ms, start, end;
	int kind, action, rc;
	uint8_t flags;

	out->n = out->dup = out->stray = 0;
	if ((kind = kind_of(ev->type, &action)) == 0)
		return CGN_EINVAL;
	if (ev->ts_ms > t->now)
		t->now = ev->ts_ms;
	if ((rc = ptab_dev_tick(t, dev, ev->ts_ms)) != CGN_OK)
		return rc;
	ptab_tomb_reap(t);
	if (kind == STORE_K_ADDR && ev->port_lo == 0 && ev->port_hi == 0) {
		tmp = *ev;	/* a whole address: every port */
		tmp.port_hi = 65535;
		ev = &tmp;
	}
	if (ev->port_hi < ev->port_lo)
		return CGN_EINVAL;
	if ((rc = key_of(t, ev, kind, dev, &k)) != CGN_OK)
		return rc;
	h = ptab_hash(&k);
	j = ptab_find(t, &k, h);
	if (ptab_full(t->slot[j]))
		e = ptab_ent(t, ptab_slot_idx(t->slot[j]));

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
			close_logged(t, j, h, ts, ref, out);
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
		if (kind == STORE_K_SESSION &&
		    release_other_dst(t, ev, &k, h, ref, out))
			return CGN_OK;
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
			if ((rc = ptab_ent_alloc(t, &idx)) != CGN_OK)
				return rc;
			e = ptab_ent(t, idx);
			ptab_insert(t, j, idx, h);
		}
		if ((rc = ent_fill(t, e, ev, dev, sub, 0, kind, start,
		    flags, &k)) != CGN_OK)
			return rc;
		ent_rec(t, e, &out->rec[out->n++], 0, ts, STORE_F_END_LOGGED,
		    ref);
		e->ev_start = 0;
		e->st = (uint8_t)((e->st & ~ST_MASK) | ST_CLOSED);
		e->last_ds = to_ds((ts > start ? ts : start) - start);
		ptab_tomb_push(t, ptab_slot_idx(t->slot[j]), h, e->start_ms +
		    (int64_t)e->last_ds * 100);
		return ptab_grow(t);
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
			    kind, start, flags, &k)) != CGN_OK)
				return rc;
			ent_rec(t, &scratch, &out->rec[out->n++], 0,
			    e->start_ms, STORE_F_END_REUSE, 0);
			ptab_extra_free(t, &scratch);
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
			    kind, start, flags, &k)) != CGN_OK)
				return rc;
			ent_rec(t, &scratch, &out->rec[out->n++], 0,
			    e->start_ms, STORE_F_END_REUSE, 0);
			ptab_extra_free(t, &scratch);
			return CGN_OK;
		}
	} else {
		if ((rc = ptab_ent_alloc(t, &idx)) != CGN_OK)
			return rc;
		e = ptab_ent(t, idx);
		ptab_insert(t, j, idx, h);
	}
	if ((rc = ent_fill(t, e, ev, dev, sub, ref, kind, start, flags,
	    &k)) != CGN_OK)
		return rc;
	if (++t->open > t->open_peak)
		t->open_peak = t->open;
	/* no record yet (ent_fill): the next checkpoint (every flush)
	 * writes it, if it is still open then. A session or a block that
	 * ends before that gets one record, its closed one, instead of an
	 * open record that the flush would fold into it (at replay speed,
	 * half the rows a flush sorted were such pairs) */
	return ptab_grow(t);
}

/* Slots pair_expire looks ahead (at 3/4 full, about 12 entries). */
#define EXPIRE_AHEAD 16

int
pair_expire(struct pair_tab *t, int64_t now_ms, pair_rec_fn *fn, void *arg)
{
	struct pair_rec r;
	struct pair_ent *e;
	int64_t age, last, end, now;
	uint32_t j;
	int rc;

	for (j = 0; j <= t->mask; j++) {
		/* every entry is read, in slot order: a cache miss each,
		 * unless asked for a few slots ahead (each flush walks the
		 * whole table this way) */
		if (j + EXPIRE_AHEAD <= t->mask &&
		    ptab_full(t->slot[j + EXPIRE_AHEAD]))
			__builtin_prefetch(ptab_ent(t,
			    ptab_slot_idx(t->slot[j + EXPIRE_AHEAD])));
		if (!ptab_full(t->slot[j]))
			continue;
		e = ptab_ent(t, ptab_slot_idx(t->slot[j]));
		last = e->start_ms + (int64_t)e->last_ds * 100;
		now = ptab_dev_now(t, e->dev, now_ms);
		if ((e->st & ST_MASK) == ST_CLOSED) {
			if (now - last <= t->cfg.dup_ms)
				continue;
			ptab_slot_remove(t, j);
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
		ptab_slot_remove(t, j);
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
	uint64_t ps;
	uint32_t i, to;
	int rc;

	for (i = 0; i < t->used; i++) {
		e = ptab_ent(t, i);
		if ((e->st & ST_MASK) != ST_OPEN)
			continue;
		to = p;
		if (now_ms > 0) {
			dnow = ptab_dev_now(t, e->dev, now_ms);
			if (dnow >= 0 &&
			    (uint64_t)(dnow / t->cfg.period_ms) < to)
				to = (uint32_t)(dnow / t->cfg.period_ms);
		}
		if (e->wp == UINT32_MAX) {
			/* no record of it yet: one goes into its start's
			 * period at least, even one the clocks have not
			 * reached (a device whose clock runs ahead) */
			ps = e->start_ms < 0 ? 0 :
			    (uint64_t)(e->start_ms / t->cfg.period_ms);
			if (ps > to)
				to = (uint32_t)ps;
		} else if (e->wp >= to) {
			continue;
		}
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
		e = ptab_ent(t, i);
		/* one with no record yet was opened since the restart */
		if ((e->st & ST_MASK) == ST_OPEN && e->wp != UINT32_MAX &&
		    e->wp < p)
			e->wp = p;
	}
}

int
pair_resume(struct pair_tab *t, const struct ival *iv, uint32_t wp)
{
	struct cgn_event ev;
	struct pair_out o;
	struct pair_ent *e;
	struct pkey k;
	uint32_t j;
	int rc;

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
	ev.dst = iv->dst;
	ev.dst_port = iv->dst_port;
	if ((rc = key_of(t, &ev, iv->kind, (uint16_t)iv->dev, &k)) != CGN_OK)
		return rc;
	j = ptab_find(t, &k, ptab_hash(&k));
	if (ptab_full(t->slot[j]))
		return CGN_OK;	/* a newer record of it was taken up first */
	if ((rc = pair_event(t, &ev, (uint16_t)iv->dev, iv->sub, iv->ev_start,
	    &o)) != CGN_OK)
		return rc;
	j = ptab_find(t, &k, ptab_hash(&k));
	if (ptab_full(t->slot[j])) {
		e = ptab_ent(t, ptab_slot_idx(t->slot[j]));
		/* keep how the start was known, not "logged" by default */
		e->flags = (uint8_t)(iv->flags & 0xff & ~STORE_F_OPEN);
		e->wp = wp;
	}
	return CGN_OK;
}
