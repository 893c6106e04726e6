/*
 * bench_fixbuf.c - the libfixbuf evaluation: the same IPFIX datagrams
 * decoded by CERT's libfixbuf (in-memory buffer mode: fBufSetBuffer, an
 * internal template of the RFC 8158 port block fields, fBufNext) and by
 * our parser, in one process, median of ROUNDS rounds each.
 *
 *   bench_fixbuf FILE.pcap [ROUNDS] [QUIRK.dat...]
 *
 * Prints "fixbuf_records_per_s=N ours_records_per_s=N" and how many
 * records each decoder got out of the QUIRK files (raw exports, templates
 * first, through one decoder of each). Not here: NetFlow v9 (libfixbuf translates v9
 * only inside an fbCollector reading a socket or file, not a buffer).
 */
#include <fixbuf/public.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgn.h"
#include "parser.h"
#include "pkt.h"

struct dgram {
	uint8_t *p;
	size_t len;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct dgram *
load(const char *path, size_t *n)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct dgram *dg = NULL;
	struct pkt k;
	pcap_t *pc;
	size_t cap = 0;

	*n = 0;
	if ((pc = pcap_open_offline(path, errbuf)) == NULL) {
		fprintf(stderr, "bench_fixbuf: %s\n", errbuf);
		exit(1);
	}
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (pkt_decode(pcap_datalink(pc), data, h->caplen, &k) !=
		    CGN_OK || k.payload == NULL)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((dg = realloc(dg, cap * sizeof(*dg))) == NULL)
				exit(1);
		}
		if ((dg[*n].p = malloc(k.paylen)) == NULL)
			exit(1);
		memcpy(dg[*n].p, k.payload, k.paylen);
		dg[*n].len = k.paylen;
		(*n)++;
	}
	pcap_close(pc);
	return dg;
}

/* The internal template: what we would ask libfixbuf for. */
static fbInfoElementSpec_t spec[] = {
	{ "observationTimeMilliseconds", 8, 0 },
	{ "sourceIPv4Address", 4, 0 },
	{ "postNATSourceIPv4Address", 4, 0 },
	{ "portRangeStart", 2, 0 },
	{ "portRangeEnd", 2, 0 },
	{ "portRangeStepSize", 2, 0 },
	{ "portRangeNumPorts", 2, 0 },
	{ "natEvent", 1, 0 },
	FB_IESPEC_NULL
};

/* The record as libfixbuf fills it (native order, spec order). */
struct fbrec {
	uint64_t obs;
	uint32_t src, xsrc;
	uint16_t lo, hi, step, num;
	uint8_t ev;
} __attribute__((packed));

static fBuf_t *
fixbuf_new(void)
{
	fbInfoModel_t *im = fbInfoModelAlloc();
	fbSession_t *s = fbSessionAlloc(im);
	fbTemplate_t *t = fbTemplateAlloc(im);
	GError *err = NULL;
	uint16_t tid;
	fBuf_t *fb;

	if (!fbTemplateAppendSpecArray(t, spec, 0xffffffff, &err) ||
	    (tid = fbSessionAddTemplate(s, TRUE, FB_TID_AUTO, t, &err)) ==
	    0) {
		fprintf(stderr, "bench_fixbuf: %s\n", err->message);
		exit(1);
	}
	fb = fBufAllocForCollection(s, NULL);
	if (!fBufSetInternalTemplate(fb, tid, &err)) {
		fprintf(stderr, "bench_fixbuf: %s\n", err->message);
		exit(1);
	}
	return fb;
}

