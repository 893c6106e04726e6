/*
 * udp.c - datagram sources (RFC 5426 syslog, IPFIX, NetFlow v9): one or
 * more sockets on the same address (SO_REUSEPORT, URL option threads=N,
 * default [collector] udp_threads), each drained by its own thread with
 * recvmmsg() in batches.
 *
 * A thread owns its socket, its parser state and its batch: the kernel
 * hashes an exporter's datagrams to one socket, so IPFIX templates stay
 * with the thread that sees the data. The receive buffer is made as large
 * as allowed (SO_RCVBUFFORCE as root), because what overflows it is gone;
 * the socket's drop count (SO_MEMINFO) says how much that was, and it
 * counts. It is asked for once per read burst: SO_RXQ_OVFL would hand it
 * over with every datagram, a control message the kernel writes each time.
 */
#include <errno.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"

#define UDP_VLEN 256		/* datagrams per recvmmsg */
#define UDP_MAXLEN 65536	/* largest UDP payload */
#define UDP_MAXTHREADS 16
/* A partial batch waits at most this long for more datagrams before it
 * goes to the writer (far below flush_ms, so nothing is later in the
 * store); handing on every few datagrams woke the writer for each. */
#define UDP_HOLD_MS 20
/* After a read that emptied the socket, let datagrams gather up to this
 * long in the receive buffer before the next read, so that one recvmmsg()
 * takes many instead of one wake-up per datagram (shorter for a small
 * buffer: nap_us). */
#define UDP_NAP_US 1000
/* Datagram i is read to i * UDP_STRIDE. At a stride of exactly 64 KiB
 * every datagram's first bytes fell in the same set of the L1 and L2
 * caches (their sets repeat every 4 and 64 KiB here), so of a read of 256
 * only the last few were still cached when they were parsed; 3 more cache
 * lines a datagram spread a read's short datagrams over all the sets. */
#define UDP_STRIDE (UDP_MAXLEN + 192)

struct udp_rx {
	struct mmsghdr msgs[UDP_VLEN];
	struct iovec iov[UDP_VLEN];
	struct sockaddr_storage from[UDP_VLEN];
	uint8_t buf[UDP_VLEN * UDP_STRIDE];
};

struct udp_worker {
	pthread_t th;
	struct listener lt;	/* this socket's view: own fd, parser state,
				 * ingest; the rest as the listener's */
	struct ingest in;	/* own batch; shares ring, stats, rejects */
	struct udp_rx *rx;	/* 16 MiB receive area, mostly untouched */
	int started;
};

struct udp_set {
	int n;
	struct udp_worker w[UDP_MAXTHREADS];
	atomic_int stop;
};

