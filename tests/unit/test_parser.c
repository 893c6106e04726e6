/*
 * test_parser.c - unit tests for parser/: addresses, civil time, zones,
 * syslog framing, the Juniper bodies, and every real syslog fixture.
 *
 * Expected values are written out as literals (computed independently of
 * the code under test), never derived from it. Fixtures are read from
 * ../shared/fixtures/real at run time (fixtures.c); the tests that need
 * them skip when the folder is absent.
 * Not here: the store (test_store.c), sockets (test_collector.c).
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
#include "syslog.h"
#include "timeconv.h"
#include "tz.h"

/* ---- helpers ---------------------------------------------------------- */

#define SINK_MAX 16

/* What a parse emitted. */
struct sink {
	int n;
	struct cgn_event ev[SINK_MAX];
	int stop_with;		/* emit() returns this (0: go on) */
};

static int
sink_emit(void *arg, const struct cgn_event *ev)
{
	struct sink *sk = arg;

	if (sk->n < SINK_MAX)
		sk->ev[sk->n] = *ev;
	sk->n++;
	return sk->stop_with;
}

/* Parse a NUL-terminated line through the syslog parser. */
static int
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

/* Split a line with syslog_split, as syslog_parse would. */
static int
split_line(const char *line, int64_t rx_ms, const struct cgn_tz *tz,
    struct syslog_msg *m, struct syslog_out *out)
{
	struct cgn_src src;

	memset(&src, 0, sizeof(src));
	src.rx_ms = rx_ms;
	src.tz = tz;
	memset(out, 0, sizeof(*out));
	out->base.rx_ms = rx_ms;
	out->base.ts_ms = rx_ms;
	out->base.tsrc = CGN_TS_RX;
	return syslog_split(&src, line, strlen(line), m, out);
}

/* An address as text, for readable failures. */
static const char *
addr_str(const struct cgn_addr *a, char *buf)
{
	return cgn_addr_fmt(a, buf, CGN_ADDR_STRLEN);
}

static void
assert_addr(const struct cgn_addr *a, const char *want)
{
	char buf[CGN_ADDR_STRLEN];

	assert_string_equal(addr_str(a, buf), want);
}

/* A slice (not NUL-terminated) equals want. */
static void
assert_slice(const char *p, size_t len, const char *want)
{
	assert_int_equal(len, strlen(want));
	if (len > 0)
		assert_memory_equal(p, want, len);
}

static uint64_t prng_state;

