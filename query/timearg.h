/*
 * timearg.h - the times people paste into cgnq: RFC 3339 / ISO 8601 with
 * an offset or Z, epoch seconds (with a fraction), and the web server log
 * form "28/Nov/2026:10:15:03 +0100". A time without a zone is refused
 * unless a zone is given: a guessed zone accuses the wrong person.
 */
#ifndef TIMEARG_H
#define TIMEARG_H

#include <stddef.h>
#include <stdint.h>

struct cgn_tz;

/*
 * Parse s into UTC ms. tz is used only for a zoneless time; have_tz says
 * whether one was given (NULL with have_tz = 1 is UTC). On error err says
 * exactly what is wrong and CGN_EINVAL is returned.
 */
int timearg_parse(const char *s, const struct cgn_tz *tz, int have_tz,
    int64_t *out, char *err, size_t errlen);

/* "2s", "500ms", "1m": a tolerance; bare numbers are seconds. */
int timearg_duration(const char *s, int64_t *ms);

#endif /* TIMEARG_H */
