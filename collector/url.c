/*
 * url.c - source URLs (see url.h).
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgn.h"
#include "url.h"

static const struct {
	const char *scheme;
	enum src_type type;
} schemes[] = {
	{ "syslog-udp", SRC_SYSLOG_UDP },
	{ "syslog-tcp", SRC_SYSLOG_TCP },
	{ "syslog-file", SRC_SYSLOG_FILE },
	{ "ipfix-udp", SRC_IPFIX_UDP },
	{ "ipfix-tcp", SRC_IPFIX_TCP },
	{ "nfv9-udp", SRC_NFV9_UDP },
	{ "nflog", SRC_NFLOG },
	{ "pcap-file", SRC_PCAP_FILE },
	{ "pcap-live", SRC_PCAP_LIVE },
	{ "udp", SRC_UDP },
	{ "tcp", SRC_TCP },
};

const char *
url_scheme(enum src_type t)
{
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (schemes[i].type == t)
			return schemes[i].scheme;
	return "none";
}

int
url_is_file(const struct src_url *u)
{
	return u->type == SRC_SYSLOG_FILE || u->type == SRC_PCAP_FILE;
}

static int
is_net(enum src_type t)
{
	return t == SRC_SYSLOG_UDP || t == SRC_SYSLOG_TCP ||
	    t == SRC_IPFIX_UDP || t == SRC_IPFIX_TCP || t == SRC_NFV9_UDP ||
	    t == SRC_UDP || t == SRC_TCP;
}

int
url_parse(const char *s, struct src_url *u, char *err, size_t errlen)
{
	const char *sep, *rest, *q, *colon;
	char *end;
	unsigned long v;
	size_t i, n;

	memset(u, 0, sizeof(*u));
	if (strlen(s) >= sizeof(u->text)) {
		snprintf(err, errlen, "%.40s...: too long", s);
		return CGN_EINVAL;
	}
	snprintf(u->text, sizeof(u->text), "%s", s);
	if ((sep = strstr(s, "://")) == NULL) {
		snprintf(err, errlen, "%s: not a URL (scheme://...)", s);
		return CGN_EINVAL;
	}
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i].scheme) == (size_t)(sep - s) &&
		    strncmp(s, schemes[i].scheme, (size_t)(sep - s)) == 0)
			u->type = schemes[i].type;
	if (u->type == SRC_NONE) {
		snprintf(err, errlen, "%s: unknown scheme '%.*s'", s,
		    (int)(sep - s), s);
		return CGN_EINVAL;
	}
	rest = sep + 3;
	if ((q = strchr(rest, '?')) != NULL)
		snprintf(u->query, sizeof(u->query), "%s", q + 1);
	n = q != NULL ? (size_t)(q - rest) : strlen(rest);
	if (u->type == SRC_SYSLOG_FILE || u->type == SRC_PCAP_FILE ||
	    u->type == SRC_PCAP_LIVE) {
		if (n == 0 || n >= sizeof(u->path)) {
			snprintf(err, errlen, "%s: needs a path", s);
			return CGN_EINVAL;
		}
		memcpy(u->path, rest, n);
		u->path[n] = '\0';
		return CGN_OK;
	}
	if (u->type == SRC_NFLOG) {
		v = strtoul(rest, &end, 10);
		if (end == rest || (size_t)(end - rest) != n || v > 65535) {
			snprintf(err, errlen, "%s: needs a group 0-65535", s);
			return CGN_EINVAL;
		}
		u->group = (unsigned)v;
		return CGN_OK;
	}
	if (!is_net(u->type))
		return CGN_OK;
	/* host:port, [v6]:port */
	if (rest[0] == '[') {
		if ((colon = memchr(rest, ']', n)) == NULL ||
		    (size_t)(colon - rest - 1) >= sizeof(u->host)) {
			snprintf(err, errlen, "%s: bad [address]", s);
			return CGN_EINVAL;
		}
		memcpy(u->host, rest + 1, (size_t)(colon - rest - 1));
		colon++;
		if (colon >= rest + n || *colon != ':') {
			snprintf(err, errlen, "%s: needs :port", s);
			return CGN_EINVAL;
		}
	} else {
		for (colon = rest + n; colon > rest && colon[-1] != ':'; colon--)
			;
		if (colon == rest || (size_t)(colon - 1 - rest) >=
		    sizeof(u->host)) {
			snprintf(err, errlen, "%s: needs host:port", s);
			return CGN_EINVAL;
		}
		colon--;
		memcpy(u->host, rest, (size_t)(colon - rest));
	}
	v = strtoul(colon + 1, &end, 10);
	if (end == colon + 1 || end != rest + n || v > 65535) {
		snprintf(err, errlen, "%s: port must be 0-65535", s);
		return CGN_EINVAL;
	}
	u->port = (uint16_t)v;
	if (u->host[0] == '\0') {
		snprintf(err, errlen, "%s: needs a host", s);
		return CGN_EINVAL;
	}
	return CGN_OK;
}

int
url_param(const struct src_url *u, const char *key, char *val, size_t len)
{
	const char *p = u->query, *amp, *eq;
	size_t klen = strlen(key), vl;

	while (*p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == klen &&
		    strncmp(p, key, klen) == 0) {
			vl = (size_t)(amp - eq - 1);
			if (vl >= len)
				vl = len - 1;
			memcpy(val, eq + 1, vl);
			val[vl] = '\0';
			return 1;
		}
		p = *amp ? amp + 1 : amp;
	}
	return 0;
}

int
url_sockaddr(const struct src_url *u, struct sockaddr_storage *ss,
    socklen_t *len, char *err, size_t errlen)
{
	struct addrinfo hints, *res;
	char port[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof(port), "%u", u->port);
	if ((rc = getaddrinfo(u->host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", u->text, gai_strerror(rc));
		return CGN_EINVAL;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return CGN_OK;
}

void
url_with_port(const struct src_url *u, uint16_t port, char *buf, size_t len)
{
	const char *fmt = strchr(u->host, ':') ? "%s://[%s]:%u%s%s" :
	    "%s://%s:%u%s%s";

	if (!is_net(u->type)) {
		snprintf(buf, len, "%s", u->text);
		return;
	}
	snprintf(buf, len, fmt, url_scheme(u->type), u->host, port,
	    u->query[0] ? "?" : "", u->query);
}
