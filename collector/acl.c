/*
 * acl.c - exporter prefixes (see acl.h). IPv4 prefixes are kept in their
 * IPv4-mapped form (/24 becomes /120), so one comparison serves both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"

static int
match(const struct cgn_addr *net, int bits, const struct cgn_addr *a)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(net->b, a->b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((net->b[full] ^ a->b[full]) & (0xff << (8 - rest))) == 0;
}

int
acl_parse(const char *s, struct acl *a, char *err, size_t errlen)
{
	const char *p = s, *comma, *slash;
	size_t len, alen;
	char *end;
	long bits;
	int max;

	memset(a, 0, sizeof(*a));
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (a->n == ACL_MAX) {
			snprintf(err, errlen, "more than %d prefixes", ACL_MAX);
			return CGN_EINVAL;
		}
		slash = memchr(p, '/', len);
		alen = slash ? (size_t)(slash - p) : len;
		if (cgn_addr_parse(p, alen, &a->net[a->n]) != CGN_OK) {
			snprintf(err, errlen, "'%.*s' is not an address",
			    (int)alen, p);
			return CGN_EINVAL;
		}
		max = cgn_addr_is_v4(&a->net[a->n], NULL) ? 32 : 128;
		bits = max;
		if (slash != NULL) {
			bits = strtol(slash + 1, &end, 10);
			if (end == slash + 1 || end != p + len || bits < 0 ||
			    bits > max) {
				snprintf(err, errlen, "'%.*s': bad prefix length",
				    (int)len, p);
				return CGN_EINVAL;
			}
		}
		a->bits[a->n] = (int)bits + (max == 32 ? 96 : 0);
		a->n++;
		p += len;
	}
	return CGN_OK;
}

int
acl_allows(const struct acl *a, const struct cgn_addr *addr)
{
	int i;

	if (a->n == 0)
		return 1;
	for (i = 0; i < a->n; i++)
		if (match(&a->net[i], a->bits[i], addr))
			return 1;
	return 0;
}
