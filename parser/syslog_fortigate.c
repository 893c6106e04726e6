/*
 * syslog_fortigate.c - Fortinet FortiGate (FortiOS) key=value logs with
 * source NAT (FortiOS Log Message Reference):
 *
 *   type="event" logid="0100022015" (LOG_ID_IPPOOLPBA_CREATE): a port
 *     block, nat=B saddr="A" portbegin=LO portend=HI poolname="P"
 *   logid ...22016 (LOG_ID_IPPOOLPBA_DEALLOCATE, with duration=S) and
 *     ...22024 (LOG_ID_IPPOOLPBA_INTERIM, FortiOS 7.6, duration=S)
 *   type="traffic" with trandisp="snat" (or "snat+dnat"): one session,
 *     srcip/srcport -> transip/transport, dstip/dstport, proto; the
 *     session end (action="close", "timeout", ...) with duration=S is a
 *     delete, action="start" a create.
 *
 * Time: eventtime= (UTC since the epoch; its unit, s/ms/us/ns, differs
 * between releases and is told by its size), else date= time= with tz=
 * ("+0200"), else date= time= in the device's zone. vd= (VDOM) is a name
 * and is not kept. Other FortiGate logs map nothing (CGN_OK).
 */
#include <string.h>

#include "syslog.h"
#include "timeconv.h"

/* "+0200", "-05:30" to seconds east of UTC. */
static int
tz_offset_s(const char *v, size_t vl, int64_t *out)
{
	uint64_t h, mi;
	int sign;

	if (vl != 5 && vl != 6)
		return CGN_EMALFORMED;
	sign = v[0] == '-' ? -1 : v[0] == '+' ? 1 : 0;
	if (sign == 0 || txt_uint(v + 1, 2, 23, &h) != CGN_OK ||
	    txt_uint(v + vl - 2, 2, 59, &mi) != CGN_OK ||
	    (vl == 6 && v[3] != ':'))
		return CGN_EMALFORMED;
	*out = sign * (int64_t)(h * 3600 + mi * 60);
	return CGN_OK;
}

static int
forti_time(const struct syslog_msg *m, const struct kvx *x,
    struct cgn_event *ev)
{
	const char *d, *t, *z;
	size_t dl, tl, zl;
	char buf[20];
	struct cgn_tm tm;
	int64_t ms, off;

	if (kvx_get(x, NULL, "eventtime", &d, &dl)) {
		if (txt_epoch_ms(d, dl, &ms) != CGN_OK)
			return CGN_EMALFORMED;
		syslog_set_time(ev, ms, 1, m);
		return CGN_OK;
	}
	if (!kvx_get(x, NULL, "date", &d, &dl) ||
	    !kvx_get(x, NULL, "time", &t, &tl))
		return CGN_OK;		/* no time: the header's */
	if (dl != 10 || tl != 8)
		return CGN_EMALFORMED;
	memcpy(buf, d, 10);
	buf[10] = ' ';
	memcpy(buf + 11, t, 8);
	if (txt_datetime(buf, 19, '-', &tm) != CGN_OK)
		return CGN_EMALFORMED;
	if (kvx_get(x, NULL, "tz", &z, &zl)) {
		if (tz_offset_s(z, zl, &off) != CGN_OK ||
		    tc_to_ms(&tm, &ms) != CGN_OK)
			return CGN_EMALFORMED;
		syslog_set_time(ev, ms - off * 1000, 1, m);
	} else {
		if (syslog_local_time(m, &tm, &ms) != CGN_OK)
			return CGN_EMALFORMED;
		syslog_set_time(ev, ms, 0, m);
	}
	return CGN_OK;
}

static int
forti_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *v;
	struct cgn_event ev = out->base;
	struct kvx kv, *x = &kv;
	size_t vl;
	uint64_t n, dur = 0, id;
	int rc;

	kvx_build(m->all, m->alllen, x);
	if (!kvx_get(x, NULL, "type", &v, &vl))
		return CGN_EUNKNOWN;
	if ((rc = kvx_uint(x, NULL, "duration", UINT32_MAX, &dur)) ==
	    CGN_EMALFORMED)
		return rc;
	if (txt_eq(v, vl, "event")) {
		if (!kvx_get(x, NULL, "logid", &v, &vl) ||
		    txt_uint(v, vl, UINT64_MAX, &id) != CGN_OK)
			return CGN_EMALFORMED;
		switch (id % 100000) {
		case 22015: ev.type = CGN_EV_PBA_ALLOC; break;
		case 22016: ev.type = CGN_EV_PBA_RELEASE; break;
		case 22024: ev.type = CGN_EV_PBA_ACTIVE; break;
		default: return CGN_OK;
		}
		if (kvx_addr(x, NULL, "saddr", &ev.inside) != CGN_OK ||
		    kvx_addr(x, NULL, "nat", &ev.outside) != CGN_OK ||
		    kvx_uint(x, NULL, "portbegin", 65535, &n) != CGN_OK)
			return CGN_EMALFORMED;
		ev.port_lo = (uint16_t)n;
		if (kvx_uint(x, NULL, "portend", 65535, &n) != CGN_OK ||
		    n < ev.port_lo)
			return CGN_EMALFORMED;
		ev.port_hi = (uint16_t)n;
	} else if (txt_eq(v, vl, "traffic")) {
		if (!kvx_get(x, NULL, "trandisp", &v, &vl) ||
		    (!txt_eq(v, vl, "snat") && !txt_eq(v, vl, "snat+dnat")))
			return CGN_OK;	/* no source NAT */
		if (kvx_addr(x, NULL, "srcip", &ev.inside) != CGN_OK ||
		    kvx_uint(x, NULL, "srcport", 65535, &n) != CGN_OK)
			return CGN_EMALFORMED;
		ev.inside_port = (uint16_t)n;
		if (kvx_addr(x, NULL, "transip", &ev.outside) != CGN_OK ||
		    kvx_uint(x, NULL, "transport", 65535, &n) != CGN_OK)
			return CGN_EMALFORMED;
		ev.port_lo = ev.port_hi = (uint16_t)n;
		if (kvx_uint(x, NULL, "proto", 255, &n) != CGN_OK)
			return CGN_EMALFORMED;
		ev.proto = (uint8_t)n;
		if (kvx_addr(x, NULL, "dstip", &ev.dst) == CGN_OK &&
		    kvx_uint(x, NULL, "dstport", 65535, &n) == CGN_OK)
			ev.dst_port = (uint16_t)n;
		ev.type = kvx_get(x, NULL, "action", &v, &vl) &&
		    txt_eq(v, vl, "start") ? CGN_EV_SESSION_CREATE :
		    CGN_EV_SESSION_DELETE;
	} else {
		return CGN_OK;		/* utm, other event logs */
	}
	if (forti_time(m, x, &ev) != CGN_OK)
		return CGN_EMALFORMED;
	if (ev.type != CGN_EV_SESSION_CREATE && ev.type != CGN_EV_PBA_ALLOC &&
	    ev.tsrc != CGN_TS_RX && dur > 0)
		ev.start_ms = ev.ts_ms - (int64_t)dur * 1000;
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo && ev.port_lo == ev.port_hi)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_fortigate = {
	.name = "fortigate",
	.mark = { "logid=", NULL },
	.parse = forti_parse,
};
