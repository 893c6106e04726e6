/*
 * syslog_f5.c - F5 BIG-IP CGNAT (LSN) translation logs, in the renderings
 * the BIG-IP CGNAT manual shows for one event (techdocs.f5.com, "Using
 * CGNAT translation modes", NAPT log examples):
 *
 *   lsn_event="LSN_ADD",cli="10.10.10.1: 33950",nat="5.5.5.1:10000"
 *   "LSN_ADD""10.10.10.1: 33950""5.5.5.1:10000"        (quoted fields)
 *   info tmm[32683]: "LSN_ADD""10.10.10.1:33950""5.5.5.1:10000"
 *
 * LSN_ADD / LSN_DELETE: one public port; LSN_PB_ALLOCATED / LSN_PB_RELEASED
 * (PBA mode; the manual's PBA examples were not at hand, the names are
 * reconstructed): nat="ADDR:LO-HI". "%N" after an address is the route
 * domain: the client's becomes vrf (overlapping private space). An IPv6
 * client writes its port after a dot ("2701:1:...:43:100.39900"); the
 * manual's stray spaces after ':' are dropped. LSN_INBOUND_* events
 * (inbound connections to a mapping) add nothing. The time is the
 * header's: the device's local time, zone from its config.
 */
#include <string.h>

#include "syslog.h"

/* Copy a field without spaces into buf; 0 if it does not fit. */
static size_t
squeeze(const char *s, size_t len, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ')
			continue;
		if (n + 1 >= size)
			return 0;
		buf[n++] = s[i];
	}
	return n;
}

/* "ADDR[%RD]:PORT", "ADDR[%RD]:LO-HI", IPv6 "ADDR[%RD].PORT", or
 * "ADDR[%RD]" (range_ok 2: no port at all). */
static int
f5_endpoint(const char *s, size_t len, int range_ok, struct cgn_addr *a,
    uint32_t *rd, uint16_t *lo, uint16_t *hi)
{
	char buf[80];
	const char *sep, *pct, *colon;
	size_t n, alen;
	uint64_t v;

	if ((n = squeeze(s, len, buf, sizeof(buf))) == 0)
		return CGN_EMALFORMED;
	colon = memchr(buf, ':', n);
	if (range_ok == 2) {
		sep = buf + n;
	} else if (colon != NULL && memchr(colon + 1, ':', n -
	    (size_t)(colon + 1 - buf)) != NULL) {
		sep = memrchr(buf, '.', n);	/* IPv6: port after a dot */
	} else {
		sep = colon;
	}
	if (sep == NULL)
		return CGN_EMALFORMED;
	alen = (size_t)(sep - buf);
	if ((pct = memchr(buf, '%', alen)) != NULL) {
		if (txt_uint(pct + 1, (size_t)(sep - pct - 1), UINT32_MAX,
		    &v) != CGN_OK)
			return CGN_EMALFORMED;
		if (rd != NULL)
			*rd = (uint32_t)v;
		alen = (size_t)(pct - buf);
	}
	if (cgn_addr_parse(buf, alen, a) != CGN_OK)
		return CGN_EMALFORMED;
	if (range_ok == 2)
		return CGN_OK;
	sep++;
	n -= (size_t)(sep - buf);
	if (range_ok && memchr(sep, '-', n) != NULL)
		return txt_range(sep, n, lo, hi);
	if (txt_uint(sep, n, 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	*lo = *hi = (uint16_t)v;
	return CGN_OK;
}

/* The three fields: key=value form, or three quoted strings in a row. */
static int
f5_fields(const char *p, const char *end, const char **f, size_t *fl)
{
	static const char *const keys[3] = { "lsn_event", "cli", "nat" };
	const char *q;
	int i;

	if (txt_find(p, (size_t)(end - p), "lsn_event=") != NULL) {
		for (i = 0; i < 3; i++)
			if (!kv_param(p, (size_t)(end - p), keys[i], &f[i],
			    &fl[i]))
				return CGN_EMALFORMED;
		return CGN_OK;
	}
	/* "EVENT""CLI""NAT" */
	if ((p = memchr(p, '"', (size_t)(end - p))) == NULL)
		return CGN_EMALFORMED;
	for (i = 0; i < 3; i++) {
		if (p >= end || *p != '"')
			return CGN_EMALFORMED;
		f[i] = ++p;
		if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
			return CGN_ETRUNC;
		fl[i] = (size_t)(q - p);
		p = q + 1;
	}
	return CGN_OK;
}

static int
f5_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p, *f[3];
	struct cgn_event ev = out->base;
	size_t fl[3];
	uint16_t lo, hi;
	int rc, block = 0;

	if ((p = txt_find(m->all, m->alllen, "LSN_")) == NULL)
		return CGN_EUNKNOWN;
	/* back to the start of the field list */
	while (p > m->all && p[-1] != ' ' && p[-1] != ':')
		p--;
	if ((rc = f5_fields(p, end, f, fl)) != CGN_OK)
		return rc;
	if (txt_eq(f[0], fl[0], "LSN_ADD")) {
		ev.type = CGN_EV_SESSION_CREATE;
	} else if (txt_eq(f[0], fl[0], "LSN_DELETE")) {
		ev.type = CGN_EV_SESSION_DELETE;
	} else if (txt_eq(f[0], fl[0], "LSN_PB_ALLOCATED")) {
		ev.type = CGN_EV_PBA_ALLOC;
		block = 1;
	} else if (txt_eq(f[0], fl[0], "LSN_PB_RELEASED")) {
		ev.type = CGN_EV_PBA_RELEASE;
		block = 1;
	} else if (fl[0] > 4 && memcmp(f[0], "LSN_", 4) == 0) {
		return CGN_OK;	/* inbound, PB updates: nothing new */
	} else {
		return CGN_EMALFORMED;
	}
	if (f5_endpoint(f[1], fl[1], block ? 2 : 0, &ev.inside, &ev.vrf,
	    &ev.inside_port, &hi) != CGN_OK ||
	    f5_endpoint(f[2], fl[2], block, &ev.outside, NULL, &lo, &hi) !=
	    CGN_OK)
		return CGN_EMALFORMED;
	ev.port_lo = lo;
	ev.port_hi = hi;
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo && !block)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_f5 = {
	.name = "f5",
	.mark = { "LSN_", NULL },
	.parse = f5_parse,
};
