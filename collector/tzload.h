/*
 * tzload.h - a time zone by name ("Europe/Berlin", "UTC", or a POSIX TZ
 * string such as "CET-1CEST,M3.5.0,M10.5.0/3"), read from the system's
 * zoneinfo. Shared by cgnlogd (device zones) and cgnq (--tz).
 */
#ifndef TZLOAD_H
#define TZLOAD_H

#include <stddef.h>

struct cgn_tz;

/* *out NULL for UTC. err says why a zone cannot be had. */
int tzload(const char *name, struct cgn_tz **out, char *err, size_t errlen);

#endif /* TZLOAD_H */
