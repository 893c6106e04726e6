/*
 * timearg.c - the times cgnq accepts (see timearg.h).
 *
 * Each form is tried in turn; a form returns 1 (parsed), 0 (not this form)
 * or -1 (this form, but broken: err says how). Every form yields a time as
 * if UTC plus whether a zone was given; the zone's offset is applied here,
 * a missing one by --tz or refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cgn.h"
#include "scan.h"
#include "timeconv.h"
#include "timearg.h"
#include "tz.h"

/* A parsed time before its zone is applied. */
struct tparse {
	int64_t ms;		/* the fields taken as UTC */
	int zone;		/* 1: an offset or Z was given */
	int64_t off_ms;		/* east of UTC */
};

/* ".5", ",250": a fraction of a second, to ms (more digits are cut). */
static void
scan_frac(struct scan *sc, int *ms)
{
	int scale = 100;

	*ms = 0;
	if (sc->p >= sc->end || (*sc->p != '.' && *sc->p != ','))
		return;
	if (sc->p + 1 >= sc->end || sc->p[1] < '0' || sc->p[1] > '9')
		return;
	for (sc->p++; sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9';
	    sc->p++) {
		*ms += (*sc->p - '0') * scale;
		scale /= 10;
	}
}

/* "+01:00", "+0100", "+01", "-05:30": 1 and *off_ms; 0 if not one. */
static int
scan_offset(struct scan *sc, int64_t *off_ms)
{
	struct scan save = *sc;
	int sign, h, m = 0;

	if (sc->p >= sc->end || (*sc->p != '+' && *sc->p != '-'))
		return 0;
	sign = *sc->p++ == '-' ? -1 : 1;
	if (!scan_digits(sc, 2, &h)) {
		*sc = save;
		return 0;
	}
	if (scan_char(sc, ':')) {
		if (!scan_digits(sc, 2, &m)) {
			*sc = save;
			return 0;
		}
	} else {
		(void)scan_digits(sc, 2, &m);
	}
	if (h > 23 || m > 59) {
		*sc = save;
		return 0;
	}
	*off_ms = sign * ((int64_t)h * 3600000 + (int64_t)m * 60000);
	return 1;
}

static int
bad(char *err, size_t errlen, const char *s, const char *why)
{
	snprintf(err, errlen, "time '%s': %s", s, why);
	return -1;
}

static int
civil(const struct cgn_tm *tm, int64_t *ms, const char *s, char *err,
    size_t errlen)
{
	if (tc_to_ms(tm, ms) != CGN_OK)
		return bad(err, errlen, s, "no such date or time");
	return 1;
}

/*
 * ISO 8601: 2026-11-28T10:15:03.250+01:00, 2026-11-28 10:15Z,
 * 20261128T101503Z; the zone is Z, +HH, +HHMM or +HH:MM.
 */
static int
parse_iso(const char *s, struct tparse *tp, char *err, size_t errlen)
{
	struct scan sc;
	struct cgn_tm tm = { 0 };
	int basic;

	scan_init(&sc, s, strlen(s));
	if (!scan_digits(&sc, 4, &tm.year))
		return 0;
	basic = !scan_char(&sc, '-');
	if (!scan_digits(&sc, 2, &tm.mon) || (!basic && !scan_char(&sc, '-')) ||
	    !scan_digits(&sc, 2, &tm.day))
		return 0;
	if (!scan_char(&sc, 'T') && !scan_char(&sc, 't') &&
	    !scan_char(&sc, ' '))
		return sc.p == sc.end ? bad(err, errlen, s, "a date needs a"
		    " time of day") : 0;
	if (!scan_digits(&sc, 2, &tm.hour) || (!basic && !scan_char(&sc, ':')) ||
	    !scan_digits(&sc, 2, &tm.min))
		return bad(err, errlen, s, "want HH:MM after the date");
	if ((basic && scan_digits(&sc, 2, &tm.sec)) ||
	    (!basic && scan_char(&sc, ':') && scan_digits(&sc, 2, &tm.sec)))
		scan_frac(&sc, &tm.ms);
	if (civil(&tm, &tp->ms, s, err, errlen) < 0)
		return -1;
	tp->zone = 0;
	if (scan_char(&sc, 'Z') || scan_char(&sc, 'z'))
		tp->zone = 1;
	else if (scan_offset(&sc, &tp->off_ms))
		tp->zone = 1;
	if (sc.p != sc.end) {
		snprintf(err, errlen, "time '%s': unexpected '%s' after the"
		    " time (want Z or an offset such as +01:00)", s, sc.p);
		return -1;
	}
	return 1;
}

