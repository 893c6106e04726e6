/*
 * parser.h - the interface every input format implements, and the table of
 * formats.
 *
 * A parser is pure: bytes in, struct cgn_event out through a callback. No
 * sockets, no files, no logging, no globals. State that must outlive one
 * call (IPFIX templates) lives in a struct cgn_pstate the caller owns.
 */
#ifndef PARSER_H
#define PARSER_H

#include "cgn.h"

struct cgn_tz;

/* Called once per decoded event; a non-zero return stops the parse and is
 * returned by parse(). ev is only valid during the call. */
typedef int cgn_emit_fn(void *arg, const struct cgn_event *ev);

/*
 * Called by a parser when an exporter's sequence numbers show that
 * messages were lost between from_ms and to_ms (the export times around
 * the hole); lost is how many records (IPFIX) or packets (NetFlow v9).
 * The collector records it as a coverage hole (store_gap).
 */
typedef void cgn_gap_fn(void *arg, const char *device, int64_t from_ms,
    int64_t to_ms, uint64_t lost);

/* Which natEvent numbering an exporter uses (../shared/formats.md 1.7). */
enum cgn_natdict {
	CGN_ND_AUTO = 0,	/* by version and template shape */
	CGN_ND_IANA,		/* RFC 8158 registry: 4/5 session, 16/17 PBA */
	CGN_ND_JUNIPER,		/* Junos IPFIX draft-02: 14/15/16 PBA */
	CGN_ND_CISCO,		/* NetFlow v9 NEL: 1 create, 2 delete */
};

/* Where the bytes came from: filled by the caller (collector, tools). */
struct cgn_src {
	struct cgn_addr exporter;	/* sender address, zero for files */
	uint16_t exporter_port;
	uint8_t stream;			/* 1: a TCP session: the port is part
					 * of the exporter's identity and
					 * templates never expire */
	uint8_t natdict;		/* enum cgn_natdict for this exporter */
	cgn_gap_fn *gap;		/* sequence gaps; NULL: not reported */
	void *gap_arg;
	int64_t rx_ms;			/* receive time, UTC ms */
	const char *device;		/* device name to stamp on events;
					 * NULL: the parser picks one
					 * (exporter address or hostname) */
	const struct cgn_tz *tz;	/* zone of local-time headers;
					 * NULL: UTC */
};

/* Per-listener parser state (templates, sequence numbers). Opaque. */
struct cgn_pstate;

int pstate_new(struct cgn_pstate **out);
void pstate_free(struct cgn_pstate *st);

/* What the IPFIX / NetFlow v9 parsers have seen through one state. */
struct cgn_pcounters {
	uint64_t records;	/* data records decoded */
	uint64_t events;	/* events emitted */
	uint64_t ignored;	/* records with no NAT meaning (plain flows,
				 * identity NAT, options data) */
	uint64_t nat_other;	/* NAT records that are no mapping: pool or
				 * ports exhausted, quota, threshold */
	uint64_t templates;	/* (options) templates defined */
	uint64_t withdrawn;	/* templates withdrawn */
	uint64_t expired;	/* templates aged out (UDP) */
	uint64_t no_template;	/* data sets that arrived before their
				 * template */
	uint64_t held_decoded;	/* ... decoded later, when it came */
	uint64_t held_lost;	/* ... dropped: over the bound, or expired */
	uint64_t seq_gaps;	/* sequence-number holes */
	uint64_t seq_lost;	/* records (v9: packets) in those holes */
	uint64_t limits;	/* exporters or templates refused: over the
				 * state's bounds */
};

void pstate_counters(const struct cgn_pstate *st, struct cgn_pcounters *out);
/* Template lifetime for datagram exporters (default 30 minutes): a
 * template not refreshed for this long is forgotten (RFC 7011 8.4). */
void pstate_set_lifetime(struct cgn_pstate *st, int64_t ms);

struct cgn_parser {
	const char *name;	/* "syslog", "ipfix": config and stats */
	/* 1 if buf looks like this format. Cheap; never reads past len. */
	int (*detect)(const uint8_t *buf, size_t len);
	/* Decode one datagram, line or packet; emit() once per event.
	 * Returns CGN_OK (also when the input is valid but carries no NAT
	 * event) or a negative cgn_rc; keeps no pointer into buf. */
	int (*parse)(struct cgn_pstate *st, const struct cgn_src *src,
	    const uint8_t *buf, size_t len, cgn_emit_fn *emit, void *arg);
};

extern const struct cgn_parser ipfix_parser;
extern const struct cgn_parser nfv9_parser;
extern const struct cgn_parser syslog_parser;

/* The parser named name, or NULL. */
const struct cgn_parser *parser_find(const char *name);
/* The first parser whose detect() accepts buf, or NULL. */
const struct cgn_parser *parser_detect(const uint8_t *buf, size_t len);

#endif /* PARSER_H */
