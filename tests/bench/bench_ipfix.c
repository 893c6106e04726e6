/*
 * bench_ipfix.c - the IPFIX benchmark's programs (tests/bench/ipfix.sh runs
 * them):
 *
 *   bench_ipfix parse FILE.pcap [ROUNDS]
 *       decode the datagrams of FILE with our parser, one fresh state per
 *       round; prints the median records/s of ROUNDS (default 7) rounds
 *   bench_ipfix send FILE.pcap HOST PORT RATE SECONDS
 *       send FILE's datagrams round and round at RATE records/s for
 *       SECONDS (sendmmsg batches, clock_nanosleep to the schedule),
 *       each round moved on in time and sequence (see next_round);
 *       prints "sent_records=N sent_datagrams=N seconds=S"
 *   bench_ipfix recv PORT SECONDS
 *       the machine's ceiling: a recvmmsg loop that only counts; prints
 *       "recv_datagrams=N recv_records=N" (records: IPFIX data records,
 *       from each set's length and the first template's record length)
 *
 * Not here: the collector, peers, the search for the zero-loss rate.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cgn.h"
#include "parser.h"
#include "pkt.h"

struct dgram {
	uint8_t *p;
	size_t len;
	uint32_t nrec;		/* IPFIX data records in it */
};

static struct dgram *dg;
static size_t ndg;
static uint32_t reclen;		/* record length of template 256 */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Data records in an IPFIX message, by set lengths (one template). */
static uint32_t
count_records(const uint8_t *p, size_t len)
{
	size_t off = 16, slen, i, n;
	uint32_t nrec = 0;

	while (len >= off + 4) {
		slen = be16(p + off + 2);
		if (slen < 4 || off + slen > len)
			break;
		if (be16(p + off) == 2 && reclen == 0) {
			/* template 256: sum its field lengths */
			n = be16(p + off + 6);
			for (i = 0; i < n; i++)
				reclen += be16(p + off + 8 + 4 * i + 2);
		} else if (be16(p + off) >= 256 && reclen > 0) {
			nrec += (uint32_t)((slen - 4) / reclen);
		}
		off += slen;
	}
	return nrec;
}

static void
load(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct pkt k;
	pcap_t *pc;
	size_t cap = 0;

	if ((pc = pcap_open_offline(path, errbuf)) == NULL) {
		fprintf(stderr, "bench_ipfix: %s\n", errbuf);
		exit(1);
	}
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (pkt_decode(pcap_datalink(pc), data, h->caplen, &k) !=
		    CGN_OK || k.payload == NULL)
			continue;
		if (ndg == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((dg = realloc(dg, cap * sizeof(*dg))) == NULL)
				exit(1);
		}
		if ((dg[ndg].p = malloc(k.paylen)) == NULL)
			exit(1);
		memcpy(dg[ndg].p, k.payload, k.paylen);
		dg[ndg].len = k.paylen;
		dg[ndg].nrec = count_records(k.payload, k.paylen);
		ndg++;
	}
	pcap_close(pc);
}