/* "28/Nov/2026:10:15:03 +0100" (Common Log Format). */
static int
parse_clf(const char *s, struct tparse *tp, char *err, size_t errlen)
{
	struct scan sc;
	struct cgn_tm tm = { 0 };

	scan_init(&sc, s, strlen(s));
	if (!scan_digits(&sc, 2, &tm.day) || !scan_char(&sc, '/') ||
	    scan_left(&sc) < 4 || (tm.mon = tc_month(sc.p, 3)) == 0)
		return 0;
	sc.p += 3;
	if (!scan_char(&sc, '/') || !scan_digits(&sc, 4, &tm.year) ||
	    !scan_char(&sc, ':') || !scan_digits(&sc, 2, &tm.hour) ||
	    !scan_char(&sc, ':') || !scan_digits(&sc, 2, &tm.min) ||
	    !scan_char(&sc, ':') || !scan_digits(&sc, 2, &tm.sec))
		return bad(err, errlen, s, "want DD/Mon/YYYY:HH:MM:SS +hhmm");
	scan_frac(&sc, &tm.ms);
	if (civil(&tm, &tp->ms, s, err, errlen) < 0)
		return -1;
	tp->zone = 0;
	if (scan_ws(&sc) > 0 && scan_offset(&sc, &tp->off_ms))
		tp->zone = 1;
	if (sc.p != sc.end)
		return bad(err, errlen, s, "want DD/Mon/YYYY:HH:MM:SS +hhmm");
	return 1;
}

/* Zone names RFC 5322 4.3 keeps (obs-zone); military letters and
 * anything else are ambiguous in practice and refused. */
