/*
 * syslog_vpp.c - FD.io VPP NAT plugin syslog (src/plugins/nat/lib/
 * nat_syslog.c; the SD of draft-ietf-behave-syslog-nat-logging):
 *
 *   <134>1 TIME HOST NAT PID APMADD [napmap SSUBIX="0" SVLAN="0"
 *   IATYP="IPv4" ISADDR="A" ISPORT="p" XATYP="IPv4" XSADDR="B" XSPORT="q"
 *   PROTO="6"]
 *   ... SADD|SDEL [nsess SSUBIX=.. SVLAN=.. IATYP=.. ISADDR=.. ISPORT=..
 *   XATYP=.. XSADDR=.. XSPORT=.. PROTO=.. XDADDR="D" XDPORT="d"]
 *
 * APMADD/APMDEL (an address-and-port mapping) and SADD/SDEL (a session)
 * are each one public port. SVLAN (the inside VRF table) is kept as vrf;
 * DS-Lite writes SV6ENC (the B4's IPv6: the subscriber) instead, and
 * NAT64 an IPv6 ISADDR. The time is the RFC 5424 header's.
 */
#include <string.h>

#include "syslog.h"

static int
sd_addr(const char *sd, size_t len, const char *key, struct cgn_addr *a)
{
	const char *v;
	size_t vl;

	if (!sd_param(sd, len, key, &v, &vl))
		return CGN_EMALFORMED;
	return cgn_addr_parse(v, vl, a);
}

static int
sd_u(const char *sd, size_t len, const char *key, uint64_t max,
    uint64_t *out)
{
	const char *v;
	size_t vl;

	if (!sd_param(sd, len, key, &v, &vl))
		return CGN_EMALFORMED;
	return txt_uint(v, vl, max, out);
}

static int
vpp_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *sd;
	struct cgn_event ev = out->base;
	struct cgn_addr b4;
	size_t len;
	uint64_t v;
	int session;

	if ((sd = txt_find(m->all, m->alllen, "[napmap ")) != NULL)
		session = 0;
	else if ((sd = txt_find(m->all, m->alllen, "[nsess ")) != NULL)
		session = 1;
	else
		return CGN_EUNKNOWN;
	len = (size_t)(m->all + m->alllen - sd);
	if (txt_eq(m->msgid, m->msgidlen, "APMADD") ||
	    txt_eq(m->msgid, m->msgidlen, "SADD"))
		ev.type = CGN_EV_SESSION_CREATE;
	else if (txt_eq(m->msgid, m->msgidlen, "APMDEL") ||
	    txt_eq(m->msgid, m->msgidlen, "SDEL"))
		ev.type = CGN_EV_SESSION_DELETE;
	else
		return CGN_EMALFORMED;	/* the SD without its MSGID */
	if (sd_addr(sd, len, "ISADDR", &ev.inside) != CGN_OK ||
	    sd_u(sd, len, "ISPORT", 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.inside_port = (uint16_t)v;
	if (sd_addr(sd, len, "XSADDR", &ev.outside) != CGN_OK ||
	    sd_u(sd, len, "XSPORT", 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.port_lo = ev.port_hi = (uint16_t)v;
	if (sd_u(sd, len, "PROTO", 255, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.proto = (uint8_t)v;
	if (sd_u(sd, len, "SVLAN", UINT32_MAX, &v) == CGN_OK)
		ev.vrf = (uint32_t)v;
	if (sd_addr(sd, len, "SV6ENC", &b4) == CGN_OK) {
		ev.inside_v4 = ev.inside;	/* DS-Lite */
		ev.inside = b4;
	}
	if (session && (sd_addr(sd, len, "XDADDR", &ev.dst) != CGN_OK ||
	    sd_u(sd, len, "XDPORT", 65535, &v) != CGN_OK))
		return CGN_EMALFORMED;
	if (session)
		ev.dst_port = (uint16_t)v;
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_vpp = {
	.name = "vpp",
	.mark = { "[napmap ", "[nsess ", NULL },
	.parse = vpp_parse,
};
