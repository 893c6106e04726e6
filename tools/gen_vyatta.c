/*
 * gen_vyatta.c - AT&T Vyatta / DANOS CGNAT PB_ALLOCATED / PB_RELEASED for
 * cgnlog-gen, times in microseconds since the epoch.
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_vyatta(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32], end[48] = "";
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	if (!a)
		snprintf(end, sizeof(end), " end-time=%lld000",
		    (long long)ev->ts_ms);
	return gu_fit(snprintf(buf, len, "<133>%s %s dataplane[1]: CGNAT:"
	    " PB_%s subs-addr=%s policy=POL1 pub-addr=%s pool=POOL1"
	    " port=%u-%u start-time=%lld000%s",
	    gu_bsd(ev->ts_ms, t, sizeof(t)), device,
	    a ? "ALLOCATED" : "RELEASED", gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo, ev->port_hi,
	    (long long)(a ? ev->ts_ms : ev->start_ms), end), len);
}

const struct gen_format gen_vyatta = {
	.name = "vyatta",
	.what = "AT&T Vyatta/DANOS CGNAT PB_ALLOCATED/PB_RELEASED",
	.resolution_ms = 1,
	.write = write_vyatta,
};
