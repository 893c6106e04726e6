/*
 * pstate.h - what a struct cgn_pstate holds. Private to parser/: callers
 * only create and free it (parser.h).
 */
#ifndef PSTATE_H
#define PSTATE_H

#include "parser.h"

struct nfl_pair;

struct tmpl_dom;

struct cgn_pstate {
	uint64_t lines;		/* inputs seen */
	struct cgn_pcounters c;	/* IPFIX / NetFlow v9 counters */
	int64_t lifetime_ms;	/* UDP template lifetime */
	/* the template cache (tmpl.c): exporter streams, hashed */
	struct tmpl_dom **dom;	/* ndom streams */
	uint32_t ndom, capdom;
	uint32_t *hash;		/* index + 1 into dom, 0: empty; hcap slots */
	uint32_t hcap;
	struct tmpl_dom *last;	/* the stream of the previous message */
	size_t held_bytes;	/* data held for templates, all streams */
	struct nfl_pair *nfl;	/* NFLOG pre/post pairing (nflog_pair.c) */
};

#endif /* PSTATE_H */
