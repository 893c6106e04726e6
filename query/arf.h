/*
 * arf.h - the source address, source port and time of an abuse report:
 *
 *   ARF (RFC 5965): the message/feedback-report part's Source-IP,
 *       Source-Port (RFC 6692) and Arrival-Date;
 *   X-ARF 0.x: the YAML part's Source (Source-Type ip-address),
 *       Source-Port and Date (its Port is the reporter's service port,
 *       not a source port);
 *   XARF 4 (JSON): source_identifier, source_port, timestamp.
 *
 * Pure: bytes in, fields out. A report without a source port is refused
 * with a message saying so: behind a CGN the address alone names
 * thousands of subscribers. Not here: transfer encodings (a base64 or
 * quoted-printable feedback part is refused), signatures, replying.
 */
#ifndef ARF_H
#define ARF_H

#include <stddef.h>
#include <stdint.h>

#include "cgn.h"

struct cgn_tz;

struct q_report {
	char kind[16];		/* "ARF", "X-ARF", "XARF 4" */
	char id[128];		/* Report-ID, else Message-ID; may be "" */
	struct cgn_addr ip;
	uint16_t port;
	int64_t t_ms;
	uint8_t proto;		/* 0 unless the report names one */
	struct cgn_addr dst;	/* zero unless the report gives one */
	uint16_t dst_port;
};

/* Read a whole report (path "-": standard input), at most 16 MiB. *buf is
 * NUL-terminated and freed by the caller. */
int q_arf_read(const char *path, char **buf, size_t *len, char *err,
    size_t errlen);

/* Find the report in buf. tz/have_tz as for timearg_parse. CGN_EINVAL
 * with err saying which field is missing or malformed. */
int q_arf_parse(const char *buf, size_t len, const struct cgn_tz *tz,
    int have_tz, struct q_report *out, char *err, size_t errlen);

#endif /* ARF_H */
