/*
 * nflog_pair.c - the "nflog" format: NFLOG messages to SESSION_CREATE,
 * either from the attached conntrack entry (NFULA_CT) or by pairing the
 * two messages of the two-rule mode.
 *
 * Two-rule mode: the first packet of a flow is logged in the forward hook
 * (prefix pre: inside source) and again after SNAT (prefix post: public
 * source). NAT rewrites the source address and port and the checksums,
 * nothing else, so the two halves of one packet agree on: protocol,
 * destination address and port, IP id (IPv6: flow label), total length,
 * TTL, TCP sequence number and the remaining L4 bytes (digest). A half
 * waits up to NFL_WINDOW_MS (by receive time) for the other; normally it
 * comes in microseconds. Exactly one candidate pairs; two or more (the
 * same key twice at once: e.g. retransmitted identical UDP datagrams with
 * IP id 0 on two CPUs) give no event and are counted as ambiguous, since
 * a wrong pair names the wrong subscriber.
 * Not here: decoding (nflog.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nflog.h"
#include "pstate.h"

#define PAIR_CAP 16384		/* halves waiting at most; power of two */

/* What both halves of one packet share. Zeroed before filling, so it can
 * be hashed and compared as bytes. */
struct pkey {
	struct cgn_addr dst;
	uint64_t digest;
	uint32_t ipid;
	uint32_t seq;
	uint16_t dport;
	uint16_t totlen;
	uint8_t proto;
	uint8_t ttl;
	uint8_t pad[2];
};

/* One half waiting for the other. */
struct half {
	struct pkey k;
	struct cgn_addr src;	/* inside (pre) or public (post) */
	int64_t ts_ms;		/* the kernel's time, 0: none */
	int64_t rx_ms;
	uint32_t next;		/* bucket chain: index + 1, 0 ends */
	uint32_t bucket;
	uint16_t sport;
	uint8_t side;		/* 0: pre, 1: post */
	uint8_t live;		/* 0: paired or expired */
};

struct nfl_pair {
	char prefix[2][NFL_PREFIXLEN];	/* pre, post */
	struct half *h;		/* ring in arrival order */
	uint32_t head, n;	/* ring: oldest, occupied (dead too) */
	uint32_t bkt[PAIR_CAP];	/* key hash -> first half, index + 1 */
	struct nfl_stats st;
};

static struct nfl_pair *
pair_get(struct cgn_pstate *st)
{
	struct nfl_pair *pr;

	if (st->nfl != NULL)
		return st->nfl;
	if ((pr = calloc(1, sizeof(*pr))) == NULL)
		return NULL;
	if ((pr->h = calloc(PAIR_CAP, sizeof(*pr->h))) == NULL) {
		free(pr);
		return NULL;
	}
	memcpy(pr->prefix[0], NFL_PRE_DEFAULT, sizeof(NFL_PRE_DEFAULT));
	memcpy(pr->prefix[1], NFL_POST_DEFAULT, sizeof(NFL_POST_DEFAULT));
	st->nfl = pr;
	return pr;
}

void
nfl_pstate_free(struct cgn_pstate *st)
{
	if (st == NULL || st->nfl == NULL)
		return;
	free(st->nfl->h);
	free(st->nfl);
	st->nfl = NULL;
}

int
nfl_configure(struct cgn_pstate *st, const char *pre, const char *post)
{
	struct nfl_pair *pr;

	if ((pre != NULL && strlen(pre) >= NFL_PREFIXLEN) ||
	    (post != NULL && strlen(post) >= NFL_PREFIXLEN))
		return CGN_EINVAL;
	if ((pr = pair_get(st)) == NULL)
		return CGN_ENOMEM;
	if (pre != NULL)
		strcpy(pr->prefix[0], pre);
	if (post != NULL)
		strcpy(pr->prefix[1], post);
	return CGN_OK;
}

