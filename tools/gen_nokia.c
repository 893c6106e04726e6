/*
 * gen_nokia.c - Nokia SR OS NAT flow logs for cgnlog-gen (LSN44 SADD/SDEL
 * with per-event time in centiseconds and a zone designator; sessions: a
 * block's first port, see gen_util.h). Field order as parser/syslog_nokia.c
 * reads it (reconstructed).
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_nokia(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32], t2[32];
	struct cgn_tm tm;
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	tc_from_ms(ev->ts_ms, &tm);
	snprintf(t2, sizeof(t2), "%04d %.3s %02d %02d:%02d:%02d:%02d",
	    tm.year, gu_mon + 3 * (tm.mon - 1), tm.day, tm.hour, tm.min,
	    tm.sec, tm.ms / 10);
	return gu_fit(snprintf(buf, len, "<134>%s %s TMNX: %u NAT [1/1]:"
	    " LSN44 %s %s UTC TCP %s %u %s %u 192.0.2.80 443",
	    gu_bsd(ev->ts_ms, t, sizeof(t)), device,
	    (unsigned)(ev->ts_ms / 10 % 100000), a ? "SADD" : "SDEL", t2,
	    gu_ip(ev->inside, in, sizeof(in)), gu_sport(ev),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo), len);
}

const struct gen_format gen_nokia = {
	.name = "nokia",
	.what = "Nokia SR OS NAT flow log LSN44 SADD/SDEL (sessions: a"
	    " block's first port)",
	.resolution_ms = 10,
	.write = write_nokia,
};
