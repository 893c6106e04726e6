/*
 * ptest.h - what the parser test programs share (test_parser.c,
 * test_timeconv.c, test_tz.c, test_syslog.c, test_syslog_juniper.c, and
 * through flowmsg.h the IPFIX, NetFlow v9 and frame tests): a sink for
 * emitted events, one syslog line through syslog_parser, address and
 * event assertions, a reproducible random stream; the spool tests use
 * the event assertion too.
 * Not here: any test's expectations; IPFIX/v9 message building (flowmsg.h);
 * the skip when the shared fixtures are absent (fixtures.h);
 * the syslog vendor tests' helpers (vcheck.h).
 */
#ifndef PTEST_H
#define PTEST_H

#include <stdint.h>

#include "cgn.h"
#include "prng.h"

struct cgn_tz;

#define SINK_MAX 16

/* What a parse emitted: n counts every event, ev keeps the first SINK_MAX. */
struct sink {
	int n;
	struct cgn_event ev[SINK_MAX];
	int stop_with;		/* emit() returns this (0: go on) */
	int stop_at;		/* else 99 at this count (0: never) */
};

/* A cgn_emit_fn that records into the struct sink arg. */
int sink_emit(void *arg, const struct cgn_event *ev);

/* Parse a NUL-terminated line through the syslog parser (no state) with
 * receive time rx_ms, device and zone tz; clears sk first. Returns the
 * parser's rc. */
int parse_line(const char *line, int64_t rx_ms, const char *device,
    const struct cgn_tz *tz, struct sink *sk);

/* The address formats as want (cgn_addr_fmt), for readable failures. */
void assert_addr(const struct cgn_addr *a, const char *want);
/* a and b hold the same event, field by field (padding says nothing). */
void assert_event_equal(const struct cgn_event *a,
    const struct cgn_event *b);

/* splitmix64 over prng_state (prng.h): set the seed, then draw. */

/* 2026-07-01T00:00:00Z: a receive time for lines without a date */
#define RX_2026_07_01 1782864000000LL

#endif /* PTEST_H */
