/*
 * lookup.h - the question an abuse desk asks, and its verdict:
 * who held public IP:PORT at TIME (within a tolerance)?
 *
 *   unique       exactly one inside holder over the window        exit 0
 *   not found    no holder, and the data covers the window        exit 1
 *   ambiguous    more than one holder (all are listed)            exit 2
 *   no coverage  no holder, and logging was down over the window  exit 3
 *
 * Holders come from the logged intervals first (a backfilled interval
 * answers even for a time the collector was down); coverage only decides
 * between "not found" and "no coverage", and a gap in the window is
 * always reported beside the answer.
 */
#ifndef LOOKUP_H
#define LOOKUP_H

#include "store.h"

enum q_verdict {
	Q_UNIQUE = 0,
	Q_NOTFOUND = 1,
	Q_AMBIGUOUS = 2,
	Q_NOCOVERAGE = 3,
};

#define Q_MAXHITS 64
#define Q_MAXGAPS 16

struct q_request {
	struct cgn_addr ip;
	uint16_t port;
	int64_t t_ms;
	int64_t tol_ms;
	uint8_t proto;		/* 0: any */
};

struct q_answer {
	enum q_verdict verdict;
	struct store_hit hits[Q_MAXHITS];
	size_t nhits;		/* intervals over the window */
	size_t nholders;	/* distinct inside holders among them */
	struct store_gap gaps[Q_MAXGAPS];
	size_t ngaps;		/* coverage gaps in the window */
};

/* Answer r from the store. CGN_OK, or an error from the store (its message
 * is in store_reader_errmsg). */
int q_lookup(struct store_reader *rd, const struct q_request *r,
    struct q_answer *a);

const char *q_verdict_str(enum q_verdict v);

#endif /* LOOKUP_H */
