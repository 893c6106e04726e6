/*
 * spool_batches.c - batches for the spool tests (test_spool.c,
 * test_spool_rec.c) and the checks that one came back as it went in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spool_batches.h"

void
set_addr(struct cgn_addr *a, const char *s)
{
	assert_int_equal(cgn_addr_parse(s, strlen(s), a), CGN_OK);
}

/* Batch number k: k+1 messages "m<k>.<i>", one event each, one gap. */
void
fill(struct batch *b, int k)
{
	struct cgn_event ev;
	char raw[32];
	int i;

	batch_clear(b);
	for (i = 0; i <= k; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.type = CGN_EV_PBA_ALLOC;
		ev.ts_ms = 1000 * k + i;
		ev.port_lo = (uint16_t)(1024 + i);
		snprintf(raw, sizeof(raw), "m%d.%d", k, i);
		assert_int_equal(batch_add(b, 5000 + k, "cgn1",
		    (const uint8_t *)raw, strlen(raw), &ev, 1), CGN_OK);
	}
	assert_int_equal(batch_add_gap(b, "cgn1", 10 * k, 10 * k + 5),
	    CGN_OK);
}

void
assert_batch(const struct batch *b, int k)
{
	char raw[48];
	size_t i;

	assert_int_equal(b->nmsg, (size_t)k + 1);
	assert_int_equal(b->nev, (size_t)k + 1);
	assert_int_equal(b->ngap, 1);
	assert_int_equal(b->gap[0].from_ms, 10 * k);
	assert_string_equal(b->gap[0].device, "cgn1");
	for (i = 0; i < b->nmsg; i++) {
		snprintf(raw, sizeof(raw), "m%d.%zu", k, i);
		assert_int_equal(b->msg[i].len, strlen(raw));
		assert_memory_equal(b->data + b->msg[i].off, raw,
		    strlen(raw));
		assert_string_equal(b->msg[i].device, "cgn1");
		assert_int_equal(b->msg[i].rx_ms, 5000 + k);
		assert_int_equal(b->ev[b->msg[i].ev_first].ts_ms,
		    1000 * k + (int64_t)i);
	}
}

/* 63 characters of c: the longest name kept */
static void
long_name(char *dst, char c)
{
	memset(dst, c, CGN_NAMELEN - 1);
	dst[CGN_NAMELEN - 1] = '\0';
}

/*
 * Messages and events with everything a field can hold: IPv4 and IPv6,
 * DS-Lite's inside_v4, destinations, the largest ports and vrf, negative
 * and huge times, 63-character names, an event whose device is not its
 * message's, a message without raw bytes or events, an empty event.
 */
void
fill_wide(struct batch *b)
{
	struct cgn_event ev[3];
	char dev[CGN_NAMELEN];

	batch_clear(b);
	memset(ev, 0, sizeof(ev));
	ev[0].type = CGN_EV_SESSION_CREATE;
	ev[0].rx_ms = -5;
	ev[0].ts_ms = -5 - 1234;
	set_addr(&ev[0].inside, "100.64.0.1");
	set_addr(&ev[0].outside, "192.0.2.1");
	set_addr(&ev[0].dst, "198.51.100.7");
	ev[0].inside_port = 65535;
	ev[0].port_lo = ev[0].port_hi = 65535;
	ev[0].dst_port = 443;
	ev[0].proto = 6;
	ev[0].tsrc = CGN_TS_UTC;
	ev[0].vrf = UINT32_MAX;
	snprintf(ev[0].device, sizeof(ev[0].device), "cgn-a");
	ev[1].type = CGN_EV_PBA_RELEASE;
	ev[1].rx_ms = INT64_MIN;
	ev[1].ts_ms = INT64_MAX;
	ev[1].start_ms = INT64_MIN;
	set_addr(&ev[1].inside, "2001:db8::1");
	set_addr(&ev[1].inside_v4, "192.168.1.2");
	set_addr(&ev[1].outside, "203.0.113.9");
	set_addr(&ev[1].dst, "2001:db8:ffff::ffff");
	ev[1].port_lo = 1024;
	ev[1].port_hi = 2047;
	ev[1].dst_port = 65535;
	ev[1].proto = 255;
	ev[1].tsrc = 255;
	long_name(ev[1].device, 'd');
	long_name(ev[1].subscriber, 's');
	ev[2].type = CGN_EV_NONE;	/* nothing at all, no device either */
	assert_int_equal(batch_add(b, -5, "cgn-a", (const uint8_t *)"abc", 3,
	    ev, 3), CGN_OK);
	long_name(dev, 'm');
	assert_int_equal(batch_add(b, INT64_MAX, dev, NULL, 0, NULL, 0),
	    CGN_OK);
	memset(ev, 0, sizeof(ev));
	ev[0].type = CGN_EV_ADDR_RELEASE;
	ev[0].rx_ms = INT64_MIN;
	ev[0].ts_ms = INT64_MIN + 1;
	ev[0].start_ms = -1;
	set_addr(&ev[0].inside, "64:ff9b::a00:1");
	set_addr(&ev[0].outside, "::ffff:0.0.0.0");	/* mapped, zero */
	ev[0].port_lo = 0;
	ev[0].port_hi = 65535;
	snprintf(ev[0].device, sizeof(ev[0].device), "cgn-a");
	snprintf(ev[0].subscriber, sizeof(ev[0].subscriber), "x");
	assert_int_equal(batch_add(b, INT64_MIN, "cgn-a",
	    (const uint8_t *)"\0\377", 2, ev, 1), CGN_OK);
	assert_int_equal(batch_add_gap(b, "cgn-a", INT64_MIN, INT64_MAX),
	    CGN_OK);
	assert_int_equal(batch_add_gap(b, "cgn-a", 100, 50), CGN_OK);
	assert_int_equal(batch_add_gap(b, "", 0, 0), CGN_OK);
}

void
assert_batch_equal(const struct batch *a, const struct batch *b)
{
	size_t i;

	assert_int_equal(a->nmsg, b->nmsg);
	assert_int_equal(a->ngap, b->ngap);
	assert_int_equal(a->nev, b->nev);
	assert_int_equal(a->ndata, b->ndata);
	assert_memory_equal(a->data, b->data, a->ndata);
	for (i = 0; i < a->nmsg; i++) {
		assert_int_equal(a->msg[i].rx_ms, b->msg[i].rx_ms);
		assert_int_equal(a->msg[i].off, b->msg[i].off);
		assert_int_equal(a->msg[i].len, b->msg[i].len);
		assert_int_equal(a->msg[i].ev_first, b->msg[i].ev_first);
		assert_int_equal(a->msg[i].ev_n, b->msg[i].ev_n);
		assert_string_equal(a->msg[i].device, b->msg[i].device);
	}
	for (i = 0; i < a->ngap; i++) {
		assert_int_equal(a->gap[i].from_ms, b->gap[i].from_ms);
		assert_int_equal(a->gap[i].to_ms, b->gap[i].to_ms);
		assert_string_equal(a->gap[i].device, b->gap[i].device);
	}
	for (i = 0; i < a->nev; i++)
		assert_event_equal(&a->ev[i], &b->ev[i]);
}
