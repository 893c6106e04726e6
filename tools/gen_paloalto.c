/*
 * gen_paloalto.c - PAN-OS TRAFFIC CSV logs for cgnlog-gen: "start" for an
 * allocation, "end" (with Start Time and Elapsed Time) for a release;
 * sessions: a block's first port as the NAT source port (gen_util.h).
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_pan(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32], g[32], s[32];
	int a = gu_is_alloc(ev);
	int64_t start = a ? ev->ts_ms : ev->start_ms;

	if (a < 0)
		return 0;
	gu_ymd(ev->ts_ms, '/', g, sizeof(g));
	return gu_fit(snprintf(buf, len, "<14>%s %s 1,%s,007051000113358,"
	    "TRAFFIC,%s,2049,%s,%s,192.0.2.80,%s,192.0.2.80,cgn-rule,,,ssl,"
	    "vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,%s,%u,1,%u,443,"
	    "%u,443,0x400019,tcp,allow,5000,2000,3000,20,%s,%lld,any,0",
	    gu_bsd(ev->ts_ms, t, sizeof(t)), device, g, a ? "start" : "end",
	    g, gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), g,
	    (unsigned)(ev->inside & 0xffffff), gu_sport(ev), ev->port_lo,
	    gu_ymd(start, '/', s, sizeof(s)),
	    (long long)((ev->ts_ms - start) / 1000)), len);
}

const struct gen_format gen_paloalto = {
	.name = "paloalto",
	.what = "PAN-OS TRAFFIC start/end CSV (sessions: a block's first"
	    " port)",
	.resolution_ms = 1000,
	.write = write_pan,
};
