/*
 * tz.c - TZif (RFC 8536) and POSIX TZ strings to UTC offsets.
 *
 * Only what converting log times needs: the transition times with their
 * offsets, and the footer rule for later years. Abbreviations, leap
 * seconds and standard/wall indicators are skipped.
 * Not here: reading the file (collector/tzload.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cgn.h"
#include "rd.h"
#include "timeconv.h"
#include "tz.h"

/* A POSIX TZ rule date: Mm.w.d, Jn or n (POSIX.1 8.3). */
struct tz_rule_date {
	char kind;		/* 'M', 'J' or 'D' (zero-based day) */
	int m, w, d;		/* month, week (5: last), weekday; or day */
	int32_t time;		/* local seconds after midnight */
};

struct cgn_tz {
	size_t n;		/* transitions */
	int64_t *at;		/* transition instants, UTC seconds */
	int32_t *off;		/* offset in force from at[i] on */
	int32_t off0;		/* offset before the first transition */
	int has_rule;		/* the footer gives a rule after at[n-1] */
	int32_t std_off, dst_off;	/* seconds east of UTC */
	int has_dst;
	struct tz_rule_date start, end;
};

void
tz_free(struct cgn_tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->at);
	free(tz->off);
	free(tz);
}

/* Decimal digits at p (maybe none); a long run saturates instead of
 * overflowing, and every caller range-checks the value. */
static const char *
posix_num(const char *p, int *out)
{
	int v = 0;

	for (; *p >= '0' && *p <= '9'; p++)
		if (v < 1000000)
			v = v * 10 + (*p - '0');
	*out = v;
	return p;
}

/* [+-]hh[:mm[:ss]]; POSIX offsets are west of UTC, times are not signed
 * the same way, so the caller flips the sign where needed. */
static const char *
posix_hms(const char *p, int32_t *out)
{
	int sign = 1, h = 0, m = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (*p < '0' || *p > '9')
		return NULL;
	p = posix_num(p, &h);
	if (*p == ':') {
		p = posix_num(p + 1, &m);
		if (*p == ':')
			p = posix_num(p + 1, &s);
	}
	if (h > 167 || m > 59 || s > 59)
		return NULL;
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *
posix_name(const char *p)
{
	const char *q = p;

	if (*p == '<') {
		while (*p != '\0' && *p != '>')
			p++;
		return *p == '>' ? p + 1 : NULL;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - q >= 3 ? p : NULL;
}

static const char *
posix_date(const char *p, struct tz_rule_date *r)
{
	int v = 0;

	r->time = 7200;		/* 02:00 local unless given */
	if (*p == 'M') {
		r->kind = 'M';
		p++;
		p = posix_num(p, &r->m);
		if (*p++ != '.')
			return NULL;
		p = posix_num(p, &r->w);
		if (*p++ != '.')
			return NULL;
		p = posix_num(p, &r->d);
		if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 ||
		    r->d > 6)
			return NULL;
	} else {
		r->kind = *p == 'J' ? 'J' : 'D';
		if (*p == 'J')
			p++;
		if (*p < '0' || *p > '9')
			return NULL;
		p = posix_num(p, &v);
		if (v > 365)
			return NULL;
		r->d = v;
	}
	if (*p == '/' && (p = posix_hms(p + 1, &r->time)) == NULL)
		return NULL;
	return p;
}

static int
posix_parse(const char *p, struct cgn_tz *tz)
{
	int32_t v;

	if ((p = posix_name(p)) == NULL || (p = posix_hms(p, &v)) == NULL)
		return CGN_EMALFORMED;
	tz->std_off = -v;
	tz->dst_off = tz->std_off;
	tz->has_rule = 1;
	if (*p == '\0')
		return CGN_OK;
	if ((p = posix_name(p)) == NULL)
		return CGN_EMALFORMED;
	tz->has_dst = 1;
	tz->dst_off = tz->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if ((p = posix_hms(p, &v)) == NULL)
			return CGN_EMALFORMED;
		tz->dst_off = -v;
	}
	if (*p == '\0') {	/* no rule given: the US rules (POSIX) */
		tz->start = (struct tz_rule_date){ 'M', 3, 2, 0, 7200 };
		tz->end = (struct tz_rule_date){ 'M', 11, 1, 0, 7200 };
		return CGN_OK;
	}
	if (*p++ != ',' || (p = posix_date(p, &tz->start)) == NULL ||
	    *p++ != ',' || (p = posix_date(p, &tz->end)) == NULL || *p != 0)
		return CGN_EMALFORMED;
	return CGN_OK;
}

