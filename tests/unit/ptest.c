/*
 * ptest.c - the helpers of ptest.h (see there).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgn.h"
#include "fixtures.h"
#include "parser.h"
#include "ptest.h"


int
sink_emit(void *arg, const struct cgn_event *ev)
{
	struct sink *sk = arg;

	if (sk->n < SINK_MAX)
		sk->ev[sk->n] = *ev;
	sk->n++;
	if (sk->stop_with != 0)
		return sk->stop_with;
	return sk->stop_at != 0 && sk->n == sk->stop_at ? 99 : 0;
}

int
parse_line(const char *line, int64_t rx_ms, const char *device,
    const struct cgn_tz *tz, struct sink *sk)
{
	struct cgn_src src;

	memset(&src, 0, sizeof(src));
	src.rx_ms = rx_ms;
	src.device = device;
	src.tz = tz;
	memset(sk, 0, sizeof(*sk));
	return syslog_parser.parse(NULL, &src, (const uint8_t *)line,
	    strlen(line), sink_emit, sk);
}

void
assert_addr(const struct cgn_addr *a, const char *want)
{
	char buf[CGN_ADDR_STRLEN];

	assert_string_equal(cgn_addr_fmt(a, buf, sizeof(buf)), want);
}

void
assert_event_equal(const struct cgn_event *a, const struct cgn_event *b)
{
	assert_int_equal(a->ts_ms, b->ts_ms);
	assert_int_equal(a->rx_ms, b->rx_ms);
	assert_int_equal(a->start_ms, b->start_ms);
	assert_memory_equal(a->inside.b, b->inside.b, 16);
	assert_memory_equal(a->inside_v4.b, b->inside_v4.b, 16);
	assert_memory_equal(a->outside.b, b->outside.b, 16);
	assert_memory_equal(a->dst.b, b->dst.b, 16);
	assert_int_equal(a->inside_port, b->inside_port);
	assert_int_equal(a->port_lo, b->port_lo);
	assert_int_equal(a->port_hi, b->port_hi);
	assert_int_equal(a->dst_port, b->dst_port);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->tsrc, b->tsrc);
	assert_int_equal(a->vrf, b->vrf);
	assert_string_equal(a->device, b->device);
	assert_string_equal(a->subscriber, b->subscriber);
}
