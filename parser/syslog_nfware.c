/*
 * syslog_nfware.c - NFWare vCGNAT logs (../shared/formats.md 2.13; NFWare's
 * format as the cgn-ec consumer patterns document it, "A" add, "D" delete):
 *
 *   E VRF v INT A EXT B                               address (1:1)
 *   E VRF v INT A EXT B:LO-HI                         port block
 *   E VRF v PROTO INT A:p EXT B:q                     port mapping
 *   E VRF v PROTO INT A:p EXT B:q DST D:d DIR OUT     session
 *
 * VRF is the inside routing instance (kept as vrf). The lines carry no
 * time: the header's, or the receive time.
 */
#include <string.h>

#include "syslog.h"

static int
nfware_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p, *w, *e, *c;
	struct cgn_event ev = out->base;
	size_t l;
	uint64_t v;
	int create;

	/* "A VRF " or "D VRF " at a word start */
	for (p = m->all; (p = txt_find(p, (size_t)(end - p), " VRF ")) != NULL;
	    p++) {
		if (p - m->all >= 1 && (p[-1] == 'A' || p[-1] == 'D') &&
		    (p - 1 == m->all || p[-2] == ' ' || p[-2] == ':'))
			break;
	}
	if (p == NULL)
		return CGN_EUNKNOWN;
	create = p[-1] == 'A';
	p += 5;
	if (txt_word(&p, end, " ", &w) == 0)
		return CGN_ETRUNC;
	if (txt_uint(w, (size_t)(p - w), UINT32_MAX, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.vrf = (uint32_t)v;
	if ((l = txt_word(&p, end, " ", &w)) == 0)
		return CGN_ETRUNC;
	if (!txt_eq(w, l, "INT")) {
		if (txt_proto(w, l, &ev.proto) != CGN_OK)
			return CGN_EMALFORMED;
		if ((l = txt_word(&p, end, " ", &w)) == 0)
			return CGN_ETRUNC;
		if (!txt_eq(w, l, "INT"))
			return CGN_EMALFORMED;
	}
	if ((l = txt_word(&p, end, " ", &w)) == 0 ||
	    txt_word(&p, end, " ", &e) == 0)
		return CGN_ETRUNC;
	if (!txt_eq(e, (size_t)(p - e), "EXT"))
		return CGN_EMALFORMED;
	if (ev.proto != 0) {
		/* a mapping or a session: A:p EXT B:q */
		if (txt_addr_port(w, l, ':', &ev.inside, &ev.inside_port) !=
		    CGN_OK)
			return CGN_EMALFORMED;
		if ((l = txt_word(&p, end, " ", &w)) == 0)
			return CGN_ETRUNC;
		if (txt_addr_port(w, l, ':', &ev.outside, &ev.port_lo) !=
		    CGN_OK)
			return CGN_EMALFORMED;
		ev.port_hi = ev.port_lo;
		ev.type = create ? CGN_EV_SESSION_CREATE :
		    CGN_EV_SESSION_DELETE;
		if ((l = txt_word(&p, end, " ", &w)) > 0) {
			if (!txt_eq(w, l, "DST") ||
			    (l = txt_word(&p, end, " ", &w)) == 0 ||
			    txt_addr_port(w, l, ':', &ev.dst, &ev.dst_port) !=
			    CGN_OK)
				return CGN_EMALFORMED;
		}
	} else {
		if (cgn_addr_parse(w, l, &ev.inside) != CGN_OK)
			return CGN_EMALFORMED;
		if ((l = txt_word(&p, end, " ", &w)) == 0)
			return CGN_ETRUNC;
		if ((c = memrchr(w, ':', l)) != NULL &&
		    memchr(c, '-', l - (size_t)(c - w)) != NULL) {
			if (cgn_addr_parse(w, (size_t)(c - w), &ev.outside) !=
			    CGN_OK || txt_range(c + 1, l - (size_t)(c + 1 - w),
			    &ev.port_lo, &ev.port_hi) != CGN_OK)
				return CGN_EMALFORMED;
			ev.type = create ? CGN_EV_PBA_ALLOC :
			    CGN_EV_PBA_RELEASE;
		} else {
			if (cgn_addr_parse(w, l, &ev.outside) != CGN_OK)
				return CGN_EMALFORMED;
			ev.port_lo = 0;
			ev.port_hi = 65535;
			ev.type = create ? CGN_EV_ADDR_ALLOC :
			    CGN_EV_ADDR_RELEASE;
		}
	}
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    (ev.proto == 0 || ev.inside_port == ev.port_lo))
		return CGN_OK;		/* not translated */
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_nfware = {
	.name = "nfware",
	.mark = { " EXT ", NULL },
	.parse = nfware_parse,
};
