/*
 * timeconv.h - civil time to and from UTC milliseconds, and the timestamp
 * syntaxes the inputs use. Pure arithmetic: no libc time zone state, so it
 * is safe in any thread and gives the same answer on every machine.
 */
#ifndef TIMECONV_H
#define TIMECONV_H

#include <stddef.h>
#include <stdint.h>

/* A broken-down civil time; fields as written (month 1-12). */
struct cgn_tm {
	int year, mon, day, hour, min, sec, ms;
};

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t tc_days_from_civil(int y, int m, int d);
/* The date of a day number; inverse of tc_days_from_civil. */
void tc_civil_from_days(int64_t days, int *y, int *m, int *d);

/* tm (taken as UTC) to ms since the epoch. CGN_EMALFORMED if a field is
 * out of range (Feb 30, hour 24, second 61 is accepted as 60 for leap). */
int tc_to_ms(const struct cgn_tm *tm, int64_t *out);
/* ms since the epoch to UTC fields. */
void tc_from_ms(int64_t ms, struct cgn_tm *tm);

/* Month abbreviation ("Jan") to 1-12; 0 if not one. */
int tc_month(const char *s, size_t len);

/*
 * Parse an RFC 3339 timestamp from the start of buf:
 *   2026-11-28T10:15:03Z, 2026-11-28T10:15:03.123456+01:00,
 *   also with a space instead of 'T'.
 * On success *out is UTC ms, *has_zone says whether a zone was given (a
 * zoneless time is returned as if UTC), and the bytes consumed are returned;
 * 0 if buf does not start with such a timestamp.
 */
size_t tc_parse_rfc3339(const char *buf, size_t len, int64_t *out,
    int *has_zone);

/* Write ms as RFC 3339 UTC with milliseconds ("2026-11-28T10:15:03.123Z").
 * buf needs 25 bytes. Returns buf. */
char *tc_fmt(int64_t ms, char *buf, size_t len);

#endif /* TIMECONV_H */