static uint64_t
prng(void)
{
	/* splitmix64: reproducible from the seed on every machine */
	uint64_t z = (prng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
need_fixtures(void)
{
	if (fx_dir() == NULL) {
		print_message("# ../shared/fixtures/real not found (set "
		    "CGN_SHARED to the shared directory): skipped\n");
		skip();
	}
}

/* 2026-07-01T00:00:00Z: a receive time for lines without a date */
#define RX_2026_07_01 1782864000000LL

/* ---- addresses -------------------------------------------------------- */

static void
addr_ipv4_is_stored_mapped_and_formats_dotted(void **state)
{
	static const uint8_t want[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	    0xff, 192, 0, 2, 1 };
	struct cgn_addr a;
	uint32_t v4 = 0;

	(void)state;
	assert_int_equal(cgn_addr_parse("192.0.2.1", 9, &a), CGN_OK);
	assert_memory_equal(a.b, want, 16);
	assert_int_equal(cgn_addr_is_v4(&a, &v4), 1);
	assert_int_equal(v4, 0xc0000201u);
	assert_int_equal(cgn_addr_is_zero(&a), 0);
	assert_addr(&a, "192.0.2.1");
}

static void
addr_v4_helper_matches_parsed_text(void **state)
{
	struct cgn_addr a, b;

	(void)state;
	cgn_addr_v4(&a, 0x64400c22u);
	assert_int_equal(cgn_addr_parse("100.64.12.34", 12, &b), CGN_OK);
	assert_int_equal(cgn_addr_cmp(&a, &b), 0);
	assert_addr(&a, "100.64.12.34");
}

static void
addr_ipv6_parses_and_formats_compressed(void **state)
{
	static const uint8_t want[16] = { 0x30, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 1 };
	struct cgn_addr a;
	uint32_t v4 = 7;

	(void)state;
	assert_int_equal(cgn_addr_parse("3002:0:0:0:0:0:0:1", 18, &a),
	    CGN_OK);
	assert_memory_equal(a.b, want, 16);
	assert_int_equal(cgn_addr_is_v4(&a, &v4), 0);
	assert_int_equal(v4, 7);
	assert_addr(&a, "3002::1");
	assert_int_equal(cgn_addr_parse("2001:db8::ffff:1", 16, &a), CGN_OK);
	assert_addr(&a, "2001:db8::ffff:1");
}

static void
addr_parse_reads_exactly_len_bytes(void **state)
{
	struct cgn_addr a;

	(void)state;
	/* a slice of a longer line: "10.0.0.1" out of "10.0.0.1:80" */
	assert_int_equal(cgn_addr_parse("10.0.0.1:80", 8, &a), CGN_OK);
	assert_addr(&a, "10.0.0.1");
	assert_int_equal(cgn_addr_parse("10.0.0.1:80", 11, &a),
	    CGN_EMALFORMED);
}

static void
addr_garbage_is_malformed_and_leaves_out_alone(void **state)
{
	static const char *const bad[] = { "300.1.2.3", "1.2.3", "abc",
	    "1.2.3.4 ", " 1.2.3.4", "1.2.3.4.5", "2001:db8::1::2",
	    "gggg::1", "-", "1.2.3.4/24",
	    "0000:0000:0000:0000:0000:0000:0000:00001" };
	struct cgn_addr a, sentinel;
	size_t i;

	(void)state;
	memset(&sentinel, 0xa5, sizeof(sentinel));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = sentinel;
		assert_int_equal(cgn_addr_parse(bad[i], strlen(bad[i]), &a),
		    CGN_EMALFORMED);
		assert_memory_equal(&a, &sentinel, sizeof(a));
	}
	assert_int_equal(cgn_addr_parse("", 0, &a), CGN_EMALFORMED);
	/* 46 bytes: one more than the longest address text */
	assert_int_equal(cgn_addr_parse(
	    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2550", 46, &a),
	    CGN_EMALFORMED);
}

static void
addr_embedded_nul_is_rejected(void **state)
{
	struct cgn_addr a;

	(void)state;
	/* inet_pton would stop at the NUL and accept "1.2.3.4" */
	assert_int_equal(cgn_addr_parse("1.2.3.4\0junk", 12, &a),
	    CGN_EMALFORMED);
	assert_int_equal(cgn_addr_parse("1.2.3.4\0", 8, &a), CGN_EMALFORMED);
	assert_int_equal(cgn_addr_parse("::1\0", 4, &a), CGN_EMALFORMED);
}

static void
addr_compare_orders_v4_mapped_before_global_v6(void **state)
{
	struct cgn_addr a, b, z;

	(void)state;
	assert_int_equal(cgn_addr_parse("255.255.255.255", 15, &a), CGN_OK);
	assert_int_equal(cgn_addr_parse("2001:db8::1", 11, &b), CGN_OK);
	assert_true(cgn_addr_cmp(&a, &b) < 0);
	assert_true(cgn_addr_cmp(&b, &a) > 0);
	memset(&z, 0, sizeof(z));
	assert_int_equal(cgn_addr_is_zero(&z), 1);
	assert_true(cgn_addr_cmp(&z, &a) < 0);
}

static void
addr_fmt_into_short_buffer_gives_empty_string(void **state)
{
	struct cgn_addr a;
	char buf[8];

	(void)state;
	assert_int_equal(cgn_addr_parse("203.0.113.100", 13, &a), CGN_OK);
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(cgn_addr_fmt(&a, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "");
}

static void
rc_and_evtype_names_are_fixed(void **state)
{
	(void)state;
	assert_string_equal(cgn_rc_str(CGN_OK), "ok");
	assert_string_equal(cgn_rc_str(CGN_ETRUNC), "truncated");
	assert_string_equal(cgn_rc_str(CGN_EMALFORMED), "malformed");
	assert_string_equal(cgn_rc_str(CGN_EUNKNOWN), "unknown_format");
	assert_string_equal(cgn_rc_str(CGN_ENOTFOUND), "not_found");
	assert_string_equal(cgn_rc_str(-100), "unknown_error");
	assert_string_equal(cgn_evtype_str(CGN_EV_PBA_ALLOC), "pba_alloc");
	assert_string_equal(cgn_evtype_str(CGN_EV_SESSION_DELETE),
	    "session_delete");
	assert_string_equal(cgn_evtype_str(CGN_EV_MAX), "invalid");
	assert_string_equal(cgn_evtype_str(-1), "invalid");
}

/* ---- civil time ------------------------------------------------------- */

static void
tc_to_ms_epoch_and_leap_day(void **state)
{
	struct cgn_tm tm = { 1970, 1, 1, 0, 0, 0, 0 };
	int64_t ms = -1;

	(void)state;
	assert_int_equal(tc_to_ms(&tm, &ms), CGN_OK);
	assert_int_equal(ms, 0);
	tm = (struct cgn_tm){ 2024, 2, 29, 12, 34, 56, 789 };
	assert_int_equal(tc_to_ms(&tm, &ms), CGN_OK);
	assert_int_equal(ms, 1709210096789LL);
	tm = (struct cgn_tm){ 2000, 2, 29, 0, 0, 0, 0 };
	assert_int_equal(tc_to_ms(&tm, &ms), CGN_OK);
	assert_int_equal(ms, 951782400000LL);
}

static void
tc_from_ms_gives_fields_back_for_leap_day(void **state)
{
	struct cgn_tm tm;

	(void)state;
	tc_from_ms(1709210096789LL, &tm);
	assert_int_equal(tm.year, 2024);
	assert_int_equal(tm.mon, 2);
	assert_int_equal(tm.day, 29);
	assert_int_equal(tm.hour, 12);
	assert_int_equal(tm.min, 34);
	assert_int_equal(tm.sec, 56);
	assert_int_equal(tm.ms, 789);
	/* the day after */
	tc_from_ms(1709210096789LL + 86400000LL, &tm);
	assert_int_equal(tm.mon, 3);
	assert_int_equal(tm.day, 1);
}

static void
tc_year_9999_is_the_last_accepted(void **state)
{
	struct cgn_tm tm = { 9999, 12, 31, 23, 59, 59, 999 }, back;
	int64_t ms = -1;

	(void)state;
	assert_int_equal(tc_to_ms(&tm, &ms), CGN_OK);
	assert_int_equal(ms, 253402300799999LL);
	tc_from_ms(ms, &back);
	assert_memory_equal(&back, &tm, sizeof(tm));
	tm = (struct cgn_tm){ 10000, 1, 1, 0, 0, 0, 0 };
	assert_int_equal(tc_to_ms(&tm, &ms), CGN_EMALFORMED);
	tm = (struct cgn_tm){ 1969, 12, 31, 23, 59, 59, 999 };
	assert_int_equal(tc_to_ms(&tm, &ms), CGN_EMALFORMED);
	assert_int_equal(ms, 253402300799999LL);	/* untouched */
}

static void
tc_invalid_dates_are_rejected(void **state)
{
	static const struct cgn_tm bad[] = {
		{ 2023, 2, 29, 0, 0, 0, 0 },	/* not a leap year */
		{ 2100, 2, 29, 0, 0, 0, 0 },	/* century, not leap */
		{ 2026, 4, 31, 0, 0, 0, 0 },
		{ 2026, 2, 30, 0, 0, 0, 0 },
		{ 2026, 0, 1, 0, 0, 0, 0 },
		{ 2026, 13, 1, 0, 0, 0, 0 },
		{ 2026, 1, 0, 0, 0, 0, 0 },
		{ 2026, 1, 32, 0, 0, 0, 0 },
		{ 2026, 1, 1, 24, 0, 0, 0 },
		{ 2026, 1, 1, -1, 0, 0, 0 },
		{ 2026, 1, 1, 0, 60, 0, 0 },
		{ 2026, 1, 1, 0, 0, 61, 0 },
		{ 2026, 1, 1, 0, 0, -1, 0 },
		{ 2026, 1, 1, 0, 0, 0, 1000 },
		{ 2026, 1, 1, 0, 0, 0, -1 },
	};
	int64_t ms = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(tc_to_ms(&bad[i], &ms), CGN_EMALFORMED);
	assert_int_equal(ms, 42);
}

static void
tc_leap_second_folds_onto_next_second(void **state)
{
	struct cgn_tm tm = { 2026, 12, 31, 23, 59, 60, 0 };
	int64_t ms;

	(void)state;
	assert_int_equal(tc_to_ms(&tm, &ms), CGN_OK);
	assert_int_equal(ms, 1798761600000LL);	/* 2027-01-01T00:00:00Z */
}

static void
tc_every_day_to_9999_round_trips(void **state)
{
	int64_t d, last = tc_days_from_civil(9999, 12, 31);
	int y, m, dd, py = 1969, pm = 12, pd = 31;

	(void)state;
	assert_int_equal(tc_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(last, 2932896);
	for (d = 0; d <= last; d++) {
		tc_civil_from_days(d, &y, &m, &dd);
		if (tc_days_from_civil(y, m, dd) != d)
			fail_msg("day %lld: %04d-%02d-%02d", (long long)d, y, m,
			    dd);
		/* consecutive: next day of month, or first of next month */
		if (!((y == py && m == pm && dd == pd + 1) ||
		    (dd == 1 && ((y == py && m == pm + 1) ||
		    (y == py + 1 && m == 1 && pm == 12)))))
			fail_msg("day %lld: %04d-%02d-%02d after"
			    " %04d-%02d-%02d", (long long)d, y, m, dd, py, pm,
			    pd);
		py = y;
		pm = m;
		pd = dd;
	}
	assert_int_equal(py, 9999);
}

static void
tc_random_instants_round_trip_through_fields(void **state)
{
	struct cgn_tm tm;
	int64_t ms, back;
	int i;

	(void)state;
	prng_state = 20261128;
	for (i = 0; i < 200000; i++) {
		ms = (int64_t)(prng() % 253402300800000ULL);
		tc_from_ms(ms, &tm);
		assert_int_equal(tc_to_ms(&tm, &back), CGN_OK);
		if (back != ms)
			fail_msg("%lld came back as %lld", (long long)ms,
			    (long long)back);
	}
}

static void
tc_month_names_and_fmt(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(tc_month("Jan", 3), 1);
	assert_int_equal(tc_month("Dec", 3), 12);
	assert_int_equal(tc_month("jan", 3), 0);
	assert_int_equal(tc_month("Janu", 4), 0);
	assert_int_equal(tc_month("Ja", 2), 0);
	assert_string_equal(tc_fmt(1709210096789LL, buf, sizeof(buf)),
	    "2024-02-29T12:34:56.789Z");
	assert_string_equal(tc_fmt(0, buf, sizeof(buf)),
	    "1970-01-01T00:00:00.000Z");
}

/* ---- RFC 3339 --------------------------------------------------------- */

static void
rfc3339_z_gives_utc_with_zone(void **state)
{
	const char *s = "2026-11-28T10:15:03Z";
	int64_t ms = 0;
	int zone = 7;

	(void)state;
	assert_int_equal(tc_parse_rfc3339(s, strlen(s), &ms, &zone), 20);
	assert_int_equal(ms, 1795860903000LL);
	assert_int_equal(zone, 1);
	s = "2026-11-28t10:15:03z";
	assert_int_equal(tc_parse_rfc3339(s, strlen(s), &ms, &zone), 20);
	assert_int_equal(ms, 1795860903000LL);
}

static void
rfc3339_offsets_with_and_without_colon(void **state)
{
	const char *s;
	int64_t ms = 0;
	int zone = 0;

	(void)state;
	s = "2026-11-28T10:15:03+01:00";
	assert_int_equal(tc_parse_rfc3339(s, strlen(s), &ms, &zone), 25);
	assert_int_equal(ms, 1795857303000LL);	/* 09:15:03Z */
	assert_int_equal(zone, 1);
	s = "2026-11-28T10:15:03-0700";
	assert_int_equal(tc_parse_rfc3339(s, strlen(s), &ms, &zone), 24);
	assert_int_equal(ms, 1795886103000LL);	/* 17:15:03Z */
	s = "2026-11-28T10:15:03+05:30";
	assert_int_equal(tc_parse_rfc3339(s, strlen(s), &ms, &zone), 25);
	assert_int_equal(ms, 1795860903000LL - 19800000LL);
	s = "2026-11-28T10:15:03+00:00";
	assert_int_equal(tc_parse_rfc3339(s, strlen(s), &ms, &zone), 25);
	assert_int_equal(ms, 1795860903000LL);
}

static void
rfc3339_fractions_of_one_to_six_digits_keep_milliseconds(void **state)
{
	static const struct {
		const char *s;
		int64_t frac;
	} t[] = {
		{ "2026-11-28T10:15:03.1Z", 100 },
		{ "2026-11-28T10:15:03.12Z", 120 },
		{ "2026-11-28T10:15:03.123Z", 123 },
		{ "2026-11-28T10:15:03.1234Z", 123 },
		{ "2026-11-28T10:15:03.12345Z", 123 },
		{ "2026-11-28T10:15:03.123456Z", 123 },
		{ "2026-11-28T10:15:03.999999Z", 999 },
		{ "2026-11-28T10:15:03,5Z", 500 },
	};
	int64_t ms;
	int zone;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ms = 0;
		zone = 0;
		assert_int_equal(tc_parse_rfc3339(t[i].s, strlen(t[i].s), &ms,
		    &zone), strlen(t[i].s));
		assert_int_equal(ms, 1795860903000LL + t[i].frac);
		assert_int_equal(zone, 1);
	}
}

static void
rfc3339_without_zone_is_utc_with_has_zone_0(void **state)
{
	const char *s = "2026-11-28T10:15:03.250 host";
	int64_t ms = 0;
	int zone = 7;

	(void)state;
	/* stops before the space: what follows is the caller's */
	assert_int_equal(tc_parse_rfc3339(s, strlen(s), &ms, &zone), 23);
	assert_int_equal(ms, 1795860903250LL);
	assert_int_equal(zone, 0);
	s = "2026-11-28 10:15:03";
	assert_int_equal(tc_parse_rfc3339(s, strlen(s), &ms, &zone), 19);
	assert_int_equal(ms, 1795860903000LL);
	assert_int_equal(zone, 0);
}

static void
rfc3339_reads_only_len_bytes(void **state)
{
	const char *s = "2026-11-28T10:15:03Z";
	int64_t ms = 0;
	int zone = 7;

	(void)state;
	/* the zone is past len: not seen */
	assert_int_equal(tc_parse_rfc3339(s, 19, &ms, &zone), 19);
	assert_int_equal(zone, 0);
	assert_int_equal(tc_parse_rfc3339(s, 18, &ms, &zone), 0);
}

static void
rfc3339_garbage_returns_0_and_leaves_out_alone(void **state)
{
	static const char *const bad[] = { "", "2026", "2026-11-28",
	    "2026-11-28T", "2026-11-28T10:15", "2026-11-28T10:15Z",
	    "2026-11-28X10:15:03Z", "2026-13-01T00:00:00Z",
	    "2026-02-29T00:00:00Z", "2026-11-28T24:00:00Z",
	    "2026-11-28T10:60:00Z", "2026-11-28T10:15:03.Z",
	    "2026-11-28T10:15:03+1", "2026-11-28T10:15:03+01:",
	    "2026-11-28T10:15:03+01:0", "2026-11-28T10:15:03+24:00",
	    "2026-11-28T10:15:03+01:60", "2026-11-28T10:15:03+0a:00",
	    "26-11-28T10:15:03Z", "2026/11/28T10:15:03Z",
	    "1969-12-31T23:59:59Z", "abcd-ef-ghTij:kl:mnZ",
	    "Oct 10 2018 12:34:56" };
	int64_t ms = 42;
	int zone = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tc_parse_rfc3339(bad[i], strlen(bad[i]), &ms, &zone) != 0)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(ms, 42);
		assert_int_equal(zone, 42);
	}
}

/* ---- time zones: POSIX rules ------------------------------------------ */

#define T_2026_07_01_12 1782907200000LL
#define T_2026_01_15_12 1768478400000LL
#define T_2040_07_01_12 2224756800000LL
#define T_2040_01_15_12 2210241600000LL
#define T_2026_03_29_01 1774746000000LL	/* CET -> CEST, UTC */
#define T_2026_10_25_01 1792890000000LL	/* CEST -> CET, UTC */

static void
tz_posix_cet_offsets_on_known_dates(void **state)
{
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	assert_int_equal(tz_offset(tz, T_2026_07_01_12), 7200);
	assert_int_equal(tz_offset(tz, T_2026_01_15_12), 3600);
	assert_int_equal(tz_offset(tz, T_2040_07_01_12), 7200);
	assert_int_equal(tz_offset(tz, T_2040_01_15_12), 3600);
	/* the changes themselves, to the second */
	assert_int_equal(tz_offset(tz, T_2026_03_29_01 - 1000), 3600);
	assert_int_equal(tz_offset(tz, T_2026_03_29_01), 7200);
	assert_int_equal(tz_offset(tz, T_2026_10_25_01 - 1000), 7200);
	assert_int_equal(tz_offset(tz, T_2026_10_25_01), 3600);
	tz_free(tz);
}

static void
tz_local_to_utc_repeated_hour_takes_earlier_instant(void **state)
{
	struct cgn_tz *tz = NULL;
	int64_t utc = 0;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	/* 2026-10-25 02:30 local happens twice: 00:30Z (CEST), 01:30Z */
	assert_int_equal(tz_local_to_utc(tz, 1792895400000LL, &utc), CGN_OK);
	assert_int_equal(utc, 1792888200000LL);
	tz_free(tz);
}

static void
tz_local_to_utc_skipped_hour_uses_offset_before(void **state)
{
	struct cgn_tz *tz = NULL;
	int64_t utc = 0;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	/* 2026-03-29 02:30 local never happened; +01:00 gives 01:30Z */
	assert_int_equal(tz_local_to_utc(tz, 1774751400000LL, &utc), CGN_OK);
	assert_int_equal(utc, 1774747800000LL);
	/* an ordinary summer time: 2026-07-01 14:00 local is 12:00Z */
	assert_int_equal(tz_local_to_utc(tz, T_2026_07_01_12 + 7200000LL,
	    &utc), CGN_OK);
	assert_int_equal(utc, T_2026_07_01_12);
	tz_free(tz);
}

static void
tz_null_is_utc(void **state)
{
	int64_t utc = 0;

	(void)state;
	assert_int_equal(tz_offset(NULL, T_2026_07_01_12), 0);
	assert_int_equal(tz_local_to_utc(NULL, T_2026_07_01_12, &utc),
	    CGN_OK);
	assert_int_equal(utc, T_2026_07_01_12);
	tz_free(NULL);
}

static void
tz_posix_southern_rule_wraps_the_new_year(void **state)
{
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("AEST-10AEDT,M10.1.0,M4.1.0/3", &tz),
	    CGN_OK);
	assert_int_equal(tz_offset(tz, T_2026_01_15_12), 39600);
	assert_int_equal(tz_offset(tz, T_2026_07_01_12), 36000);
	tz_free(tz);
}

