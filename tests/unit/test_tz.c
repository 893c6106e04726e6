/*
 * test_tz.c - unit tests for parser/tz.c: POSIX TZ rules and TZif files
 * (RFC 8536), the offset at an instant and local time to UTC across the
 * repeated and the skipped hour. TZif files are built byte by byte here,
 * and Europe/Berlin is read from /usr/share/zoneinfo (the tests that need
 * it skip when it is unreadable).
 *
 * Expected values are written out as literals (computed independently of
 * the code under test), never derived from it.
 * Not here: finding a device's zone file (collector/tzload.c), local-time
 * syslog headers (test_syslog.c).
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
#include "ptest.h"
#include "timeconv.h"
#include "tz.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
