/*
 * args.c - addresses, ports, protocols and destinations (see args.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "args.h"
#include "lookup.h"
#include "timearg.h"

int
q_parse_ip(const char *s, struct cgn_addr *out, char *err, size_t errlen)
{
	struct cgn_addr a;

	if (*s == '\0') {
		snprintf(err, errlen, "empty address");
		return CGN_EINVAL;
	}
	if (strchr(s, '/') != NULL) {
		snprintf(err, errlen, "'%s' is a prefix: give one address", s);
		return CGN_EINVAL;
	}
	if (cgn_addr_parse(s, strlen(s), &a) != CGN_OK) {
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address",
		    s);
		return CGN_EINVAL;
	}
	*out = a;
	return CGN_OK;
}

int
q_parse_port(const char *s, uint16_t *out, char *err, size_t errlen)
{
	unsigned long v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && p - s < 6; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == s || *p != '\0' || v > 65535) {
		snprintf(err, errlen, "port '%s' is not a number 0-65535", s);
		return CGN_EINVAL;
	}
	*out = (uint16_t)v;
	return CGN_OK;
}

int
q_parse_proto(const char *s, uint8_t *out, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		uint8_t num;
	} names[] = {
		{ "any", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 },
		{ "icmpv6", 58 }, { "sctp", 132 },
	};
	unsigned long v = 0;
	const char *p;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].num;
			return CGN_OK;
		}
	}
	for (p = s; *p >= '0' && *p <= '9' && p - s < 4; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == s || *p != '\0' || v > 255) {
		snprintf(err, errlen, "protocol '%s': want tcp, udp, icmp or a"
		    " number 0-255", s);
		return CGN_EINVAL;
	}
	*out = (uint8_t)v;
	return CGN_OK;
}

int
q_parse_dst(const char *s, struct cgn_addr *ip, uint16_t *port, char *err,
    size_t errlen)
{
	char host[CGN_ADDR_STRLEN + 2], perr[128];
	const char *colon, *close;
	struct cgn_addr a;
	uint16_t p = 0;
	size_t n;

	if (*s == '[') {		/* [2001:db8::1]:443 */
		if ((close = strchr(s, ']')) == NULL)
			goto bad;
		n = (size_t)(close - s - 1);
		if (close[1] == ':') {
			if (q_parse_port(close + 2, &p, perr, sizeof(perr)) !=
			    CGN_OK)
				goto badport;
		} else if (close[1] != '\0') {
			goto bad;
		}
		if (n == 0 || n >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, n);
		host[n] = '\0';
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {	/* 192.0.2.1:443 */
		n = (size_t)(colon - s);
		if (n == 0 || n >= sizeof(host))
			goto bad;
		memcpy(host, s, n);
		host[n] = '\0';
		if (q_parse_port(colon + 1, &p, perr, sizeof(perr)) != CGN_OK)
			goto badport;
	} else {			/* an address alone, v4 or v6 */
		n = strlen(s);
		if (n == 0 || n >= sizeof(host))
			goto bad;
		memcpy(host, s, n + 1);
	}
	if (cgn_addr_parse(host, strlen(host), &a) != CGN_OK)
		goto bad;
	*ip = a;
	*port = p;
	return CGN_OK;
badport:
	snprintf(err, errlen, "destination '%s': %s", s, perr);
	return CGN_EINVAL;
bad:
	snprintf(err, errlen, "destination '%s': want IP, IPv4:PORT or"
	    " [IPv6]:PORT", s);
	return CGN_EINVAL;
}

/* Split a CSV line into at most max fields (quotes as RFC 4180), in
 * place. Returns the count, or -1 if a quote is not closed or there are
 * more than max fields. */
static int
csv_split(char *line, char **f, int max)
{
	char *p = line, *w;
	int n = 0;

	for (;;) {
		if (n == max)
			return -1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			f[n++] = w = ++p;
			for (;;) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
			*w = '\0';
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p != ',' && *p != '\0')
				return -1;
		} else {
			f[n++] = p;
			while (*p != ',' && *p != '\0')
				p++;
			for (w = p; w > f[n - 1] && (w[-1] == ' ' ||
			    w[-1] == '\t'); w--)
				;
			if (*p == '\0') {
				*w = '\0';
				return n;
			}
			*w = '\0';	/* may be the comma itself */
			p++;
			continue;
		}
		if (*p == '\0')
			return n;
		*p++ = '\0';
	}
}

int
q_parse_batch_line(const char *line, const struct cgn_tz *tz, int have_tz,
    struct q_request *r, char *ref, size_t reflen, char *err, size_t errlen)
{
	char buf[1024], terr[400], *f[6];
	struct q_request t = *r;
	size_t len = strlen(line);
	int n;

	if (reflen > 0)
		ref[0] = '\0';
	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "line longer than %zu bytes",
		    sizeof(buf) - 1);
		return CGN_EINVAL;
	}
	memcpy(buf, line, len + 1);
	if ((n = csv_split(buf, f, 6)) < 0) {
		snprintf(err, errlen, "not CSV of ip,port,time[,proto][,ref]"
		    " (a quote not closed, or more than 5 fields)");
		return CGN_EINVAL;
	}
	if (n == 5 && reflen > 0)
		snprintf(ref, reflen, "%s", f[4]);
	if (n < 3) {
		snprintf(err, errlen, "%d field%s: want ip,port,time"
		    "[,proto][,ref]", n, n == 1 ? "" : "s");
		return CGN_EINVAL;
	}
	if (q_parse_ip(f[0], &t.ip, err, errlen) != CGN_OK ||
	    q_parse_port(f[1], &t.port, err, errlen) != CGN_OK)
		return CGN_EINVAL;
	if (timearg_parse(f[2], tz, have_tz, &t.t_ms, terr, sizeof(terr)) !=
	    CGN_OK) {
		snprintf(err, errlen, "%s", terr);
		return CGN_EINVAL;
	}
	if (n >= 4 && f[3][0] != '\0' &&
	    q_parse_proto(f[3], &t.proto, err, errlen) != CGN_OK)
		return CGN_EINVAL;
	*r = t;
	return CGN_OK;
}
