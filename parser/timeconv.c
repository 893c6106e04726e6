/*
 * timeconv.c - civil time arithmetic and RFC 3339 timestamps.
 *
 * Days from civil and back use Howard Hinnant's era-based formulas (public
 * domain algorithm description), exact over the whole int range. Not here:
 * time zones with rules (tz.c), the syslog header forms (syslog.c).
 */
#include <stdio.h>
#include <string.h>

#include "cgn.h"
#include "scan.h"
#include "timeconv.h"

int64_t
tc_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
tc_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

int
tc_to_ms(const struct cgn_tm *tm, int64_t *out)
{
	int64_t days;

	if (tm->year < 1970 || tm->year > 9999 || tm->mon < 1 ||
	    tm->mon > 12 || tm->day < 1 ||
	    tm->day > days_in_month(tm->year, tm->mon) || tm->hour < 0 ||
	    tm->hour > 23 || tm->min < 0 || tm->min > 59 || tm->sec < 0 ||
	    tm->sec > 60 || tm->ms < 0 || tm->ms > 999)
		return CGN_EMALFORMED;
	days = tc_days_from_civil(tm->year, tm->mon, tm->day);
	/* a leap second (:60) is folded onto the next second, as POSIX does */
	*out = ((days * 24 + tm->hour) * 60 + tm->min) * 60000 +
	    (int64_t)tm->sec * 1000 + tm->ms;
	return CGN_OK;
}

void
tc_from_ms(int64_t ms, struct cgn_tm *tm)
{
	int64_t days = ms / 86400000, rem = ms % 86400000;

	if (rem < 0) {
		rem += 86400000;
		days--;
	}
	tc_civil_from_days(days, &tm->year, &tm->mon, &tm->day);
	tm->hour = (int)(rem / 3600000);
	tm->min = (int)(rem / 60000 % 60);
	tm->sec = (int)(rem / 1000 % 60);
	tm->ms = (int)(rem % 1000);
}

int
tc_month(const char *s, size_t len)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	if (len != 3)
		return 0;
	for (i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, s, 3) == 0)
			return i + 1;
	return 0;
}

size_t
tc_parse_rfc3339(const char *buf, size_t len, int64_t *out, int *has_zone)
{
	struct scan s;
	struct cgn_tm tm = { 0 };
	int64_t ms;
	int oh, om, sign, zone = 0, ndig = 0, frac = 0;

	scan_init(&s, buf, len);
	if (!scan_digits(&s, 4, &tm.year) || !scan_char(&s, '-') ||
	    !scan_digits(&s, 2, &tm.mon) || !scan_char(&s, '-') ||
	    !scan_digits(&s, 2, &tm.day))
		return 0;
	if (!scan_char(&s, 'T') && !scan_char(&s, 't') && !scan_char(&s, ' '))
		return 0;
	if (!scan_digits(&s, 2, &tm.hour) || !scan_char(&s, ':') ||
	    !scan_digits(&s, 2, &tm.min) || !scan_char(&s, ':') ||
	    !scan_digits(&s, 2, &tm.sec))
		return 0;
	if (scan_char(&s, '.') || scan_char(&s, ',')) {
		/* keep milliseconds, read and drop finer digits (RFC 5424
		 * allows up to 6) */
		while (s.p < s.end && *s.p >= '0' && *s.p <= '9') {
			if (ndig < 3)
				frac = frac * 10 + (*s.p - '0');
			ndig++;
			s.p++;
		}
		if (ndig == 0)
			return 0;
		while (ndig < 3) {
			frac *= 10;
			ndig++;
		}
		tm.ms = frac;
	}
	if (tc_to_ms(&tm, &ms) != CGN_OK)
		return 0;
	if (scan_char(&s, 'Z') || scan_char(&s, 'z')) {
		zone = 1;
	} else if (s.p < s.end && (*s.p == '+' || *s.p == '-')) {
		sign = *s.p == '-' ? -1 : 1;
		s.p++;
		if (!scan_digits(&s, 2, &oh))
			return 0;
		if (!scan_char(&s, ':') && scan_left(&s) >= 2 &&
		    !(s.p[0] >= '0' && s.p[0] <= '9'))
			return 0;
		if (!scan_digits(&s, 2, &om) || oh > 23 || om > 59)
			return 0;
		/* local = UTC + offset, so UTC = local - offset */
		ms -= sign * ((int64_t)oh * 3600000 + (int64_t)om * 60000);
		zone = 1;
	}
	*out = ms;
	*has_zone = zone;
	return (size_t)(s.p - buf);
}

char *
tc_fmt(int64_t ms, char *buf, size_t len)
{
	struct cgn_tm tm;

	tc_from_ms(ms, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.year,
	    tm.mon, tm.day, tm.hour, tm.min, tm.sec, tm.ms);
	return buf;
}