static int
count_ev(void *arg, const struct cgn_event *ev)
{
	(void)ev;
	(*(uint64_t *)arg)++;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
do_parse(int rounds)
{
	struct cgn_pstate *st;
	struct cgn_pcounters c;
	struct cgn_src src;
	double rate[64], t;
	uint64_t nev = 0;
	size_t i;
	int r;

	memset(&src, 0, sizeof(src));
	cgn_addr_v4(&src.exporter, 0xc0000201);
	src.rx_ms = 1795860000000LL;
	if (rounds > 64)
		rounds = 64;
	for (r = 0; r < rounds; r++) {
		if (pstate_new(&st) != CGN_OK)
			return 1;
		t = now_s();
		for (i = 0; i < ndg; i++)
			ipfix_parser.parse(st, &src, dg[i].p, dg[i].len,
			    count_ev, &nev);
		t = now_s() - t;
		pstate_counters(st, &c);
		rate[r] = (double)c.records / t;
		pstate_free(st);
	}
	qsort(rate, (size_t)rounds, sizeof(rate[0]), cmp_double);
	printf("records=%llu events_per_round=%llu median_records_per_s=%.0f"
	    " min=%.0f max=%.0f\n", (unsigned long long)c.records,
	    (unsigned long long)(nev / (uint64_t)rounds), rate[rounds / 2],
	    rate[0], rate[rounds - 1]);
	return 0;
}

static void
sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

#define VLEN 32

static uint64_t
get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void
put_be(uint8_t *p, int n, uint64_t v)
{
	int i;

	for (i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/*
 * Another round of the file: every message's sequence number moves on by
 * the records of a round, and every time by the file's span, so the
 * collector sees one unbroken stream going forward in time (not the same
 * day again). Records start with observationTimeMilliseconds, as
 * cgnlog-gen writes them. A batch never spans two rounds (do_send).
 */
static void
next_round(uint64_t round_rec, uint64_t span_ms)
{
	size_t j, off, slen, r;
	uint8_t *p;

	for (j = 0; j < ndg; j++) {
		p = dg[j].p;
		put_be(p + 8, 4, get_be(p + 8, 4) + round_rec);
		put_be(p + 4, 4, get_be(p + 4, 4) + span_ms / 1000);
		for (off = 16; off + 4 <= dg[j].len; off += slen) {
			slen = be16(p + off + 2);
			if (slen < 4)
				break;
			if (be16(p + off) < 256 || reclen < 8)
				continue;
			for (r = off + 4; r + reclen <= off + slen; r += reclen)
				put_be(p + r, 8, get_be(p + r, 8) + span_ms);
		}
	}
}

/* The file's span in whole seconds, from its export times, plus one. */
static uint64_t
span_ms(void)
{
	uint64_t lo = UINT64_MAX, hi = 0, t;
	size_t j;

	for (j = 0; j < ndg; j++) {
		t = get_be(dg[j].p + 4, 4);
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	return ndg ? (hi - lo + 1) * 1000 : 0;
}

static int
do_send(const char *host, int port, double rate, double secs)
{
	struct sockaddr_in sa;
	struct mmsghdr mm[VLEN];
	struct iovec iov[VLEN];
	uint64_t rec = 0, sent = 0, round_rec = 0, span;
	double t0, due;
	size_t i = 0, k, j, nb;
	int fd, r, sndbuf = 8 << 20;

	for (j = 0; j < ndg; j++)
		round_rec += dg[j].nrec;
	span = span_ms();
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, host, &sa.sin_addr);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("bench_ipfix: send");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	t0 = now_s();
	for (;;) {
		due = t0 + (double)rec / rate;
		if (due - t0 >= secs)
			break;
		sleep_until(due);
		/* a batch never spans two rounds (see next_round) */
		nb = ndg - i % ndg < VLEN ? ndg - i % ndg : VLEN;
		for (k = 0; k < nb; k++) {
			struct dgram *d = &dg[(i + k) % ndg];

			iov[k].iov_base = d->p;
			iov[k].iov_len = d->len;
			memset(&mm[k], 0, sizeof(mm[k]));
			mm[k].msg_hdr.msg_iov = &iov[k];
			mm[k].msg_hdr.msg_iovlen = 1;
			rec += d->nrec;
		}
		for (j = 0; j < nb;) {
			r = sendmmsg(fd, mm + j, (unsigned)(nb - j), 0);
			if (r < 0) {
				if (errno == EINTR || errno == ENOBUFS ||
				    errno == EAGAIN)
					continue;
				if (errno == ECONNREFUSED) {
					/* an ICMP error from an earlier
					 * datagram: the receiver counts */
					continue;
				}
				perror("bench_ipfix: sendmmsg");
				return 1;
			}
			j += (size_t)r;
		}
		sent += nb;
		i += nb;
		if (i % ndg == 0)
			next_round(round_rec, span);
	}
	printf("sent_records=%llu sent_datagrams=%llu seconds=%.3f\n",
	    (unsigned long long)rec, (unsigned long long)sent, now_s() - t0);
	close(fd);
	return 0;
}

static int
do_recv(int port, double secs)
{
	struct sockaddr_in sa;
	static uint8_t buf[VLEN][65536];
	struct mmsghdr mm[VLEN];
	struct iovec iov[VLEN];
	struct timespec to = { 0, 100000000 };
	uint64_t n = 0, rec = 0;
	double t0;
	int fd, r, i, big = 64 << 20;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("bench_ipfix: recv");
		return 1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	printf("ready\n");
	fflush(stdout);
	t0 = now_s();
	while (now_s() - t0 < secs) {
		for (i = 0; i < VLEN; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		r = recvmmsg(fd, mm, VLEN, MSG_WAITFORONE, &to);
		for (i = 0; i < r; i++)
			rec += count_records(buf[i], mm[i].msg_len);
		if (r > 0)
			n += (uint64_t)r;
	}
	printf("recv_datagrams=%llu recv_records=%llu\n",
	    (unsigned long long)n, (unsigned long long)rec);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "parse") == 0) {
		load(argv[2]);
		return do_parse(argc > 3 ? atoi(argv[3]) : 7);
	}
	if (argc == 7 && strcmp(argv[1], "send") == 0) {
		load(argv[2]);
		return do_send(argv[3], atoi(argv[4]), atof(argv[5]),
		    atof(argv[6]));
	}
	if (argc == 4 && strcmp(argv[1], "recv") == 0) {
		/* records are counted with the template the sender repeats */
		return do_recv(atoi(argv[2]), atof(argv[3]));
	}
	fprintf(stderr, "usage: bench_ipfix parse FILE [ROUNDS] |"
	    " send FILE HOST PORT RATE SECONDS | recv PORT SECONDS\n");
	return 64;
}
