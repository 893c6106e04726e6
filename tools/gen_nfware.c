/*
 * gen_nfware.c - NFWare vCGNAT port-block logs for cgnlog-gen:
 * "A|D VRF 0 INT inside EXT outside:LO-HI".
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_nfware(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<134>%s %s nfware: %s VRF 0 INT %s"
	    " EXT %s:%u-%u", gu_bsd(ev->ts_ms, t, sizeof(t)), device,
	    a ? "A" : "D", gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo, ev->port_hi),
	    len);
}

const struct gen_format gen_nfware = {
	.name = "nfware",
	.what = "NFWare vCGNAT port blocks (A|D VRF n INT ... EXT a:lo-hi)",
	.resolution_ms = 1000,
	.write = write_nfware,
};
