/*
 * arf.c - abuse reports to (address, port, time) (see arf.h).
 *
 * A mail is read as blocks of "Name: value" lines: the mail's header, each
 * MIME part's header, and header-like bodies (the ARF feedback report,
 * the X-ARF YAML). A block ends at a blank line, a MIME boundary or a
 * line that is not a field; folded lines are joined. The report is the
 * block that carries its format's key field (Feedback-Type for ARF,
 * Source-Type for X-ARF), so the mail's own Date never stands in for the
 * incident's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arf.h"
#include "args.h"
#include "timearg.h"

#define ARF_MAX (16u << 20)
#define MAXFIELDS 512

struct field {
	int block;
	char name[48];
	char value[512];
};

struct mail {
	struct field f[MAXFIELDS];
	int n;
};

int
q_arf_read(const char *path, char **buf, size_t *len, char *err,
    size_t errlen)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t cap = 65536, n = 0, k;
	char *b, *nb;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return CGN_EIO;
	}
	if ((b = malloc(cap + 1)) == NULL)
		goto nomem;
	while ((k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			if (cap >= ARF_MAX) {
				snprintf(err, errlen, "%s: larger than %u MiB",
				    path, ARF_MAX >> 20);
				goto fail;
			}
			if ((nb = realloc(b, cap * 2 + 1)) == NULL)
				goto nomem;
			b = nb;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return CGN_OK;
nomem:
	snprintf(err, errlen, "%s: out of memory", path);
fail:
	free(b);
	if (f != stdin)
		fclose(f);
	return CGN_EIO;
}

/* Length of a "Name:" at the start of p (0 if the line is no field). */
static size_t
field_name(const char *p, const char *end)
{
	const char *q = p;

	if (q >= end || !((*q >= 'A' && *q <= 'Z') || (*q >= 'a' &&
	    *q <= 'z')))
		return 0;
	while (q < end && ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' &&
	    *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-' ||
	    *q == '_'))
		q++;
	if (q >= end || *q != ':')
		return 0;
	if (q + 1 < end && q[1] != ' ' && q[1] != '\t' && q[1] != '\r' &&
	    q[1] != '\n')
		return 0;	/* "http://...": prose, not a field */
	return (size_t)(q - p);
}

/* Append v (trimmed) to a field's value, space-separated. */
static void
value_add(struct field *f, const char *v, const char *end)
{
	size_t n = strlen(f->value), k;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	k = (size_t)(end - v);
	if (n > 0 && k > 0 && n + 1 < sizeof(f->value))
		f->value[n++] = ' ';
	if (n + k >= sizeof(f->value))
		k = sizeof(f->value) - 1 - n;
	memcpy(f->value + n, v, k);
	f->value[n + k] = '\0';
}

static void
split(const char *buf, size_t len, struct mail *m)
{
	const char *p = buf, *end = buf + len, *eol;
	int block = 0, inblock = 0;
	size_t nl;

	m->n = 0;
	while (p < end) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (inblock && m->n > 0 && (*p == ' ' || *p == '\t') &&
		    eol > p + 1) {
			value_add(&m->f[m->n - 1], p, eol);	/* folded */
		} else if ((nl = field_name(p, eol)) > 0 && m->n < MAXFIELDS) {
			struct field *f = &m->f[m->n++];

			if (!inblock)
				block++;
			inblock = 1;
			f->block = block;
			snprintf(f->name, sizeof(f->name), "%.*s", (int)nl, p);
			f->value[0] = '\0';
			value_add(f, p + nl + 1, eol);
		} else {
			inblock = 0;	/* blank, boundary or prose */
		}
		p = eol + 1;
	}
}

static const struct field *
get(const struct mail *m, int block, const char *name)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->f[i].block == block &&
		    strcasecmp(m->f[i].name, name) == 0)
			return &m->f[i];
	return NULL;
}

/* The first block that has a field called name; 0 if none. */
static int
block_with(const struct mail *m, const char *name)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (strcasecmp(m->f[i].name, name) == 0)
			return m->f[i].block;
	return 0;
}

/* A YAML scalar may be quoted: 'x' or "x". */
static void
unquote(char *dst, size_t len, const char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0])
		snprintf(dst, len, "%.*s", (int)(n - 2), v + 1);
	else
		snprintf(dst, len, "%s", v);
}

