/*
 * gen_ipfix.c - the simulated box as an IPFIX or NetFlow v9 NAT exporter
 * (see gen.h), and the pcap writer for its datagrams.
 *
 *   ipfix-pba      RFC 8158 port block template: natEvent 16 / 17
 *   ipfix-session  NAT44 session template as FD.io VPP sends it: 4 / 5
 *   nfv9-nel       Cisco NEL in NetFlow v9, bulk port allocation: 1 / 2
 *                  with portRangeStart/End
 *
 * Times are milliseconds (observationTimeMilliseconds). Interim events
 * have no natEvent in these numberings: they are not written (the caller
 * counts them). Not here: sockets (cgnlog-replay sends the pcap).
 */
#include <stdlib.h>
#include <string.h>

#include "cgn.h"
#include "gen.h"

#define TID_DATA 256
#define DGRAM_MAX 65000

struct gen_exp {
	const struct gen_binfmt *b;
	uint32_t domain;
	int per_dgram, tmpl_every;
	uint8_t buf[DGRAM_MAX];
	size_t n;		/* bytes in buf */
	size_t set_at;		/* the data set's header */
	int nrec;		/* records in the datagram being built */
	uint64_t dgrams;	/* datagrams finished */
	uint32_t seq;		/* IPFIX: records sent; v9: packets sent */
	int64_t last_ms;	/* time of the newest record */
	int64_t tmpl_ms;	/* when templates were last sent */
	int with_tmpl;		/* the datagram being built has them */
};

/* Templates are re-sent every tmpl_every datagrams and at least this
 * often, so a collector's template lifetime (30 min) never runs out. */
#define TMPL_REFRESH_MS (5 * 60 * 1000)

/* (IE, length) of each template, in record order. */
static const uint16_t tmpl_pba[][2] = {
	{ 323, 8 }, { 230, 1 }, { 8, 4 }, { 225, 4 }, { 361, 2 }, { 362, 2 },
	{ 363, 2 }, { 364, 2 },
};
static const uint16_t tmpl_session[][2] = {
	{ 323, 8 }, { 230, 1 }, { 8, 4 }, { 225, 4 }, { 4, 1 }, { 7, 2 },
	{ 227, 2 }, { 234, 4 },
};
static const uint16_t tmpl_nel[][2] = {
	{ 323, 8 }, { 230, 1 }, { 8, 4 }, { 225, 4 }, { 361, 2 }, { 362, 2 },
};

static void
put16(struct gen_exp *x, unsigned v)
{
	x->buf[x->n++] = (uint8_t)(v >> 8);
	x->buf[x->n++] = (uint8_t)v;
}

static void
put32(struct gen_exp *x, uint32_t v)
{
	put16(x, v >> 16);
	put16(x, v & 0xffff);
}

static void
at16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
template_set(struct gen_exp *x)
{
	const uint16_t (*t)[2];
	size_t n, i, start = x->n;

	if (x->b->version == 9)
		t = tmpl_nel, n = sizeof(tmpl_nel) / sizeof(tmpl_nel[0]);
	else if (x->b->kind == GEN_K_SESSION)
		t = tmpl_session,
		n = sizeof(tmpl_session) / sizeof(tmpl_session[0]);
	else
		t = tmpl_pba, n = sizeof(tmpl_pba) / sizeof(tmpl_pba[0]);
	put16(x, x->b->version == 9 ? 0 : 2);	/* template (flow)set */
	put16(x, 0);
	put16(x, TID_DATA);
	put16(x, (unsigned)n);
	for (i = 0; i < n; i++) {
		put16(x, t[i][0]);
		put16(x, t[i][1]);
	}
	at16(x->buf + start + 2, x->n - start);
}

