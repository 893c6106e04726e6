/*
 * fuzz_pkt.c - libFuzzer target for the capture path's pure parts: the
 * frame decoder (pkt.c) over every link type it knows, and TCP stream
 * reassembly (tcpreasm.c) of what it decodes, with state kept across
 * inputs. The input is a list of frames, each a 1-byte link-type selector
 * and a 2-byte length. Checks: every pointer pkt_decode returns lies in
 * the frame, and reassembly delivers no more bytes than it was given.
 */
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "tcpreasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

static const int links[] = {
	PKT_LINK_ETHERNET, PKT_LINK_RAW, PKT_LINK_LINUX_SLL,
	PKT_LINK_LINUX_SLL2, PKT_LINK_NULL, PKT_LINK_IPV4, PKT_LINK_IPV6,
};

static uint64_t given, got;
static volatile uint8_t sink;	/* reads the ends: ASan checks them */

static void
on_data(void *arg, const struct tcpr_key *k, void **user, const uint8_t *p,
    size_t len)
{
	(void)arg;
	(void)k;
	(void)user;
	if (len > 0)
		sink = (uint8_t)(p[0] ^ p[len - 1]);
	got += len;
}

static void
on_end(void *arg, const struct tcpr_key *k, void **user, int why)
{
	(void)arg;
	(void)k;
	(void)user;
	(void)why;
}

static void
inside(const uint8_t *f, size_t n, const uint8_t *p, size_t plen)
{
	if (p != NULL && (p < f || p + plen > f + n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static struct tcpr *t;
	struct tcpr_key tk;
	struct pkt k;
	size_t n;

	if (t == NULL && tcpr_new(on_data, on_end, NULL, &t) != CGN_OK)
		abort();
	while (len >= 3) {
		int link = links[buf[0] % (sizeof(links) / sizeof(links[0]))];

		n = (size_t)(buf[1] << 8 | buf[2]);
		buf += 3;
		len -= 3;
		if (n > len)
			n = len;
		(void)pkt_decode(link, buf, n, &k);
		inside(buf, n, k.l3, k.l3len);
		inside(buf, n, k.l4, k.l4len);
		inside(buf, n, k.payload, k.paylen);
		inside(buf, n, k.tcpdata, k.tcplen);
		if (k.tcpdata != NULL) {
			memset(&tk, 0, sizeof(tk));
			tk.src = k.src;
			tk.dst = k.dst;
			tk.sport = k.sport;
			tk.dport = k.dport;
			given += k.tcplen;
			(void)tcpr_segment(t, &tk, k.seq, k.tcpflags,
			    k.tcpdata, k.tcplen);
			if (got > given)
				abort();
		}
		buf += n;
		len -= n;
	}
	return 0;
}
