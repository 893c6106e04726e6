/*
 * udpcount.c - the machine's own ceiling for the syslog benchmark: a
 * minimal receiver that only counts datagrams (recvmmsg, the same socket
 * buffer as cgnlogd asks for), nothing parsed, nothing stored.
 *
 *   udpcount PORTFILE   binds 127.0.0.1:0, writes the port to PORTFILE,
 *                       counts until SIGTERM, then prints
 *                       "received=N kernel_drops=D"
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define VLEN 64

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int
main(int argc, char **argv)
{
	static char buf[VLEN][2048];
	struct mmsghdr mm[VLEN];
	struct iovec iov[VLEN];
	struct sockaddr_in sin;
	struct sigaction sa;
	struct timeval tv = { 0, 100000 };
	socklen_t sl = sizeof(sin);
	unsigned long long total = 0;
	uint32_t drops = 0;
	char ctl[VLEN][64];
	int fd, one = 1, size = 32 * 1024 * 1024, n, i;
	FILE *f;

	if (argc != 2)
		return 64;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) != 0)
		return 1;
	if ((f = fopen(argv[1], "w")) == NULL)
		return 1;
	fprintf(f, "%u\n", ntohs(sin.sin_port));
	fclose(f);
	while (!stop) {
		for (i = 0; i < VLEN; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_control = ctl[i];
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
		}
		n = recvmmsg(fd, mm, VLEN, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue;
		total += (unsigned long long)n;
		for (i = 0; i < n; i++) {
			struct cmsghdr *c;

			for (c = CMSG_FIRSTHDR(&mm[i].msg_hdr); c != NULL;
			    c = CMSG_NXTHDR(&mm[i].msg_hdr, c))
				if (c->cmsg_type == SO_RXQ_OVFL)
					memcpy(&drops, CMSG_DATA(c),
					    sizeof(drops));
		}
	}
	printf("received=%llu kernel_drops=%u\n", total, drops);
	return 0;
}
