/*
 * gen_huawei.c - Huawei CGN type3 flow syslog (NAT444:SessionbasedA/W) and
 * H3C Comware USERLOG NAT session logs for cgnlog-gen (both sessions: a
 * block's first port, see gen_util.h).
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

static size_t
write_huawei(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<134>1 %s %s cgn -"
	    " NAT444:Sessionbased%s [6 %s - %s %u %u -]",
	    gu_ymon(ev->ts_ms, t, sizeof(t)), device, a ? "A" : "W",
	    gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), gu_sport(ev), ev->port_lo),
	    len);
}

static size_t
write_h3c(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32], s[32], e[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<190>%s %s %%%%10USERLOG/6/NAT:"
	    " TCP; %s:%u--->%s:%u; 192.0.2.80:443; [%s-%s]; Operator %s",
	    gu_bsd(ev->ts_ms, t, sizeof(t)), device,
	    gu_ip(ev->inside, in, sizeof(in)), gu_sport(ev),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo,
	    gu_ymd(a ? ev->ts_ms : ev->start_ms, '/', s, sizeof(s)),
	    a ? "0000/00/00 00:00:00" : gu_ymd(ev->ts_ms, '/', e, sizeof(e)),
	    a ? "8: Data flow created" : "1: Normal over"), len);
}

const struct gen_format gen_huawei = {
	.name = "huawei",
	.what = "Huawei CGN NAT444:SessionbasedA/W (sessions: a block's"
	    " first port)",
	.resolution_ms = 1000,
	.write = write_huawei,
};

const struct gen_format gen_h3c = {
	.name = "h3c",
	.what = "H3C Comware USERLOG/6/NAT session logs (sessions: a block's"
	    " first port)",
	.resolution_ms = 1000,
	.write = write_h3c,
};