static void
tz_posix_fixed_zones_and_bracketed_names(void **state)
{
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("JST-9", &tz), CGN_OK);
	assert_int_equal(tz_offset(tz, T_2026_01_15_12), 32400);
	assert_int_equal(tz_offset(tz, T_2026_07_01_12), 32400);
	tz_free(tz);
	assert_int_equal(tz_parse_posix("<+0530>-5:30", &tz), CGN_OK);
	assert_int_equal(tz_offset(tz, T_2026_07_01_12), 19800);
	tz_free(tz);
	assert_int_equal(tz_parse_posix("EST5EDT", &tz), CGN_OK);
	/* no rule: the POSIX default (US) rules */
	assert_int_equal(tz_offset(tz, T_2026_07_01_12), -14400);
	assert_int_equal(tz_offset(tz, T_2026_01_15_12), -18000);
	tz_free(tz);
	assert_int_equal(tz_parse_posix("UTC0", &tz), CGN_OK);
	assert_int_equal(tz_offset(tz, T_2026_07_01_12), 0);
	tz_free(tz);
}

static void
tz_posix_julian_days_skip_feb_29_zero_based_days_count_it(void **state)
{
	struct cgn_tz *tz = NULL;

	(void)state;
	/* 2024 is a leap year: J60 is 1 March, day 59 is 29 February */
	assert_int_equal(tz_parse_posix("XST-1XDT,J60/2,J300/3", &tz),
	    CGN_OK);
	assert_int_equal(tz_offset(tz, 1709208000000LL), 3600); /* 02-29 */
	assert_int_equal(tz_offset(tz, 1709294400000LL), 7200); /* 03-01 */
	tz_free(tz);
	assert_int_equal(tz_parse_posix("XST-1XDT,59/2,299/3", &tz), CGN_OK);
	assert_int_equal(tz_offset(tz, 1709208000000LL), 7200);
	assert_int_equal(tz_offset(tz, 1709121600000LL), 3600); /* 02-28 */
	tz_free(tz);
}

static void
tz_posix_garbage_is_malformed(void **state)
{
	static const char *const bad[] = { "", "C-1", "CET", "CET-",
	    "CET-1CEST,M3.5.0", "CET-1CEST,M13.5.0,M10.5.0/3",
	    "CET-1CEST,M3.6.0,M10.5.0/3", "CET-1CEST,M3.5.7,M10.5.0/3",
	    "CET-1CEST,M3.5.0,M10.5.0/3x", "CET-1CEST;M3.5.0,M10.5.0",
	    "CET-168", "CET-1:60", "<CET-1",
	    /* digit runs long enough to overflow an int */
	    "CET-99999999999999999999",
	    "CET-1CEST,M99999999999.5.0,M10.5.0/3",
	    "CET-1CEST,J99999999999,M10.5.0/3",
	    "CET-1:99999999999", "CET-1CEST,M3.5.0/99999999999,M10.5.0" };
	struct cgn_tz *tz;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tz = (struct cgn_tz *)(uintptr_t)0x1;
		if (tz_parse_posix(bad[i], &tz) != CGN_EMALFORMED)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_ptr_equal(tz, (struct cgn_tz *)(uintptr_t)0x1);
	}
}

/* ---- time zones: TZif ------------------------------------------------- */

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A TZif header: version, then the six counts (RFC 8536 3.1). */
static size_t
tzif_put_hdr(uint8_t *p, char version, uint32_t timecnt, uint32_t typecnt,
    uint32_t charcnt)
{
	memset(p, 0, 44);
	memcpy(p, "TZif", 4);
	p[4] = (uint8_t)version;
	put32(p + 20, 0);		/* isutcnt */
	put32(p + 24, 0);		/* isstdcnt */
	put32(p + 28, 0);		/* leapcnt */
	put32(p + 32, timecnt);
	put32(p + 36, typecnt);
	put32(p + 40, charcnt);
	return 44;
}

/* Version 1: one transition at 2001-09-09T01:46:40Z from UTC to +01:00. */
static size_t
tzif_v1_one_transition(uint8_t *buf)
{
	uint8_t *p = buf;

	p += tzif_put_hdr(p, 0, 1, 2, 8);
	put32(p, 1000000000u);
	p += 4;
	*p++ = 1;			/* the type after it */
	put32(p, 0);			/* type 0: UTC */
	p[4] = 0;
	p[5] = 0;
	p += 6;
	put32(p, 3600);			/* type 1: +01:00 */
	p[4] = 0;
	p[5] = 4;
	p += 6;
	memcpy(p, "UTC\0CET\0", 8);
	p += 8;
	return (size_t)(p - buf);
}

/* Version 2 without transitions: only the footer rule. */
static size_t
tzif_v2_footer_only(uint8_t *buf, const char *footer)
{
	uint8_t *p = buf;
	int i;

	for (i = 0; i < 2; i++) {
		p += tzif_put_hdr(p, '2', 0, 1, 4);
		put32(p, 3600);
		p[4] = 0;
		p[5] = 0;
		p += 6;
		memcpy(p, "CET\0", 4);
		p += 4;
	}
	*p++ = '\n';
	memcpy(p, footer, strlen(footer));
	p += strlen(footer);
	*p++ = '\n';
	return (size_t)(p - buf);
}

static void
tzif_v1_transition_switches_offset(void **state)
{
	uint8_t buf[128];
	struct cgn_tz *tz = NULL;
	size_t len = tzif_v1_one_transition(buf);

	(void)state;
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_OK);
	assert_int_equal(tz_offset(tz, 999999999000LL), 0);
	assert_int_equal(tz_offset(tz, 1000000000000LL), 3600);
	assert_int_equal(tz_offset(tz, T_2040_07_01_12), 3600);
	tz_free(tz);
}

static void
tzif_v2_without_transitions_uses_footer_rule(void **state)
{
	uint8_t buf[256];
	struct cgn_tz *tz = NULL;
	size_t len = tzif_v2_footer_only(buf, "CET-1CEST,M3.5.0,M10.5.0/3");

	(void)state;
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_OK);
	assert_int_equal(tz_offset(tz, T_2026_07_01_12), 7200);
	assert_int_equal(tz_offset(tz, T_2026_01_15_12), 3600);
	tz_free(tz);
}