void
nfl_stats_get(const struct cgn_pstate *st, struct nfl_stats *out)
{
	if (st->nfl == NULL)
		memset(out, 0, sizeof(*out));
	else
		*out = st->nfl->st;
}

static uint32_t
key_hash(const struct pkey *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < sizeof(*k); i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return (uint32_t)(h ^ h >> 32) & (PAIR_CAP - 1);
}

static void
unlink_half(struct nfl_pair *pr, uint32_t i)
{
	uint32_t *pp = &pr->bkt[pr->h[i].bucket];

	while (*pp != 0 && *pp != i + 1)
		pp = &pr->h[*pp - 1].next;
	if (*pp != 0)
		*pp = pr->h[i].next;
	pr->h[i].live = 0;
	pr->st.waiting--;
}

static void
expire(struct nfl_pair *pr, int64_t now_ms)
{
	struct half *e;

	while (pr->n > 0) {
		e = &pr->h[pr->head];
		if (e->live) {
			if (now_ms != INT64_MAX &&
			    e->rx_ms > now_ms - NFL_WINDOW_MS)
				break;
			pr->st.unpaired++;
			unlink_half(pr, pr->head);
		}
		pr->head = (pr->head + 1) & (PAIR_CAP - 1);
		pr->n--;
	}
}

void
nfl_expire(struct cgn_pstate *st, int64_t now_ms)
{
	if (st->nfl != NULL)
		expire(st->nfl, now_ms);
}

static void
add_half(struct nfl_pair *pr, const struct half *nh)
{
	uint32_t i;

	if (pr->n == PAIR_CAP) {	/* full: the oldest gives way */
		if (pr->h[pr->head].live) {
			pr->st.unpaired++;
			unlink_half(pr, pr->head);
		}
		pr->head = (pr->head + 1) & (PAIR_CAP - 1);
		pr->n--;
	}
	i = (pr->head + pr->n) & (PAIR_CAP - 1);
	pr->h[i] = *nh;
	pr->h[i].live = 1;
	pr->h[i].next = pr->bkt[nh->bucket];
	pr->bkt[nh->bucket] = i + 1;
	pr->n++;
	pr->st.waiting++;
}

/* The event of a completed pair; 0 if NAT changed nothing. */
static int
pair_event(const struct half *pre, const struct half *post,
    struct cgn_event *ev)
{
	if (cgn_addr_cmp(&pre->src, &post->src) == 0 &&
	    pre->sport == post->sport)
		return 0;
	ev->type = CGN_EV_SESSION_CREATE;
	ev->proto = pre->k.proto;
	ev->inside = pre->src;
	ev->inside_port = pre->sport;
	ev->outside = post->src;
	ev->port_lo = post->sport;
	ev->port_hi = post->sport;
	ev->dst = pre->k.dst;
	ev->dst_port = pre->k.dport;	/* ICMP: 0 */
	if (post->ts_ms != 0 || pre->ts_ms != 0) {
		ev->ts_ms = post->ts_ms != 0 ? post->ts_ms : pre->ts_ms;
		ev->tsrc = CGN_TS_UTC;
	} else {	/* the first half to arrive is the closer time */
		ev->ts_ms = pre->rx_ms < post->rx_ms ? pre->rx_ms :
		    post->rx_ms;
		ev->tsrc = CGN_TS_RX;
	}
	return 1;
}

