/*
 * timearg.c - see timearg.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgn.h"
#include "scan.h"
#include "timeconv.h"
#include "timearg.h"
#include "tz.h"

/* "28/Nov/2026:10:15:03 +0100" (Common Log Format). */
static int
parse_clf(const char *s, int64_t *out, int *has_zone)
{
	struct scan sc;
	struct cgn_tm tm = { 0 };
	int64_t ms;
	int oh, om, sign;

	scan_init(&sc, s, strlen(s));
	if (!scan_digits(&sc, 2, &tm.day) || !scan_char(&sc, '/') ||
	    scan_left(&sc) < 4 || (tm.mon = tc_month(sc.p, 3)) == 0)
		return 0;
	sc.p += 3;
	if (!scan_char(&sc, '/') || !scan_digits(&sc, 4, &tm.year) ||
	    !scan_char(&sc, ':') || !scan_digits(&sc, 2, &tm.hour) ||
	    !scan_char(&sc, ':') || !scan_digits(&sc, 2, &tm.min) ||
	    !scan_char(&sc, ':') || !scan_digits(&sc, 2, &tm.sec))
		return 0;
	if (tc_to_ms(&tm, &ms) != CGN_OK)
		return 0;
	*has_zone = 0;
	if (scan_char(&sc, ' ')) {
		if (sc.p >= sc.end || (*sc.p != '+' && *sc.p != '-'))
			return 0;
		sign = *sc.p++ == '-' ? -1 : 1;
		if (!scan_digits(&sc, 2, &oh) || !scan_digits(&sc, 2, &om) ||
		    oh > 23 || om > 59)
			return 0;
		ms -= sign * ((int64_t)oh * 3600000 + (int64_t)om * 60000);
		*has_zone = 1;
	}
	if (sc.p != sc.end)
		return 0;
	*out = ms;
	return 1;
}

/* Epoch seconds, optionally with a fraction: "1764324903.5". */
static int
parse_epoch(const char *s, int64_t *out)
{
	char *end;
	long long sec;
	int64_t frac = 0, scale = 100;
	const char *p;

	if (*s < '0' || *s > '9')
		return 0;
	sec = strtoll(s, &end, 10);
	if (sec < 0 || sec > 253402300799LL)	/* 9999-12-31 */
		return 0;
	p = end;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p != '\0' || p == s)
		return 0;
	*out = (int64_t)sec * 1000 + frac;
	return 1;
}

int
timearg_parse(const char *s, const struct cgn_tz *tz, int have_tz,
    int64_t *out, char *err, size_t errlen)
{
	size_t len = strlen(s), n;
	int64_t ms;
	int zone = 0;

	if (len == 0) {
		snprintf(err, errlen, "empty time");
		return CGN_EINVAL;
	}
	if ((n = tc_parse_rfc3339(s, len, &ms, &zone)) == len) {
		/* RFC 3339 */
	} else if (n > 0) {
		snprintf(err, errlen, "time '%s': unexpected '%s' after the"
		    " time (want Z or an offset such as +01:00)", s, s + n);
		return CGN_EINVAL;
	} else if (parse_clf(s, &ms, &zone)) {
		/* web server log form */
	} else if (strspn(s, "0123456789.") == len && parse_epoch(s, &ms)) {
		*out = ms;	/* epoch seconds are UTC by definition */
		return CGN_OK;
	} else {
		snprintf(err, errlen, "time '%s' is not RFC 3339"
		    " (2026-11-28T10:15:03Z), epoch seconds, or"
		    " 28/Nov/2026:10:15:03 +0100", s);
		return CGN_EINVAL;
	}
	if (!zone) {
		if (!have_tz) {
			snprintf(err, errlen, "time '%s' has no zone: add Z or"
			    " an offset, or give --tz ZONE (a wrong zone"
			    " names the wrong subscriber)", s);
			return CGN_EINVAL;
		}
		tz_local_to_utc(tz, ms, &ms);
	}
	*out = ms;
	return CGN_OK;
}

int
timearg_duration(const char *s, int64_t *ms)
{
	char *end;
	double v;

	v = strtod(s, &end);
	if (end == s || v < 0 || v > 86400.0 * 365)
		return CGN_EINVAL;
	if (strcmp(end, "ms") == 0)
		*ms = (int64_t)(v + 0.5);
	else if (strcmp(end, "s") == 0 || *end == '\0')
		*ms = (int64_t)(v * 1000 + 0.5);
	else if (strcmp(end, "m") == 0)
		*ms = (int64_t)(v * 60000 + 0.5);
	else if (strcmp(end, "h") == 0)
		*ms = (int64_t)(v * 3600000 + 0.5);
	else
		return CGN_EINVAL;
	return CGN_OK;
}
