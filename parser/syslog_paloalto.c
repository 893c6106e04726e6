/*
 * syslog_paloalto.c - Palo Alto Networks PAN-OS TRAFFIC logs (CSV,
 * PAN-OS syslog field order: FUTURE_USE, Receive Time, Serial, Type,
 * Subtype, FUTURE_USE, Generated Time, Source, Destination, NAT Source IP,
 * NAT Destination IP, Rule, ..., Session ID (22), Repeat Count, Source
 * Port (24), Destination Port, NAT Source Port (26), NAT Destination
 * Port, Flags, Protocol (29), Action, Bytes, ..., Start Time (35),
 * Elapsed Time (36), ...).
 *
 * PAN-OS has no port-block logs: a TRAFFIC "start" is a session create, an
 * "end" a delete (its start from Start Time, else Elapsed Time); "drop" and
 * "deny" and sessions whose NAT source is empty or 0.0.0.0 map nothing.
 * Times are "YYYY/MM/DD hh:mm:ss" in the firewall's zone (the device's
 * configured zone), or RFC 3339 with a zone (Strata Logging Service).
 * Other PAN-OS log types (THREAT, SYSTEM, ...) map nothing.
 */
#include <string.h>

#include "syslog.h"
#include "timeconv.h"

#define PAN_FIELDS 37

/* Split CSV into fields (RFC 4180 quotes: a quoted field may hold commas;
 * its "" stays doubled, which no field we read contains). Returns how
 * many of the first max fields were found. */
static int
csv_split(const char *p, const char *end, const char **f, size_t *fl,
    int max)
{
	const char *q;
	int n = 0;

	while (n < max && p <= end) {
		if (p < end && *p == '"') {
			for (q = p + 1; q < end; q++) {
				if (*q == '"' && (q + 1 == end || q[1] != '"'))
					break;
				if (*q == '"')
					q++;
			}
			if (q >= end)
				return n;	/* unterminated quote */
			f[n] = p + 1;
			fl[n] = (size_t)(q - p - 1);
			p = q + 1;
		} else {
			for (q = p; q < end && *q != ','; q++)
				;
			f[n] = p;
			fl[n] = (size_t)(q - p);
			p = q;
		}
		n++;
		if (p >= end)
			break;
		if (*p != ',')
			return n;
		p++;
	}
	return n;
}

static int
pan_time(const struct syslog_msg *m, const char *s, size_t len, int64_t *ms,
    int *utc)
{
	struct cgn_tm tm;
	int zone;

	if (len == 19 && txt_datetime(s, len, '/', &tm) == CGN_OK) {
		*utc = 0;
		return syslog_local_time(m, &tm, ms);
	}
	if (len > 0 && tc_parse_rfc3339(s, len, ms, &zone) == len && zone) {
		*utc = 1;
		return CGN_OK;
	}
	return CGN_EMALFORMED;
}

/* The start of the record whose Type field follows the comma at p: back
 * over Serial and Receive Time ("YYYY/MM/DD hh:mm:ss" or RFC 3339) to
 * FUTURE_USE, a number. NULL if the line is not shaped so. */
static const char *
record_start(const char *all, const char *p)
{
	const char *c = p, *rt = NULL;
	int k = 0;

	while (k < 2 && c > all) {
		c--;
		if (*c == ',' && ++k == 2)
			rt = c + 1;
	}
	if (k != 2 || p - rt < 10 || (rt[4] != '/' && rt[4] != '-') ||
	    rt[0] < '0' || rt[0] > '9')
		return NULL;
	if (c == all || c[-1] < '0' || c[-1] > '9')
		return NULL;
	while (c > all && c[-1] >= '0' && c[-1] <= '9')
		c--;
	return c;
}

static int
pan_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p, *c, *f[PAN_FIELDS];
	struct cgn_event ev = out->base;
	size_t fl[PAN_FIELDS];
	uint64_t v;
	int64_t ms, start = 0;
	int n, utc;

	if ((p = txt_find(m->all, m->alllen, ",TRAFFIC,")) == NULL) {
		/* another PAN-OS log type is the firewall's but maps
		 * nothing; a line merely holding the word is not ours */
		if (((p = txt_find(m->all, m->alllen, ",THREAT,")) != NULL ||
		    (p = txt_find(m->all, m->alllen, ",SYSTEM,")) != NULL) &&
		    record_start(m->all, p) != NULL)
			return CGN_OK;
		return CGN_EUNKNOWN;
	}
	if ((c = record_start(m->all, p)) == NULL)
		return CGN_EMALFORMED;
	if ((n = csv_split(c, end, f, fl, PAN_FIELDS)) < 30)
		return CGN_ETRUNC;
	if (txt_eq(f[4], fl[4], "start"))
		ev.type = CGN_EV_SESSION_CREATE;
	else if (txt_eq(f[4], fl[4], "end"))
		ev.type = CGN_EV_SESSION_DELETE;
	else
		return CGN_OK;		/* drop, deny: no session */
	if (fl[9] == 0 || txt_eq(f[9], fl[9], "0.0.0.0"))
		return CGN_OK;		/* no source NAT */
	if (cgn_addr_parse(f[7], fl[7], &ev.inside) != CGN_OK ||
	    cgn_addr_parse(f[9], fl[9], &ev.outside) != CGN_OK ||
	    cgn_addr_parse(f[8], fl[8], &ev.dst) != CGN_OK ||
	    txt_uint(f[24], fl[24], 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.inside_port = (uint16_t)v;
	if (txt_uint(f[25], fl[25], 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.dst_port = (uint16_t)v;
	if (txt_uint(f[26], fl[26], 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.port_lo = ev.port_hi = (uint16_t)v;
	if (txt_proto(f[29], fl[29], &ev.proto) != CGN_OK)
		return CGN_EMALFORMED;
	if (pan_time(m, f[6], fl[6], &ms, &utc) != CGN_OK)
		return CGN_EMALFORMED;
	syslog_set_time(&ev, ms, utc, m);
	if (n >= 36 && fl[35] > 0 &&
	    pan_time(m, f[35], fl[35], &start, &utc) != CGN_OK)
		return CGN_EMALFORMED;
	if (ev.type == CGN_EV_SESSION_CREATE && start != 0)
		syslog_set_time(&ev, start, utc, m);
	else if (ev.type == CGN_EV_SESSION_DELETE)
		ev.start_ms = start;
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_paloalto = {
	.name = "paloalto",
	.mark = { ",TRAFFIC,", ",THREAT,", ",SYSTEM,", NULL },
	.parse = pan_parse,
};
