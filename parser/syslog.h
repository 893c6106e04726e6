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
	const char *all;	/* from MSGID (or SD, or MSG) to the end:
				 * where a vendor's marks are looked for */
	size_t alllen;
	const struct cgn_tz *tz; /* the device's zone for local times in
				 * bodies; NULL: UTC */
	int64_t rx_ms;		/* receive time (the year of yearless
				 * body times) */
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

/* Most marks a vendor row has. */
#define SYSLOG_MARKS 6

struct syslog_vendor {
	const char *name;
	/* Cheap first check: parse() is only called when one of these
	 * literals occurs in m->all (NULL-terminated list; none: always). */
	const char *mark[SYSLOG_MARKS + 1];
	/* CGN_EUNKNOWN: not this vendor's message (try the next).
	 * CGN_OK: ours, out holds 0..n events (0: not NAT-relevant).
	 * Other negative: ours but broken. */
	int (*parse)(const struct syslog_msg *m, struct syslog_out *out);
};

extern const struct syslog_vendor syslog_juniper;
extern const struct syslog_vendor syslog_cisco_asa;
extern const struct syslog_vendor syslog_a10;
extern const struct syslog_vendor syslog_netscreen;
extern const struct syslog_vendor syslog_6wind;
extern const struct syslog_vendor syslog_nfware;
extern const struct syslog_vendor syslog_cisco_xr;
extern const struct syslog_vendor syslog_cisco_ios;
extern const struct syslog_vendor syslog_f5;
extern const struct syslog_vendor syslog_nokia;
extern const struct syslog_vendor syslog_huawei;
extern const struct syslog_vendor syslog_fortigate;
extern const struct syslog_vendor syslog_paloalto;
extern const struct syslog_vendor syslog_vpp;
extern const struct syslog_vendor syslog_vyatta;

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

/* syslog_vutil.c */
struct cgn_tm;
/* 1 if the slice is exactly lit. */
int txt_eq(const char *s, size_t len, const char *lit);
/* Skip bytes in seps, then the word up to the next one: *w and the length
 * (0 at the end); *p moves past the word. */
size_t txt_word(const char **p, const char *end, const char *seps,
    const char **w);
/* A protocol number or name (tcp, UDP, icmp, ...). */
int txt_proto(const char *s, size_t len, uint8_t *out);
/* "LO-HI" exactly, LO <= HI. */
int txt_range(const char *s, size_t len, uint16_t *lo, uint16_t *hi);
/* "ADDR<sep>PORT" split at the last sep ("[v6]:P" too). */
int txt_addr_port(const char *s, size_t len, char sep, struct cgn_addr *a,
    uint16_t *port);
/* An epoch in s, ms, us or ns (told apart by size) to UTC ms. */
int txt_epoch_ms(const char *s, size_t len, int64_t *out);
/* "YYYY-MM-DD hh:mm:ss" (dsep '-' or '/', 'T' allowed) exactly. */
int txt_datetime(const char *s, size_t len, char dsep, struct cgn_tm *tm);
/* The year that puts tm's month and day nearest rx_ms (syslog.c). */
int syslog_guess_year(const struct cgn_tm *tm, int64_t rx_ms);
/* A wall-clock time in the device's zone (m->tz) to UTC ms. */
int syslog_local_time(const struct syslog_msg *m, const struct cgn_tm *tm,
    int64_t *out);
/* ev's time: UTC, or local in m->tz (tsrc says which). */
void syslog_set_time(struct cgn_event *ev, int64_t ms, int utc,
    const struct syslog_msg *m);

/* The key=value pairs of a line, found in one pass (values quoted or up
 * to a space, comma or tab), for vendors that look up many keys. */
#define KVX_MAX 96
struct kvx {
	int n;
	const char *k[KVX_MAX], *v[KVX_MAX];
	size_t kl[KVX_MAX], vl[KVX_MAX];
};
void kvx_build(const char *p, size_t len, struct kvx *x);
/* The first pair named key whose key starts at or after 'after' (a
 * pointer into the same line; NULL: anywhere). */
int kvx_get(const struct kvx *x, const char *after, const char *key,
    const char **v, size_t *vl);
/* That pair's value as an address, or as an integer up to max (as
 * txt_uint); CGN_ENOTFOUND when there is no such pair. */
int kvx_addr(const struct kvx *x, const char *after, const char *key,
    struct cgn_addr *a);
int kvx_uint(const struct kvx *x, const char *after, const char *key,
    uint64_t max, uint64_t *n);

#endif /* SYSLOG_H */
