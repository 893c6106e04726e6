/*
 * syslog_6wind.c - 6WIND Turbo Router / vBNG CG-NAT (fp-cgnat) session
 * logs (../shared/formats.md 2.13, from the cgn-ec consumer patterns):
 *
 *   fp-cgnat[N]: NEW CONN: fwd proto P A:p -> B:q, back proto P D:d --> B:q
 *   fp-cgnat[N]: DESTROY CONN: (same)
 *
 * The forward direction's source A:p is the subscriber, its rewritten
 * source B:q the public side; the backward direction's source is the
 * destination. No time in the body: the header's.
 */
#include <string.h>

#include "syslog.h"

static int
sixwind_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p, *w, *arrow;
	struct cgn_event ev = out->base;
	size_t l;

	if ((p = txt_find(m->all, m->alllen, " CONN: fwd proto ")) == NULL)
		return CGN_EUNKNOWN;
	if (p - m->all >= 3 && memcmp(p - 3, "NEW", 3) == 0)
		ev.type = CGN_EV_SESSION_CREATE;
	else if (p - m->all >= 7 && memcmp(p - 7, "DESTROY", 7) == 0)
		ev.type = CGN_EV_SESSION_DELETE;
	else
		return CGN_OK;		/* another connection event */
	p += strlen(" CONN: fwd proto ");
	if ((l = txt_word(&p, end, " ", &w)) == 0 ||
	    txt_proto(w, l, &ev.proto) != CGN_OK ||
	    (l = txt_word(&p, end, " ", &w)) == 0 ||
	    txt_addr_port(w, l, ':', &ev.inside, &ev.inside_port) != CGN_OK ||
	    (l = txt_word(&p, end, " ", &arrow)) != 2 ||
	    memcmp(arrow, "->", 2) != 0 ||
	    (l = txt_word(&p, end, " ,", &w)) == 0 ||
	    txt_addr_port(w, l, ':', &ev.outside, &ev.port_lo) != CGN_OK)
		return CGN_EMALFORMED;
	ev.port_hi = ev.port_lo;
	/* ", back proto P D:d --> B:q": the destination */
	if ((p = txt_find(p, (size_t)(end - p), "back proto ")) != NULL) {
		p += strlen("back proto ");
		if (txt_word(&p, end, " ", &w) == 0 ||
		    (l = txt_word(&p, end, " ", &w)) == 0 ||
		    txt_addr_port(w, l, ':', &ev.dst, &ev.dst_port) != CGN_OK)
			return CGN_EMALFORMED;
	}
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_6wind = {
	.name = "6wind",
	.mark = { " CONN: fwd proto ", NULL },
	.parse = sixwind_parse,
};
