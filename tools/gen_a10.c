/*
 * gen_a10.c - A10 Thunder CGN formats for cgnlog-gen: CEF port batches
 * (CGN 106/107, as a syslog server stores the line) and the plain
 * PortBatchV2Allocated/Freed records (parser/syslog_a10.c).
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_cef(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "%s 10.254.254.57 %s/cgn  CEF:0|A10|"
	    "CFW|6.0.0-P1|CGN %s|Nat Port Batch Pool %s|5|proto=TCP src=%s"
	    " sourceTranslatedAddress=%s sourceTranslatedPort=%u cn3=%u"
	    " cn3Label=Last Nat Port", tc_fmt(ev->ts_ms, t, sizeof(t)),
	    device, a ? "106" : "107", a ? "Allocated" : "Freed",
	    gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo, ev->port_hi),
	    len);
}

static size_t
write_plain(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<134>%s %s PortBatchV2%s: [%s %s %u"
	    " %u]", gu_bsd(ev->ts_ms, t, sizeof(t)), device,
	    a ? "Allocated" : "Freed", gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo, ev->port_hi),
	    len);
}

const struct gen_format gen_a10_cef = {
	.name = "a10-cef",
	.what = "A10 Thunder CGN CEF port batches (CGN 106/107)",
	.resolution_ms = 1,
	.write = write_cef,
};

const struct gen_format gen_a10 = {
	.name = "a10",
	.what = "A10 Thunder CGN PortBatchV2Allocated/Freed",
	.resolution_ms = 1000,
	.write = write_plain,
};
