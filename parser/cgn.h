/*
 * cgn.h - types shared by every module: the normalized event, the address,
 * the return codes.
 *
 * Every input (syslog, IPFIX, NetFlow v9, NFLOG, pcap) becomes a struct
 * cgn_event; the store pairs events into intervals; cgnq answers from them.
 * Includes nothing of ours.
 */
#ifndef CGN_H
#define CGN_H

#include <stddef.h>
#include <stdint.h>

/* 0 is success, negative is failure; results go to out-parameters. */
enum cgn_rc {
	CGN_OK = 0,
	CGN_ETRUNC = -1,	/* shorter than its own length fields say */
	CGN_EMALFORMED = -2,	/* a field has an impossible value */
	CGN_ENOTEMPLATE = -3,	/* IPFIX/v9 data before its template */
	CGN_EUNKNOWN = -4,	/* no parser recognises the input */
	CGN_ENOMEM = -5,
	CGN_EIO = -6,		/* errno says why */
	CGN_EDB = -7,		/* SQLite says why: see the module's errmsg */
	CGN_EINVAL = -8,	/* a caller's argument is out of range */
	CGN_ENOTFOUND = -9,	/* the thing asked for does not exist */
	CGN_ERC_MIN = -9
};

/* Short lowercase name of a return code ("truncated"), for stats and logs. */
const char *cgn_rc_str(int rc);

/*
 * An IPv4 or IPv6 address, network byte order. IPv4 is stored IPv4-mapped
 * (::ffff:a.b.c.d, RFC 4291 2.5.5.2) so that one memcmp orders both families
 * and one column holds either. All zero means "absent".
 */
struct cgn_addr {
	uint8_t b[16];
};

/* Longest text cgn_addr_fmt() writes, with the NUL. */
#define CGN_ADDR_STRLEN 46

enum cgn_evtype {
	CGN_EV_NONE = 0,
	CGN_EV_PBA_ALLOC,	/* a port block given to a subscriber */
	CGN_EV_PBA_RELEASE,	/* ... taken back */
	CGN_EV_PBA_ACTIVE,	/* interim: the block is still held */
	CGN_EV_SESSION_CREATE,	/* one public port for one session */
	CGN_EV_SESSION_DELETE,
	CGN_EV_ADDR_ALLOC,	/* 1:1 / address-only NAT: all ports */
	CGN_EV_ADDR_RELEASE,
	CGN_EV_MAX
};

/* How an event's ts_ms was obtained: how far it can be trusted. */
enum cgn_tsrc {
	CGN_TS_RX = 0,		/* the device gave no time: receive time */
	CGN_TS_UTC,		/* the device gave UTC (epoch, IE 323, offset) */
	CGN_TS_LOCAL,		/* the device gave local time, zone configured */
};

/* Longest device name and subscriber id kept, with the NUL. */
#define CGN_NAMELEN 64

/*
 * The normalized event. Plain values only: no pointer into a receive
 * buffer, so an event can be copied into a ring and outlive its datagram.
 * Times are UTC milliseconds since the epoch.
 */
struct cgn_event {
	int64_t ts_ms;		/* when the device says it happened */
	int64_t rx_ms;		/* when the collector received it */
	int64_t start_ms;	/* RELEASE/ACTIVE/DELETE: when the allocation
				 * began, if the device says so; else 0 */
	struct cgn_addr inside;	/* subscriber: IPv4, or IPv6 (NAT64, B4) */
	struct cgn_addr inside_v4; /* DS-Lite: the IPv4 inside the tunnel */
	struct cgn_addr outside; /* public address */
	struct cgn_addr dst;	/* destination, where the device logs it */
	uint16_t inside_port;	/* sessions only, else 0 */
	uint16_t port_lo;	/* public port range; a session has lo == hi */
	uint16_t port_hi;
	uint16_t dst_port;
	uint8_t type;		/* enum cgn_evtype */
	uint8_t proto;		/* IP protocol; 0: the block covers all */
	uint8_t tsrc;		/* enum cgn_tsrc */
	uint32_t vrf;		/* routing instance / service set; 0 default */
	char device[CGN_NAMELEN];	/* which CGN box: name or exporter */
	char subscriber[CGN_NAMELEN];	/* subscriber id, where logged */
};

/* ---- address helpers (parser/addr.c) ---------------------------------- */

/* Set a from an IPv4 address in host byte order. */
void cgn_addr_v4(struct cgn_addr *a, uint32_t v4);
/* 1 if a is IPv4-mapped; then *v4 (may be NULL) gets it in host order. */
int cgn_addr_is_v4(const struct cgn_addr *a, uint32_t *v4);
/* 1 if a is all zero (absent). */
int cgn_addr_is_zero(const struct cgn_addr *a);
int cgn_addr_cmp(const struct cgn_addr *a, const struct cgn_addr *b);
/* Parse dotted IPv4 or RFC 4291 IPv6 text of exactly len bytes. */
int cgn_addr_parse(const char *s, size_t len, struct cgn_addr *out);
/* Write the address as text (IPv4 dotted for mapped); returns buf. */
char *cgn_addr_fmt(const struct cgn_addr *a, char *buf, size_t len);

/* Name of an event type ("pba_alloc"), for output and tests. */
const char *cgn_evtype_str(int type);

#endif /* CGN_H */
