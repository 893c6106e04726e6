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

/* Where the bytes came from: filled by the caller (collector, tools). */
struct cgn_src {
	struct cgn_addr exporter;	/* sender address, zero for files */
	uint16_t exporter_port;
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

extern const struct cgn_parser syslog_parser;

/* The parser named name, or NULL. */
const struct cgn_parser *parser_find(const char *name);
/* The first parser whose detect() accepts buf, or NULL. */
const struct cgn_parser *parser_detect(const uint8_t *buf, size_t len);

#endif /* PARSER_H */