static void
tzif_bad_magic_is_malformed(void **state)
{
	uint8_t buf[256];
	struct cgn_tz *tz = NULL;
	size_t len = tzif_v2_footer_only(buf, "CET-1CEST,M3.5.0,M10.5.0/3");

	(void)state;
	buf[2] = 'X';			/* "TZXf" */
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_EMALFORMED);
	assert_null(tz);
	/* the second (64-bit) header checked too */
	len = tzif_v2_footer_only(buf, "CET-1CEST,M3.5.0,M10.5.0/3");
	buf[54] = 'X';
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_EMALFORMED);
	assert_null(tz);
}

static void
tzif_bad_footer_is_malformed(void **state)
{
	uint8_t buf[256];
	struct cgn_tz *tz = NULL;
	size_t len = tzif_v2_footer_only(buf, "CET-1CEST,M3.5.0,M99.5.0/3");

	(void)state;
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_EMALFORMED);
	assert_null(tz);
}

static void
tzif_every_truncation_is_etrunc(void **state)
{
	uint8_t buf[256];
	struct cgn_tz *tz;
	size_t len, cut;

	(void)state;
	len = tzif_v2_footer_only(buf, "CET-1CEST,M3.5.0,M10.5.0/3");
	for (cut = 0; cut < len; cut++) {
		tz = NULL;
		if (tz_parse_tzif(buf, cut, &tz) != CGN_ETRUNC)
			fail_msg("%zu of %zu bytes not reported truncated",
			    cut, len);
		assert_null(tz);
	}
	len = tzif_v1_one_transition(buf);
	for (cut = 0; cut < len; cut++) {
		tz = NULL;
		if (tz_parse_tzif(buf, cut, &tz) != CGN_ETRUNC)
			fail_msg("v1: %zu of %zu bytes not reported truncated",
			    cut, len);
	}
}

static void
tzif_typecnt_zero_and_bad_type_index_are_malformed(void **state)
{
	uint8_t buf[128];
	struct cgn_tz *tz = NULL;
	size_t len;

	(void)state;
	len = tzif_v1_one_transition(buf);
	buf[44 + 4] = 2;		/* transition to type 2 of 2 */
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_EMALFORMED);
	len = tzif_put_hdr(buf, 0, 0, 0, 0);
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_EMALFORMED);
	assert_null(tz);
}

static uint8_t *
read_berlin(size_t *len)
{
	uint8_t *buf = (uint8_t *)fx_read_path(
	    "/usr/share/zoneinfo/Europe/Berlin", len);

	if (buf == NULL) {
		print_message("# /usr/share/zoneinfo/Europe/Berlin not "
		    "readable: skipped\n");
		skip();
	}
	return buf;
}

static void
tzif_berlin_from_disk_matches_the_posix_rule(void **state)
{
	struct cgn_tz *tz = NULL;
	uint8_t *buf;
	size_t len;
	int64_t utc = 0;

	(void)state;
	buf = read_berlin(&len);
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_OK);
	assert_int_equal(tz_offset(tz, T_2026_07_01_12), 7200);
	assert_int_equal(tz_offset(tz, T_2026_01_15_12), 3600);
	assert_int_equal(tz_offset(tz, T_2026_03_29_01 - 1000), 3600);
	assert_int_equal(tz_offset(tz, T_2026_03_29_01), 7200);
	assert_int_equal(tz_offset(tz, T_2026_10_25_01 - 1000), 7200);
	assert_int_equal(tz_offset(tz, T_2026_10_25_01), 3600);
	assert_int_equal(tz_local_to_utc(tz, 1792895400000LL, &utc), CGN_OK);
	assert_int_equal(utc, 1792888200000LL);
	assert_int_equal(tz_local_to_utc(tz, 1774751400000LL, &utc), CGN_OK);
	assert_int_equal(utc, 1774747800000LL);
	tz_free(tz);
	free(buf);
}

static void
tzif_berlin_after_2037_follows_footer_rule(void **state)
{
	struct cgn_tz *tz = NULL;
	uint8_t *buf;
	size_t len;

	(void)state;
	buf = read_berlin(&len);
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_OK);
	assert_int_equal(tz_offset(tz, T_2040_07_01_12), 7200);
	assert_int_equal(tz_offset(tz, T_2040_01_15_12), 3600);
	/* 2040-03-25T01:00Z and 2040-10-28T01:00Z are the changes */
	assert_int_equal(tz_offset(tz, 2216250000000LL - 1000), 3600);
	assert_int_equal(tz_offset(tz, 2216250000000LL), 7200);
	assert_int_equal(tz_offset(tz, 2234998800000LL - 1000), 7200);
	assert_int_equal(tz_offset(tz, 2234998800000LL), 3600);
	tz_free(tz);
	free(buf);
}

static void
tzif_berlin_history_comes_from_transitions(void **state)
{
	struct cgn_tz *tz = NULL;
	uint8_t *buf;
	size_t len;

	(void)state;
	buf = read_berlin(&len);
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_OK);
	/* 1945 midsummer time (+3), no DST in 1979, 1980 ended in
	 * September: none of which the footer rule would say */
	assert_int_equal(tz_offset(tz, -774619200000LL), 10800);
	assert_int_equal(tz_offset(tz, 299678400000LL), 3600);
	assert_int_equal(tz_offset(tz, 331300800000LL), 7200);
	assert_int_equal(tz_offset(tz, 340459200000LL), 3600);
	tz_free(tz);
	free(buf);
}

static void
tzif_berlin_truncated_is_etrunc_and_bad_magic_malformed(void **state)
{
	struct cgn_tz *tz;
	uint8_t *buf;
	size_t len, cut;

	(void)state;
	buf = read_berlin(&len);
	for (cut = 0; cut < len; cut++) {
		tz = NULL;
		if (tz_parse_tzif(buf, cut, &tz) != CGN_ETRUNC)
			fail_msg("%zu of %zu bytes not reported truncated",
			    cut, len);
		assert_null(tz);
	}
	buf[0] = 'X';
	tz = NULL;
	assert_int_equal(tz_parse_tzif(buf, len, &tz), CGN_EMALFORMED);
	assert_null(tz);
	free(buf);
}

/* ---- syslog framing --------------------------------------------------- */

static void
syslog_5424_with_sd_and_offset_time(void **state)
{
	const char *line = "<14>1 2022-04-04T16:45:38.123+02:00 srx1 RT_NAT"
	    " - RT_SRC_NAT_PBA_ALLOC [junos@2636.1.1.1.2.26"
	    " internal-ip=\"10.0.10.10\" reflexive-ip=\"1.2.84.172\""
	    " block-port-low=\"48640\" block-port-high=\"48895\"] tail";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1649083538123LL);
	assert_int_equal(out.base.tsrc, CGN_TS_UTC);
	assert_int_equal(out.base.rx_ms, RX_2026_07_01);
	assert_slice(m.host, m.hostlen, "srx1");
	assert_slice(m.app, m.applen, "RT_NAT");
	assert_slice(m.msgid, m.msgidlen, "RT_SRC_NAT_PBA_ALLOC");
	assert_slice(m.sd, m.sdlen, "[junos@2636.1.1.1.2.26"
	    " internal-ip=\"10.0.10.10\" reflexive-ip=\"1.2.84.172\""
	    " block-port-low=\"48640\" block-port-high=\"48895\"]");
	assert_slice(m.body, m.bodylen, "tail");
}

static void
syslog_5424_sd_event_takes_header_time_and_host(void **state)
{
	const char *line = "<14>1 2022-04-04T16:45:38.123+02:00 srx1 RT_NAT"
	    " - RT_SRC_NAT_PBA_ALLOC [junos@2636.1.1.1.2.26"
	    " internal-ip=\"10.0.10.10\" reflexive-ip=\"1.2.84.172\""
	    " block-port-low=\"48640\" block-port-high=\"48895\"]";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, RX_2026_07_01, NULL, NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_int_equal(sk.ev[0].ts_ms, 1649083538123LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_int_equal(sk.ev[0].rx_ms, RX_2026_07_01);
	assert_string_equal(sk.ev[0].device, "srx1");
	assert_addr(&sk.ev[0].inside, "10.0.10.10");
	assert_addr(&sk.ev[0].outside, "1.2.84.172");
	assert_int_equal(sk.ev[0].port_lo, 48640);
	assert_int_equal(sk.ev[0].port_hi, 48895);
}

static void
syslog_5424_nil_fields_are_empty_and_time_is_rx(void **state)
{
	const char *line = "<165>1 - - - - - - body text";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, RX_2026_07_01);
	assert_int_equal(out.base.tsrc, CGN_TS_RX);
	assert_int_equal(m.hostlen, 0);
	assert_int_equal(m.applen, 0);
	assert_int_equal(m.msgidlen, 0);
	assert_int_equal(m.sdlen, 0);
	assert_slice(m.body, m.bodylen, "body text");
}

static void
syslog_5424_escaped_bracket_stays_inside_sd(void **state)
{
	const char *line = "<14>1 2026-11-28T10:15:03Z h a p m"
	    " [x a=\"b\\]c\"][y k=\"v\"] msg";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_slice(m.sd, m.sdlen, "[x a=\"b\\]c\"][y k=\"v\"]");
	assert_slice(m.body, m.bodylen, "msg");
	assert_int_equal(out.base.ts_ms, 1795860903000LL);
}

static void
syslog_3164_year_comes_from_rx(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 host TAG: body";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1782859465000LL);
	assert_int_equal(out.base.tsrc, CGN_TS_UTC);	/* no zone given */
	assert_slice(m.host, m.hostlen, "host");
	assert_slice(m.app, m.applen, "TAG");
	assert_slice(m.body, m.bodylen, "TAG: body");
}

