/*
 * cgnreplay.c - cgnlog-replay: send a file of log lines to a collector,
 * one line per UDP datagram or framed on a TCP stream, at a given rate.
 *
 *   cgnlog-replay [--rate N] [--count N] [--framing lf|octet]
 *                 [--drop N] [--senders N] FILE URL
 *
 * FILE is log lines, or a pcap / pcapng capture (libpcap reads both): then
 * each UDP payload in it is one datagram (exports of IPFIX, NetFlow v9,
 * syslog), sent as it is; over TCP the payloads are written back to back
 * (IPFIX messages carry their own length). --drop N leaves out the Nth
 * message (1-based), to make a sequence gap.
 *
 * --duration S sends for S seconds, going round the file: at --rate, or
 * without one as fast as the socket takes them (an overload burst).
 *
 * --senders N (UDP) sends from N threads, each with its own socket (so
 * its own source port), taking turns batch by batch on one schedule. On
 * loopback a datagram costs the sender about 4.6 us of kernel time (the
 * receiving socket's enqueue and wake-up are done in its system call),
 * so one thread tops out near 250,000 datagrams/s: a receiver's limit
 * above that needs more senders. Batches of different senders may
 * arrive out of order by a batch (about a millisecond of the schedule).
 *
 * URL: udp://HOST:PORT, tcp://HOST:PORT (or the syslog-udp/syslog-tcp
 * forms cgnlogd prints). The rate is kept against a schedule (message i
 * leaves at start + i/rate, sent in sendmmsg batches), not by sleeping
 * between messages, so it holds at hundreds of thousands per second.
 * Prints what it sent: "sent=N bytes=B seconds=S rate=R errors=E".
 */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cgn.h"
#include "pkt.h"
#include "url.h"

#define VLEN 64
#define SENDERS_MAX 16

struct line {
	const char *p;
	size_t len;
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: cgnlog-replay [--rate N] [--count N] [--duration S]"
	    " [--framing lf|octet] [--drop N] [--senders N] FILE URL\n"
	    "  FILE: lines, or a pcap/pcapng of UDP datagrams\n"
	    "  URL: udp://HOST:PORT or tcp://HOST:PORT\n");
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_until(double t)
{
	struct timespec ts;

	if (t <= now_s())
		return;
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

/* Before the batch starting at message i, a sender's nth: paced, wait for
 * its time; unpaced, 0 once the duration is over (looked at every 64th
 * batch: a clock read per batch would cost more than the batch). */
static int
turn(double t0, size_t i, size_t nth, double rate, double duration)
{
	if (rate > 0)
		sleep_until(t0 + (double)i / rate);
	else if (duration > 0 && nth % 64 == 0 && now_s() - t0 >= duration)
		return 0;
	return 1;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	do {
		if (*len == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	return buf;
}

static struct line *
split(char *buf, size_t len, size_t *n)
{
	struct line *v = NULL, *nv;
	size_t cap = 0, i = 0, start = 0;

	*n = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i > start) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 1024;
				if ((nv = realloc(v, cap * sizeof(*v))) ==
				    NULL) {
					free(v);
					return NULL;
				}
				v = nv;
			}
			v[*n].p = buf + start;
			v[*n].len = i - start;
			if (v[*n].len > 0 && buf[i - 1] == '\r')
				v[*n].len--;
			(*n)++;
		}
		start = i + 1;
	}
	return v;
}

/* 1 if buf starts like a pcap or pcapng file. */
static int
is_pcap(const char *buf, size_t len)
{
	static const uint8_t magic[][4] = { { 0xd4, 0xc3, 0xb2, 0xa1 },
	    { 0xa1, 0xb2, 0xc3, 0xd4 }, { 0x4d, 0x3c, 0xb2, 0xa1 },
	    { 0xa1, 0xb2, 0x3c, 0x4d }, { 0x0a, 0x0d, 0x0d, 0x0a } };
	size_t i;

	for (i = 0; len >= 4 && i < sizeof(magic) / sizeof(magic[0]); i++)
		if (memcmp(buf, magic[i], 4) == 0)
			return 1;
	return 0;
}

/* The UDP payloads of a capture, in order, copied into *store. */
static struct line *
pcap_datagrams(const char *path, char **store, size_t *n)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct line *v = NULL, *nv;
	size_t cap = 0, used = 0, scap = 0, i;
	char *s = NULL, *ns;
	struct pkt k;
	pcap_t *pc;

	*n = 0;
	if ((pc = pcap_open_offline(path, errbuf)) == NULL) {
		fprintf(stderr, "cgnlog-replay: %s\n", errbuf);
		return NULL;
	}
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (pkt_decode(pcap_datalink(pc), data, h->caplen, &k) !=
		    CGN_OK || k.payload == NULL)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		if (used + k.paylen > scap) {
			scap = scap ? scap * 2 : 1 << 20;
			while (scap < used + k.paylen)
				scap *= 2;
			if ((ns = realloc(s, scap)) == NULL)
				goto fail;
			s = ns;
		}
		memcpy(s + used, k.payload, k.paylen);
		v[*n].p = NULL;
		v[*n].len = k.paylen;
		used += k.paylen;
		(*n)++;
	}
	pcap_close(pc);
	/* pointers only now: the store moved while it grew */
	for (i = 0, used = 0; i < *n; i++) {
		v[i].p = s + used;
		used += v[i].len;
	}
	*store = s;
	return v;
