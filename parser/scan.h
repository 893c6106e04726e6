/*
 * scan.h - a bounds-checked cursor over text that is not NUL-terminated
 * (a syslog datagram, a line of a file).
 *
 * Like rd.h for binary input: every helper stops at end, returns the bytes
 * it consumed (0: not there) and leaves the cursor where it was on a miss,
 * so a parser can try alternatives without copying.
 */
#ifndef SCAN_H
#define SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct scan {
	const char *p;		/* next byte */
	const char *end;	/* one past the last byte */
};

static inline void
scan_init(struct scan *s, const void *buf, size_t len)
{
	s->p = buf;
	s->end = s->p + len;
}

static inline size_t
scan_left(const struct scan *s)
{
	return (size_t)(s->end - s->p);
}

/* Consume the literal lit if it comes next. */
static inline size_t
scan_lit(struct scan *s, const char *lit)
{
	size_t n = strlen(lit);

	if (scan_left(s) < n || memcmp(s->p, lit, n) != 0)
		return 0;
	s->p += n;
	return n;
}

static inline size_t
scan_char(struct scan *s, char c)
{
	if (s->p >= s->end || *s->p != c)
		return 0;
	s->p++;
	return 1;
}

/* Skip spaces and tabs; returns how many. */
static inline size_t
scan_ws(struct scan *s)
{
	const char *q = s->p;

	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
	return (size_t)(s->p - q);
}

/* Up to max decimal digits (at least one) as an unsigned value. */
static inline size_t
scan_uint(struct scan *s, size_t max, uint64_t *out)
{
	const char *q = s->p;
	uint64_t v = 0;

	while (s->p < s->end && (size_t)(s->p - q) < max &&
	    *s->p >= '0' && *s->p <= '9')
		v = v * 10 + (uint64_t)(*s->p++ - '0');
	if (s->p == q)
		return 0;
	*out = v;
	return (size_t)(s->p - q);
}

/* Exactly n decimal digits. */
static inline size_t
scan_digits(struct scan *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	if (scan_left(s) < n)
		return 0;
	for (i = 0; i < n; i++) {
		if (s->p[i] < '0' || s->p[i] > '9')
			return 0;
		v = v * 10 + (s->p[i] - '0');
	}
	s->p += n;
	*out = v;
	return n;
}

/* 1 if c is one of the bytes of stop or a NUL, as strchr(stop, c) != NULL
 * says; inline, because a strchr call per byte of a line cost more than
 * the rest of the loop. */
static inline int
scan_stop(const char *stop, char c)
{
	if (c == '\0')
		return 1;
	for (; *stop != '\0'; stop++)
		if (*stop == c)
			return 1;
	return 0;
}

/* A run of bytes up to (not including) any byte in stop (or a NUL), or
 * end. The run may be empty; *tok and *len describe it. */
static inline size_t
scan_until(struct scan *s, const char *stop, const char **tok, size_t *len)
{
	const char *q = s->p, *hit;

	if (stop[0] != '\0' && stop[1] == '\0') {	/* one byte: memchr */
		hit = memchr(s->p, stop[0], scan_left(s));
		s->p = hit != NULL ? hit : s->end;
		*tok = q;
		*len = (size_t)(s->p - q);
		return *len;
	}
	while (s->p < s->end && !scan_stop(stop, *s->p))
		s->p++;
	*tok = q;
	*len = (size_t)(s->p - q);
	return *len;
}

#endif /* SCAN_H */