/* Address, port and time from the named fields of one block. */
static int
fields(const struct mail *m, int block, const char *kind, const char *fip,
    const char *fport, const char *ftime, const char *portwhy,
    const struct cgn_tz *tz, int have_tz, struct q_report *out, char *err,
    size_t errlen)
{
	const struct field *ip = get(m, block, fip);
	const struct field *port = get(m, block, fport);
	const struct field *t = get(m, block, ftime);
	char v[512], e[400];

	if (ip == NULL) {
		snprintf(err, errlen, "%s report without %s", kind, fip);
		return CGN_EINVAL;
	}
	unquote(v, sizeof(v), ip->value);
	if (q_parse_ip(v, &out->ip, e, sizeof(e)) != CGN_OK) {
		snprintf(err, errlen, "%s report: %s: %s", kind, fip, e);
		return CGN_EINVAL;
	}
	if (port == NULL) {
		snprintf(err, errlen, "%s report without %s%s: behind a"
		    " carrier-grade NAT the address alone names many"
		    " subscribers; ask the reporter for the source port",
		    kind, fport, portwhy);
		return CGN_EINVAL;
	}
	unquote(v, sizeof(v), port->value);
	if (q_parse_port(v, &out->port, e, sizeof(e)) != CGN_OK) {
		snprintf(err, errlen, "%s report: %s: %s", kind, fport, e);
		return CGN_EINVAL;
	}
	if (t == NULL) {
		snprintf(err, errlen, "%s report without %s: the time of the"
		    " incident is needed", kind, ftime);
		return CGN_EINVAL;
	}
	unquote(v, sizeof(v), t->value);
	if (timearg_parse(v, tz, have_tz, &out->t_ms, e, sizeof(e)) !=
	    CGN_OK) {
		snprintf(err, errlen, "%s report: %s: %s", kind, ftime, e);
		return CGN_EINVAL;
	}
	return CGN_OK;
}

/* ---- XARF 4: JSON ------------------------------------------------------- */

/* The value of "key": a string (unescaped simply) or a bare token. */
static int
json_get(const char *buf, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p, *q;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	if ((p = strstr(buf, pat)) == NULL)
		return 0;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p++ != ':')
		return 0;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '"') {
		for (q = p + 1; *q && *q != '"' && n + 1 < len; q++) {
			if (*q == '\\' && q[1])
				q++;
			out[n++] = *q;
		}
	} else {
		for (q = p; *q && strchr(",}] \t\r\n", *q) == NULL &&
		    n + 1 < len; q++)
			out[n++] = *q;
	}
	out[n] = '\0';
	return n > 0 && strcmp(out, "null") != 0;
}

static int
parse_xarf4(const char *buf, const struct cgn_tz *tz, int have_tz,
    struct q_report *out, char *err, size_t errlen)
{
	char v[512], e[400];

	snprintf(out->kind, sizeof(out->kind), "XARF 4");
	if (json_get(buf, "report_id", v, sizeof(v)))
		snprintf(out->id, sizeof(out->id), "%.127s", v);
	if (!json_get(buf, "source_identifier", v, sizeof(v))) {
		snprintf(err, errlen, "XARF 4 report without"
		    " source_identifier");
		return CGN_EINVAL;
	}
	if (q_parse_ip(v, &out->ip, e, sizeof(e)) != CGN_OK) {
		snprintf(err, errlen, "XARF 4 report: source_identifier: %s",
		    e);
		return CGN_EINVAL;
	}
	if (!json_get(buf, "source_port", v, sizeof(v))) {
		snprintf(err, errlen, "XARF 4 report without source_port:"
		    " behind a carrier-grade NAT the address alone names many"
		    " subscribers; ask the reporter for the source port");
		return CGN_EINVAL;
	}
	if (q_parse_port(v, &out->port, e, sizeof(e)) != CGN_OK) {
		snprintf(err, errlen, "XARF 4 report: source_port: %s", e);
		return CGN_EINVAL;
	}
	if (!json_get(buf, "timestamp", v, sizeof(v))) {
		snprintf(err, errlen, "XARF 4 report without timestamp");
		return CGN_EINVAL;
	}
	if (timearg_parse(v, tz, have_tz, &out->t_ms, e, sizeof(e)) !=
	    CGN_OK) {
		snprintf(err, errlen, "XARF 4 report: timestamp: %s", e);
		return CGN_EINVAL;
	}
	if (json_get(buf, "protocol", v, sizeof(v)) &&
	    q_parse_proto(v, &out->proto, e, sizeof(e)) != CGN_OK)
		out->proto = 0;		/* "smtp", "http": says nothing */
	if (json_get(buf, "destination_ip", v, sizeof(v)) &&
	    q_parse_ip(v, &out->dst, e, sizeof(e)) == CGN_OK &&
	    json_get(buf, "destination_port", v, sizeof(v)) &&
	    q_parse_port(v, &out->dst_port, e, sizeof(e)) != CGN_OK)
		out->dst_port = 0;
	return CGN_OK;
}

