/*
 * tmpl.c - the template cache and the shared data-set decoder (see
 * tmpl.h).
 *
 * Streams are found through a small open-addressing hash (and the last
 * one used, since datagrams come in runs from one exporter); templates in
 * a stream are a sorted array, looked up once per set, not per record.
 * Not here: message framing, field meanings.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat_ie.h"
#include "pstate.h"
#include "rd.h"
#include "tmpl.h"

/* ---- streams ---------------------------------------------------------- */

static uint32_t
dom_hash(const struct cgn_addr *a, uint16_t port, int version,
    uint32_t domain)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ a->b[i]) * 16777619u;
	h = (h ^ port) * 16777619u;
	h = (h ^ (uint32_t)version) * 16777619u;
	h = (h ^ domain) * 16777619u;
	return h ^ h >> 15;
}

static int
dom_is(const struct tmpl_dom *d, const struct cgn_addr *a, uint16_t port,
    int version, uint32_t domain)
{
	return d->domain == domain && d->port == port &&
	    d->version == version && memcmp(d->exporter.b, a->b, 16) == 0;
}

/* Double the hash and re-insert every stream. */
static int
rehash(struct cgn_pstate *st)
{
	uint32_t ncap = st->hcap ? st->hcap * 2 : 64, i, h;
	uint32_t *nh = calloc(ncap, sizeof(*nh));

	if (nh == NULL)
		return CGN_ENOMEM;
	for (i = 0; i < st->ndom; i++) {
		struct tmpl_dom *d = st->dom[i];

		h = dom_hash(&d->exporter, d->port, d->version, d->domain);
		while (nh[h & (ncap - 1)] != 0)
			h++;
		nh[h & (ncap - 1)] = i + 1;
	}
	free(st->hash);
	st->hash = nh;
	st->hcap = ncap;
	return CGN_OK;
}

struct tmpl_dom *
tmpl_domain(struct cgn_pstate *st, const struct cgn_src *src, int version,
    uint32_t domain)
{
	struct tmpl_dom *d, **nd;
	uint16_t port = src->stream ? src->exporter_port : 0;
	uint32_t h, slot;

	if (st->last != NULL && dom_is(st->last, &src->exporter, port,
	    version, domain))
		return st->last;
	h = dom_hash(&src->exporter, port, version, domain);
	for (slot = h; st->hcap > 0; slot++) {
		uint32_t i = st->hash[slot & (st->hcap - 1)];

		if (i == 0)
			break;
		if (dom_is(st->dom[i - 1], &src->exporter, port, version,
		    domain))
			return st->last = st->dom[i - 1];
	}
	if (st->ndom >= TMPL_MAX_DOMAINS) {
		st->c.limits++;
		return NULL;
	}
	if (st->ndom == st->capdom) {
		uint32_t nc = st->capdom ? st->capdom * 2 : 16;

		if ((nd = realloc(st->dom, nc * sizeof(*nd))) == NULL)
			return NULL;
		st->dom = nd;
		st->capdom = nc;
	}
	/* keep the hash at most half full */
	if ((st->ndom + 1) * 2 > st->hcap && rehash(st) != CGN_OK)
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->exporter = src->exporter;
	d->port = port;
	d->version = (uint8_t)version;
	d->stream = src->stream;
	d->domain = domain;
	st->dom[st->ndom++] = d;
	for (slot = h; st->hash[slot & (st->hcap - 1)] != 0; slot++)
		;
	st->hash[slot & (st->hcap - 1)] = st->ndom;
	return st->last = d;
}

static void
held_drop(struct cgn_pstate *st, struct tmpl_dom *d, uint32_t i)
{
	st->held_bytes -= d->held[i].len;
	d->held_bytes -= d->held[i].len;
	free(d->held[i].data);
	memmove(&d->held[i], &d->held[i + 1],
	    (d->nheld - i - 1) * sizeof(d->held[0]));
	d->nheld--;
}

void
tmpl_free_all(struct cgn_pstate *st)
{
	uint32_t i, j;

	for (i = 0; i < st->ndom; i++) {
		struct tmpl_dom *d = st->dom[i];

		for (j = 0; j < d->nt; j++)
			free(d->t[j].ops);
		free(d->t);
		while (d->nheld > 0)
			held_drop(st, d, d->nheld - 1);
		free(d);
	}
	free(st->dom);
	free(st->hash);
	st->dom = NULL;
	st->hash = NULL;
	st->ndom = st->capdom = st->hcap = 0;
	st->last = NULL;
}

