/*
 * gen_juniper.c - Juniper port block allocation logs, as the parser reads
 * them (../shared/formats.md 2.1): RT_NAT structured data in RFC 5424
 * (SRX, MX-SPC3), the RT_NAT text form in RFC 3164, and the MS-MPC
 * JSERVICES_NAT_PORT_BLOCK_* form. Times are whole seconds, as the
 * devices' hex epochs are.
 */
#include <stdio.h>
#include <string.h>

#include "cgn.h"
#include "gen.h"
#include "timeconv.h"

static const char *
ip(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255,
	    a >> 8 & 255, a & 255);
	return buf;
}

static size_t
fit(int n, size_t len)
{
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

static const char *
what(int type, const char *alloc, const char *rel, const char *act)
{
	return type == CGN_EV_PBA_ALLOC ? alloc : type == CGN_EV_PBA_RELEASE ?
	    rel : act;
}

/* RT_SRC_NAT_PBA_* [internal-ip=...] in RFC 5424; the interim carries the
 * allocation's epoch, as the SRX does. */
static size_t
write_sd(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int64_t epoch = (ev->type == CGN_EV_PBA_ACTIVE ? ev->start_ms :
	    ev->ts_ms) / 1000;

	return fit(snprintf(buf, len, "<14>1 %s %s RT_NAT - RT_SRC_NAT_PBA_%s"
	    " [junos@2636.1.1.1.2.129 internal-ip=\"%s\" block-used=\"1\""
	    " block-max-per-host=\"4\" block-port-low=\"%u\""
	    " block-port-high=\"%u\" reflexive-ip=\"%s\""
	    " nat-pool-name=\"pool1\" logical-system-id=\"0\""
	    " epoch-time-64=\"%llx\"]", tc_fmt(ev->ts_ms, t, sizeof(t)),
	    device, what(ev->type, "ALLOC", "RELEASE", "INTERIM"),
	    ip(ev->inside, in, sizeof(in)), ev->port_lo, ev->port_hi,
	    ip(ev->outside, out, sizeof(out)), (unsigned long long)epoch),
	    len);
}

static const char *
bsd_time(int64_t ms, char *buf, size_t len)
{
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct cgn_tm tm;

	tc_from_ms(ms, &tm);
	snprintf(buf, len, "%.3s %2d %02d:%02d:%02d", mon + 3 * (tm.mon - 1),
	    tm.day, tm.hour, tm.min, tm.sec);
	return buf;
}

static size_t
write_text(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int64_t epoch = (ev->type == CGN_EV_PBA_ACTIVE ? ev->start_ms :
	    ev->ts_ms) / 1000;

	return fit(snprintf(buf, len, "<14>%s %s RT_NAT: RT_SRC_NAT_PBA_%s:"
	    " Subscriber %s used/maximum [1/4] blocks, %s port block"
	    " [%u-%u] from %s in source pool pool1 lsys_id: 0 epoch 0x%llx",
	    bsd_time(ev->ts_ms, t, sizeof(t)), device,
	    what(ev->type, "ALLOC", "RELEASE", "INTERIM"),
	    ip(ev->inside, in, sizeof(in)),
	    what(ev->type, "allocates", "releases", "interim"), ev->port_lo,
	    ev->port_hi, ip(ev->outside, out, sizeof(out)),
	    (unsigned long long)epoch), len);
}

static size_t
write_jservices(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];

	return fit(snprintf(buf, len, "<14>%s %s {sset1}[jservices-nat]:"
	    " JSERVICES_NAT_PORT_BLOCK_%s: %s -> %s:%u-%u 0x%llx",
	    bsd_time(ev->ts_ms, t, sizeof(t)), device,
	    what(ev->type, "ALLOC", "RELEASE", "ACTIVE"),
	    ip(ev->inside, in, sizeof(in)), ip(ev->outside, out, sizeof(out)),
	    ev->port_lo, ev->port_hi,
	    (unsigned long long)(ev->ts_ms / 1000)), len);
}

const struct gen_format gen_juniper_sd = {
	"juniper", "Juniper RT_NAT PBA, RFC 5424 structured data", 1000,
	write_sd, NULL
};

const struct gen_format gen_juniper_text = {
	"juniper-text", "Juniper RT_NAT PBA, RFC 3164 text", 1000, write_text,
	NULL
};

const struct gen_format gen_jservices = {
	"jservices", "Juniper MS-MPC JSERVICES_NAT_PORT_BLOCK_*", 1000,
	write_jservices, NULL
};

const struct gen_format *const gen_formats[] = {
	&gen_juniper_sd,
	&gen_juniper_text,
	&gen_jservices,
	&gen_ipfix_pba,
	&gen_ipfix_session,
	&gen_nfv9_nel,
	&gen_asa,
	&gen_asa_xlate,
	&gen_cisco_xr,
	&gen_cisco_ios,
	&gen_a10_cef,
	&gen_a10,
	&gen_f5,
	&gen_nokia,
	&gen_huawei,
	&gen_h3c,
	&gen_fortigate,
	&gen_paloalto,
	&gen_vpp,
	&gen_vyatta,
	&gen_netscreen,
	&gen_nfware,
	&gen_6wind,
	NULL
};

const struct gen_format *
gen_format_find(const char *name)
{
	size_t i;

	for (i = 0; gen_formats[i] != NULL; i++)
		if (strcmp(gen_formats[i]->name, name) == 0)
			return gen_formats[i];
	return NULL;
}
