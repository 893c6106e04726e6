/*
 * timearg.h - the times people paste into cgnq: ISO 8601 / RFC 3339 with
 * an offset or Z (extended and basic forms, seconds optional), epoch
 * seconds (with a fraction), the web server log form
 * "28/Nov/2026:10:15:03 +0100", and the mail forms abuse reports use
 * (RFC 5322 "Sat, 28 Nov 2026 10:15:03 +0100", and "Nov 28 2026 10:15:03
 * +0100" as some X-ARF senders write it). A time without a zone is refused
 * unless a zone is given: a guessed zone accuses the wrong person.
 * Not here: relative times ("yesterday"), which have no place in evidence.
 */
#ifndef TIMEARG_H
#define TIMEARG_H

#include <stddef.h>
#include <stdint.h>

struct cgn_tz;

/*
 * Parse s into UTC ms. tz is used only for a zoneless time; have_tz says
 * whether one was given (NULL with have_tz = 1 is UTC). On error err says
 * exactly what is wrong, *out is untouched and CGN_EINVAL is returned.
 */
int timearg_parse(const char *s, const struct cgn_tz *tz, int have_tz,
    int64_t *out, char *err, size_t errlen);

/* "2s", "500ms", "1m", "1h": a duration; bare numbers are seconds.
 * CGN_EINVAL for anything else, negative, or over a year. */
int timearg_duration(const char *s, int64_t *ms);

#endif /* TIMEARG_H */