fail:
	pcap_close(pc);
	free(v);
	free(s);
	*n = 0;
	return NULL;
}

/* A growing buffer for TCP batches. */
struct tbuf {
	char *p;
	size_t len, cap;
};

static int
tbuf_put(struct tbuf *b, const void *src, size_t n)
{
	char *np;
	size_t nc;

	if (b->len + n > b->cap) {
		nc = b->cap ? b->cap * 2 : 65536;
		while (nc < b->len + n)
			nc *= 2;
		if ((np = realloc(b->p, nc)) == NULL)
			return 0;
		b->p = np;
		b->cap = nc;
	}
	if (n > 0)	/* src may be NULL for an empty append */
		memcpy(b->p + b->len, src, n);
	b->len += n;
	return 1;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One UDP sender: its socket, its turn among the senders, what it did. */
struct sender {
	const struct line *lines;
	size_t nlines, count, batch;
	double rate, duration, t0;
	size_t id, n;			/* batch b is this sender's when
					 * b % n == id */
	int fd;
	size_t sent;
	unsigned long long bytes, errors;
};

static void *
send_udp(void *arg)
{
	struct sender *s = arg;
	struct mmsghdr mm[VLEN];
	struct iovec iov[VLEN];
	size_t i, j, k, b, done;
	int r;

	for (b = s->id; (i = b * s->batch) < s->count; b += s->n) {
		k = s->count - i < s->batch ? s->count - i : s->batch;
		if (!turn(s->t0, i, b / s->n, s->rate, s->duration))
			break;
		for (j = 0; j < k; j++) {
			iov[j].iov_base = (void *)(uintptr_t)
			    s->lines[(i + j) % s->nlines].p;
			iov[j].iov_len = s->lines[(i + j) % s->nlines].len;
			memset(&mm[j], 0, sizeof(mm[j]));
			mm[j].msg_hdr.msg_iov = &iov[j];
			mm[j].msg_hdr.msg_iovlen = 1;
		}
		for (done = 0; done < k;) {
			if ((r = sendmmsg(s->fd, mm + done,
			    (unsigned)(k - done), 0)) < 0) {
				if (errno == EINTR)
					continue;
				s->errors++;	/* e.g. ICMP unreachable */
				done++;
				continue;
			}
			for (j = 0; j < (size_t)r; j++)
				s->bytes += mm[done + j].msg_len;
			s->sent += (size_t)r;
			done += (size_t)r;
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "count", required_argument, NULL, 'c' },
		{ "framing", required_argument, NULL, 'F' },
		{ "drop", required_argument, NULL, 'D' },
		{ "duration", required_argument, NULL, 'T' },
		{ "senders", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct tbuf tb = { NULL, 0, 0 };
	struct sender snd[SENDERS_MAX];
	pthread_t th[SENDERS_MAX];
	struct sockaddr_storage ss;
	struct src_url u;
	struct line *lines;
	socklen_t sl;
	char err[300], *buf, hdr[16], *pstore = NULL;
	double rate = 0, duration = 0, t0, elapsed;
	size_t len, nlines, count = 0, sent = 0, i, k, batch, drop = 0;
	size_t nsend = 1;
	unsigned long long bytes = 0, errors = 0;
	int c, fd, tcp, octet = 0, raw = 0;

	while ((c = getopt_long(argc, argv, "r:c:F:D:T:S:h", opts, NULL)) !=
	    -1) {
		switch (c) {
		case 'S':
			nsend = strtoull(optarg, NULL, 10);
			if (nsend < 1 || nsend > SENDERS_MAX) {
				fprintf(stderr, "cgnlog-replay: --senders: 1 to"
				    " %d\n", SENDERS_MAX);
				return EX_USAGE;
			}
			break;
		case 'T': duration = strtod(optarg, NULL); break;
		case 'D': drop = strtoull(optarg, NULL, 10); break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'c': count = strtoull(optarg, NULL, 10); break;
		case 'F':
			if (strcmp(optarg, "octet") == 0)
				octet = 1;
			else if (strcmp(optarg, "lf") != 0) {
				usage(stderr);
				return EX_USAGE;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (url_parse(argv[optind + 1], &u, err, sizeof(err)) != CGN_OK) {
		fprintf(stderr, "cgnlog-replay: %s\n", err);
		return EX_USAGE;
	}
	tcp = u.type == SRC_TCP || u.type == SRC_SYSLOG_TCP ||
	    u.type == SRC_IPFIX_TCP;
	if (!tcp && u.type != SRC_UDP && u.type != SRC_SYSLOG_UDP &&
	    u.type != SRC_IPFIX_UDP && u.type != SRC_NFV9_UDP) {
		fprintf(stderr, "cgnlog-replay: %s: want udp:// or tcp://\n",
		    u.text);
		return EX_USAGE;
	}
	if (tcp && nsend > 1) {
		fprintf(stderr, "cgnlog-replay: --senders is for UDP\n");
		return EX_USAGE;
	}
	if ((buf = slurp(argv[optind], &len)) == NULL && len == 0 &&
	    errno != 0) {
		perror(argv[optind]);
		return EX_NOINPUT;
	}
	if (buf != NULL && is_pcap(buf, len)) {
		raw = 1;
		if ((lines = pcap_datagrams(argv[optind], &pstore, &nlines)) ==
		    NULL && nlines == 0) {
			fprintf(stderr, "cgnlog-replay: %s: no UDP datagrams\n",
			    argv[optind]);
			return EX_DATAERR;
		}
	} else if ((lines = split(buf, len, &nlines)) == NULL && nlines > 0) {
		perror("cgnlog-replay");
		return EX_OSERR;
	}
	if (drop > 0 && drop <= nlines) {
		memmove(&lines[drop - 1], &lines[drop],
		    (nlines - drop) * sizeof(*lines));
		nlines--;
	}
	if (count == 0 || count > nlines)
		count = nlines;
	/* --duration: send for that long at the rate, going round the file
	 * (benchmarks: a trial longer than the file) */
	if (duration > 0 && rate > 0)
		count = (size_t)(rate * duration);
	else if (duration > 0)
		count = SIZE_MAX;	/* as fast as it goes, until the time */
	if (nlines == 0)
		count = 0;
	if (url_sockaddr(&u, &ss, &sl, err, sizeof(err)) != CGN_OK) {
		fprintf(stderr, "cgnlog-replay: %s\n", err);
		return EX_NOHOST;
	}
	fd = socket(ss.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		fprintf(stderr, "cgnlog-replay: %s: %s\n", u.text,
		    strerror(errno));
		return EX_UNAVAILABLE;
	}
	/* batches small enough that the pacing stays within a millisecond */
	batch = rate > 0 && rate < VLEN * 1000 ? (size_t)(rate / 1000) : VLEN;
	if (tcp && rate == 0)
		batch = 512;	/* unpaced: as much as a write takes */
	if (batch < 1)
		batch = 1;
	t0 = now_s();
	if (!tcp) {
		for (i = 0; i < nsend; i++) {
			snd[i] = (struct sender){ lines, nlines, count, batch,
			    rate, duration, t0, i, nsend, fd, 0, 0, 0 };
			if (i > 0 && ((snd[i].fd = socket(ss.ss_family,
			    SOCK_DGRAM, 0)) < 0 || connect(snd[i].fd,
			    (struct sockaddr *)&ss, sl) != 0)) {
				fprintf(stderr, "cgnlog-replay: %s: %s\n",
				    u.text, strerror(errno));
				return EX_UNAVAILABLE;
			}
		}
		for (i = 1; i < nsend; i++)
			if (pthread_create(&th[i], NULL, send_udp, &snd[i]) !=
			    0) {
				fprintf(stderr, "cgnlog-replay: no thread\n");
				return EX_OSERR;
			}
		send_udp(&snd[0]);
		for (i = 1; i < nsend; i++) {
			pthread_join(th[i], NULL);
			close(snd[i].fd);
		}
		for (i = 0; i < nsend; i++) {
			sent += snd[i].sent;
			bytes += snd[i].bytes;
			errors += snd[i].errors;
		}
	}
	for (i = 0; tcp && i < count; i += k) {
		k = count - i < batch ? count - i : batch;
		if (!turn(t0, i, i / batch, rate, duration))
			break;
		/* TCP: one write per batch: a syscall per line caps a
		 * sender near 175,000 lines/s on loopback */
		tb.len = 0;
		for (size_t j = 0; j < k; j++) {
			const struct line *l = &lines[(i + j) % nlines];
			int hl = octet && !raw ? snprintf(hdr,
			    sizeof(hdr), "%zu ", l->len) : 0;

			if (!tbuf_put(&tb, hdr, (size_t)hl) ||
			    !tbuf_put(&tb, l->p, l->len) ||
			    (!(octet || raw) && !tbuf_put(&tb, "\n", 1))) {
				perror("cgnlog-replay");
				return EX_OSERR;
			}
		}
		if (write_all(fd, tb.p, tb.len) != 0) {
			fprintf(stderr, "cgnlog-replay: short write: %s\n",
			    strerror(errno));
			return EX_IOERR;
		}
		bytes += (unsigned long long)tb.len;
		sent += k;
	}
	if (tcp)
		shutdown(fd, SHUT_WR);
	elapsed = now_s() - t0;
	close(fd);
	printf("sent=%zu bytes=%llu seconds=%.3f rate=%.0f errors=%llu\n",
	    sent, bytes, elapsed, elapsed > 0 ? (double)sent / elapsed : 0.0,
	    errors);
	free(tb.p);
	free(lines);
	free(buf);
	free(pstore);
	return 0;
}