static int
udp_socket(const struct sockaddr_storage *ss, socklen_t sl, int size,
    int reuseport)
{
	int fd, one = 1;

	if ((fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	sock_rcvbuf(fd, size);
	if (bind(fd, (const struct sockaddr *)ss, sl) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
udp_open(struct listener *l, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct udp_set *set;
	struct cgn_addr bound;
	socklen_t sl;
	uint16_t port;
	char v[16];
	int i, n = l->in->cfg->udp_threads, fd;

	if (url_param(&l->url, "threads", v, sizeof(v)))
		n = atoi(v);
	if (n < 1 || n > UDP_MAXTHREADS) {
		snprintf(err, errlen, "%s: threads must be 1-%d", l->url.text,
		    UDP_MAXTHREADS);
		return CGN_EINVAL;
	}
	if (url_sockaddr(&l->url, &ss, &sl, err, errlen) != CGN_OK)
		return CGN_EINVAL;
	if ((set = calloc(1, sizeof(*set))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return CGN_ENOMEM;
	}
	l->udp = set;
	for (i = 0; i < n; i++) {
		if ((fd = udp_socket(&ss, sl, l->in->cfg->rcvbuf, n > 1)) < 0)
			goto fail;
		if (i == 0) {
			/* port 0 picked a free port: the others join it */
			sl = sizeof(ss);
			if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
				close(fd);
				goto fail;
			}
			l->fd = fd;
			sockaddr_addr(&ss, &bound, &port);
			url_with_port(&l->url, port, l->bound,
			    sizeof(l->bound));
		}
		set->w[i].lt.fd = fd;
		set->n++;
	}
	return CGN_OK;
fail:
	snprintf(err, errlen, "%s: %s", l->url.text, strerror(errno));
	return CGN_EIO;
}

/* The kernel's running count of datagrams dropped on this socket (the
 * count SO_RXQ_OVFL would report): what grew since the last look. */
static void
count_drops(struct listener *l)
{
	uint32_t mi[SK_MEMINFO_VARS];
	socklen_t sl = sizeof(mi);
	uint32_t v;

	if (getsockopt(l->fd, SOL_SOCKET, SO_MEMINFO, mi, &sl) != 0 ||
	    sl <= SK_MEMINFO_DROPS * sizeof(mi[0]))
		return;
	v = mi[SK_MEMINFO_DROPS];
	if (v != l->kdrops) {
		stats_add(&l->in->stats->kernel_drops,
		    (uint32_t)(v - l->kdrops));
		l->kdrops = v;
	}
}

/* The nap for fd's receive buffer: at a million datagrams/s of about
 * 1 KiB each (what the kernel charges a small one), at most a 32nd of
 * the buffer fills during it. The default 32 MiB allows the longest; a
 * buffer capped by rmem_max (no root) almost none. */
static long
nap_us(int fd)
{
	socklen_t sl = sizeof(int);
	int size = 0;
	long us;

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &sl) != 0)
		return 0;
	us = (long)size / 32 / 1024;
	return us > UDP_NAP_US ? UDP_NAP_US : us;
}

/* Point every header at its buffers, once: recvmmsg() writes back only
 * the lengths, which drain() resets after each datagram. */
static void
rx_init(struct udp_rx *rx)
{
	int i;

	for (i = 0; i < UDP_VLEN; i++) {
		rx->iov[i].iov_base = rx->buf + (size_t)i * UDP_STRIDE;
		rx->iov[i].iov_len = UDP_MAXLEN;
		rx->msgs[i].msg_hdr.msg_iov = &rx->iov[i];
		rx->msgs[i].msg_hdr.msg_iovlen = 1;
		rx->msgs[i].msg_hdr.msg_name = &rx->from[i];
		rx->msgs[i].msg_hdr.msg_namelen = sizeof(rx->from[i]);
	}
}

/* Read until the socket is empty; returns the datagrams read. */
static size_t
drain(struct udp_worker *w)
{
	struct listener *l = &w->lt;
	struct udp_rx *rx = w->rx;
	struct cgn_src src;
	size_t total = 0;
	int i, n;

	for (;;) {
		n = recvmmsg(l->fd, rx->msgs, UDP_VLEN, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				log_warn("%s: recvmmsg", l->bound);
			break;
		}
		memset(&src, 0, sizeof(src));
		src.rx_ms = loop_wall_ms();
		for (i = 0; i < n; i++) {
			sockaddr_addr(&rx->from[i], &src.exporter,
			    &src.exporter_port);
			ingest_msg(&w->in, l, &src,
			    rx->buf + (size_t)i * UDP_STRIDE,
			    rx->msgs[i].msg_len);
			rx->msgs[i].msg_hdr.msg_namelen = sizeof(rx->from[i]);
		}
		total += (size_t)n;
		if (n < UDP_VLEN)
			break;
	}
	count_drops(l);
	return total;
}

static void *
run(void *arg)
{
	struct udp_worker *w = arg;
	struct udp_set *set = w->lt.udp;
	struct pollfd pfd = { .fd = w->lt.fd, .events = POLLIN };
	struct timespec nap = { 0, nap_us(w->lt.fd) * 1000 };
	int64_t pushed = loop_mono_ms(), now;
	size_t n = 0;

	while (!atomic_load(&set->stop)) {
		if (n > 0) {
			/* the last read emptied the socket while datagrams
			 * were coming: let more gather, then read again
			 * without poll() (a wake-up per nap, not two) */
			if (nap.tv_nsec > 0)
				nanosleep(&nap, NULL);
			n = drain(w);
		} else if (poll(&pfd, 1, w->in.cur != NULL ? UDP_HOLD_MS :
		    100) > 0) {
			n = drain(w);
		}
		now = loop_mono_ms();
		if (now - pushed >= UDP_HOLD_MS) {
			ingest_push(&w->in);
			pushed = now;
		}
	}
	/* stopping: nothing that reached the socket is left behind */
	drain(w);
	ingest_push(&w->in);
	return NULL;
}

int
udp_start(struct listener *l)
{
	struct udp_set *set = l->udp;
	struct udp_worker *w;
	int i;

	atomic_init(&set->stop, 0);
	for (i = 0; i < set->n; i++) {
		w = &set->w[i];
		int fd = w->lt.fd;

		w->lt = *l;
		w->lt.fd = fd;
		w->lt.kdrops = 0;
		w->in = *l->in;		/* shared ring, stats, rejects */
		w->in.cur = NULL;
		w->in.evs = NULL;
		w->in.nev = w->in.capev = 0;
		w->in.gaps = NULL;
		w->in.ngap = w->in.capgap = 0;
		w->in.warned_reject = 0;
		/* its own spare: the copied one's buffers are the shared
		 * ingest's (empty now, but never to be freed twice) */
		memset(&w->in.spare, 0, sizeof(w->in.spare));
		w->lt.in = &w->in;
		if (pstate_new(&w->lt.pstate) != CGN_OK ||
		    (w->rx = calloc(1, sizeof(*w->rx))) == NULL)
			return CGN_ENOMEM;
		rx_init(w->rx);
		if (pthread_create(&w->th, NULL, run, w) != 0)
			return CGN_EIO;
		/* top -H and perf tell it from the writer */
		(void)pthread_setname_np(w->th, "cgnlogd-udp");
		w->started = 1;
	}
	return CGN_OK;
}

void
udp_stop(struct listener *l)
{
	struct udp_set *set = l->udp;
	int i;

	if (set == NULL)
		return;
	atomic_store(&set->stop, 1);
	for (i = 0; i < set->n; i++) {
		if (!set->w[i].started)
			continue;
		pthread_join(set->w[i].th, NULL);
		set->w[i].started = 0;
	}
}

void
udp_close(struct listener *l)
{
	struct udp_set *set = l->udp;
	int i;

	if (set == NULL)
		return;
	udp_stop(l);
	for (i = 0; i < set->n; i++) {
		/* socket 0 is l->fd, closed with the listener */
		if (i > 0)
			close(set->w[i].lt.fd);
		pstate_free(set->w[i].lt.pstate);
		ingest_free(&set->w[i].in);
		free(set->w[i].rx);
	}
	free(set);
	l->udp = NULL;
}
