/*
 * vcheck.h - what the syslog vendor tests share (test_syslog_vendors.c,
 * test_syslog_docs.c): parse a line through syslog_parser, compare every
 * field of its events with a struct want, read the real fixtures.
 * Not here: any vendor's expectations.
 */
#ifndef VCHECK_H
#define VCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "cgn.h"
#include "fixtures.h"

struct cgn_tz;

#define SINK_MAX 64

struct sink {
	int n;
	struct cgn_event ev[SINK_MAX];
};

/* 2026-07-01T00:00:00Z: a receive time for lines without a date */
#define RX_2026_07_01 1782864000000LL

/* What one event must be, field by field; NULL addresses must be absent
 * (all zero). */
struct want {
	int type;
	const char *inside;
	int inside_port;
	const char *outside;
	int lo, hi;
	int proto;
	int64_t ts;
	int tsrc;
	int64_t start;
	const char *dst;
	int dst_port;
	uint32_t vrf;
	const char *inside_v4;
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The lines of a syslog fixture; free both. */
struct fx {
	char *buf;
	struct fx_line *l;
	size_t n;
};

/* Parse len bytes (or a NUL-terminated line) with device "dev", receive
 * time rx_ms and zone tz into sk; returns the parser's rc. */
int parse_n(const char *line, size_t len, int64_t rx_ms,
    const struct cgn_tz *tz, struct sink *sk);
int parse(const char *line, int64_t rx_ms, const struct cgn_tz *tz,
    struct sink *sk);
/* The address is want (NULL: absent, all zero). */
void assert_addr_or_zero(const struct cgn_addr *a, const char *want);
/* Every field of e is as w says, and the device is "dev". */
void check(const struct cgn_event *e, const struct want *w);
/* line gives CGN_OK and exactly the n events in w. */
void expect_events(const char *line, int64_t rx_ms, const struct cgn_tz *tz,
    const struct want *w, int n);
/* Each line gives exactly rc and no event. */
void expect_rc(const char *const *lines, size_t n, int rc);
/* Every prefix of line: a valid rc, and no event unless CGN_OK. */
void prefixes_are_survived(const char *line);
/* Open syslog/name, which must have want_lines lines. */
void fx_open(const char *name, size_t want_lines, struct fx *f);
void fx_close(struct fx *f);
/* Parse line i (0-based) of f into sk; returns rc. */
int fx_parse(const struct fx *f, size_t i, int64_t rx, const struct cgn_tz *tz,
    struct sink *sk);

#endif /* VCHECK_H */