void
tmpl_device(const struct cgn_src *src, char *buf, size_t len)
{
	if (src->device != NULL)
		snprintf(buf, len, "%s", src->device);
	else if (!cgn_addr_is_zero(&src->exporter))
		cgn_addr_fmt(&src->exporter, buf, len);
	else
		snprintf(buf, len, "unknown");
}

/* ---- templates -------------------------------------------------------- */

/* The direct store for a field of this element and length, if there is
 * one: where its value sits in struct natrec. */
static int
op_kind(int dest, uint16_t len, uint16_t *at)
{
#define AT(m) (*at = (uint16_t)offsetof(struct natrec, m))
	switch (dest) {
	case ND_SRC4: AT(src4); return len == 4 ? TK_V4 : TK_FIELD;
	case ND_DST4: AT(dst); return len == 4 ? TK_V4 : TK_FIELD;
	case ND_XSRC4: AT(xsrc); return len == 4 ? TK_V4 : TK_FIELD;
	case ND_XDST4: AT(xdst); return len == 4 ? TK_V4 : TK_FIELD;
	case ND_SPORT: AT(sport); return len == 2 ? TK_U16 : TK_FIELD;
	case ND_DPORT: AT(dport); return len == 2 ? TK_U16 : TK_FIELD;
	case ND_XSPORT: AT(xsport); return len == 2 ? TK_U16 : TK_FIELD;
	case ND_XDPORT: AT(xdport); return len == 2 ? TK_U16 : TK_FIELD;
	case ND_PR_START: AT(pr_start); return len == 2 ? TK_U16 : TK_FIELD;
	case ND_PR_END: AT(pr_end); return len == 2 ? TK_U16 : TK_FIELD;
	case ND_PR_STEP: AT(pr_step); return len == 2 ? TK_U16 : TK_FIELD;
	case ND_PR_NUM: AT(pr_num); return len == 2 ? TK_U16 : TK_FIELD;
	case ND_PROTO: AT(proto); return len == 1 ? TK_U8 : TK_FIELD;
	case ND_NATEVENT: AT(natevent); return len == 1 ? TK_U8 : TK_FIELD;
	case ND_FWEVENT: AT(fwevent); return len == 1 ? TK_U8 : TK_FIELD;
	case ND_OBS_MS: AT(obs_ms); return len == 8 ? TK_U64 : TK_FIELD;
	case ND_START_MS: AT(start_ms); return len == 8 ? TK_U64 : TK_FIELD;
	case ND_END_MS: AT(end_ms); return len == 8 ? TK_U64 : TK_FIELD;
	default: *at = 0; return TK_FIELD;
	}
#undef AT
}