/* Header and, when due, templates; then the data set's header. */
static void
begin(struct gen_exp *x, int64_t now_ms)
{
	x->n = 0;
	x->nrec = 0;
	if (x->b->version == 9) {
		put16(x, 9);
		put16(x, 0);		/* count: at the end */
		put32(x, 0);		/* sysUpTime: at the end */
		put32(x, 0);		/* unix secs: at the end */
		put32(x, x->seq);
		put32(x, x->domain);
	} else {
		put16(x, 10);
		put16(x, 0);		/* length: at the end */
		put32(x, 0);		/* export time: at the end */
		put32(x, x->seq);
		put32(x, x->domain);
	}
	x->with_tmpl = x->dgrams % (uint64_t)x->tmpl_every == 0 ||
	    now_ms - x->tmpl_ms >= TMPL_REFRESH_MS;
	if (x->with_tmpl) {
		template_set(x);
		x->tmpl_ms = now_ms;
	}
	x->set_at = x->n;
	put16(x, TID_DATA);
	put16(x, 0);
}

static void
finish(struct gen_exp *x, const uint8_t **dg, size_t *len, int64_t *ts_ms)
{
	uint32_t secs = (uint32_t)((x->last_ms + 999) / 1000);

	if (x->b->version == 9)
		while ((x->n - x->set_at) % 4 != 0)	/* RFC 3954 5.3 */
			x->buf[x->n++] = 0;
	at16(x->buf + x->set_at + 2, x->n - x->set_at);
	if (x->b->version == 9) {
		/* records of all kinds, templates included */
		at16(x->buf + 2, (size_t)x->nrec + (size_t)x->with_tmpl);
		x->buf[8] = (uint8_t)(secs >> 24);
		x->buf[9] = (uint8_t)(secs >> 16);
		x->buf[10] = (uint8_t)(secs >> 8);
		x->buf[11] = (uint8_t)secs;
		x->seq++;
	} else {
		at16(x->buf + 2, x->n);
		x->buf[4] = (uint8_t)(secs >> 24);
		x->buf[5] = (uint8_t)(secs >> 16);
		x->buf[6] = (uint8_t)(secs >> 8);
		x->buf[7] = (uint8_t)secs;
		x->seq += (uint32_t)x->nrec;
	}
	*dg = x->buf;
	*len = x->n;
	*ts_ms = (int64_t)secs * 1000;
	x->dgrams++;
	x->nrec = 0;
	x->n = 0;
}

int
gen_exp_new(const struct gen_binfmt *b, uint32_t domain, int per_dgram,
    int tmpl_every, struct gen_exp **out)
{
	struct gen_exp *x;

	if (per_dgram < 1 || per_dgram > 1000 || tmpl_every < 1)
		return CGN_EINVAL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return CGN_ENOMEM;
	x->b = b;
	x->domain = domain;
	x->per_dgram = per_dgram;
	x->tmpl_every = tmpl_every;
	*out = x;
	return CGN_OK;
}

void
gen_exp_free(struct gen_exp *x)
{
	free(x);
}

uint16_t
gen_session_port(const struct gensim_ev *ev)
{
	return ev->port_lo;
}

uint16_t
gen_session_inside_port(const struct gensim_ev *ev)
{
	return (uint16_t)(1024 + (ev->inside * 7u + ev->port_lo) % 64000u);
}

int
gen_exp_add(struct gen_exp *x, const struct gensim_ev *ev,
    const uint8_t **dg, size_t *len, int64_t *ts_ms)
{
	int release = ev->type == CGN_EV_PBA_RELEASE;
	uint64_t ms = (uint64_t)ev->ts_ms;
	int i;

	if (ev->type != CGN_EV_PBA_ALLOC && !release)
		return -1;	/* no interim in these numberings */
	if (x->n == 0)
		begin(x, ev->ts_ms);
	for (i = 7; i >= 0; i--)
		x->buf[x->n++] = (uint8_t)(ms >> (8 * i));
	if (x->b->version == 9)
		x->buf[x->n++] = release ? 2 : 1;
	else if (x->b->kind == GEN_K_SESSION)
		x->buf[x->n++] = release ? 5 : 4;
	else
		x->buf[x->n++] = release ? 17 : 16;
	put32(x, ev->inside);
	put32(x, ev->outside);
	if (x->b->kind == GEN_K_SESSION) {
		x->buf[x->n++] = 6;	/* TCP */
		put16(x, gen_session_inside_port(ev));
		put16(x, gen_session_port(ev));
		put32(x, 0);		/* VRF */
	} else {
		put16(x, ev->port_lo);
		put16(x, ev->port_hi);
		if (x->b->version == 10) {
			put16(x, 1);
			put16(x, (unsigned)(ev->port_hi - ev->port_lo + 1));
		}
	}
	x->last_ms = ev->ts_ms;
	if (++x->nrec < x->per_dgram)
		return 0;
	finish(x, dg, len, ts_ms);
	return 1;
}