int
tz_parse_posix(const char *s, struct cgn_tz **out)
{
	struct cgn_tz *tz;
	int rc;

	if ((tz = calloc(1, sizeof(*tz))) == NULL)
		return CGN_ENOMEM;
	if ((rc = posix_parse(s, tz)) != CGN_OK) {
		tz_free(tz);
		return rc;
	}
	tz->off0 = tz->std_off;
	*out = tz;
	return CGN_OK;
}

/* Local seconds since the epoch at which the rule date falls in year y. */
static int64_t
rule_local(const struct tz_rule_date *r, int y)
{
	int64_t day;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0, wd, last;

	if (r->kind == 'J') {	/* 1..365, Feb 29 never counted */
		day = tc_days_from_civil(y, 1, 1) + r->d - 1;
		if (leap && r->d >= 60)
			day++;
	} else if (r->kind == 'D') {
		day = tc_days_from_civil(y, 1, 1) + r->d;
	} else {
		day = tc_days_from_civil(y, r->m, 1);
		wd = (int)((day % 7 + 11) % 7);	/* 1970-01-01 was Thursday */
		day += (r->d - wd + 7) % 7 + 7 * (r->w - 1);
		last = r->m == 12 ? 31 : (int)(tc_days_from_civil(y,
		    r->m + 1, 1) - tc_days_from_civil(y, r->m, 1));
		while (day >= tc_days_from_civil(y, r->m, 1) + last)
			day -= 7;	/* week 5 means the last one */
	}
	return day * 86400 + r->time;
}

static int32_t
rule_offset(const struct cgn_tz *tz, int64_t t)
{
	struct cgn_tm tm;
	int64_t s, e;

	if (!tz->has_dst)
		return tz->std_off;
	tc_from_ms(t * 1000, &tm);
	/* start is given in standard time, end in daylight time */
	s = rule_local(&tz->start, tm.year) - tz->std_off;
	e = rule_local(&tz->end, tm.year) - tz->dst_off;
	if (s < e)
		return t >= s && t < e ? tz->dst_off : tz->std_off;
	return t >= e && t < s ? tz->std_off : tz->dst_off;	/* south */
}

