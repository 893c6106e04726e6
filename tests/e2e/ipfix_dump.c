/*
 * ipfix_dump.c - a test tool: read a pcap or pcapng file of IPFIX /
 * NetFlow v9 exports (libpcap), decode each frame (pkt.c), feed each UDP
 * payload to the parser its version names, through one state, and print
 * one line per event:
 *
 *   frame type ts_ms inside outside port_lo port_hi proto inside_port
 *
 * then "records N events N ignored N" from the parser's counters. The
 * tshark oracle (ipfix_tshark.py) compares these lines with its own
 * decoding of the same file. The exporter is the frame's source address.
 * Not here: any judgement of what is right.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "cgn.h"
#include "parser.h"
#include "pkt.h"

static long frameno;

static int
print_event(void *arg, const struct cgn_event *ev)
{
	char in[CGN_ADDR_STRLEN], out[CGN_ADDR_STRLEN];

	(void)arg;
	printf("%ld %s %lld %s %s %u %u %u %u\n", frameno,
	    cgn_evtype_str(ev->type), (long long)ev->ts_ms,
	    cgn_addr_fmt(&ev->inside, in, sizeof(in)),
	    cgn_addr_fmt(&ev->outside, out, sizeof(out)), ev->port_lo,
	    ev->port_hi, ev->proto, ev->inside_port);
	return 0;
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	const struct cgn_parser *p;
	struct cgn_pstate *st;
	struct cgn_pcounters c;
	struct cgn_src src;
	struct pkt k;
	pcap_t *pc;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: ipfix_dump FILE.pcap\n");
		return 64;
	}
	if ((pc = pcap_open_offline(argv[1], errbuf)) == NULL) {
		fprintf(stderr, "ipfix_dump: %s\n", errbuf);
		return 66;
	}
	if (pstate_new(&st) != CGN_OK)
		return 71;
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		frameno++;
		if (pkt_decode(pcap_datalink(pc), data, h->caplen, &k) !=
		    CGN_OK || k.payload == NULL || k.paylen < 2)
			continue;
		p = k.payload[1] == 10 ? &ipfix_parser : k.payload[1] == 9 ?
		    &nfv9_parser : NULL;
		if (p == NULL)
			continue;
		memset(&src, 0, sizeof(src));
		src.exporter = k.src;
		src.exporter_port = k.sport;
		src.rx_ms = (int64_t)h->ts.tv_sec * 1000 + h->ts.tv_usec / 1000;
		r = p->parse(st, &src, k.payload, k.paylen, print_event, NULL);
		if (r != CGN_OK)
			printf("%ld error %s\n", frameno, cgn_rc_str(r));
	}
	pstate_counters(st, &c);
	printf("records %llu events %llu ignored %llu\n",
	    (unsigned long long)c.records, (unsigned long long)c.events,
	    (unsigned long long)c.ignored);
	pstate_free(st);
	pcap_close(pc);
	return 0;
}
