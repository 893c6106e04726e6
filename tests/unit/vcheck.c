/*
 * vcheck.c - the helpers of vcheck.h (see there).
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
#include "vcheck.h"

static int
sink_emit(void *arg, const struct cgn_event *ev)
{
	struct sink *sk = arg;

	if (sk->n < SINK_MAX)
		sk->ev[sk->n] = *ev;
	sk->n++;
	return 0;
}

int
parse_n(const char *line, size_t len, int64_t rx_ms, const struct cgn_tz *tz,
    struct sink *sk)
{
	struct cgn_src src;

	memset(&src, 0, sizeof(src));
	src.rx_ms = rx_ms;
	src.device = "dev";
	src.tz = tz;
	memset(sk, 0, sizeof(*sk));
	return syslog_parser.parse(NULL, &src, (const uint8_t *)line, len,
	    sink_emit, sk);
}

int
parse(const char *line, int64_t rx_ms, const struct cgn_tz *tz,
    struct sink *sk)
{
	return parse_n(line, strlen(line), rx_ms, tz, sk);
}

void
assert_addr_or_zero(const struct cgn_addr *a, const char *want)
{
	char buf[CGN_ADDR_STRLEN];

	if (want == NULL) {
		if (!cgn_addr_is_zero(a))
			fail_msg("address %s, want none",
			    cgn_addr_fmt(a, buf, sizeof(buf)));
		return;
	}
	assert_string_equal(cgn_addr_fmt(a, buf, sizeof(buf)), want);
}

void
check(const struct cgn_event *e, const struct want *w)
{
	assert_string_equal(cgn_evtype_str(e->type), cgn_evtype_str(w->type));
	assert_addr_or_zero(&e->inside, w->inside);
	assert_int_equal(e->inside_port, w->inside_port);
	assert_addr_or_zero(&e->outside, w->outside);
	assert_int_equal(e->port_lo, w->lo);
	assert_int_equal(e->port_hi, w->hi);
	assert_int_equal(e->proto, w->proto);
	assert_int_equal(e->ts_ms, w->ts);
	assert_int_equal(e->tsrc, w->tsrc);
	assert_int_equal(e->start_ms, w->start);
	assert_addr_or_zero(&e->dst, w->dst);
	assert_int_equal(e->dst_port, w->dst_port);
	assert_int_equal(e->vrf, w->vrf);
	assert_addr_or_zero(&e->inside_v4, w->inside_v4);
	assert_string_equal(e->device, "dev");
}

/* Parse line; it must give CGN_OK and exactly the events in w. */
void
expect_events(const char *line, int64_t rx_ms, const struct cgn_tz *tz,
    const struct want *w, int n)
{
	struct sink sk;
	int i, rc;

	rc = parse(line, rx_ms, tz, &sk);
	if (rc != CGN_OK)
		fail_msg("\"%s\": rc %d", line, rc);
	if (sk.n != n)
		fail_msg("\"%s\": %d events, want %d", line, sk.n, n);
	for (i = 0; i < n; i++)
		check(&sk.ev[i], &w[i]);
}

/* Each line gives exactly rc and no event. */
void
expect_rc(const char *const *lines, size_t n, int rc)
{
	struct sink sk;
	size_t i;
	int got;

	for (i = 0; i < n; i++) {
		got = parse(lines[i], RX_2026_07_01, NULL, &sk);
		if (got != rc || sk.n != 0)
			fail_msg("\"%s\": rc %d with %d events, want rc %d",
			    lines[i], got, sk.n, rc);
	}
}

/* Every prefix of line: never an event from a broken parse, never a
 * crash (each prefix in its own allocation, so ASan sees overreads). */
void
prefixes_are_survived(const char *line)
{
	size_t len = strlen(line), cut;
	struct sink sk;
	char *copy;
	int rc;

	for (cut = 0; cut < len; cut++) {
		assert_non_null(copy = malloc(cut + 1));
		memcpy(copy, line, cut);
		rc = parse_n(copy, cut, RX_2026_07_01, NULL, &sk);
		assert_true(rc <= 0 && rc >= CGN_ERC_MIN);
		if (rc != CGN_OK)
			assert_int_equal(sk.n, 0);
		free(copy);
	}
}

void
fx_open(const char *name, size_t want_lines, struct fx *f)
{
	char rel[256];
	size_t len;

	need_fixtures();
	snprintf(rel, sizeof(rel), "syslog/%s", name);
	assert_non_null(f->buf = fx_read(rel, &len));
	f->n = fx_lines(f->buf, len, &f->l);
	assert_int_equal(f->n, want_lines);
}

void
fx_close(struct fx *f)
{
	free(f->l);
	free(f->buf);
}

/* Parse fixture line i (0-based) into sk; returns rc. */
int
fx_parse(const struct fx *f, size_t i, int64_t rx, const struct cgn_tz *tz,
    struct sink *sk)
{
	return parse_n(f->l[i].p, f->l[i].len, rx, tz, sk);
}

