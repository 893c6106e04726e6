/*
 * gen_netscreen.c - Juniper NetScreen (ScreenOS) traffic logs with
 * src-xlated for cgnlog-gen: reason=Creation for an allocation, reason=
 * Close with duration for a release; sessions: a block's first port.
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_ns(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32], s[32];
	int a = gu_is_alloc(ev);
	int64_t start = a ? ev->ts_ms : ev->start_ms;

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<134>%s %s %s: NetScreen"
	    " device_id=%s  [Root]system-notification-00257(traffic):"
	    " start_time=\"%s\" duration=%lld policy_id=2 service=https"
	    " proto=6 src zone=Trust dst zone=Untrust action=Permit sent=0"
	    " rcvd=0 src=%s dst=192.0.2.80 src_port=%u dst_port=443"
	    " src-xlated ip=%s port=%u dst-xlated ip=192.0.2.80 port=443"
	    " session_id=%u reason=%s", gu_bsd(ev->ts_ms, t, sizeof(t)),
	    device, device, device, gu_ymd(start, '-', s, sizeof(s)),
	    (long long)((ev->ts_ms - start) / 1000),
	    gu_ip(ev->inside, in, sizeof(in)), gu_sport(ev),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo,
	    (unsigned)(ev->inside & 0xffffff),
	    a ? "Creation" : "Close - TCP FIN"), len);
}

const struct gen_format gen_netscreen = {
	.name = "netscreen",
	.what = "Juniper NetScreen traffic logs with src-xlated"
	    " (sessions: a block's first port)",
	.resolution_ms = 1000,
	.write = write_ns,
};
