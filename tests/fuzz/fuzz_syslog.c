/*
 * fuzz_syslog.c - libFuzzer target for the syslog parser (framing and
 * every vendor body). Besides not crashing, every event it emits must be
 * well formed: a known type, ports in order, an outside address.
 */
#include <stdlib.h>
#include <string.h>

#include "parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

static int
check(void *arg, const struct cgn_event *ev)
{
	(void)arg;
	if (ev->type <= CGN_EV_NONE || ev->type >= CGN_EV_MAX ||
	    ev->port_lo > ev->port_hi || cgn_addr_is_zero(&ev->outside) ||
	    memchr(ev->device, '\0', sizeof(ev->device)) == NULL ||
	    memchr(ev->subscriber, '\0', sizeof(ev->subscriber)) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static struct cgn_pstate *st;
	struct cgn_src src;

	if (st == NULL && pstate_new(&st) != CGN_OK)
		abort();
	memset(&src, 0, sizeof(src));
	src.rx_ms = 1795860000000LL;	/* 2026-11-28T10:00:00Z */
	cgn_addr_v4(&src.exporter, 0xc0000201);
	(void)syslog_parser.parse(st, &src, buf, len, check, NULL);
	return 0;
}
