/*
 * fuzz_nfv9.c - libFuzzer target for the NetFlow v9 parser and the template
 * cache. The state is kept across inputs, so templates from one input meet
 * data from later ones (and the cache's bounds are exercised). Every event
 * must be well formed; every reported gap must have from <= to.
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
	    ev->port_lo > ev->port_hi || ev->tsrc != CGN_TS_UTC ||
	    memchr(ev->device, '\0', sizeof(ev->device)) == NULL ||
	    memchr(ev->subscriber, '\0', sizeof(ev->subscriber)) == NULL)
		abort();
	return 0;
}

static void
gap(void *arg, const char *device, int64_t from, int64_t to, uint64_t lost)
{
	(void)arg;
	if (from > to || lost == 0 || device[0] == '\0')
		abort();
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
	/* two exporters, picked by the input's length */
	cgn_addr_v4(&src.exporter, 0xc0000201 + (uint32_t)(len & 1));
	src.exporter_port = 40000;
	src.gap = gap;
	(void)nfv9_parser.parse(st, &src, buf, len, check, NULL);
	return 0;
}