int
gen_exp_flush(struct gen_exp *x, const uint8_t **dg, size_t *len,
    int64_t *ts_ms)
{
	if (x->nrec == 0)
		return 0;
	finish(x, dg, len, ts_ms);
	return 1;
}

/* ---- pcap ------------------------------------------------------------- */

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int
gen_pcap_header(FILE *f)
{
	uint8_t h[24] = { 0 };

	le32(h, 0xa1b2c3d4);	/* microsecond timestamps */
	h[4] = 2;		/* version 2.4 */
	h[6] = 4;
	le32(h + 16, 65535);	/* snap length */
	le32(h + 20, 1);	/* LINKTYPE_ETHERNET */
	return fwrite(h, 1, sizeof(h), f) == sizeof(h) ? CGN_OK : CGN_EIO;
}

int
gen_pcap_udp(FILE *f, int64_t ts_ms, uint16_t dport, const uint8_t *p,
    size_t len)
{
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1,
	    0x08, 0x00 };
	uint8_t h[16 + 14 + 20 + 8];
	size_t tot = 20 + 8 + len, frame = 14 + tot;
	uint32_t sum = 0;
	int i;

	if (tot > 65535)
		return CGN_EINVAL;
	le32(h, (uint32_t)(ts_ms / 1000));
	le32(h + 4, (uint32_t)(ts_ms % 1000 * 1000));
	le32(h + 8, (uint32_t)frame);
	le32(h + 12, (uint32_t)frame);
	memcpy(h + 16, eth, 14);
	memset(h + 30, 0, 28);
	h[30] = 0x45;
	at16(h + 32, tot);
	h[38] = 64;		/* TTL */
	h[39] = 17;		/* UDP */
	memcpy(h + 42, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(h[30 + i] << 8 | h[31 + i]);
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	at16(h + 40, ~sum & 0xffff);
	at16(h + 50, 40000);
	at16(h + 52, dport);
	at16(h + 54, 8 + len);	/* checksum 0: none (RFC 768) */
	if (fwrite(h, 1, sizeof(h), f) != sizeof(h) ||
	    fwrite(p, 1, len, f) != len)
		return CGN_EIO;
	return CGN_OK;
}

static const struct gen_binfmt bin_ipfix_pba = { 10, GEN_K_PBA, 4739 };
static const struct gen_binfmt bin_ipfix_session = { 10, GEN_K_SESSION,
    4739 };
static const struct gen_binfmt bin_nfv9_nel = { 9, GEN_K_PBA, 2055 };

const struct gen_format gen_ipfix_pba = {
	"ipfix-pba", "IPFIX RFC 8158 port blocks, natEvent 16/17 (pcap)", 1,
	NULL, &bin_ipfix_pba
};

const struct gen_format gen_ipfix_session = {
	"ipfix-session", "IPFIX NAT44 sessions, natEvent 4/5 (pcap)", 1, NULL,
	&bin_ipfix_session
};

const struct gen_format gen_nfv9_nel = {
	"nfv9-nel", "NetFlow v9 Cisco NEL port blocks, natEvent 1/2 (pcap)",
	1, NULL, &bin_nfv9_nel
};