/* ---- the formats --------------------------------------------------------- */

static int
is_encoded(const struct mail *m, const char *ctype)
{
	const struct field *ct, *cte;
	int i;

	for (i = 0; i < m->n; i++) {
		ct = &m->f[i];
		if (strcasecmp(ct->name, "Content-Type") != 0 ||
		    strncasecmp(ct->value, ctype, strlen(ctype)) != 0)
			continue;
		cte = get(m, ct->block, "Content-Transfer-Encoding");
		if (cte != NULL && (strncasecmp(cte->value, "base64", 6) == 0 ||
		    strncasecmp(cte->value, "quoted-printable", 16) == 0))
			return 1;
	}
	return 0;
}

int
q_arf_parse(const char *buf, size_t len, const struct cgn_tz *tz,
    int have_tz, struct q_report *out, char *err, size_t errlen)
{
	struct mail *m;
	const struct field *f;
	struct q_report r;
	char st[64];
	int b, rc;

	memset(&r, 0, sizeof(r));
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errlen, "the report holds a NUL byte: not a"
		    " mail or JSON report");
		return CGN_EINVAL;
	}
	if ((m = malloc(sizeof(*m))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return CGN_ENOMEM;
	}
	split(buf, len, m);
	if ((f = get(m, 1, "Message-ID")) != NULL)
		unquote(r.id, sizeof(r.id), f->value);
	if ((b = block_with(m, "Feedback-Type")) != 0) {
		snprintf(r.kind, sizeof(r.kind), "ARF");
		rc = fields(m, b, "ARF", "Source-IP", "Source-Port",
		    "Arrival-Date", " (RFC 6692)", tz, have_tz, &r, err,
		    errlen);
	} else if ((b = block_with(m, "Source-Type")) != 0) {
		snprintf(r.kind, sizeof(r.kind), "X-ARF");
		if ((f = get(m, b, "Report-ID")) != NULL)
			unquote(r.id, sizeof(r.id), f->value);
		unquote(st, sizeof(st), get(m, b, "Source-Type")->value);
		if (strcasecmp(st, "ip-address") != 0 &&
		    strcasecmp(st, "ipv4") != 0 && strcasecmp(st, "ipv6") != 0) {
			snprintf(err, errlen, "X-ARF report: Source-Type '%s':"
			    " the source is not an IP address", st);
			rc = CGN_EINVAL;
		} else {
			rc = fields(m, b, "X-ARF", "Source", "Source-Port",
			    "Date", " (its Port field is the reporter's"
			    " service port)", tz, have_tz, &r, err, errlen);
		}
	} else if (strstr(buf, "\"xarf_version\"") != NULL) {
		rc = parse_xarf4(buf, tz, have_tz, &r, err, errlen);
	} else if (is_encoded(m, "message/feedback-report")) {
		snprintf(err, errlen, "the message/feedback-report part is"
		    " base64 or quoted-printable encoded: decode it first");
		rc = CGN_EINVAL;
	} else {
		snprintf(err, errlen, "not an abuse report: no ARF feedback"
		    " report (Feedback-Type), no X-ARF report (Source-Type),"
		    " no XARF 4 JSON (xarf_version)");
		rc = CGN_EINVAL;
	}
	free(m);
	if (rc == CGN_OK)
		*out = r;
	return rc;
}