static void
syslog_3164_local_time_uses_source_zone(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 host TAG: body";
	struct syslog_out out;
	struct syslog_msg m;
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	assert_int_equal(split_line(line, RX_2026_07_01, tz, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1782859465000LL - 7200000LL);
	assert_int_equal(out.base.tsrc, CGN_TS_LOCAL);
	tz_free(tz);
}

static void
syslog_3164_dec_31_received_jan_1_is_last_year(void **state)
{
	const char *line = "<14>Dec 31 23:59:59 host TAG: body";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	/* received 2027-01-01T00:00:05Z */
	assert_int_equal(split_line(line, 1798761605000LL, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1798761599000LL);	/* 2026 */
}

static void
syslog_3164_jan_1_received_dec_31_is_next_year(void **state)
{
	const char *line = "<14>Jan  1 00:00:05 host TAG: body";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	/* received 2026-12-31T23:59:59Z, the sender's clock a bit ahead */
	assert_int_equal(split_line(line, 1798761599000LL, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1798761605000LL);	/* 2027 */
}

static void
syslog_3164_tag_without_host(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 TAG: body";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(m.hostlen, 0);
	assert_slice(m.app, m.applen, "TAG");
	assert_slice(m.body, m.bodylen, "TAG: body");
}

static void
syslog_asa_header_with_year(void **state)
{
	const char *line = "Oct 10 2018 12:34:56 localhost CiscoASA[999]:"
	    " %ASA-6-305011: Built dynamic TCP translation";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1539174896000LL);
	assert_slice(m.host, m.hostlen, "localhost");
	assert_slice(m.app, m.applen, "CiscoASA");
	assert_slice(m.body, m.bodylen, "CiscoASA[999]: %ASA-6-305011:"
	    " Built dynamic TCP translation");
}

static void
syslog_stored_line_rfc3339_without_pri(void **state)
{
	const char *line = "2025-05-02T11:34:56.87+00:00 10.254.254.57"
	    " cgn0.thn2/cgn-demo  CEF:0|A10|CFW";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1746185696870LL);
	assert_int_equal(out.base.tsrc, CGN_TS_UTC);
	assert_slice(m.host, m.hostlen, "10.254.254.57");
	assert_slice(m.app, m.applen, "cgn0.thn2/cgn-demo");
	assert_slice(m.body, m.bodylen, "cgn0.thn2/cgn-demo  CEF:0|A10|CFW");
}

static void
syslog_pri_then_rfc3339_header(void **state)
{
	const char *line = "<14>2026-11-28T10:15:03.5+01:00 cgn1 RT_NAT: x";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1795857303500LL);
	assert_int_equal(out.base.tsrc, CGN_TS_UTC);
	assert_slice(m.host, m.hostlen, "cgn1");
	assert_slice(m.app, m.applen, "RT_NAT");
	assert_slice(m.body, m.bodylen, "RT_NAT: x");
}

static void
syslog_stored_line_without_zone_is_local(void **state)
{
	const char *line = "2026-07-01T14:00:00 cgn1 RT_NAT: x";
	struct syslog_out out;
	struct syslog_msg m;
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	assert_int_equal(split_line(line, RX_2026_07_01, tz, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, T_2026_07_01_12);
	assert_int_equal(out.base.tsrc, CGN_TS_LOCAL);
	assert_slice(m.host, m.hostlen, "cgn1");
	tz_free(tz);
}

static void
syslog_bare_body_keeps_rx_time_and_whole_line(void **state)
{
	const char *line = "RT_FLOW - RT_FLOW_SESSION_CREATE [a=\"b\"]\r\n";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, RX_2026_07_01);
	assert_int_equal(out.base.tsrc, CGN_TS_RX);
	assert_int_equal(m.hostlen, 0);
	assert_int_equal(m.sdlen, 0);
	assert_slice(m.body, m.bodylen,
	    "RT_FLOW - RT_FLOW_SESSION_CREATE [a=\"b\"]");
}

static void
syslog_device_name_precedence(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 hostA RT_NAT:"
	    " JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
	    " 198.51.100.7:20480-20607 0x666972c6";
	struct cgn_src src;
	struct sink sk;

	(void)state;
	/* named by the caller */
	assert_int_equal(parse_line(line, RX_2026_07_01, "cfg-name", NULL,
	    &sk), CGN_OK);
	assert_string_equal(sk.ev[0].device, "cfg-name");
	/* the exporter address beats the header's host */
	memset(&src, 0, sizeof(src));
	src.rx_ms = RX_2026_07_01;
	assert_int_equal(cgn_addr_parse("192.0.2.9", 9, &src.exporter),
	    CGN_OK);
	memset(&sk, 0, sizeof(sk));
	assert_int_equal(syslog_parser.parse(NULL, &src, (const uint8_t *)line,
	    strlen(line), sink_emit, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_string_equal(sk.ev[0].device, "192.0.2.9");
	/* a file: the host */
	assert_int_equal(parse_line(line, RX_2026_07_01, NULL, NULL, &sk),
	    CGN_OK);
	assert_string_equal(sk.ev[0].device, "hostA");
	/* nothing at all */
	assert_int_equal(parse_line("JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.12.34 -> 198.51.100.7:20480-20607", RX_2026_07_01, NULL,
	    NULL, &sk), CGN_OK);
	assert_string_equal(sk.ev[0].device, "unknown");
}

static void
syslog_emit_nonzero_stops_and_is_returned(void **state)
{
	struct sink sk;
	struct cgn_src src;
	const char *line = "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
	    " 198.51.100.7:20480-20607 0x666972c6";

	(void)state;
	memset(&src, 0, sizeof(src));
	memset(&sk, 0, sizeof(sk));
	sk.stop_with = 7;
	assert_int_equal(syslog_parser.parse(NULL, &src, (const uint8_t *)line,
	    strlen(line), sink_emit, &sk), 7);
	assert_int_equal(sk.n, 1);
}

static void
parser_table_find_and_detect(void **state)
{
	static const uint8_t ipfix_hdr[] = { 0x00, 0x0a, 0x00, 0x10 };
	const char *l = "<14>1 - - - - - -";

	(void)state;
	assert_ptr_equal(parser_find("syslog"), &syslog_parser);
	assert_null(parser_find("nosuch"));
	assert_ptr_equal(parser_detect((const uint8_t *)l, strlen(l)),
	    &syslog_parser);
	assert_ptr_equal(parser_detect((const uint8_t *)"RT_FLOW", 7),
	    &syslog_parser);
	assert_null(parser_detect(ipfix_hdr, sizeof(ipfix_hdr)));
	assert_null(parser_detect((const uint8_t *)"", 0));
	assert_int_equal(syslog_parser.detect((const uint8_t *)"\x7f", 1), 0);
}

static void
pstate_new_and_free(void **state)
{
	struct cgn_pstate *st = NULL;

	(void)state;
	assert_int_equal(pstate_new(&st), CGN_OK);
	assert_non_null(st);
	pstate_free(st);
	pstate_free(NULL);
}

/* ---- vendor helpers --------------------------------------------------- */

static void
txt_hex_and_uint_exact_widths(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(txt_hex("0x624b0492", 10, &v), CGN_OK);
	assert_int_equal(v, 0x624b0492u);
	assert_int_equal(txt_hex("624B0CC7", 8, &v), CGN_OK);
	assert_int_equal(v, 0x624b0cc7u);
	assert_int_equal(txt_hex("ffffffffffffffff", 16, &v), CGN_OK);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(txt_hex("1ffffffffffffffff", 17, &v),
	    CGN_EMALFORMED);
	assert_int_equal(txt_hex("0x", 2, &v), CGN_EMALFORMED);
	assert_int_equal(txt_hex("", 0, &v), CGN_EMALFORMED);
	assert_int_equal(txt_hex("12g4", 4, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("65535", 5, 65535, &v), CGN_OK);
	assert_int_equal(v, 65535);
	assert_int_equal(txt_uint("65536", 5, 65535, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("12a", 3, 65535, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("", 0, 65535, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("-1", 2, 65535, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("99999999999999999999999", 23, UINT64_MAX,
	    &v), CGN_EMALFORMED);
	assert_int_equal(v, 65535);
}

static void
sd_param_matches_whole_keys_only(void **state)
{
	const char *sd = "[x nat-source-address=\"1.2.3.4\""
	    " source-address=\"10.0.0.1\" q=\"a\\\"b\"]";
	const char *v;
	size_t vl;

	(void)state;
	assert_int_equal(sd_param(sd, strlen(sd), "source-address", &v, &vl),
	    1);
	assert_slice(v, vl, "10.0.0.1");
	assert_int_equal(sd_param(sd, strlen(sd), "nat-source-address", &v,
	    &vl), 1);
	assert_slice(v, vl, "1.2.3.4");
	assert_int_equal(sd_param(sd, strlen(sd), "q", &v, &vl), 1);
	assert_slice(v, vl, "a\\\"b");
	assert_int_equal(sd_param(sd, strlen(sd), "address", &v, &vl), 0);
	assert_int_equal(sd_param("[k=\"open", 8, "k", &v, &vl), 0);
}

static void
kv_param_reads_plain_and_quoted_values(void **state)
{
	const char *b = "proto=UDP src=100.65.140.73,spt=5 msg=\"a b\"";
	const char *v;
	size_t vl;

	(void)state;
	assert_int_equal(kv_param(b, strlen(b), "src", &v, &vl), 1);
	assert_slice(v, vl, "100.65.140.73");
	assert_int_equal(kv_param(b, strlen(b), "spt", &v, &vl), 1);
	assert_slice(v, vl, "5");
	assert_int_equal(kv_param(b, strlen(b), "msg", &v, &vl), 1);
	assert_slice(v, vl, "a b");
	assert_int_equal(kv_param(b, strlen(b), "pt", &v, &vl), 0);
	assert_ptr_equal(txt_find(b, strlen(b), "src="), b + 10);
	assert_null(txt_find(b, strlen(b), "dst="));
}

/* ---- Juniper bodies: the real SRX fixture ----------------------------- */

#define RX_SRX 1649090000000LL	/* an rx time for the bare fixture lines */

/* The five lines of juniper_srx_rt_nat_pba.log, parsed; skips if absent. */
static void
srx_fixture_parse(struct sink sk[5])
{
	struct fx_line *lines = NULL;
	struct cgn_src src;
	size_t len, n, i;
	char *buf;

	need_fixtures();
	buf = fx_read("syslog/juniper_srx_rt_nat_pba.log", &len);
	assert_non_null(buf);
	n = fx_lines(buf, len, &lines);
	assert_int_equal(n, 5);
	memset(&src, 0, sizeof(src));
	src.rx_ms = RX_SRX;
	src.device = "srx4600";
	for (i = 0; i < 5; i++) {
		memset(&sk[i], 0, sizeof(sk[i]));
		assert_int_equal(syslog_parser.parse(NULL, &src,
		    (const uint8_t *)lines[i].p, lines[i].len, sink_emit,
		    &sk[i]), CGN_OK);
		assert_int_equal(sk[i].n, 1);
		assert_string_equal(sk[i].ev[0].device, "srx4600");
		assert_int_equal(sk[i].ev[0].rx_ms, RX_SRX);
	}
	free(lines);
	free(buf);
}

static void
juniper_rt_flow_session_create_fixture_fields(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[0].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_SESSION_CREATE);
	assert_int_equal(e->proto, 6);
	assert_addr(&e->inside, "10.0.10.10");
	assert_int_equal(e->inside_port, 46776);
	assert_addr(&e->outside, "1.2.84.172");
	assert_int_equal(e->port_lo, 53328);
	assert_int_equal(e->port_hi, 53328);
	assert_addr(&e->dst, "1.2.84.162");
	assert_int_equal(e->dst_port, 80);
	/* no time in the line: receive time */
	assert_int_equal(e->ts_ms, RX_SRX);
	assert_int_equal(e->tsrc, CGN_TS_RX);
	assert_int_equal(e->start_ms, 0);
	assert_true(cgn_addr_is_zero(&e->inside_v4));
}

static void
juniper_rt_flow_session_close_fixture_fields(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[1].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_SESSION_DELETE);
	assert_int_equal(e->proto, 6);
	assert_addr(&e->inside, "10.0.10.2");
	assert_int_equal(e->inside_port, 63996);
	assert_addr(&e->outside, "1.2.84.169");
	assert_int_equal(e->port_lo, 4986);
	assert_int_equal(e->port_hi, 4986);
	assert_addr(&e->dst, "1.2.84.162");
	assert_int_equal(e->dst_port, 80);
	assert_int_equal(e->ts_ms, RX_SRX);
	assert_int_equal(e->tsrc, CGN_TS_RX);
	/* elapsed-time is not applied to a receive time */
	assert_int_equal(e->start_ms, 0);
}

static void
juniper_rt_nat_pba_alloc_sd_gives_block_and_epoch(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[2].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_PBA_ALLOC);
	assert_addr(&e->inside, "10.0.10.10");
	assert_addr(&e->outside, "1.2.84.172");
	assert_int_equal(e->port_lo, 48640);
	assert_int_equal(e->port_hi, 48895);
	assert_int_equal(e->proto, 0);
	/* epoch-time-64 0x624b0492 = 2022-04-04T14:45:38Z */
	assert_int_equal(e->ts_ms, 1649083538000LL);
	assert_int_equal(e->tsrc, CGN_TS_UTC);
	assert_int_equal(e->start_ms, 0);
	assert_int_equal(e->inside_port, 0);
}

static void
juniper_rt_nat_pba_interim_sd_gives_epoch_as_start(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[3].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_PBA_ACTIVE);
	assert_addr(&e->inside, "10.0.10.10");
	assert_addr(&e->outside, "1.2.84.172");
	assert_int_equal(e->port_lo, 48640);
	assert_int_equal(e->port_hi, 48895);
	/* the interim repeats the allocation's epoch: its start */
	assert_int_equal(e->start_ms, 1649083538000LL);
	assert_int_equal(e->ts_ms, RX_SRX);
	assert_int_equal(e->tsrc, CGN_TS_RX);
}

static void
juniper_rt_nat_pba_release_sd_gives_release_epoch(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[4].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_PBA_RELEASE);
	assert_addr(&e->inside, "10.0.10.10");
	assert_addr(&e->outside, "1.2.84.172");
	assert_int_equal(e->port_lo, 48640);
	assert_int_equal(e->port_hi, 48895);
	/* 0x624b0cc7 = 2022-04-04T15:20:39Z */
	assert_int_equal(e->ts_ms, 1649085639000LL);
	assert_int_equal(e->tsrc, CGN_TS_UTC);
	assert_int_equal(e->start_ms, 0);
}

static void
juniper_rt_flow_close_start_is_header_time_minus_elapsed(void **state)
{
	const char *line = "<14>1 2022-04-04T15:00:00Z srx1 RT_FLOW -"
	    " RT_FLOW_SESSION_CLOSE [junos@2636.1.1.1.2.129"
	    " reason=\"TCP FIN\" source-address=\"10.0.10.2\""
	    " source-port=\"63996\" destination-address=\"1.2.84.162\""
	    " destination-port=\"80\" nat-source-address=\"1.2.84.169\""
	    " nat-source-port=\"4986\" protocol-id=\"6\""
	    " elapsed-time=\"249\"]";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, RX_SRX, NULL, NULL, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_SESSION_DELETE);
	assert_int_equal(sk.ev[0].ts_ms, 1649084400000LL);
	assert_int_equal(sk.ev[0].start_ms, 1649084400000LL - 249000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_string_equal(sk.ev[0].device, "srx1");
}

static void
juniper_rt_flow_without_source_nat_emits_nothing(void **state)
{
	const char *line = "RT_FLOW - RT_FLOW_SESSION_CREATE"
	    " [source-address=\"10.0.0.1\" source-port=\"1000\""
	    " nat-source-address=\"10.0.0.1\" nat-source-port=\"1000\""
	    " protocol-id=\"17\"]";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, RX_SRX, NULL, NULL, &sk), CGN_OK);
	assert_int_equal(sk.n, 0);
}

