/*
 * test_timeconv.c - unit tests for parser/timeconv.c: civil dates and
 * times to and from milliseconds since the epoch (leap days, leap seconds,
 * the last year, every day and random instants round trip), month names,
 * and RFC 3339 timestamps.
 *
 * Expected values are written out as literals (computed independently of
 * the code under test), never derived from it.
 * Not here: time zones (test_tz.c), syslog header times (test_syslog.c).
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
#include "ptest.h"
#include "timeconv.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
