/*
 * udp.c - datagram sources (RFC 5426 syslog; later IPFIX/NetFlow): a
 * non-blocking socket drained with recvmmsg() in batches.
 *
 * The receive buffer is made as large as allowed (SO_RCVBUFFORCE as root),
 * because what overflows it is gone; SO_RXQ_OVFL makes the kernel tell us
 * how much that was, and it is counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"

#define UDP_VLEN 64		/* datagrams per recvmmsg */
#define UDP_MAXLEN 65536	/* largest UDP payload */
#define UDP_BUDGET 16		/* recvmmsg calls before yielding */

struct udp_rx {
	struct mmsghdr msgs[UDP_VLEN];
	struct iovec iov[UDP_VLEN];
	struct sockaddr_storage from[UDP_VLEN];
	char ctl[UDP_VLEN][64];
	uint8_t buf[UDP_VLEN][UDP_MAXLEN];
};

/* One receive area per thread that reads UDP: 4 MiB, reused. */
static _Thread_local struct udp_rx *udp_rx;

int
udp_open(struct listener *l, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1, size = l->in->cfg->rcvbuf;

	if (url_sockaddr(&l->url, &ss, &sl, err, errlen) != CGN_OK)
		return CGN_EINVAL;
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* FORCE passes rmem_max when we are root; else take what we get */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0)
		goto fail;
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		goto fail;
	l->fd = fd;
	url_with_port(&l->url, ntohs(ss.ss_family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port), l->bound,
	    sizeof(l->bound));
	return CGN_OK;
fail:
	snprintf(err, errlen, "%s: %s", l->url.text, strerror(errno));
	if (fd >= 0)
		close(fd);
	return CGN_EIO;
}

/* The kernel's running count of datagrams dropped on this socket. */
static void
count_drops(struct listener *l, struct msghdr *mh)
{
	struct cmsghdr *c;
	uint32_t v;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SO_RXQ_OVFL)
			continue;
		memcpy(&v, CMSG_DATA(c), sizeof(v));
		if (v != l->kdrops) {
			stats_add(&l->in->stats->kernel_drops,
			    (uint32_t)(v - l->kdrops));
			l->kdrops = v;
		}
	}
}

void
udp_readable(struct loop *lp, int fd, void *arg)
{
	struct listener *l = arg;
	struct udp_rx *rx;
	struct cgn_src src;
	int i, n, round;

	(void)lp;
	if (udp_rx == NULL && (udp_rx = calloc(1, sizeof(*udp_rx))) == NULL) {
		log_warnx("out of memory for the UDP receive area");
		return;
	}
	rx = udp_rx;
	for (round = 0; round < UDP_BUDGET; round++) {
		for (i = 0; i < UDP_VLEN; i++) {
			rx->iov[i].iov_base = rx->buf[i];
			rx->iov[i].iov_len = UDP_MAXLEN;
			memset(&rx->msgs[i].msg_hdr, 0, sizeof(struct msghdr));
			rx->msgs[i].msg_hdr.msg_iov = &rx->iov[i];
			rx->msgs[i].msg_hdr.msg_iovlen = 1;
			rx->msgs[i].msg_hdr.msg_name = &rx->from[i];
			rx->msgs[i].msg_hdr.msg_namelen = sizeof(rx->from[i]);
			rx->msgs[i].msg_hdr.msg_control = rx->ctl[i];
			rx->msgs[i].msg_hdr.msg_controllen = sizeof(rx->ctl[i]);
		}
		n = recvmmsg(fd, rx->msgs, UDP_VLEN, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				log_warn("%s: recvmmsg", l->bound);
			break;
		}
		memset(&src, 0, sizeof(src));
		src.rx_ms = loop_wall_ms();
		for (i = 0; i < n; i++) {
			count_drops(l, &rx->msgs[i].msg_hdr);
			sockaddr_addr(&rx->from[i], &src.exporter,
			    &src.exporter_port);
			ingest_msg(l->in, l, &src, rx->buf[i],
			    rx->msgs[i].msg_len);
		}
		if (n < UDP_VLEN)
			break;
	}
	ingest_push(l->in);
}