/* ---- Juniper bodies: documented lines (not fixtures) ------------------ */

static void
juniper_jservices_port_block_alloc_with_epoch(void **state)
{
	const char *line = "Jun 12 10:04:54 2024-06-12 10:04:54:"
	    " CGN1{SSET-CGN}[jservices-nat]: JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.12.34 -> 198.51.100.7:20480-20607 0x666972c6";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1718190000000LL, "cgn1", NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_addr(&sk.ev[0].inside, "100.64.12.34");
	assert_addr(&sk.ev[0].outside, "198.51.100.7");
	assert_int_equal(sk.ev[0].port_lo, 20480);
	assert_int_equal(sk.ev[0].port_hi, 20607);
	assert_int_equal(sk.ev[0].proto, 0);
	assert_int_equal(sk.ev[0].ts_ms, 1718186694000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_int_equal(sk.ev[0].start_ms, 0);
}

static void
juniper_jservices_port_block_release_with_epoch(void **state)
{
	const char *line = "JSERVICES_NAT_PORT_BLOCK_RELEASE: 100.64.12.34"
	    " -> 198.51.100.7:20480-20607 0x666984d9";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1718200000000LL, "cgn1", NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_RELEASE);
	assert_addr(&sk.ev[0].inside, "100.64.12.34");
	assert_addr(&sk.ev[0].outside, "198.51.100.7");
	assert_int_equal(sk.ev[0].port_lo, 20480);
	assert_int_equal(sk.ev[0].port_hi, 20607);
	assert_int_equal(sk.ev[0].ts_ms, 1718191321000LL);
}

static void
juniper_jservices_port_block_active_epoch_is_event_time(void **state)
{
	const char *line = "<14>Jun 12 11:00:00 cgn1 :"
	    " JSERVICES_NAT_PORT_BLOCK_ACTIVE: 100.64.12.34 ->"
	    " 198.51.100.7:20480-20607 0x666972c6";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1718190000000LL, NULL, NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ACTIVE);
	/* MS-MPC's ACTIVE epoch is when it was sent (only RT_NAT INTERIM
	 * repeats the allocation's): 0x666972c6 = 2024-06-12T10:04:54Z */
	assert_int_equal(sk.ev[0].ts_ms, 1718186694000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_int_equal(sk.ev[0].start_ms, 0);
}

