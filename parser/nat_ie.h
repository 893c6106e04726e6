/*
 * nat_ie.h - IPFIX / NetFlow v9 information elements that mean something
 * for NAT logging, as a data table (IE id -> event field), the decoded
 * record, and the natEvent dictionaries that turn a record into a
 * cgn_event.
 *
 * Shared by ipfix.c and nfv9.c: once a template is known, a data record
 * of either protocol is decoded the same way. Not here: messages, sets,
 * the template cache (tmpl.c).
 */
#ifndef NAT_IE_H
#define NAT_IE_H

#include <stdint.h>

#include "parser.h"

/* Where a field's value goes (struct natrec). */
enum nat_dest {
	ND_SKIP = 0,		/* not ours: skipped by length */
	ND_PROTO,		/* 4 protocolIdentifier */
	ND_SPORT,		/* 7 sourceTransportPort */
	ND_SRC4,		/* 8 sourceIPv4Address */
	ND_DPORT,		/* 11 destinationTransportPort */
	ND_DST4,		/* 12 destinationIPv4Address */
	ND_SRC6,		/* 27 sourceIPv6Address */
	ND_DST6,		/* 28 destinationIPv6Address */
	ND_START_S,		/* 150 flowStartSeconds */
	ND_END_S,		/* 151 flowEndSeconds */
	ND_START_MS,		/* 152 flowStartMilliseconds */
	ND_END_MS,		/* 153 flowEndMilliseconds */
	ND_XSRC4,		/* 225 postNATSourceIPv4Address, ASA 40001 */
	ND_XDST4,		/* 226 postNATDestinationIPv4Address, 40002 */
	ND_XSPORT,		/* 227 postNAPTSourceTransportPort, 40003 */
	ND_XDPORT,		/* 228 postNAPTDestinationTransportPort */
	ND_NATEVENT,		/* 230 natEvent */
	ND_FWEVENT,		/* 233 firewallEvent, ASA 40005 */
	ND_VRF,			/* 234 ingressVRFID */
	ND_XSRC6,		/* 281 postNATSourceIPv6Address */
	ND_XDST6,		/* 282 postNATDestinationIPv6Address */
	ND_OBS_MS,		/* 323 observationTimeMilliseconds */
	ND_PR_START,		/* 361 portRangeStart */
	ND_PR_END,		/* 362 portRangeEnd */
	ND_PR_STEP,		/* 363 portRangeStepSize */
	ND_PR_NUM,		/* 364 portRangeNumPorts */
	ND_NOKIA_SUB,		/* PEN 637 type 93 natSubString */
	ND_NOKIA,		/* other PEN 637 fields: marks the shape */
	ND_MAX
};

/* Bits of natrec.have, one per enum nat_dest. */
#define NH(d) (1u << (d))

/* Which field table: the IPFIX and v9 id spaces differ above 32767. */
#define NAT_V9 1
#define NAT_IPFIX 2

/* The destination of field (pen, id) in an IPFIX or NetFlow v9 template;
 * ND_SKIP for anything else. */
int nat_ie_dest(int proto, uint32_t pen, uint16_t id);

/* One data record, decoded. Only the fields whose bit is in have are set. */
struct natrec {
	uint32_t have;
	struct cgn_addr src, dst, xsrc, xdst;
	struct cgn_addr src4;		/* 8 when 27 came too (DS-Lite) */
	uint16_t sport, dport, xsport, xdport;
	uint16_t pr_start, pr_end, pr_step, pr_num;
	uint8_t proto, natevent, fwevent;
	uint32_t vrf;
	int64_t obs_ms, start_ms, end_ms;
	char sub[CGN_NAMELEN];		/* Nokia subscriber string */
};

/* Store one field's bytes (len as the template says) into r. Values of an
 * unexpected length are dropped (a vendor quirk, not an error), integers
 * may be shorter than their type (reduced-size encoding, RFC 7011 6.2). */
void nat_field(struct natrec *r, int dest, const uint8_t *p, size_t len);

/* What a record means, once decoded. */
enum nat_verdict {
	NV_EVENT = 0,		/* ev is filled */
	NV_IGNORED,		/* no NAT meaning */
	NV_NAT_OTHER,		/* NAT, but no mapping (exhausted, quota) */
};

/*
 * Turn r into an event. dict is the exporter's natEvent numbering
 * (CGN_ND_*, never AUTO here); export_ms is the message's export time,
 * the last resort for the event time. ev must come in with device and
 * rx_ms set; every other field is written (ev may hold the previous
 * record's event). Returns an enum nat_verdict.
 */
int nat_event(const struct natrec *r, int dict, int64_t export_ms,
    struct cgn_event *ev);

/* What an IPFIX record says about its exporter's natEvent numbering:
 * CGN_ND_JUNIPER (14/15 with a port range: Junos' PBA), CGN_ND_IANA (17,
 * or 14/15 without one: RFC 8158), else CGN_ND_AUTO (no clue). */
int nat_dict_hint(const struct natrec *r);

#endif /* NAT_IE_H */