/* Index of id in d->t, or where it would go (*found 0). */
static uint32_t
tmpl_pos(const struct tmpl_dom *d, uint16_t id, int *found)
{
	uint32_t lo = 0, hi = d->nt;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (d->t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < d->nt && d->t[lo].id == id;
	return lo;
}

static void
tmpl_remove(struct tmpl_dom *d, uint32_t i)
{
	free(d->t[i].ops);
	memmove(&d->t[i], &d->t[i + 1], (d->nt - i - 1) * sizeof(d->t[0]));
	d->nt--;
}

const struct tmpl *
tmpl_find(struct cgn_pstate *st, struct tmpl_dom *d, uint16_t id,
    int64_t now_ms)
{
	uint32_t i;
	int found;

	i = tmpl_pos(d, id, &found);
	if (!found)
		return NULL;
	if (!d->stream && st->lifetime_ms > 0 &&
	    now_ms - d->t[i].seen_ms > st->lifetime_ms) {
		/* not refreshed for a lifetime: the exporter may have
		 * restarted and reused the id (RFC 7011 8.4) */
		tmpl_remove(d, i);
		st->c.expired++;
		return NULL;
	}
	return &d->t[i];
}

int
tmpl_define(struct cgn_pstate *st, struct tmpl_dom *d, int proto,
    uint16_t id, const struct tmpl_field *f, size_t n, int options,
    int64_t now_ms)
{
	struct tmpl nt, *na;
	uint32_t reclen = 0, i, pos;
	size_t k;
	int found, dest;

	memset(&nt, 0, sizeof(nt));
	nt.id = id;
	nt.options = (uint8_t)(options != 0);
	nt.seen_ms = now_ms;
	for (k = 0; k < n; k++) {
		if (f[k].len == TMPL_VARLEN) {
			nt.varlen = 1;
			reclen += 1;
		} else {
			reclen += f[k].len;
		}
	}
	if (reclen == 0 || reclen > 65535)
		return CGN_EMALFORMED;
	if (n > 0 && (nt.ops = calloc(n, sizeof(*nt.ops))) == NULL)
		return CGN_ENOMEM;
	nt.reclen = reclen;
	/* fixed records keep only the fields we read, at their offsets;
	 * variable ones need every length to find the next field */
	for (k = 0, reclen = 0; k < n; k++) {
		dest = options ? ND_SKIP : nat_ie_dest(proto, f[k].pen,
		    f[k].id);
		if (dest != ND_SKIP)
			nt.nat = 1;
		if (nt.varlen || dest != ND_SKIP) {
			struct tmpl_op *op = &nt.ops[nt.nops++];

			op->len = f[k].len;
			op->off = (uint16_t)reclen;
			op->dest = (uint8_t)dest;
			op->kind = (uint8_t)op_kind(dest, f[k].len, &op->at);
			if (op->kind != TK_FIELD)
				nt.have |= NH(dest);
		}
		if (f[k].len != TMPL_VARLEN)
			reclen += f[k].len;
	}
	i = tmpl_pos(d, id, &found);
	if (found) {
		free(d->t[i].ops);
		d->t[i] = nt;
		st->c.templates++;
		return CGN_OK;
	}
	if (d->nt >= TMPL_MAX_PER_DOM) {
		free(nt.ops);
		st->c.limits++;
		return CGN_ENOMEM;
	}
	if (d->nt == d->capt) {
		uint32_t nc = d->capt ? d->capt * 2 : 8;

		if ((na = realloc(d->t, nc * sizeof(*na))) == NULL) {
			free(nt.ops);
			return CGN_ENOMEM;
		}
		d->t = na;
		d->capt = nc;
	}
	pos = i;
	memmove(&d->t[pos + 1], &d->t[pos], (d->nt - pos) * sizeof(d->t[0]));
	d->t[pos] = nt;
	d->nt++;
	st->c.templates++;
	return CGN_OK;
}

void
tmpl_withdraw(struct cgn_pstate *st, struct tmpl_dom *d, uint32_t id,
    int options)
{
	uint32_t i;
	int found;

	if (id == 0xffff) {
		for (i = d->nt; i > 0; i--) {
			if (d->t[i - 1].options == (options != 0)) {
				tmpl_remove(d, i - 1);
				st->c.withdrawn++;
			}
		}
		return;
	}
	i = tmpl_pos(d, (uint16_t)id, &found);
	if (found) {
		tmpl_remove(d, i);
		st->c.withdrawn++;
	}
}

/* ---- sequence numbers ------------------------------------------------- */

void
tmpl_seq(struct cgn_pstate *st, struct tmpl_dom *d,
    const struct cgn_src *src, uint32_t seq, int64_t export_ms)
{
	uint32_t diff = seq - d->next_seq;
	char dev[CGN_NAMELEN];
	int64_t from = d->last_export_ms, to = export_ms + 999;

	if (!d->seq_known || diff == 0 || diff >= 0x80000000u)
		return;		/* first message, in order, or went back */
	st->c.seq_gaps++;
	st->c.seq_lost += diff;
	if (src->gap == NULL)
		return;
	tmpl_device(src, dev, sizeof(dev));
	/* what was lost was exported between the two messages we have;
	 * export times are whole seconds, and a clock may step back */
	if (from > to) {
		from = export_ms;
		to = d->last_export_ms + 999;
	}
	src->gap(src->gap_arg, dev, from, to, diff);
}

void
tmpl_seq_next(struct tmpl_dom *d, uint32_t seq, uint32_t nrec, int exact,
    int64_t export_ms)
{
	d->seq_known = (uint8_t)(exact != 0);
	d->next_seq = seq + nrec;
	d->last_export_ms = export_ms;
}

/* ---- data sets -------------------------------------------------------- */

/* Length of the variable-length field at p (RFC 7011 7): *hdr gets the
 * length prefix's size. 0 with *hdr 0 if it runs past end. */
static size_t
varlen(const uint8_t *p, const uint8_t *end, size_t *hdr)
{
	size_t n;

	*hdr = 0;
	if (p >= end)
		return 0;
	if (p[0] < 255) {
		n = p[0];
		*hdr = 1;
	} else {
		if (end - p < 3)
			return 0;
		n = (size_t)p[1] << 8 | p[2];
		*hdr = 3;
	}
	if ((size_t)(end - p) - *hdr < n) {
		*hdr = 0;
		return 0;
	}
	return n;
}

/* The length of the variable-length record at p, 0 if it does not fit. */
static size_t
var_record_len(const struct tmpl *t, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *q = p;
	size_t hdr, n;
	uint16_t k;

	for (k = 0; k < t->nops; k++) {
		if (t->ops[k].len != TMPL_VARLEN) {
			if ((size_t)(end - q) < t->ops[k].len)
				return 0;
			q += t->ops[k].len;
			continue;
		}
		n = varlen(q, end, &hdr);
		if (hdr == 0)
			return 0;
		q += hdr + n;
	}
	return (size_t)(q - p);
}

/* Turn one decoded record into an event, count and emit it. */
static int
record_done(struct tmpl_ctx *x, const struct natrec *r,
    struct cgn_event *ev)
{
	struct tmpl_dom *d = x->d;
	int dict = x->src->natdict, v;

	x->st->c.records++;
	if (dict == CGN_ND_AUTO) {
		if (d->version == 9) {
			dict = CGN_ND_CISCO;
		} else {
			if (d->dict == CGN_ND_AUTO)
				d->dict = (uint8_t)nat_dict_hint(r);
			dict = d->dict != CGN_ND_AUTO ? d->dict :
			    CGN_ND_IANA;
		}
	}
	v = nat_event(r, dict, x->export_ms, ev);
	if (v == NV_IGNORED) {
		x->st->c.ignored++;
		return 0;
	}
	if (v == NV_NAT_OTHER) {
		x->st->c.nat_other++;
		return 0;
	}
	x->st->c.events++;
	return x->emit(x->arg, ev);
}

/* Fixed-length records: every record of a set writes the same natrec
 * members, so the record is cleared once per set and each field is
 * copied straight to its place (the parser's hot loop). */
static int
fixed_records(struct tmpl_ctx *x, const struct tmpl *t, const uint8_t *q,
    size_t nrec, struct cgn_event *ev)
{
	struct natrec r;
	uint8_t *rb = (uint8_t *)&r;
	const struct tmpl_op *op, *end = t->ops + t->nops;
	int rc;

	memset(&r, 0, sizeof(r));
	for (op = t->ops; op < end; op++)
		if (op->kind == TK_V4)		/* IPv4-mapped prefix */
			rb[op->at + 10] = rb[op->at + 11] = 0xff;
	for (; nrec > 0; nrec--, q += t->reclen) {
		r.have = t->have;
		for (op = t->ops; op < end; op++) {
			const uint8_t *v = q + op->off;
			uint8_t *d = rb + op->at;

			switch (op->kind) {
			case TK_V4:
				memcpy(d + 12, v, 4);
				break;
			case TK_U8:
				*d = *v;
				break;
			case TK_U16: {
				uint16_t u = rd_get16(v);

				memcpy(d, &u, 2);
				break;
			}
			case TK_U64: {
				int64_t u = (int64_t)rd_get64(v);

				memcpy(d, &u, 8);
				break;
			}
			default:
				nat_field(&r, op->dest, v, op->len);
				break;
			}
		}
		if ((rc = record_done(x, &r, ev)) != 0)
			return rc;
	}
	return CGN_OK;
}

/* A fresh event: what every event of this message shares. */
static void
ev_base(struct tmpl_ctx *x, struct cgn_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->rx_ms = x->rx_ms;
	tmpl_device(x->src, ev->device, sizeof(ev->device));
}

int
tmpl_data(struct tmpl_ctx *x, const struct tmpl *t, const uint8_t *p,
    size_t len)
{
	const uint8_t *end = p + len, *q;
	struct cgn_event base, ev;
	struct natrec r;
	size_t n, nrec = 0, hdr, flen;
	uint16_t k;
	int rc;

	if (!t->varlen) {
		nrec = len / t->reclen;	/* the rest is padding */
	} else {
		/* check every record before emitting the first */
		for (q = p; (size_t)(end - q) >= t->reclen; q += n, nrec++)
			if ((n = var_record_len(t, q, end)) == 0)
				break;
		/* what is left must be shorter than any record (padding) */
		if ((size_t)(end - q) >= t->reclen)
			return CGN_EMALFORMED;
	}
	x->nrec += (uint32_t)nrec;
	if (t->options || !t->nat) {
		/* options data, plain flows: nothing NAT to look at */
		x->st->c.records += nrec;
		x->st->c.ignored += nrec;
		return CGN_OK;
	}
	ev_base(x, &base);
	if (!t->varlen)
		return fixed_records(x, t, p, nrec, &base);
	for (q = p; nrec > 0; nrec--) {
		memset(&r, 0, sizeof(r));
		for (k = 0; k < t->nops; k++) {
			flen = t->ops[k].len;
			hdr = 0;
			if (flen == TMPL_VARLEN)
				flen = varlen(q, end, &hdr);
			nat_field(&r, t->ops[k].dest, q + hdr, flen);
			q += hdr + flen;
		}
		ev = base;
		if ((rc = record_done(x, &r, &ev)) != 0)
			return rc;
	}
	return CGN_OK;
}

/* ---- data before its template ----------------------------------------- */

/* Drop held sets older than the template lifetime: their template is not
 * coming. */
static void
held_expire(struct tmpl_ctx *x)
{
	struct tmpl_dom *d = x->d;

	while (d->nheld > 0 && x->st->lifetime_ms > 0 &&
	    x->rx_ms - d->held[0].rx_ms > x->st->lifetime_ms) {
		held_drop(x->st, d, 0);
		x->st->c.held_lost++;
	}
}

int
tmpl_hold(struct tmpl_ctx *x, uint16_t tid, const uint8_t *p, size_t len)
{
	struct tmpl_dom *d = x->d;
	struct tmpl_held *h;

	held_expire(x);
	/* make room: the oldest go first */
	while (d->nheld > 0 && (d->nheld == TMPL_HELD_SETS ||
	    d->held_bytes + len > TMPL_HELD_BYTES ||
	    x->st->held_bytes + len > TMPL_HELD_TOTAL)) {
		held_drop(x->st, d, 0);
		x->st->c.held_lost++;
	}
	if (len > TMPL_HELD_BYTES || x->st->held_bytes + len >
	    TMPL_HELD_TOTAL) {
		x->st->c.held_lost++;
		return CGN_ENOMEM;
	}
	h = &d->held[d->nheld];
	if ((h->data = malloc(len > 0 ? len : 1)) == NULL) {
		x->st->c.held_lost++;
		return CGN_ENOMEM;
	}
	memcpy(h->data, p, len);
	h->len = (uint32_t)len;
	h->tid = tid;
	h->rx_ms = x->rx_ms;
	h->export_ms = x->export_ms;
	d->nheld++;
	d->held_bytes += len;
	x->st->held_bytes += len;
	return CGN_OK;
}

int
tmpl_release_held(struct tmpl_ctx *x, uint16_t id)
{
	struct tmpl_dom *d = x->d;
	const struct tmpl *t;
	struct tmpl_ctx hx;
	struct tmpl_held h;
	uint32_t i;
	int rc = CGN_OK;

	held_expire(x);
	for (i = 0; i < d->nheld && rc == CGN_OK;) {
		if (d->held[i].tid != id) {
			i++;
			continue;
		}
		if ((t = tmpl_find(x->st, d, id, x->rx_ms)) == NULL)
			break;
		h = d->held[i];
		d->held[i].data = NULL;	/* ours now: freed below */
		d->held[i].len = 0;
		x->st->held_bytes -= h.len;
		d->held_bytes -= h.len;
		held_drop(x->st, d, i);
		/* the records keep their own message's times */
		hx = *x;
		hx.export_ms = h.export_ms;
		hx.rx_ms = h.rx_ms;
		hx.nrec = 0;
		rc = tmpl_data(&hx, t, h.data, h.len);
		if (rc == CGN_OK)
			x->st->c.held_decoded++;
		else if (rc == CGN_EMALFORMED) {
			x->st->c.held_lost++;	/* its raw bytes were kept
						 * when it arrived */
			rc = CGN_OK;
		}
		free(h.data);
	}
	return rc;
}
