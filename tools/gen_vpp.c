/*
 * gen_vpp.c - FD.io VPP NAT plugin APMADD/APMDEL (RFC 5424 structured
 * data, napmap) for cgnlog-gen; one address-and-port mapping per block:
 * its first port (gen_util.h).
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_vpp(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<134>1 %s %s NAT 4242 %s [napmap"
	    " SSUBIX=\"0\" SVLAN=\"0\" IATYP=\"IPv4\" ISADDR=\"%s\""
	    " ISPORT=\"%u\" XATYP=\"IPv4\" XSADDR=\"%s\" XSPORT=\"%u\""
	    " PROTO=\"6\"]", tc_fmt(ev->ts_ms, t, sizeof(t)), device,
	    a ? "APMADD" : "APMDEL", gu_ip(ev->inside, in, sizeof(in)),
	    gu_sport(ev), gu_ip(ev->outside, out, sizeof(out)), ev->port_lo),
	    len);
}

const struct gen_format gen_vpp = {
	.name = "vpp",
	.what = "FD.io VPP NAT APMADD/APMDEL (mappings: a block's first port)",
	.resolution_ms = 1,
	.write = write_vpp,
};
