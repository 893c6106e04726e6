/*
 * gen_util.h - small text helpers shared by the gen_<vendor>.c formats:
 * addresses, the times each vendor writes, and how a block event becomes
 * a session for vendors that log sessions only.
 *
 * A vendor that logs sessions rather than blocks gets the block's first
 * public port as its session's port (a create for an allocation, a delete
 * for a release; interim messages are not written): ground truth for such
 * a format is checked at port_lo.
 */
#ifndef GEN_UTIL_H
#define GEN_UTIL_H

#include <stdio.h>

#include "cgn.h"
#include "gensim.h"
#include "timeconv.h"

static inline const char *
gu_ip(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255,
	    a >> 8 & 255, a & 255);
	return buf;
}

/* snprintf's result as write()'s: the length, or 0 if it did not fit. */
static inline size_t
gu_fit(int n, size_t len)
{
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

static const char gu_mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* "Mmm dd hh:mm:ss" (RFC 3164) */
static inline const char *
gu_bsd(int64_t ms, char *buf, size_t len)
{
	struct cgn_tm tm;

	tc_from_ms(ms, &tm);
	snprintf(buf, len, "%.3s %2d %02d:%02d:%02d", gu_mon + 3 *
	    (tm.mon - 1), tm.day, tm.hour, tm.min, tm.sec);
	return buf;
}

/* "YYYY<sep>MM<sep>DD hh:mm:ss" */
static inline const char *
gu_ymd(int64_t ms, char sep, char *buf, size_t len)
{
	struct cgn_tm tm;

	tc_from_ms(ms, &tm);
	snprintf(buf, len, "%04d%c%02d%c%02d %02d:%02d:%02d", tm.year, sep,
	    tm.mon, sep, tm.day, tm.hour, tm.min, tm.sec);
	return buf;
}

/* "YYYY Mon DD hh:mm:ss" (IOS XR, Huawei "simplified" headers) */
static inline const char *
gu_ymon(int64_t ms, char *buf, size_t len)
{
	struct cgn_tm tm;

	tc_from_ms(ms, &tm);
	snprintf(buf, len, "%04d %.3s %02d %02d:%02d:%02d", tm.year,
	    gu_mon + 3 * (tm.mon - 1), tm.day, tm.hour, tm.min, tm.sec);
	return buf;
}

/* The subscriber's source port of the session standing for a block. */
static inline unsigned
gu_sport(const struct gensim_ev *ev)
{
	return 10000u + (ev->inside & 0x3fffu);
}

/* 1 alloc, 0 release, -1 interim (a session format writes nothing). */
static inline int
gu_is_alloc(const struct gensim_ev *ev)
{
	return ev->type == CGN_EV_PBA_ALLOC ? 1 :
	    ev->type == CGN_EV_PBA_RELEASE ? 0 : -1;
}

#endif /* GEN_UTIL_H */
