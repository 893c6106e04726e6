/*
 * gen_fortigate.c - FortiGate IP pool PBA event logs for cgnlog-gen:
 * logid 22015 (created), 22016 (deallocated, with duration), 22024
 * (interim, with duration); eventtime in nanoseconds.
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_forti(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], d[32], *sp;
	const char *id, *desc;

	if (ev->type == CGN_EV_PBA_ALLOC) {
		id = "22015";
		desc = "IP pool PBA created";
	} else if (ev->type == CGN_EV_PBA_RELEASE) {
		id = "22016";
		desc = "IP pool PBA deallocated";
	} else {
		id = "22024";
		desc = "IP pool PBA interim log";
	}
	gu_ymd(ev->ts_ms, '-', d, sizeof(d));
	sp = d + 10;
	*sp++ = '\0';
	return gu_fit(snprintf(buf, len, "<189>date=%s time=%s devname=\"%s\""
	    " devid=\"FG100F0000000001\" eventtime=%lld000000 tz=\"+0000\""
	    " logid=\"01000%s\" type=\"event\" subtype=\"system\""
	    " level=\"notice\" vd=\"root\" logdesc=\"%s\" nat=%s saddr=\"%s\""
	    " poolname=\"cgn-pool\" portbegin=%u portend=%u duration=%lld",
	    d, sp, device, (long long)ev->ts_ms, id, desc,
	    gu_ip(ev->outside, out, sizeof(out)),
	    gu_ip(ev->inside, in, sizeof(in)), ev->port_lo, ev->port_hi,
	    (long long)(ev->type == CGN_EV_PBA_ALLOC ? 0 :
	    (ev->ts_ms - ev->start_ms) / 1000)), len);
}

const struct gen_format gen_fortigate = {
	.name = "fortigate",
	.what = "FortiGate IP pool PBA logs (logid 22015/22016/22024)",
	.resolution_ms = 1,
	.write = write_forti,
};