static int
pair_msg(struct nfl_pair *pr, const struct nfl_msg *m, int side,
    const struct cgn_src *src, struct cgn_event *ev, cgn_emit_fn *emit,
    void *arg)
{
	struct half nh;
	uint32_t i, cand = 0, which = 0;

	memset(&nh, 0, sizeof(nh));
	nh.k.dst = m->pkt.t.dst;
	nh.k.digest = m->pkt.digest;
	nh.k.ipid = m->pkt.ipid;
	nh.k.seq = m->pkt.seq;
	/* an ICMP echo's "port" is its identifier, which NAT rewrites */
	if (m->pkt.t.proto != 1 && m->pkt.t.proto != 58)
		nh.k.dport = m->pkt.t.dport;
	nh.k.totlen = m->pkt.totlen;
	nh.k.proto = m->pkt.t.proto;
	nh.k.ttl = m->pkt.ttl;
	nh.src = m->pkt.t.src;
	nh.sport = m->pkt.t.sport;
	nh.ts_ms = m->ts_ms;
	nh.rx_ms = src->rx_ms;
	nh.side = (uint8_t)side;
	nh.bucket = key_hash(&nh.k);

	for (i = pr->bkt[nh.bucket]; i != 0; i = pr->h[i - 1].next) {
		const struct half *e = &pr->h[i - 1];

		if (e->side != side &&
		    memcmp(&e->k, &nh.k, sizeof(nh.k)) == 0) {
			cand++;
			which = i - 1;
		}
	}
	if (cand == 0) {
		add_half(pr, &nh);
		return CGN_OK;
	}
	if (cand > 1) {
		/* no guess: drop every candidate, and this half */
		for (i = pr->bkt[nh.bucket]; i != 0; ) {
			uint32_t cur = i - 1;

			i = pr->h[cur].next;
			if (pr->h[cur].side != side &&
			    memcmp(&pr->h[cur].k, &nh.k, sizeof(nh.k)) == 0)
				unlink_half(pr, cur);
		}
		pr->st.ambiguous += cand + 1;
		return CGN_OK;
	}
	unlink_half(pr, which);
	pr->st.paired++;
	if (!pair_event(side == 0 ? &nh : &pr->h[which],
	    side == 0 ? &pr->h[which] : &nh, ev)) {
		pr->st.no_nat++;
		return CGN_OK;
	}
	return emit(arg, ev);
}

static int
nfl_log_parse(struct cgn_pstate *st, const struct cgn_src *src,
    const uint8_t *buf, size_t len, cgn_emit_fn *emit, void *arg)
{
	struct cgn_event ev;
	struct nfl_pair *pr;
	struct nfl_msg m;
	int rc, side;

	if ((rc = nfl_msg_decode(buf, len, &m)) != CGN_OK)
		return rc;
	if ((pr = pair_get(st)) == NULL)
		return CGN_ENOMEM;
	memset(&ev, 0, sizeof(ev));
	ev.rx_ms = src->rx_ms;
	snprintf(ev.device, sizeof(ev.device), "%s",
	    src->device != NULL ? src->device : "nflog");
	expire(pr, src->rx_ms);
	if (m.has_ct) {
		pr->st.ct++;
		if (!nfl_ct_mapping(&m.ct, &ev)) {
			pr->st.no_nat++;	/* e.g. logged before SNAT */
			return CGN_OK;
		}
		ev.ts_ms = m.ts_ms != 0 ? m.ts_ms : src->rx_ms;
		ev.tsrc = m.ts_ms != 0 ? CGN_TS_UTC : CGN_TS_RX;
		return emit(arg, &ev);
	}
	if (strcmp(m.prefix, pr->prefix[0]) == 0)
		side = 0;
	else if (strcmp(m.prefix, pr->prefix[1]) == 0)
		side = 1;
	else
		side = -1;
	if (side < 0 || !m.has_pkt) {
		pr->st.other++;
		return CGN_OK;
	}
	return pair_msg(pr, &m, side, src, &ev, emit, arg);
}

/* An NFLOG message: AF_INET/AF_INET6, version 0, then attributes. */
static int
nfl_log_detect(const uint8_t *buf, size_t len)
{
	struct nfl_msg m;

	if (len < 8 || (buf[0] != 2 && buf[0] != 10) || buf[1] != 0)
		return 0;
	return nfl_msg_decode(buf, len, &m) == CGN_OK && m.hook != 0xff;
}

const struct cgn_parser nfl_log_parser = {
	.name = "nflog",
	.detect = nfl_log_detect,
	.parse = nfl_log_parse,
};
