/*
 * tz.h - time zones for devices that log local time (RFC 3164 headers,
 * Nokia, ASA) and for cgnq's --tz.
 *
 * A zone is decoded from TZif bytes (RFC 8536: /usr/share/zoneinfo/NAME),
 * transitions plus the POSIX TZ footer for times after the last one. Pure:
 * the caller reads the file (collector/tzload.c). No libc TZ state, so
 * several zones can be used at once from any thread.
 */
#ifndef TZ_H
#define TZ_H

#include <stddef.h>
#include <stdint.h>

struct cgn_tz;

/* Decode a TZif file (version 1 to 4). *out is freed with tz_free(). */
int tz_parse_tzif(const uint8_t *buf, size_t len, struct cgn_tz **out);
/* A zone from a POSIX TZ string alone ("CET-1CEST,M3.5.0,M10.5.0/3"). */
int tz_parse_posix(const char *s, struct cgn_tz **out);
void tz_free(struct cgn_tz *tz);

/* Seconds east of UTC in force at utc_ms. tz NULL is UTC. */
int32_t tz_offset(const struct cgn_tz *tz, int64_t utc_ms);

/*
 * A local wall-clock time (ms since the epoch, as if UTC) to UTC. In the
 * hour repeated when clocks go back, the earlier instant is chosen; in the
 * hour skipped when they go forward, the offset before the change is used.
 * tz NULL is UTC. Returns CGN_OK.
 */
int tz_local_to_utc(const struct cgn_tz *tz, int64_t local_ms,
    int64_t *utc_ms);

#endif /* TZ_H */
