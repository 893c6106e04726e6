/*
 * syslog.h - what the syslog framing hands to a vendor body parser.
 * Private to parser/syslog*.c.
 *
 * syslog.c splits a message into header and body (RFC 5424, RFC 3164, or a
 * line as a syslog server stored it) and tries each vendor's parser in
 * turn; one file per vendor, one row each in syslog.c's table.
 */
#ifndef SYSLOG_H
#define SYSLOG_H

#include "parser.h"

/* Records one message may carry (Cisco IOS XR packs several). */
#define SYSLOG_MAXREC 64

struct syslog_msg {
	const char *host;	/* HOSTNAME, may be empty */
	size_t hostlen;
	const char *app;	/* APP-NAME or 3164 TAG, may be empty */
	size_t applen;
	const char *msgid;	/* RFC 5424 MSGID, may be empty */
	size_t msgidlen;
	const char *sd;		/* RFC 5424 STRUCTURED-DATA ("[...]..."),
				 * empty for "-" and for 3164 */
	size_t sdlen;
	const char *body;	/* MSG */
	size_t bodylen;
};

/* Events a vendor parser produced; emitted only if the whole message
 * parsed, so a bad record never leaves half a message in the store. */
struct syslog_out {
	struct cgn_event base;	/* header time, rx time, device */
	struct cgn_event ev[SYSLOG_MAXREC];
	int n;
};

/* Split buf into header and body; out->base gets the header's time and
 * src's receive time. CGN_OK, or an error for a broken RFC 5424 header.
 * Anything else is kept whole as the body. */
int syslog_split(const struct cgn_src *src, const char *buf, size_t len,
    struct syslog_msg *m, struct syslog_out *out);

/* Append an event initialised from out->base; NULL when full. */
struct cgn_event *syslog_ev_add(struct syslog_out *out);

struct syslog_vendor {
	const char *name;
	/* CGN_EUNKNOWN: not this vendor's message (try the next).
	 * CGN_OK: ours, out holds 0..n events (0: not NAT-relevant).
	 * Other negative: ours but broken. */
	int (*parse)(const struct syslog_msg *m, struct syslog_out *out);
};

extern const struct syslog_vendor syslog_juniper;

/*
 * Helpers for vendor parsers.
 */
/* Find key="value" (RFC 5424 SD-PARAM syntax, also used in bodies) in
 * buf; the value is returned raw (escapes kept). 1 if found. */
int sd_param(const char *buf, size_t len, const char *key, const char **val,
    size_t *vlen);
/* Same for key=value separated by spaces or commas (CEF, F5, Fortinet). */
int kv_param(const char *buf, size_t len, const char *key, const char **val,
    size_t *vlen);
/* Parse decimal text of exactly len bytes, at most max. */
int txt_uint(const char *s, size_t len, uint64_t max, uint64_t *out);
/* Parse hexadecimal text, with or without 0x, of exactly len bytes. */
int txt_hex(const char *s, size_t len, uint64_t *out);
/* Find needle in buf; returns a pointer to it or NULL. */
const char *txt_find(const char *buf, size_t len, const char *needle);

#endif /* SYSLOG_H */