static void
juniper_asp_port_block_with_ipv6_inside(void **state)
{
	const char *line = "Oct 30 21:46:04  graphite (FPC Slot 2, PIC Slot"
	    " 0) 2011-10-31 04:46:04 [FWNAT]:ASP_NAT_PORT_BLOCK_ALLOC:"
	    " 3002:0:0:0:0:0:0:1 -> 33.33.0.3:1050-1099";
	struct sink sk;

	(void)state;
	/* received 2011-10-31T05:00:00Z */
	assert_int_equal(parse_line(line, 1320037200000LL, NULL, NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_addr(&sk.ev[0].inside, "3002::1");
	assert_addr(&sk.ev[0].outside, "33.33.0.3");
	assert_int_equal(sk.ev[0].port_lo, 1050);
	assert_int_equal(sk.ev[0].port_hi, 1099);
	assert_string_equal(sk.ev[0].device, "graphite");
	/* no epoch: the body's UTC time 2011-10-31 04:46:04, not the
	 * header's local 21:46:04 */
	assert_int_equal(sk.ev[0].ts_ms, 1320036364000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
}

static void
juniper_plain_nat_port_block_active_ipv6(void **state)
{
	const char *line = "NAT_PORT_BLOCK_ACTIVE: 3002:0:0:0:0:0:0:1 ->"
	    " 33.33.0.3:1050-1099";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1320037200000LL, "g", NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ACTIVE);
	assert_addr(&sk.ev[0].inside, "3002::1");
	assert_int_equal(sk.ev[0].start_ms, 0);
	assert_int_equal(sk.ev[0].ts_ms, 1320037200000LL);
}

static void
juniper_port_block_ipv6_outside_splits_at_last_colon(void **state)
{
	const char *line = "JSERVICES_NAT_PORT_BLOCK_ALLOC: 10.1.1.1 ->"
	    " 2001:db8::7:1024-1151 0x666972c6";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1718190000000LL, "g", NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_addr(&sk.ev[0].outside, "2001:db8::7");
	assert_int_equal(sk.ev[0].port_lo, 1024);
	assert_int_equal(sk.ev[0].port_hi, 1151);
}

static void
juniper_rt_nat_text_pba_alloc_from_docs(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 SITE-B-BNG-01 RT_NAT:"
	    " RT_SRC_NAT_PBA_ALLOC: Subscriber 100.64.60.74 used/maximum"
	    " [10/15] blocks, allocates port block [24064-24191] from"
	    " 203.0.113.100 in source pool EXAMPLE_POOL lsys_id: 0 epoch"
	    " 0x6a44007a";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1782841467000LL, NULL, NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_addr(&sk.ev[0].inside, "100.64.60.74");
	assert_addr(&sk.ev[0].outside, "203.0.113.100");
	assert_int_equal(sk.ev[0].port_lo, 24064);
	assert_int_equal(sk.ev[0].port_hi, 24191);
	/* the epoch, not the header's local 22:44:25 */
	assert_int_equal(sk.ev[0].ts_ms, 1782841466000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_string_equal(sk.ev[0].device, "SITE-B-BNG-01");
}

static void
juniper_rt_nat_text_pba_release_without_epoch_uses_header(void **state)
{
	const char *line = "<14>Jun 30 23:44:25 SITE-B-BNG-01 RT_NAT:"
	    " RT_SRC_NAT_PBA_RELEASE: Subscriber 100.64.60.74 used/maximum"
	    " [5/15] blocks, releases port block [24064-24191] from"
	    " 203.0.113.100 in source pool EXAMPLE_POOL";
	struct sink sk;
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("<+05>-5", &tz), CGN_OK);
	assert_int_equal(parse_line(line, 1782845067000LL, NULL, tz, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_RELEASE);
	assert_int_equal(sk.ev[0].port_lo, 24064);
	/* 23:44:25 at +05:00 is 18:44:25Z */
	assert_int_equal(sk.ev[0].ts_ms, 1782845065000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_LOCAL);
	tz_free(tz);
}

static void
juniper_epoch_up_to_year_9999_is_taken_beyond_is_malformed(void **state)
{
	static const char *const bad[] = {
		"JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607 0x7fffffffffffffff",
		"JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607 0xffffffffffffffff",
		"JSERVICES_NAT_PORT_BLOCK_ACTIVE: 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607 0x3afff44180",
		"RT_NAT - RT_SRC_NAT_PBA_ALLOC [internal-ip=\"10.0.10.10\""
		    " reflexive-ip=\"1.2.84.172\" block-port-low=\"48640\""
		    " block-port-high=\"48895\""
		    " epoch-time-64=\"2000000000000000\"]",
		"RT_SRC_NAT_PBA_RELEASE: Subscriber 100.64.60.74 releases"
		    " port block [24064-24191] from 203.0.113.100 epoch"
		    " 0x8000000000000000",
	};
	struct sink sk;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = parse_line(bad[i], RX_2026_07_01, "d", NULL, &sk);
		if (rc != CGN_EMALFORMED)
			fail_msg("\"%s\": rc %d", bad[i], rc);
		assert_int_equal(sk.n, 0);
	}
	/* 9999-12-31T23:59:59Z is the last second there is */
	assert_int_equal(parse_line("JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.12.34 -> 198.51.100.7:20480-20607 0x3afff4417f",
	    RX_2026_07_01, "d", NULL, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].ts_ms, 253402300799000LL);
}

/* ---- bad input -------------------------------------------------------- */

static void
malformed_lines_give_exact_rc_and_emit_nothing(void **state)
{
	static const struct {
		const char *line;
		int rc;
	} t[] = {
		{ "", CGN_ETRUNC },
		{ "\r\n", CGN_ETRUNC },
		{ "<14>1 2026-11-28T10:15:03Z", CGN_ETRUNC },
		{ "<14>1 2026-11-28T10:15:03Z host app", CGN_ETRUNC },
		{ "<14>1 2026-11-28T10:15:03 host app - - - x",
		    CGN_EMALFORMED },
		{ "<14>1 yesterday host app - - - x", CGN_EMALFORMED },
		{ "<14>1 2026-11-28T10:15:03Z host app - - x",
		    CGN_EMALFORMED },
		{ "<14>1 2026-11-28T10:15:03Z h a - RT_SRC_NAT_PBA_ALLOC"
		    " [x internal-ip=\"10.0.10.10\"", CGN_ETRUNC },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20607-20480 0x666972c6", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480-70000", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.345 ->"
		    " 198.51.100.7:20480-20607", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 =>"
		    " 198.51.100.7:20480-20607", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607 0xZZ", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " :20480-20607", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 -> ",
		    CGN_EMALFORMED },
		{ "RT_NAT - RT_SRC_NAT_PBA_ALLOC [internal-ip=\"10.0.10.10\""
		    " block-port-low=\"48640\" block-port-high=\"48895\"]",
		    CGN_EMALFORMED },
		{ "RT_NAT - RT_SRC_NAT_PBA_ALLOC [internal-ip=\"10.0.10.10\""
		    " reflexive-ip=\"1.2.84.172\" block-port-low=\"48895\""
		    " block-port-high=\"48640\"]", CGN_EMALFORMED },
		{ "RT_NAT - RT_SRC_NAT_PBA_ALLOC [internal-ip=\"10.0.10.10\""
		    " reflexive-ip=\"1.2.84.172\" block-port-low=\"48640\""
		    " block-port-high=\"48895\" epoch-time-64=\"xyz\"]",
		    CGN_EMALFORMED },
		{ "RT_FLOW - RT_FLOW_SESSION_CREATE"
		    " [source-address=\"10.0.10.10\" source-port=\"46776\""
		    " nat-source-address=\"1.2.84.172\" protocol-id=\"6\"]",
		    CGN_EMALFORMED },
		{ "RT_FLOW - RT_FLOW_SESSION_CREATE"
		    " [source-address=\"10.0.10.10\" source-port=\"46776\""
		    " nat-source-address=\"1.2.84.172\""
		    " nat-source-port=\"53328\" protocol-id=\"300\"]",
		    CGN_EMALFORMED },
		/* a documented line with the addresses masked by hand */
		{ "RT_SRC_NAT_PBA_RELEASE: Subscriber 100.64.x.x"
		    " used/maximum [5/15] blocks, releases port block"
		    " [1024-1151] from 203.0.113.x in source pool"
		    " EXAMPLE_POOL", CGN_EMALFORMED },
		{ "RT_SRC_NAT_PBA_ALLOC: Subscriber 100.64.60.74 allocates"
		    " port block [24064-24191 from 203.0.113.100",
		    CGN_EMALFORMED },
	};
	struct sink sk;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = parse_line(t[i].line, RX_2026_07_01, "d", NULL, &sk);
		if (rc != t[i].rc)
			fail_msg("\"%s\": rc %d, want %d", t[i].line, rc,
			    t[i].rc);
		assert_int_equal(sk.n, 0);
	}
}

static void
lines_no_vendor_claims_are_eunknown(void **state)
{
	static const char *const t[] = {
		"hello world",
		"<14>Jun 30 22:44:25 host sshd[1]: Accepted publickey",
		"<14>1 2026-11-28T10:15:03Z host app - - - hello",
		"Oct 10 2018 12:34:56 localhost kernel: eth0 link up",
		"RT_NAT: RT_SRC_NAT_PBA_FOO: Subscriber 1.2.3.4",
		"JSERVICES_NAT_PORT_BLOCK_FOO: 1.2.3.4 -> 5.6.7.8:1-2",
	};
	struct sink sk;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (parse_line(t[i], RX_2026_07_01, "d", NULL, &sk) !=
		    CGN_EUNKNOWN)
			fail_msg("\"%s\" not unknown", t[i]);
		assert_int_equal(sk.n, 0);
	}
}

static void
line_with_embedded_nul_is_handled_by_length(void **state)
{
	static const char line[] = "JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.12.34\0 -> 198.51.100.7:20480-20607";
	struct cgn_src src;
	struct sink sk;

	(void)state;
	memset(&src, 0, sizeof(src));
	memset(&sk, 0, sizeof(sk));
	assert_int_equal(syslog_parser.parse(NULL, &src, (const uint8_t *)line,
	    sizeof(line) - 1, sink_emit, &sk), CGN_EMALFORMED);
	assert_int_equal(sk.n, 0);
}

/* ---- every real fixture ----------------------------------------------- */

struct outcome {
	size_t lines, event_lines, events, ok_empty, unknown, errors;
};

static void
run_file(const char *name, struct outcome *o)
{
	char rel[512];
	struct fx_line *lines = NULL;
	struct cgn_src src;
	struct sink sk;
	size_t len, n, i;
	char *buf;
	int rc;

	snprintf(rel, sizeof(rel), "syslog/%s", name);
	buf = fx_read(rel, &len);
	assert_non_null(buf);
	n = fx_lines(buf, len, &lines);
	assert_true(n != (size_t)-1);
	memset(o, 0, sizeof(*o));
	memset(&src, 0, sizeof(src));
	src.rx_ms = RX_2026_07_01;
	for (i = 0; i < n; i++) {
		memset(&sk, 0, sizeof(sk));
		rc = syslog_parser.parse(NULL, &src,
		    (const uint8_t *)lines[i].p, lines[i].len, sink_emit, &sk);
		o->lines++;
		if (rc == CGN_OK && sk.n > 0) {
			o->event_lines++;
			o->events += (size_t)sk.n;
		} else if (rc == CGN_OK) {
			o->ok_empty++;
		} else if (rc == CGN_EUNKNOWN) {
			o->unknown++;
		} else {
			o->errors++;
			assert_true(rc < 0 && rc >= CGN_ERC_MIN);
		}
		if (rc != CGN_OK)
			assert_int_equal(sk.n, 0);
	}
	assert_int_equal(o->lines, n);
	free(lines);
	free(buf);
}

