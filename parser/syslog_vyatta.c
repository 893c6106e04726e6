/*
 * syslog_vyatta.c - AT&T Vyatta / DANOS dataplane CGNAT logs
 * (danos/vyatta-dataplane src/npf/cgnat/cgn_log_rte.c, "CGNAT: " prefix):
 *
 *   PB_ALLOCATED subs-addr=A policy=P pub-addr=B pool=Q port=LO-HI
 *     start-time=US
 *   PB_RELEASED  subs-addr=A policy=P pub-addr=B pool=Q port=LO-HI
 *     start-time=US end-time=US
 *   SESSION_CREATE ifname=I session-id=N.M proto=6 dir=out addr=A->D
 *     port=p->d cgn-addr=B cgn-port=q state=S start-time=US
 *   SESSION_DELETE ... end-time=US ...   SESSION_ACTIVE ... cur-time=US
 *
 * Times are UNIX microseconds (UTC): start-time for allocations and
 * creates, end-time (with start-time as the start) for releases and
 * deletes. SESSION_ACTIVE, SESSION_CLEAR (a bulk summary with no
 * addresses), SUBSCRIBER_* and the resource events map nothing.
 */
#include <string.h>

#include "syslog.h"

static int
kv_addr(const char *x, size_t xl, const char *key, struct cgn_addr *a)
{
	const char *v;
	size_t vl;

	if (!kv_param(x, xl, key, &v, &vl))
		return CGN_EMALFORMED;
	return cgn_addr_parse(v, vl, a);
}

/* key=US (microseconds) to ms; CGN_ENOTFOUND when absent. */
static int
kv_time(const char *x, size_t xl, const char *key, int64_t *ms)
{
	const char *v;
	size_t vl;

	if (!kv_param(x, xl, key, &v, &vl))
		return CGN_ENOTFOUND;
	return txt_epoch_ms(v, vl, ms);
}

/* "X->Y" into two slices. */
static int
pair(const char *x, size_t xl, const char *key, const char **a, size_t *al,
    const char **b, size_t *bl)
{
	const char *v, *arrow;
	size_t vl;

	if (!kv_param(x, xl, key, &v, &vl) ||
	    (arrow = txt_find(v, vl, "->")) == NULL)
		return CGN_EMALFORMED;
	*a = v;
	*al = (size_t)(arrow - v);
	*b = arrow + 2;
	*bl = vl - *al - 2;
	return CGN_OK;
}

/* "CGNAT: EVENT_NAME " (capitals and '_'): one of the dataplane's
 * resource or summary events, not just any line saying CGNAT. */
static int
cgnat_event(const struct syslog_msg *m)
{
	const char *end = m->all + m->alllen, *p, *w;

	if ((p = txt_find(m->all, m->alllen, "CGNAT: ")) == NULL)
		return 0;
	for (w = p += 7; p < end && ((*p >= 'A' && *p <= 'Z') || *p == '_');
	    p++)
		;
	return p - w >= 4 && p < end && *p == ' ' && memchr(w, '_',
	    (size_t)(p - w)) != NULL;
}

static int
vyatta_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *x, *v, *a, *b;
	struct cgn_event ev = out->base;
	size_t xl, vl, al, bl;
	int64_t start = 0, stop = 0;
	uint64_t n;
	int rc, session;

	if ((x = txt_find(m->all, m->alllen, "PB_ALLOCATED ")) != NULL)
		ev.type = CGN_EV_PBA_ALLOC;
	else if ((x = txt_find(m->all, m->alllen, "PB_RELEASED ")) != NULL)
		ev.type = CGN_EV_PBA_RELEASE;
	else if ((x = txt_find(m->all, m->alllen, "SESSION_CREATE ")) !=
	    NULL)
		ev.type = CGN_EV_SESSION_CREATE;
	else if ((x = txt_find(m->all, m->alllen, "SESSION_DELETE ")) !=
	    NULL)
		ev.type = CGN_EV_SESSION_DELETE;
	else if (txt_find(m->all, m->alllen, "cgn-addr=") != NULL ||
	    cgnat_event(m))
		return CGN_OK;	/* SESSION_ACTIVE, resource events */
	else
		return CGN_EUNKNOWN;
	xl = (size_t)(m->all + m->alllen - x);
	session = ev.type == CGN_EV_SESSION_CREATE ||
	    ev.type == CGN_EV_SESSION_DELETE;
	if (!session) {
		if (kv_addr(x, xl, "subs-addr", &ev.inside) != CGN_OK ||
		    kv_addr(x, xl, "pub-addr", &ev.outside) != CGN_OK ||
		    !kv_param(x, xl, "port", &v, &vl) ||
		    txt_range(v, vl, &ev.port_lo, &ev.port_hi) != CGN_OK)
			return CGN_EMALFORMED;
	} else {
		if (!kv_param(x, xl, "proto", &v, &vl) ||
		    txt_proto(v, vl, &ev.proto) != CGN_OK ||
		    pair(x, xl, "addr", &a, &al, &b, &bl) != CGN_OK ||
		    cgn_addr_parse(a, al, &ev.inside) != CGN_OK ||
		    cgn_addr_parse(b, bl, &ev.dst) != CGN_OK ||
		    pair(x, xl, "port", &a, &al, &b, &bl) != CGN_OK ||
		    txt_uint(a, al, 65535, &n) != CGN_OK)
			return CGN_EMALFORMED;
		ev.inside_port = (uint16_t)n;
		if (txt_uint(b, bl, 65535, &n) != CGN_OK)
			return CGN_EMALFORMED;
		ev.dst_port = (uint16_t)n;
		if (kv_addr(x, xl, "cgn-addr", &ev.outside) != CGN_OK ||
		    !kv_param(x, xl, "cgn-port", &v, &vl) ||
		    txt_uint(v, vl, 65535, &n) != CGN_OK)
			return CGN_EMALFORMED;
		ev.port_lo = ev.port_hi = (uint16_t)n;
		/* only outbound sessions are subscriber mappings */
		if (kv_param(x, xl, "dir", &v, &vl) && txt_eq(v, vl, "in"))
			return CGN_OK;
	}
	if ((rc = kv_time(x, xl, "start-time", &start)) == CGN_EMALFORMED ||
	    (rc = kv_time(x, xl, "end-time", &stop)) == CGN_EMALFORMED)
		return CGN_EMALFORMED;
	if (ev.type == CGN_EV_PBA_RELEASE || ev.type == CGN_EV_SESSION_DELETE) {
		if (stop != 0)
			syslog_set_time(&ev, stop, 1, m);
		ev.start_ms = start;
	} else if (start != 0) {
		syslog_set_time(&ev, start, 1, m);
	}
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    (!session || ev.inside_port == ev.port_lo))
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_vyatta = {
	.name = "vyatta",
	.mark = { "PB_ALLOCATED ", "PB_RELEASED ", "cgn-addr=", "CGNAT: ",
	    NULL },
	.parse = vyatta_parse,
};
