/*
 * url.h - a source as a URL: "syslog-udp://127.0.0.1:5514",
 * "syslog-tcp://[::1]:0", "syslog-file:///var/log/cgn.log",
 * "nflog://5", "pcap-file:///tmp/x.pcap", "pcap-live://eth1?filter=udp".
 * Options follow "?" as k=v pairs joined by "&". Port 0 means "any free
 * port"; the bound one is reported (cgnlogd --port-file).
 */
#ifndef URL_H
#define URL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum src_type {
	SRC_NONE = 0,
	SRC_SYSLOG_UDP,
	SRC_SYSLOG_TCP,
	SRC_SYSLOG_FILE,
	SRC_IPFIX_UDP,
	SRC_IPFIX_TCP,
	SRC_NFV9_UDP,
	SRC_NFLOG,
	SRC_PCAP_FILE,
	SRC_PCAP_LIVE,
	SRC_UDP,		/* cgnlog-replay destinations: plain */
	SRC_TCP,
};

struct src_url {
	enum src_type type;
	char text[512];		/* as given */
	char host[256];		/* without brackets */
	uint16_t port;
	char path[400];		/* file name or interface */
	unsigned group;		/* NFLOG group */
	char query[256];	/* after '?', raw */
};

/* Parse s; on error err says what is wrong with it. */
int url_parse(const char *s, struct src_url *u, char *err, size_t errlen);
/* The value of option key in the query, 1 if present. */
int url_param(const struct src_url *u, const char *key, char *val,
    size_t len);
/* Resolve host:port (numeric or a name) to a socket address. */
int url_sockaddr(const struct src_url *u, struct sockaddr_storage *ss,
    socklen_t *len, char *err, size_t errlen);
/* The URL with port replaced by port. */
void url_with_port(const struct src_url *u, uint16_t port, char *buf,
    size_t len);
/* 1 for sources that are files (read once, then done). */
int url_is_file(const struct src_url *u);
const char *url_scheme(enum src_type t);

#endif /* URL_H */
