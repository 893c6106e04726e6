/*
 * flowmsg.c - the IPFIX and NetFlow v9 message builder and per-test parser
 * state of flowmsg.h (see there).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgn.h"
#include "flowmsg.h"
#include "parser.h"
#include "ptest.h"

void
put8(struct mb *m, unsigned v)
{
	m->b[m->n++] = (uint8_t)v;
}

void
put16(struct mb *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v & 255);
}

void
put32(struct mb *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

void
put64(struct mb *m, uint64_t v)
{
	put32(m, (uint32_t)(v >> 32));
	put32(m, (uint32_t)v);
}

void
put_ip(struct mb *m, const char *s)
{
	unsigned a, b, c, d;

	assert_int_equal(sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
	put8(m, a);
	put8(m, b);
	put8(m, c);
	put8(m, d);
}

void
ipfix_start(struct mb *m, uint32_t export_s, uint32_t seq, uint32_t dom)
{
	memset(m, 0, sizeof(*m));
	put16(m, 10);
	put16(m, 0);		/* length: ipfix_end */
	put32(m, export_s);
	put32(m, seq);
	put32(m, dom);
}

size_t
ipfix_end(struct mb *m)
{
	m->b[2] = (uint8_t)(m->n >> 8);
	m->b[3] = (uint8_t)m->n;
	return m->n;
}

void
v9_start(struct mb *m, uint32_t export_s, uint32_t seq, uint32_t srcid)
{
	memset(m, 0, sizeof(*m));
	put16(m, 9);
	put16(m, 1);		/* count: not relied upon */
	put32(m, 100000);	/* sysUpTime */
	put32(m, export_s);
	put32(m, seq);
	put32(m, srcid);
}

void
set_start(struct mb *m, unsigned id)
{
	m->set_at = m->n;
	put16(m, id);
	put16(m, 0);
}

void
set_end(struct mb *m)
{
	size_t len = m->n - m->set_at;

	m->b[m->set_at + 2] = (uint8_t)(len >> 8);
	m->b[m->set_at + 3] = (uint8_t)len;
}

/* A template record: id, then (ie, len) pairs; in IPFIX an ie with bit
 * 15 takes the next value as its enterprise number (v9 has no such bit).
 * Ends at a 0 ie. */
static void
put_tmpl(struct mb *m, unsigned id, const uint32_t *f, int ipfix)
{
	size_t cnt = 0, i;

	for (i = 0; f[i] != 0; i += ipfix && (f[i] & 0x8000) ? 3 : 2)
		cnt++;
	put16(m, id);
	put16(m, (unsigned)cnt);
	for (i = 0; f[i] != 0; i += 2) {
		put16(m, f[i]);
		put16(m, f[i + 1]);
		if (ipfix && (f[i] & 0x8000))
			put32(m, f[++i + 1]);
	}
}

void
put_template(struct mb *m, unsigned id, const uint32_t *f)
{
	put_tmpl(m, id, f, 1);
}

void
put_template_v9(struct mb *m, unsigned id, const uint32_t *f)
{
	put_tmpl(m, id, f, 0);
}

struct cgn_src src_a;

void
gap_rec(void *arg, const char *device, int64_t from, int64_t to,
    uint64_t lost)
{
	struct gaps *g = arg;

	g->n++;
	snprintf(g->device, sizeof(g->device), "%s", device);
	g->from = from;
	g->to = to;
	g->lost = lost;
}

int
setup(void **state)
{
	struct cgn_pstate *st;

	memset(&src_a, 0, sizeof(src_a));
	cgn_addr_v4(&src_a.exporter, EXPORTER);
	src_a.exporter_port = 40000;
	src_a.rx_ms = RX_MS;
	if (pstate_new(&st) != CGN_OK)
		return -1;
	*state = st;
	return 0;
}

int
teardown(void **state)
{
	pstate_free(*state);
	return 0;
}

int
parse(const struct cgn_parser *p, void *st, struct mb *m, size_t len,
    struct sink *sk)
{
	memset(sk, 0, sizeof(*sk));
	return p->parse(st, &src_a, m->b, len, sink_emit, sk);
}

struct cgn_pcounters
counters(void *st)
{
	struct cgn_pcounters c;

	pstate_counters(st, &c);
	return c;
}

/* RFC 8158 port block template (formats.md 1.7). */
const uint32_t pba_fields[] = {
	323, 8, 230, 1, 8, 4, 225, 4, 361, 2, 362, 2, 363, 2, 364, 2, 234, 4,
	0
};

void
put_pba(struct mb *m, uint64_t ms, unsigned ev, const char *in,
    const char *out, unsigned lo, unsigned hi)
{
	put64(m, ms);
	put8(m, ev);
	put_ip(m, in);
	put_ip(m, out);
	put16(m, lo);
	put16(m, hi);
	put16(m, 1);
	put16(m, hi - lo + 1);
	put32(m, 7);
}

/* VPP's NAT44 session template (formats.md 1.7). */
const uint32_t sess_fields[] = {
	323, 8, 230, 1, 8, 4, 225, 4, 4, 1, 7, 2, 227, 2, 234, 4, 0
};

void
put_sess(struct mb *m, uint64_t ms, unsigned ev, const char *in,
    unsigned inport, const char *out, unsigned outport, unsigned proto)
{
	put64(m, ms);
	put8(m, ev);
	put_ip(m, in);
	put_ip(m, out);
	put8(m, proto);
	put16(m, inport);
	put16(m, outport);
	put32(m, 0);
}

/* A template message for id 256 (PBA) and 257 (session). */
size_t
msg_templates(struct mb *m, uint32_t seq)
{
	ipfix_start(m, EXPORT_S, seq, 5);
	set_start(m, 2);
	put_template(m, 256, pba_fields);
	put_template(m, 257, sess_fields);
	set_end(m);
	return ipfix_end(m);
}
