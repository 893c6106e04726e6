/*
 * gen.h - how the simulated box writes its events: one row per output
 * format (cgnlog-gen --format NAME). A text format turns one event into
 * one line; a binary one (IPFIX, NetFlow v9) packs events into datagrams.
 */
#ifndef GEN_H
#define GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gensim.h"

/* A binary export format (gen_ipfix.c): datagrams, not lines. */
struct gen_binfmt {
	int version;			/* 10: IPFIX, 9: NetFlow v9 */
	int kind;			/* GEN_K_* */
	uint16_t dport;			/* the collector port in the pcap */
};

#define GEN_K_PBA 1			/* port blocks: natEvent 16/17 or 1/2 */
#define GEN_K_SESSION 2			/* NAT44 sessions: natEvent 4/5 */

struct gen_format {
	const char *name;
	const char *what;		/* one line for --help */
	int64_t resolution_ms;		/* the finest time it can carry */
	/* Write ev as a message into buf; returns its length (no newline),
	 * or 0 if it does not fit. NULL for binary formats. */
	size_t (*write)(char *buf, size_t len, const struct gensim_ev *ev,
	    const char *device);
	/* Binary formats: cgnlog-gen writes a pcap of UDP datagrams. */
	const struct gen_binfmt *bin;
};

/*
 * The exporter of a binary format: events in, datagrams out (RFC 7011 /
 * RFC 3954 messages of up to per_dgram records, templates in the first
 * datagram and every tmpl_every datagrams after it, sequence numbers as
 * the protocol counts them).
 */
struct gen_exp;

int gen_exp_new(const struct gen_binfmt *b, uint32_t domain,
    int per_dgram, int tmpl_every, struct gen_exp **out);
void gen_exp_free(struct gen_exp *x);
/* Add ev. 1 when a datagram is complete: *dg, *len (valid until the next
 * call) and *ts_ms (its export time); 0 when ev was only queued; -1 when
 * the format cannot carry ev (counted by the caller). */
int gen_exp_add(struct gen_exp *x, const struct gensim_ev *ev,
    const uint8_t **dg, size_t *len, int64_t *ts_ms);
/* The last, partial datagram; 0 if there is none. */
int gen_exp_flush(struct gen_exp *x, const uint8_t **dg, size_t *len,
    int64_t *ts_ms);
/* The public port a session format gives the session of ev (it logs one
 * port of the block), and the inside port it came from. */
uint16_t gen_session_port(const struct gensim_ev *ev);
uint16_t gen_session_inside_port(const struct gensim_ev *ev);

/* A classic pcap (Ethernet, IPv4 192.0.2.1:40000 -> 192.0.2.2:dport) of
 * the datagrams, as the fixtures are, so tshark reads the same file. */
int gen_pcap_header(FILE *f);
int gen_pcap_udp(FILE *f, int64_t ts_ms, uint16_t dport, const uint8_t *p,
    size_t len);

/* The format called name, or NULL. */
const struct gen_format *gen_format_find(const char *name);
/* All formats, NULL-terminated. */
extern const struct gen_format *const gen_formats[];

extern const struct gen_format gen_juniper_sd;
extern const struct gen_format gen_juniper_text;
extern const struct gen_format gen_jservices;
extern const struct gen_format gen_ipfix_pba;
extern const struct gen_format gen_ipfix_session;
extern const struct gen_format gen_nfv9_nel;
/* syslog vendors (gen_<vendor>.c) */
extern const struct gen_format gen_asa;
extern const struct gen_format gen_asa_xlate;
extern const struct gen_format gen_cisco_xr;
extern const struct gen_format gen_cisco_ios;
extern const struct gen_format gen_a10_cef;
extern const struct gen_format gen_a10;
extern const struct gen_format gen_f5;
extern const struct gen_format gen_nokia;
extern const struct gen_format gen_huawei;
extern const struct gen_format gen_h3c;
extern const struct gen_format gen_fortigate;
extern const struct gen_format gen_paloalto;
extern const struct gen_format gen_vpp;
extern const struct gen_format gen_vyatta;
extern const struct gen_format gen_netscreen;
extern const struct gen_format gen_nfware;
extern const struct gen_format gen_6wind;

#endif /* GEN_H */