static void
every_syslog_fixture_parses_line_by_line(void **state)
{
	struct outcome o;
	char **names = NULL;
	size_t n, i;
	int seen_juniper = 0;

	(void)state;
	need_fixtures();
	n = fx_list("syslog", &names);
	assert_true(n != (size_t)-1);
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		run_file(names[i], &o);
		print_message("# %s: %zu lines, %zu with events (%zu events),"
		    " %zu ok without events, %zu unknown, %zu errors\n",
		    names[i], o.lines, o.event_lines, o.events, o.ok_empty,
		    o.unknown, o.errors);
		assert_int_equal(o.event_lines + o.ok_empty + o.unknown +
		    o.errors, o.lines);
		if (strcmp(names[i], "juniper_srx_rt_nat_pba.log") == 0) {
			seen_juniper = 1;
			assert_int_equal(o.lines, 5);
			assert_int_equal(o.event_lines, 5);
			assert_int_equal(o.events, 5);
			assert_int_equal(o.unknown, 0);
			assert_int_equal(o.errors, 0);
		}
	}
	assert_int_equal(seen_juniper, 1);
	fx_names_free(names, n);
}

static void
every_prefix_and_byte_flip_of_fixture_lines_is_survived(void **state)
{
	struct fx_line *lines = NULL;
	struct cgn_src src;
	struct sink sk;
	char **names = NULL, rel[512], *buf, *copy;
	size_t nf, n, f, i, cut, len, k;
	int rc;

	(void)state;
	need_fixtures();
	nf = fx_list("syslog", &names);
	assert_true(nf != (size_t)-1);
	memset(&src, 0, sizeof(src));
	src.rx_ms = RX_2026_07_01;
	prng_state = 4242;
	for (f = 0; f < nf; f++) {
		snprintf(rel, sizeof(rel), "syslog/%s", names[f]);
		assert_non_null(buf = fx_read(rel, &len));
		n = fx_lines(buf, len, &lines);
		for (i = 0; i < n; i++) {
			/* a copy per line, so ASan sees reads past its end */
			for (cut = 0; cut <= lines[i].len; cut++) {
				assert_non_null(copy = malloc(cut + 1));
				memcpy(copy, lines[i].p, cut);
				memset(&sk, 0, sizeof(sk));
				rc = syslog_parser.parse(NULL, &src,
				    (uint8_t *)copy, cut, sink_emit, &sk);
				if (rc != CGN_OK)
					assert_int_equal(sk.n, 0);
				free(copy);
			}
			assert_non_null(copy = malloc(lines[i].len + 1));
			for (k = 0; k < 64 && lines[i].len > 0; k++) {
				memcpy(copy, lines[i].p, lines[i].len);
				copy[prng() % lines[i].len] ^=
				    (char)(1u << (prng() % 8));
				memset(&sk, 0, sizeof(sk));
				rc = syslog_parser.parse(NULL, &src,
				    (uint8_t *)copy, lines[i].len, sink_emit,
				    &sk);
				assert_true(rc <= 0 && rc >= CGN_ERC_MIN);
				if (rc != CGN_OK)
					assert_int_equal(sk.n, 0);
			}
			free(copy);
		}
		free(lines);
		free(buf);
	}
	fx_names_free(names, nf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addr_ipv4_is_stored_mapped_and_formats_dotted),
		cmocka_unit_test(addr_v4_helper_matches_parsed_text),
		cmocka_unit_test(addr_ipv6_parses_and_formats_compressed),
		cmocka_unit_test(addr_parse_reads_exactly_len_bytes),
		cmocka_unit_test(
		    addr_garbage_is_malformed_and_leaves_out_alone),
		cmocka_unit_test(addr_embedded_nul_is_rejected),
		cmocka_unit_test(
		    addr_compare_orders_v4_mapped_before_global_v6),
		cmocka_unit_test(addr_fmt_into_short_buffer_gives_empty_string),
		cmocka_unit_test(rc_and_evtype_names_are_fixed),
		cmocka_unit_test(tc_to_ms_epoch_and_leap_day),
		cmocka_unit_test(tc_from_ms_gives_fields_back_for_leap_day),
		cmocka_unit_test(tc_year_9999_is_the_last_accepted),
		cmocka_unit_test(tc_invalid_dates_are_rejected),
		cmocka_unit_test(tc_leap_second_folds_onto_next_second),
		cmocka_unit_test(tc_every_day_to_9999_round_trips),
		cmocka_unit_test(tc_random_instants_round_trip_through_fields),
		cmocka_unit_test(tc_month_names_and_fmt),
		cmocka_unit_test(rfc3339_z_gives_utc_with_zone),
		cmocka_unit_test(rfc3339_offsets_with_and_without_colon),
		cmocka_unit_test(
		    rfc3339_fractions_of_one_to_six_digits_keep_milliseconds),
		cmocka_unit_test(rfc3339_without_zone_is_utc_with_has_zone_0),
		cmocka_unit_test(rfc3339_reads_only_len_bytes),
		cmocka_unit_test(
		    rfc3339_garbage_returns_0_and_leaves_out_alone),
		cmocka_unit_test(tz_posix_cet_offsets_on_known_dates),
		cmocka_unit_test(
		    tz_local_to_utc_repeated_hour_takes_earlier_instant),
		cmocka_unit_test(
		    tz_local_to_utc_skipped_hour_uses_offset_before),
		cmocka_unit_test(tz_null_is_utc),
		cmocka_unit_test(tz_posix_southern_rule_wraps_the_new_year),
		cmocka_unit_test(tz_posix_fixed_zones_and_bracketed_names),
		cmocka_unit_test(
		    tz_posix_julian_days_skip_feb_29_zero_based_days_count_it),
		cmocka_unit_test(tz_posix_garbage_is_malformed),
		cmocka_unit_test(tzif_v1_transition_switches_offset),
		cmocka_unit_test(tzif_v2_without_transitions_uses_footer_rule),
		cmocka_unit_test(tzif_bad_magic_is_malformed),
		cmocka_unit_test(tzif_bad_footer_is_malformed),
		cmocka_unit_test(tzif_every_truncation_is_etrunc),
		cmocka_unit_test(
		    tzif_typecnt_zero_and_bad_type_index_are_malformed),
		cmocka_unit_test(tzif_berlin_from_disk_matches_the_posix_rule),
		cmocka_unit_test(tzif_berlin_after_2037_follows_footer_rule),
		cmocka_unit_test(tzif_berlin_history_comes_from_transitions),
		cmocka_unit_test(
		    tzif_berlin_truncated_is_etrunc_and_bad_magic_malformed),
		cmocka_unit_test(syslog_5424_with_sd_and_offset_time),
		cmocka_unit_test(
		    syslog_5424_sd_event_takes_header_time_and_host),
		cmocka_unit_test(
		    syslog_5424_nil_fields_are_empty_and_time_is_rx),
		cmocka_unit_test(syslog_5424_escaped_bracket_stays_inside_sd),
		cmocka_unit_test(syslog_3164_year_comes_from_rx),
		cmocka_unit_test(syslog_3164_local_time_uses_source_zone),
		cmocka_unit_test(
		    syslog_3164_dec_31_received_jan_1_is_last_year),
		cmocka_unit_test(
		    syslog_3164_jan_1_received_dec_31_is_next_year),
		cmocka_unit_test(syslog_3164_tag_without_host),
		cmocka_unit_test(syslog_asa_header_with_year),
		cmocka_unit_test(syslog_stored_line_rfc3339_without_pri),
		cmocka_unit_test(syslog_pri_then_rfc3339_header),
		cmocka_unit_test(syslog_stored_line_without_zone_is_local),
		cmocka_unit_test(syslog_bare_body_keeps_rx_time_and_whole_line),
		cmocka_unit_test(syslog_device_name_precedence),
		cmocka_unit_test(syslog_emit_nonzero_stops_and_is_returned),
		cmocka_unit_test(parser_table_find_and_detect),
		cmocka_unit_test(pstate_new_and_free),
		cmocka_unit_test(txt_hex_and_uint_exact_widths),
		cmocka_unit_test(sd_param_matches_whole_keys_only),
		cmocka_unit_test(kv_param_reads_plain_and_quoted_values),
		cmocka_unit_test(juniper_rt_flow_session_create_fixture_fields),
		cmocka_unit_test(juniper_rt_flow_session_close_fixture_fields),
		cmocka_unit_test(
		    juniper_rt_nat_pba_alloc_sd_gives_block_and_epoch),
		cmocka_unit_test(
		    juniper_rt_nat_pba_interim_sd_gives_epoch_as_start),
		cmocka_unit_test(
		    juniper_rt_nat_pba_release_sd_gives_release_epoch),
		cmocka_unit_test(
		    juniper_rt_flow_close_start_is_header_time_minus_elapsed),
		cmocka_unit_test(
		    juniper_rt_flow_without_source_nat_emits_nothing),
		cmocka_unit_test(juniper_jservices_port_block_alloc_with_epoch),
		cmocka_unit_test(
		    juniper_jservices_port_block_release_with_epoch),
		cmocka_unit_test(
		    juniper_jservices_port_block_active_epoch_is_event_time),
		cmocka_unit_test(juniper_asp_port_block_with_ipv6_inside),
		cmocka_unit_test(juniper_plain_nat_port_block_active_ipv6),
		cmocka_unit_test(
		    juniper_port_block_ipv6_outside_splits_at_last_colon),
		cmocka_unit_test(juniper_rt_nat_text_pba_alloc_from_docs),
		cmocka_unit_test(
		    juniper_rt_nat_text_pba_release_without_epoch_uses_header),
		cmocka_unit_test(
		    juniper_epoch_up_to_year_9999_is_taken_beyond_is_malformed),
		cmocka_unit_test(
		    malformed_lines_give_exact_rc_and_emit_nothing),
		cmocka_unit_test(lines_no_vendor_claims_are_eunknown),
		cmocka_unit_test(line_with_embedded_nul_is_handled_by_length),
		cmocka_unit_test(every_syslog_fixture_parses_line_by_line),
		cmocka_unit_test(
		    every_prefix_and_byte_flip_of_fixture_lines_is_survived),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