static const struct {
	const char *name;
	int hours;
} zones[] = {
	{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
	{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
	{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
};

/* The zone at the cursor, then an optional "(comment)". */
static int
mail_zone(struct scan *sc, struct tparse *tp, const char *s, char *err,
    size_t errlen)
{
	const char *tok;
	size_t len, i;

	tp->zone = 0;
	if (scan_ws(sc) == 0 && sc->p != sc->end)
		return bad(err, errlen, s, "want a space before the zone");
	if (scan_offset(sc, &tp->off_ms)) {
		tp->zone = 1;
	} else if (sc->p < sc->end && *sc->p != '(') {
		scan_until(sc, " (", &tok, &len);
		for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
			if (strlen(zones[i].name) == len &&
			    strncasecmp(zones[i].name, tok, len) == 0)
				break;
		if (i == sizeof(zones) / sizeof(zones[0])) {
			snprintf(err, errlen, "time '%s': zone '%.*s' is"
			    " ambiguous: use a numeric offset such as +0100",
			    s, (int)len, tok);
			return -1;
		}
		tp->off_ms = (int64_t)zones[i].hours * 3600000;
		tp->zone = 1;
	}
	scan_ws(sc);
	if (sc->p < sc->end && *sc->p == '(' && sc->end[-1] == ')')
		sc->p = sc->end;	/* "+0100 (CET)": a comment */
	if (sc->p != sc->end)
		return bad(err, errlen, s, "unexpected text after the zone");
	return 1;
}

/* HH:MM[:SS] at the cursor. */
static int
mail_clock(struct scan *sc, struct cgn_tm *tm)
{
	if (!scan_digits(sc, 2, &tm->hour) || !scan_char(sc, ':') ||
	    !scan_digits(sc, 2, &tm->min))
		return 0;
	if (scan_char(sc, ':') && !scan_digits(sc, 2, &tm->sec))
		return 0;
	return 1;
}

/* 1 or 2 digits of a day of the month. */
static int
scan_day(struct scan *sc, int *day)
{
	uint64_t v;

	if (scan_uint(sc, 2, &v) == 0 || v < 1 || v > 31)
		return 0;
	*day = (int)v;
	return 1;
}

/*
 * RFC 5322 3.3: "[Sat, ]28 Nov 2026 10:15:03 +0100", and the order some
 * X-ARF senders use: "Nov 28 2026 10:15:03 +0100".
 */
static int
parse_mail(const char *s, struct tparse *tp, char *err, size_t errlen)
{
	struct scan sc;
	struct cgn_tm tm = { 0 };

	scan_init(&sc, s, strlen(s));
	scan_ws(&sc);
	if (scan_left(&sc) >= 4 && sc.p[3] == ',') {
		sc.p += 4;	/* the day of the week says nothing more */
		scan_ws(&sc);
	}
	if (scan_day(&sc, &tm.day)) {
		scan_ws(&sc);
		if (scan_left(&sc) < 3 || (tm.mon = tc_month(sc.p, 3)) == 0)
			return 0;
		sc.p += 3;
	} else if (scan_left(&sc) >= 3 && (tm.mon = tc_month(sc.p, 3)) != 0) {
		sc.p += 3;
		if (scan_ws(&sc) == 0 || !scan_day(&sc, &tm.day))
			return 0;
	} else {
		return 0;
	}
	if (scan_ws(&sc) == 0 || !scan_digits(&sc, 4, &tm.year) ||
	    scan_ws(&sc) == 0 || !mail_clock(&sc, &tm))
		return bad(err, errlen, s, "want e.g. Sat, 28 Nov 2026"
		    " 10:15:03 +0100");
	if (civil(&tm, &tp->ms, s, err, errlen) < 0)
		return -1;
	return mail_zone(&sc, tp, s, err, errlen);
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
	struct tparse tp = { 0, 0, 0 };
	size_t len = strlen(s);
	int64_t ms;
	int r;

	if (len == 0) {
		snprintf(err, errlen, "empty time");
		return CGN_EINVAL;
	}
	if (strspn(s, "0123456789.") == len && strchr(s, '.') != NULL) {
		if (!parse_epoch(s, &ms))
			goto unknown;
		*out = ms;	/* epoch seconds are UTC by definition */
		return CGN_OK;
	}
	/* all digits: epoch seconds, unless it is a basic ISO date */
	if (strspn(s, "0123456789") == len && len != 8) {
		if (!parse_epoch(s, &ms))
			goto unknown;
		*out = ms;
		return CGN_OK;
	}
	if ((r = parse_iso(s, &tp, err, errlen)) == 0 &&
	    (r = parse_clf(s, &tp, err, errlen)) == 0 &&
	    (r = parse_mail(s, &tp, err, errlen)) == 0)
		goto unknown;
	if (r < 0)
		return CGN_EINVAL;
	if (!tp.zone) {
		if (!have_tz) {
			snprintf(err, errlen, "time '%s' has no zone: add Z or"
			    " an offset, or give --tz ZONE (a wrong zone"
			    " names the wrong subscriber)", s);
			return CGN_EINVAL;
		}
		if (tz != NULL)
			tz_local_to_utc(tz, tp.ms, &tp.ms);
		*out = tp.ms;
		return CGN_OK;
	}
	*out = tp.ms - tp.off_ms;
	return CGN_OK;
unknown:
	snprintf(err, errlen, "time '%s' is not RFC 3339"
	    " (2026-11-28T10:15:03Z), epoch seconds,"
	    " 28/Nov/2026:10:15:03 +0100 or Sat, 28 Nov 2026 10:15:03 +0000",
	    s);
	return CGN_EINVAL;
}

int
timearg_duration(const char *s, int64_t *ms)
{
	char *end;
	double v;

	if (*s < '0' || *s > '9')
		return CGN_EINVAL;
	v = strtod(s, &end);
	if (end == s || v < 0 || v > 86400.0 * 365)
		return CGN_EINVAL;
	if (strcmp(end, "ms") == 0)
		*ms = (int64_t)(v + 0.5);
	else if (strcmp(end, "s") == 0 || *end == '\0')
		*ms = (int64_t)(v * 1000 + 0.5);
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		*ms = (int64_t)(v * 60000 + 0.5);
	else if (strcmp(end, "h") == 0)
		*ms = (int64_t)(v * 3600000 + 0.5);
	else if (strcmp(end, "d") == 0)
		*ms = (int64_t)(v * 86400000 + 0.5);
	else
		return CGN_EINVAL;
	return CGN_OK;
}
