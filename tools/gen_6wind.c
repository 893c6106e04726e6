/*
 * gen_6wind.c - 6WIND fp-cgnat NEW CONN / DESTROY CONN session logs for
 * cgnlog-gen (sessions: a block's first port, see gen_util.h).
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_6wind(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	gu_ip(ev->outside, out, sizeof(out));
	return gu_fit(snprintf(buf, len, "<134>%s %s fp-cgnat[2484]: %s CONN:"
	    " fwd proto 6 %s:%u -> %s:%u, back proto 6 192.0.2.80:443 -->"
	    " %s:%u", gu_bsd(ev->ts_ms, t, sizeof(t)), device,
	    a ? "NEW" : "DESTROY", gu_ip(ev->inside, in, sizeof(in)),
	    gu_sport(ev), out, ev->port_lo, out, ev->port_lo), len);
}

const struct gen_format gen_6wind = {
	.name = "6wind",
	.what = "6WIND fp-cgnat NEW/DESTROY CONN (sessions: a block's first"
	    " port)",
	.resolution_ms = 1000,
	.write = write_6wind,
};