int32_t
tz_offset(const struct cgn_tz *tz, int64_t utc_ms)
{
	int64_t t;
	size_t lo, hi, mid;

	if (tz == NULL)
		return 0;
	t = utc_ms >= 0 ? utc_ms / 1000 : (utc_ms - 999) / 1000;
	if (tz->n == 0)
		return tz->has_rule ? rule_offset(tz, t) : tz->off0;
	if (t < tz->at[0])
		return tz->off0;
	if (t >= tz->at[tz->n - 1] && tz->has_rule)
		return rule_offset(tz, t);
	lo = 0;
	hi = tz->n;		/* at[lo] <= t < at[hi] */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (tz->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->off[lo];
}

int
tz_local_to_utc(const struct cgn_tz *tz, int64_t local_ms, int64_t *utc_ms)
{
	int32_t oa, ob;
	int64_t ua, ub;
	int va, vb;

	if (tz == NULL) {
		*utc_ms = local_ms;
		return CGN_OK;
	}
	/* the offsets a day either side bracket any one transition */
	oa = tz_offset(tz, local_ms - 86400000);
	ob = tz_offset(tz, local_ms + 86400000);
	ua = local_ms - (int64_t)oa * 1000;
	ub = local_ms - (int64_t)ob * 1000;
	va = tz_offset(tz, ua) == oa;
	vb = tz_offset(tz, ub) == ob;
	if (va && vb)
		*utc_ms = ua < ub ? ua : ub;
	else if (vb)
		*utc_ms = ub;
	else
		*utc_ms = ua;	/* valid, or the skipped hour: offset before */
	return CGN_OK;
}

/* RFC 8536 3.1: the header, then the data block of the given time size. */
struct tzif_hdr {
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int
tzif_hdr(struct rd *r, int *version, struct tzif_hdr *h)
{
	uint8_t magic[4];

	rd_bytes(r, magic, 4);
	*version = rd_u8(r);
	rd_skip(r, 15);
	h->isutcnt = rd_u32(r);
	h->isstdcnt = rd_u32(r);
	h->leapcnt = rd_u32(r);
	h->timecnt = rd_u32(r);
	h->typecnt = rd_u32(r);
	h->charcnt = rd_u32(r);
	if (r->short_read)
		return CGN_ETRUNC;
	if (memcmp(magic, "TZif", 4) != 0 || h->typecnt == 0 ||
	    h->timecnt > 100000 || h->typecnt > 256 || h->charcnt > 65536 ||
	    h->leapcnt > 100000 || h->isutcnt > 256 || h->isstdcnt > 256)
		return CGN_EMALFORMED;
	return CGN_OK;
}

static size_t
tzif_block_len(const struct tzif_hdr *h, size_t tsize)
{
	return h->timecnt * tsize + h->timecnt + h->typecnt * 6 + h->charcnt +
	    h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

int
tz_parse_tzif(const uint8_t *buf, size_t len, struct cgn_tz **out)
{
	struct cgn_tz *tz = NULL;
	struct tzif_hdr h;
	struct rd r;
	int32_t types[256];
	uint8_t *idx = NULL;
	char footer[128];
	size_t i, tsize = 4, flen;
	int version, rc;

	rd_init(&r, buf, len);
	if ((rc = tzif_hdr(&r, &version, &h)) != CGN_OK)
		return rc;
	if (version >= '2') {	/* skip the 32-bit block, use the 64-bit */
		rd_skip(&r, tzif_block_len(&h, 4));
		if ((rc = tzif_hdr(&r, &version, &h)) != CGN_OK)
			return rc;
		tsize = 8;
	}
	rc = CGN_ENOMEM;
	if ((tz = calloc(1, sizeof(*tz))) == NULL ||
	    (tz->at = calloc(h.timecnt + 1, sizeof(*tz->at))) == NULL ||
	    (tz->off = calloc(h.timecnt + 1, sizeof(*tz->off))) == NULL ||
	    (idx = calloc(h.timecnt + 1, 1)) == NULL)
		goto fail;
	tz->n = h.timecnt;
	for (i = 0; i < h.timecnt; i++)
		tz->at[i] = tsize == 8 ? (int64_t)rd_u64(&r) :
		    (int64_t)(int32_t)rd_u32(&r);
	rd_bytes(&r, idx, h.timecnt);
	for (i = 0; i < h.typecnt; i++) {
		types[i] = (int32_t)rd_u32(&r);
		rd_skip(&r, 2);		/* isdst, abbreviation index */
	}
	rd_skip(&r, h.charcnt + h.leapcnt * (tsize + 4) + h.isstdcnt +
	    h.isutcnt);
	rc = CGN_ETRUNC;
	if (r.short_read)
		goto fail;
	rc = CGN_EMALFORMED;
	for (i = 0; i < h.timecnt; i++) {
		if (idx[i] >= h.typecnt ||
		    (i > 0 && tz->at[i] <= tz->at[i - 1]))
			goto fail;
		tz->off[i] = types[idx[i]];
	}
	tz->off0 = types[0];
	/* RFC 8536 3.3: "\n" TZ-string "\n", required from version 2 on;
	 * a file cut inside it is truncated, not a zone without rules */
	if (tsize == 8) {
		if (rd_u8(&r) != '\n') {
			rc = r.short_read ? CGN_ETRUNC : CGN_EMALFORMED;
			goto fail;
		}
		for (flen = 0; flen < sizeof(footer) - 1; flen++) {
			footer[flen] = (char)rd_u8(&r);
			if (r.short_read || footer[flen] == '\n')
				break;
		}
		if (r.short_read) {
			rc = CGN_ETRUNC;
			goto fail;
		}
		if (flen == sizeof(footer) - 1)
			goto fail;	/* longer than any real rule */
		footer[flen] = '\0';
		if (flen > 0 && posix_parse(footer, tz) != CGN_OK)
			goto fail;
	}
	free(idx);
	*out = tz;
	return CGN_OK;
fail:
	free(idx);
	tz_free(tz);
	return rc;
}
