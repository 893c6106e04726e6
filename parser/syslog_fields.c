/*
 * syslog_fields.c - small text helpers shared by the vendor body parsers:
 * key="value" and key=value lookup, numbers of an exact width, search.
 *
 * All take (pointer, length): a body is a slice of a datagram, never
 * NUL-terminated.
 */
#include <string.h>

#include "syslog.h"

const char *
txt_find(const char *buf, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	const char *p, *end = buf + len;

	if (n == 0 || len < n)
		return NULL;
	for (p = buf; (size_t)(end - p) >= n;) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* key at p must start a word: preceded by start, space, '[' or ','. */
static int
word_start(const char *buf, const char *p)
{
	return p == buf || p[-1] == ' ' || p[-1] == '[' || p[-1] == ',' ||
	    p[-1] == '|' || p[-1] == '\t';
}

int
sd_param(const char *buf, size_t len, const char *key, const char **val,
    size_t *vlen)
{
	size_t klen = strlen(key);
	const char *p = buf, *end = buf + len, *q;

	while ((q = txt_find(p, (size_t)(end - p), key)) != NULL) {
		p = q + klen;
		if (!word_start(buf, q) || end - p < 2 || p[0] != '=' ||
		    p[1] != '"')
			continue;
		p += 2;
		for (q = p; q < end && *q != '"'; q++)
			if (*q == '\\' && q + 1 < end)
				q++;	/* RFC 5424 6.3.3: \" \\ \] */
		if (q == end)
			return 0;
		*val = p;
		*vlen = (size_t)(q - p);
		return 1;
	}
	return 0;
}

int
kv_param(const char *buf, size_t len, const char *key, const char **val,
    size_t *vlen)
{
	size_t klen = strlen(key);
	const char *p = buf, *end = buf + len, *q;

	while ((q = txt_find(p, (size_t)(end - p), key)) != NULL) {
		p = q + klen;
		if (!word_start(buf, q) || p >= end || *p != '=')
			continue;
		p++;
		if (p < end && *p == '"') {
			for (q = ++p; q < end && *q != '"'; q++)
				;
			if (q == end)
				return 0;
		} else {
			for (q = p; q < end && *q != ' ' && *q != ',' &&
			    *q != '\t'; q++)
				;
		}
		*val = p;
		*vlen = (size_t)(q - p);
		return 1;
	}
	return 0;
}

int
txt_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20)
		return CGN_EMALFORMED;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return CGN_EMALFORMED;
		if (v > (UINT64_MAX - 9) / 10)
			return CGN_EMALFORMED;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return CGN_EMALFORMED;
	*out = v;
	return CGN_OK;
}

int
txt_hex(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (len == 0 || len > 16)
		return CGN_EMALFORMED;
	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return CGN_EMALFORMED;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return CGN_OK;
}
