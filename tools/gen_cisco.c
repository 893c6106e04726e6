/*
 * gen_cisco.c - Cisco formats for cgnlog-gen, as parser/syslog_cisco_*.c
 * read them: ASA port blocks (305014/305015), ASA translations (305011/
 * 305012: one port per block, see gen_util.h), IOS XR CGN UserbasedA/W
 * records, IOS %IPNAT-6-NAT_CREATED/DELETED (one port per block).
 */
#include <stdio.h>

#include "gen.h"
#include "gen_util.h"

/* ASA's own stamp with the year: "Nov 28 2026 10:15:03" */
static const char *
asa_time(int64_t ms, char *buf, size_t len)
{
	struct cgn_tm tm;

	tc_from_ms(ms, &tm);
	snprintf(buf, len, "%.3s %02d %04d %02d:%02d:%02d", gu_mon + 3 *
	    (tm.mon - 1), tm.day, tm.year, tm.hour, tm.min, tm.sec);
	return buf;
}

static size_t
write_asa(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<166>%s %s : %%ASA-6-%s: %s TCP"
	    " block of ports for translation from inside:%s to"
	    " outside:%s/%u-%u.", asa_time(ev->ts_ms, t, sizeof(t)), device,
	    a ? "305014" : "305015", a ? "Allocated" : "Released",
	    gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo, ev->port_hi),
	    len);
}

static size_t
write_asa_xlate(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32], dur[64] = "";
	int a = gu_is_alloc(ev);
	int64_t d;

	if (a < 0)
		return 0;
	if (!a) {
		d = (ev->ts_ms - ev->start_ms) / 1000;
		snprintf(dur, sizeof(dur), " duration %lld:%02lld:%02lld",
		    (long long)(d / 3600), (long long)(d / 60 % 60),
		    (long long)(d % 60));
	}
	return gu_fit(snprintf(buf, len, "<166>%s %s : %%ASA-6-%s: %s dynamic"
	    " TCP translation from inside:%s/%u to outside:%s/%u%s",
	    asa_time(ev->ts_ms, t, sizeof(t)), device,
	    a ? "305011" : "305012", a ? "Built" : "Teardown",
	    gu_ip(ev->inside, in, sizeof(in)), gu_sport(ev),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo, dur), len);
}

static size_t
write_xr(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<134>1 %s %s - - NAT44 -"
	    " [Userbased%s - %s Broadband - %s - %u %u - -]",
	    gu_ymon(ev->ts_ms, t, sizeof(t)), device, a ? "A" : "W",
	    gu_ip(ev->inside, in, sizeof(in)),
	    gu_ip(ev->outside, out, sizeof(out)), ev->port_lo, ev->port_hi),
	    len);
}

static size_t
write_ios(char *buf, size_t len, const struct gensim_ev *ev,
    const char *device)
{
	char in[16], out[16], t[32];
	int a = gu_is_alloc(ev);

	if (a < 0)
		return 0;
	return gu_fit(snprintf(buf, len, "<190>1: %s: *%s.%03d UTC:"
	    " %%IPNAT-6-NAT_%s: %s tcp %s:%u %s:%u 192.0.2.80:443"
	    " 192.0.2.80:443", device, gu_bsd(ev->ts_ms, t, sizeof(t)),
	    (int)(ev->ts_ms % 1000), a ? "CREATED" : "DELETED",
	    a ? "Created" : "Deleted", gu_ip(ev->inside, in, sizeof(in)),
	    gu_sport(ev), gu_ip(ev->outside, out, sizeof(out)), ev->port_lo),
	    len);
}

const struct gen_format gen_asa = {
	.name = "asa",
	.what = "Cisco ASA %ASA-6-305014/305015 port blocks",
	.resolution_ms = 1000,
	.write = write_asa,
};

const struct gen_format gen_asa_xlate = {
	.name = "asa-xlate",
	.what = "Cisco ASA 305011/305012 translations (sessions: a"
	    " block's first port)",
	.resolution_ms = 1000,
	.write = write_asa_xlate,
};

const struct gen_format gen_cisco_xr = {
	.name = "cisco-xr",
	.what = "Cisco IOS XR CGN [UserbasedA/W ...] records",
	.resolution_ms = 1000,
	.write = write_xr,
};

const struct gen_format gen_cisco_ios = {
	.name = "cisco-ios",
	.what = "Cisco IOS %IPNAT-6-NAT_CREATED/DELETED (sessions: a"
	    " block's first port)",
	.resolution_ms = 1,
	.write = write_ios,
};
