/*
 * fuzz_nflog.c - libFuzzer target for the "nflog" and "nfct" formats: the
 * NFLOG attribute walk, NFULA_CT and ctnetlink conntrack lists, the IP
 * header decoder and the pre/post pairing table (state kept across
 * inputs, so halves from one input meet halves from another). The first
 * byte picks the format. Every event must be well formed.
 */
#include <stdlib.h>
#include <string.h>

#include "nflog.h"

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

static int
check(void *arg, const struct cgn_event *ev)
{
	(void)arg;
	if ((ev->type != CGN_EV_SESSION_CREATE &&
	    ev->type != CGN_EV_SESSION_DELETE) ||
	    ev->port_lo != ev->port_hi || cgn_addr_is_zero(&ev->outside) ||
	    memchr(ev->device, '\0', sizeof(ev->device)) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static struct cgn_pstate *st;
	static int64_t now = 1795860000000LL;
	struct cgn_src src;

	if (st == NULL && pstate_new(&st) != CGN_OK)
		abort();
	if (len < 1)
		return 0;
	memset(&src, 0, sizeof(src));
	src.rx_ms = now;
	now += 100;		/* halves expire now and then */
	src.device = "fuzz";
	if (buf[0] & 1)
		(void)nfl_ct_parser.parse(st, &src, buf + 1, len - 1, check,
		    NULL);
	else
		(void)nfl_log_parser.parse(st, &src, buf + 1, len - 1, check,
		    NULL);
	/* the whole input as one message too, as detect() might route it */
	(void)nfl_log_parser.parse(st, &src, buf, len, check, NULL);
	return 0;
}