/* Decode every datagram; the records become events as ours do. */
static uint64_t
fixbuf_round(struct dgram *dg, size_t n, uint64_t *nev)
{
	fBuf_t *fb = fixbuf_new();
	struct fbrec r;
	struct cgn_event ev;
	GError *err = NULL;
	size_t i, len;
	uint64_t nrec = 0;

	memset(&ev, 0, sizeof(ev));
	for (i = 0; i < n; i++) {
		fBufSetBuffer(fb, dg[i].p, dg[i].len);
		for (;;) {
			len = sizeof(r);
			if (!fBufNext(fb, (uint8_t *)&r, &len, &err)) {
				g_clear_error(&err);
				break;
			}
			nrec++;
			if (r.ev != 16 && r.ev != 17)
				continue;
			ev.type = r.ev == 16 ? CGN_EV_PBA_ALLOC :
			    CGN_EV_PBA_RELEASE;
			ev.ts_ms = (int64_t)r.obs;
			cgn_addr_v4(&ev.inside, r.src);
			cgn_addr_v4(&ev.outside, r.xsrc);
			ev.port_lo = r.lo;
			ev.port_hi = r.hi;
			(*nev)++;
		}
	}
	fBufFree(fb);
	return nrec;
}

static int
count_ev(void *arg, const struct cgn_event *ev)
{
	(void)ev;
	(*(uint64_t *)arg)++;
	return 0;
}

static uint64_t
ours_round(struct dgram *dg, size_t n, uint64_t *nev)
{
	struct cgn_pstate *st;
	struct cgn_pcounters c;
	struct cgn_src src;
	size_t i;

	memset(&src, 0, sizeof(src));
	cgn_addr_v4(&src.exporter, 0xc0000201);
	if (pstate_new(&st) != CGN_OK)
		exit(1);
	for (i = 0; i < n; i++)
		ipfix_parser.parse(st, &src, dg[i].p, dg[i].len, count_ev,
		    nev);
	pstate_counters(st, &c);
	pstate_free(st);
	return c.records;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The quirk files, in the order given, through one decoder of each: how
 * many records each gets out of them. */
static void
quirks(int n, char **paths)
{
	struct dgram d[16];
	uint64_t nev = 0, fr, or;
	FILE *f;
	int i, k = 0;

	for (i = 0; i < n && k < 16; i++) {
		if ((f = fopen(paths[i], "rb")) == NULL)
			continue;
		if ((d[k].p = malloc(65536)) == NULL)
			exit(1);
		d[k].len = fread(d[k].p, 1, 65536, f);
		fclose(f);
		k++;
	}
	fr = fixbuf_round(d, (size_t)k, &nev);
	or = ours_round(d, (size_t)k, &nev);
	printf("quirk_files=%d fixbuf_records=%llu ours_records=%llu\n", k,
	    (unsigned long long)fr, (unsigned long long)or);
}

int
main(int argc, char **argv)
{
	struct dgram *dg;
	size_t n;
	double fx[32], us[32], t;
	uint64_t fnev = 0, onev = 0, frec = 0, orec = 0;
	int rounds = argc > 2 ? atoi(argv[2]) : 5, r;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_fixbuf FILE.pcap [ROUNDS]"
		    " [QUIRK.dat...]\n");
		return 64;
	}
	if (rounds < 1 || rounds > 32)
		rounds = 5;
	dg = load(argv[1], &n);
	for (r = 0; r < rounds; r++) {
		t = now_s();
		frec = fixbuf_round(dg, n, &fnev);
		fx[r] = (double)frec / (now_s() - t);
		t = now_s();
		orec = ours_round(dg, n, &onev);
		us[r] = (double)orec / (now_s() - t);
	}
	qsort(fx, (size_t)rounds, sizeof(fx[0]), cmp_double);
	qsort(us, (size_t)rounds, sizeof(us[0]), cmp_double);
	printf("fixbuf_records=%llu ours_records=%llu fixbuf_events=%llu"
	    " ours_events=%llu\n", (unsigned long long)frec,
	    (unsigned long long)orec, (unsigned long long)(fnev / rounds),
	    (unsigned long long)(onev / rounds));
	printf("fixbuf_records_per_s=%.0f ours_records_per_s=%.0f\n",
	    fx[rounds / 2], us[rounds / 2]);
	if (argc > 3)
		quirks(argc - 3, argv + 3);
	return 0;
}
