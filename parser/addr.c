/*
 * addr.c - struct cgn_addr helpers: IPv4-mapped storage, text in and out.
 *
 * inet_pton/inet_ntop would do most of this, but they need NUL-terminated
 * input; parsers hand us a slice of a datagram, so we copy into a small
 * buffer first - except for dotted IPv4, read here as inet_pton reads it.
 * Not here: hostnames, scopes (%eth0), prefixes.
 */
#include <arpa/inet.h>
#include <string.h>

#include "addr.h"
#include "cgn.h"

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

void
cgn_addr_v4(struct cgn_addr *a, uint32_t v4)
{
	memcpy(a->b, v4mapped_prefix, 12);
	a->b[12] = (uint8_t)(v4 >> 24);
	a->b[13] = (uint8_t)(v4 >> 16);
	a->b[14] = (uint8_t)(v4 >> 8);
	a->b[15] = (uint8_t)v4;
}

int
cgn_addr_is_v4(const struct cgn_addr *a, uint32_t *v4)
{
	if (memcmp(a->b, v4mapped_prefix, 12) != 0)
		return 0;
	if (v4 != NULL)
		*v4 = (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 |
		    (uint32_t)a->b[14] << 8 | a->b[15];
	return 1;
}

int
cgn_addr_is_zero(const struct cgn_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->b, zero, 16) == 0;
}

int
cgn_addr_cmp(const struct cgn_addr *a, const struct cgn_addr *b)
{
	return memcmp(a->b, b->b, 16);
}

/*
 * Dotted IPv4 at the start of s, read as inet_pton(AF_INET) reads it - four
 * decimal parts of 0-255, no leading zero - up to the first byte that is
 * neither a digit nor a dot, in one pass: no copy, no NUL, no strlen (most
 * addresses in logs are these, and inet_pton was a quarter of a Juniper
 * line's parse). The bytes taken, 0 when those bytes are no address (a
 * longer run of digits and dots than an address is none either).
 */
size_t
cgn_addr_v4_prefix(const char *s, size_t len, struct cgn_addr *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	uint32_t v = 0, part, d;
	int k;

	for (k = 0; k < 4; k++) {
		if (k > 0 && (p == end || *p++ != '.'))
			return 0;
		if (p == end || (part = (uint32_t)*p - '0') > 9)
			return 0;
		p++;
		/* "0" is a whole part (no leading zero); else up to 3 digits */
		if (part != 0 && p < end && (d = (uint32_t)*p - '0') <= 9) {
			part = part * 10 + d;
			if (++p < end && (d = (uint32_t)*p - '0') <= 9) {
				part = part * 10 + d;
				p++;
			}
		}
		if (part > 255 || (p < end && (uint32_t)*p - '0' <= 9))
			return 0;	/* a leading zero or a fourth digit */
		v = v << 8 | part;
	}
	if (p < end && *p == '.')
		return 0;		/* a fifth part */
	cgn_addr_v4(out, v);
	return (size_t)(p - (const unsigned char *)s);
}

/* 1 if s is digits and dots only: an IPv4 address or nothing (an IPv6 one
 * has a colon). */
static int
all_dotted(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((s[i] < '0' || s[i] > '9') && s[i] != '.')
			return 0;
	return 1;
}

int
cgn_addr_parse(const char *s, size_t len, struct cgn_addr *out)
{
	char buf[CGN_ADDR_STRLEN];
	struct cgn_addr v4;
	struct in_addr a4;
	size_t i;

	if (len == 0 || len >= sizeof(buf))
		return CGN_EMALFORMED;
	if (cgn_addr_v4_prefix(s, len, &v4) == len) {
		*out = v4;	/* a failure leaves *out as it was */
		return CGN_OK;
	}
	if (all_dotted(s, len))
		return CGN_EMALFORMED;
	for (i = 0; i < len; i++)	/* inet_pton would stop at a NUL */
		if (s[i] == '\0')
			return CGN_EMALFORMED;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		cgn_addr_v4(out, ntohl(a4.s_addr));
		return CGN_OK;
	}
	if (inet_pton(AF_INET6, buf, out->b) == 1)
		return CGN_OK;
	return CGN_EMALFORMED;
}

char *
cgn_addr_fmt(const struct cgn_addr *a, char *buf, size_t len)
{
	const char *r;

	if (cgn_addr_is_v4(a, NULL))
		r = inet_ntop(AF_INET, a->b + 12, buf, (socklen_t)len);
	else
		r = inet_ntop(AF_INET6, a->b, buf, (socklen_t)len);
	if (r == NULL && len > 0)
		buf[0] = '\0';
	return buf;
}

const char *
cgn_evtype_str(int type)
{
	static const char *const names[CGN_EV_MAX] = {
		[CGN_EV_NONE] = "none",
		[CGN_EV_PBA_ALLOC] = "pba_alloc",
		[CGN_EV_PBA_RELEASE] = "pba_release",
		[CGN_EV_PBA_ACTIVE] = "pba_active",
		[CGN_EV_SESSION_CREATE] = "session_create",
		[CGN_EV_SESSION_DELETE] = "session_delete",
		[CGN_EV_ADDR_ALLOC] = "addr_alloc",
		[CGN_EV_ADDR_RELEASE] = "addr_release",
	};

	return type >= 0 && type < CGN_EV_MAX ? names[type] : "invalid";
}

const char *
cgn_rc_str(int rc)
{
	switch (rc) {
	case CGN_OK:		return "ok";
	case CGN_ETRUNC:	return "truncated";
	case CGN_EMALFORMED:	return "malformed";
	case CGN_ENOTEMPLATE:	return "no_template";
	case CGN_EUNKNOWN:	return "unknown_format";
	case CGN_ENOMEM:	return "no_memory";
	case CGN_EIO:		return "io_error";
	case CGN_EDB:		return "db_error";
	case CGN_EINVAL:	return "invalid_argument";
	case CGN_ENOTFOUND:	return "not_found";
	default:		return "unknown_error";
	}
}
