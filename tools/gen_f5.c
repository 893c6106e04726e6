/*
 * gen_f5.c - F5 BIG-IP CGNAT PBA logs for cgnlog-gen, in the Splunk
 * key=value rendering (lsn_event="LSN_PB_ALLOCATED",cli=...,nat="B:LO-HI";
 * the PBA event names are reconstructed, see parser/syslog_f5.c).
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_f5(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<134>%s %s lsn_event=\"LSN_PB_%s\","
	    "cli=\"%s\",nat=\"%s:%u-%u\"", gu_bsd(ev->ts_ms, t, sizeof(t)),
	    device, a ? "ALLOCATED" : "RELEASED",
	    gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo, ev->port_hi),
	    len);
}

const struct gen_format gen_f5 = {
	.name = "f5",
	.what = "F5 BIG-IP LSN PBA key=value (LSN_PB_ALLOCATED/RELEASED)",
	.resolution_ms = 1000,
	.write = write_f5,
};
