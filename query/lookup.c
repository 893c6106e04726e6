/*
 * lookup.c - verdicts (see lookup.h).
 */
#include <string.h>

#include "lookup.h"

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

static int
collect(void *arg, const struct store_hit *h)
{
	struct q_answer *a = arg;

	if (a->nhits < Q_MAXHITS)
		a->hits[a->nhits] = *h;
	a->nhits++;
	return 0;
}

/* Same subscriber: the same inside address in the same routing instance
 * (and the same DS-Lite inner address). */
static int
same_holder(const struct store_hit *a, const struct store_hit *b)
{
	return cgn_addr_cmp(&a->inside, &b->inside) == 0 &&
	    cgn_addr_cmp(&a->inside_v4, &b->inside_v4) == 0 &&
	    a->vrf == b->vrf;
}

int
q_lookup(struct store_reader *rd, const struct q_request *r,
    struct q_answer *a)
{
	struct store_query q;
	size_t i, j, n;
	int rc;

	memset(a, 0, sizeof(*a));
	memset(&q, 0, sizeof(q));
	q.outside = r->ip;
	q.port_lo = q.port_hi = r->port;
	q.proto = r->proto;
	q.from_ms = r->t_ms - r->tol_ms;
	q.to_ms = r->t_ms + r->tol_ms;
	q.resolve_end = 1;
	if ((rc = store_find(rd, &q, collect, a)) != CGN_OK)
		return rc;
	if (a->nhits > Q_MAXHITS)
		a->nhits = Q_MAXHITS;
	for (i = 0; i < a->nhits; i++) {
		for (j = 0; j < i; j++)
			if (same_holder(&a->hits[i], &a->hits[j]))
				break;
		if (j == i)
			a->nholders++;
	}
	if ((rc = store_coverage(rd, NULL, q.from_ms, q.to_ms, a->gaps,
	    Q_MAXGAPS, &n)) != CGN_OK)
		return rc;
	a->ngaps = n < Q_MAXGAPS ? n : Q_MAXGAPS;
	for (i = 0; i < a->nhits; i++) {
		/* the holder's device lost messages in the window: say so */
		struct store_gap tmp[Q_MAXGAPS];
		size_t m = 0, k;

		for (j = 0; j < i; j++)
			if (strcmp(a->hits[j].device, a->hits[i].device) == 0)
				break;
		if (j < i)
			continue;	/* device already looked at */
		if ((rc = store_coverage(rd, a->hits[i].device, q.from_ms,
		    q.to_ms, tmp, Q_MAXGAPS, &m)) != CGN_OK)
			return rc;
		for (k = 0; k < m && k < Q_MAXGAPS; k++)
			if (!tmp[k].collector && a->ngaps < Q_MAXGAPS)
				a->gaps[a->ngaps++] = tmp[k];
	}
	if (a->nholders == 1)
		a->verdict = Q_UNIQUE;
	else if (a->nholders > 1)
		a->verdict = Q_AMBIGUOUS;
	else
		a->verdict = a->ngaps > 0 ? Q_NOCOVERAGE : Q_NOTFOUND;
	return CGN_OK;
}
