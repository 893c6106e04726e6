/*
 * flowmsg.h - what the IPFIX and NetFlow v9 test programs share
 * (test_ipfix.c, test_ipfix_damage.c, test_nfv9.c, test_flow_fixtures.c):
 * a message built byte by byte (struct mb), so each test says exactly what
 * is on the wire; a parser state per test (setup/teardown) fed from one
 * exporter, src_a; the RFC 8158 port block and VPP session templates.
 * Not here: any test's expectations; the event sink (ptest.h).
 */
#ifndef FLOWMSG_H
#define FLOWMSG_H

#include <stddef.h>
#include <stdint.h>

#include "cgn.h"
#include "parser.h"
#include "ptest.h"

/* A message being built. */
struct mb {
	uint8_t b[8192];
	size_t n;
	size_t set_at;		/* offset of the open set's header */
};

/* Big-endian values and a dotted IPv4 address at the end of m. */
void put8(struct mb *m, unsigned v);
void put16(struct mb *m, unsigned v);
void put32(struct mb *m, uint32_t v);
void put64(struct mb *m, uint64_t v);
void put_ip(struct mb *m, const char *s);

/* Clear m and write an IPFIX header; ipfix_end() fills in its length and
 * returns it. */
void ipfix_start(struct mb *m, uint32_t export_s, uint32_t seq,
    uint32_t dom);
size_t ipfix_end(struct mb *m);
/* Clear m and write a NetFlow v9 header (its count is not relied upon). */
void v9_start(struct mb *m, uint32_t export_s, uint32_t seq,
    uint32_t srcid);
/* Open a set (flowset) with this id; set_end() fills in its length. */
void set_start(struct mb *m, unsigned id);
void set_end(struct mb *m);

/* A template record: id, then the (ie, len) pairs of f up to a 0 ie; in
 * IPFIX an ie with bit 15 takes the next value as its enterprise number
 * (v9 has no such bit). */
void put_template(struct mb *m, unsigned id, const uint32_t *f);
void put_template_v9(struct mb *m, unsigned id, const uint32_t *f);

#define EXPORTER 0xc0000201u	/* 192.0.2.1 */
#define RX_MS 1795860000000LL	/* 2026-11-28T10:00:00Z */
#define EXPORT_S 1795859999u	/* a second before */

/* The source of every message: EXPORTER port 40000, received at RX_MS
 * (setup() resets it; a test may set its gap callback). */
extern struct cgn_src src_a;

/* The last sequence gap reported to gap_rec(), and how many there were. */
struct gaps {
	int n;
	char device[CGN_NAMELEN];
	int64_t from, to;
	uint64_t lost;
};

/* A cgn_src gap callback that records into the struct gaps arg. */
void gap_rec(void *arg, const char *device, int64_t from, int64_t to,
    uint64_t lost);

/* cmocka group setup and teardown: a new cgn_pstate in *state. */
int setup(void **state);
int teardown(void **state);

/* Parse len bytes of m with p from src_a into sk (cleared first). */
int parse(const struct cgn_parser *p, void *st, struct mb *m, size_t len,
    struct sink *sk);
/* The counters of parser state st. */
struct cgn_pcounters counters(void *st);

/* RFC 8158 port block template (formats.md 1.7) and one record of it:
 * time, natEvent, inside, outside, ports lo-hi (step 1), VRF 7. */
extern const uint32_t pba_fields[];
void put_pba(struct mb *m, uint64_t ms, unsigned ev, const char *in,
    const char *out, unsigned lo, unsigned hi);
/* VPP's NAT44 session template (formats.md 1.7) and one record of it. */
extern const uint32_t sess_fields[];
void put_sess(struct mb *m, uint64_t ms, unsigned ev, const char *in,
    unsigned inport, const char *out, unsigned outport, unsigned proto);
/* A template message for id 256 (PBA) and 257 (session), domain 5. */
size_t msg_templates(struct mb *m, uint32_t seq);

#endif /* FLOWMSG_H */
