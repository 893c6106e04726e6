/*
 * pstate.h - what a struct cgn_pstate holds. Private to parser/: callers
 * only create and free it (parser.h).
 */
#ifndef PSTATE_H
#define PSTATE_H

#include "parser.h"

struct nfl_pair;

struct tmpl_dom;

/*
 * syslog.c: the last RFC 3164 header it read (PRI, time, host, up to the
 * tag) and what came of it. A device sends many lines in one second, and
 * a line whose first hlen bytes are these, received at the same rx_ms for
 * the same zone, has the same header: it is not read again.
 */
struct syslog_memo {
	char hdr[128];
	size_t hlen;			/* 0: nothing kept */
	size_t hostoff, hostlen;	/* the host in hdr */
	const struct cgn_tz *tz;	/* what the time depends on */
	int64_t rx_ms;
	int64_t ts_ms;			/* the header's time, if has_ts */
	int has_ts;
	uint8_t tsrc;
};

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
	struct syslog_memo syslog;	/* syslog.c */
};

#endif /* PSTATE_H */
