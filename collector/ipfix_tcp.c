/*
 * ipfix_tcp.c - IPFIX over TCP (RFC 7011 10.4): each exporter holds a
 * connection and sends a stream of messages, each starting with its own
 * version and length. Many exporters at once; a message may arrive in
 * pieces across reads, or many in one read.
 *
 * The exporter's identity for templates is (address, port, observation
 * domain): templates of a TCP session never expire, and a new connection
 * starts a new session (RFC 7011 10.4.2: the exporter re-sends them).
 * Bytes that are not an IPFIX header where one must start (wrong version,
 * a length under 16) mean the stream has lost its framing: the first bytes
 * are kept in the reject file, counted, and the connection closed, since
 * nothing after them can be trusted. Idle connections close after
 * tcp_idle. Not here: SCTP, TLS.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"

#define IC_MAX_CONNS 1024
#define IC_BUF 131072		/* two largest messages */
#define IC_HDR 16		/* RFC 7011 3.1 */
#define IC_KEEP 64		/* bytes of a bad stream kept as evidence */

struct ipfix_conn {
	int used;
	int fd;
	struct cgn_addr peer;
	uint16_t peer_port;
	uint8_t *buf;		/* IC_BUF bytes */
	size_t len;		/* buffered, not yet a whole message */
	int64_t last_mono;
	struct listener *l;
};

int
ipfix_tcp_open(struct listener *l, char *err, size_t errlen)
{
	int rc = tcp_open(l, err, errlen);

	if (rc != CGN_OK)
		return rc;
	/* tcp_open allocated syslog connections: this listener uses its own */
	free(l->conns);
	l->conns = NULL;
	if ((l->iconns = calloc(IC_MAX_CONNS, sizeof(*l->iconns))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", l->url.text);
		close(l->fd);
		l->fd = -1;
		return CGN_ENOMEM;
	}
	return CGN_OK;
}

static void
conn_close(struct ipfix_conn *c)
{
	struct listener *l = c->l;

	loop_del(l->lp, c->fd);
	close(c->fd);
	free(c->buf);
	memset(c, 0, sizeof(*c));
	l->nconns--;
	stats_add(&l->in->stats->tcp_closed, 1);
}

/* The stream is not IPFIX where a message must start: keep, count. */
static void
garbage(struct ipfix_conn *c, const uint8_t *p, size_t len)
{
	struct listener *l = c->l;
	char sender[64];

	stats_add(&l->in->stats->tcp_oversize, 1);
	stats_bad(l->in->stats, CGN_EMALFORMED);
	cgn_addr_fmt(&c->peer, sender, sizeof(sender));
	if (reject_keep(l->in->rej, loop_wall_ms(), l->bound, sender,
	    "ipfix-tcp-framing", CGN_EMALFORMED, p,
	    len < IC_KEEP ? len : IC_KEEP) != CGN_OK)
		stats_add(&l->in->stats->reject_write_errors, 1);
	log_warnx("%s: %s:%u sent a stream that is not IPFIX; connection"
	    " closed", l->bound, sender, c->peer_port);
}

/* Hand every whole message to ingest; keep the tail. 1: bad stream. */
static int
messages(struct ipfix_conn *c)
{
	struct cgn_src src;
	size_t off = 0, mlen;
	const uint8_t *p;

	memset(&src, 0, sizeof(src));
	src.exporter = c->peer;
	src.exporter_port = c->peer_port;
	src.stream = 1;
	src.rx_ms = loop_wall_ms();
	while (c->len - off >= 4) {
		p = c->buf + off;
		mlen = (size_t)p[2] << 8 | p[3];
		if (p[0] != 0 || p[1] != 10 || mlen < IC_HDR) {
			garbage(c, p, c->len - off);
			return 1;
		}
		if (c->len - off < mlen)
			break;
		ingest_msg(c->l->in, c->l, &src, p, mlen);
		off += mlen;
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
	return 0;
}

/* Read what is there; 1 if the connection ended or went bad. */
static int
conn_read(struct ipfix_conn *c)
{
	ssize_t n;
	int rounds;

	for (rounds = 0; rounds < 16; rounds++) {
		n = read(c->fd, c->buf + c->len, IC_BUF - c->len);
		if (n == 0) {
			if (c->len > 0) {
				/* a message cut by the close: lost */
				stats_add(&c->l->in->stats->tcp_oversize, 1);
				stats_bad(c->l->in->stats, CGN_ETRUNC);
			}
			return 1;
		}
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : 1;
		c->len += (size_t)n;
		c->last_mono = loop_mono_ms();
		if (messages(c))
			return 1;
	}
	return 0;
}

static void
conn_readable(struct loop *lp, int fd, void *arg)
{
	struct ipfix_conn *c = arg;
	struct ingest *in = c->l->in;

	(void)lp;
	(void)fd;
	if (conn_read(c))
		conn_close(c);
	ingest_push(in);
}

void
ipfix_tcp_acceptable(struct loop *lp, int fd, void *arg)
{
	struct listener *l = arg;
	struct sockaddr_storage ss;
	struct ipfix_conn *c;
	socklen_t sl;
	int cfd, i;

	for (;;) {
		sl = sizeof(ss);
		cfd = accept4(fd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("%s: accept", l->bound);
			return;
		}
		for (i = 0; i < IC_MAX_CONNS && l->iconns[i].used; i++)
			;
		if (i == IC_MAX_CONNS) {
			log_warnx("%s: %d exporters connected: refusing more",
			    l->bound, IC_MAX_CONNS);
			close(cfd);
			continue;
		}
		c = &l->iconns[i];
		memset(c, 0, sizeof(*c));
		if ((c->buf = malloc(IC_BUF)) == NULL) {
			close(cfd);
			continue;
		}
		c->used = 1;
		c->fd = cfd;
		c->l = l;
		c->last_mono = loop_mono_ms();
		sockaddr_addr(&ss, &c->peer, &c->peer_port);
		if (loop_add(lp, cfd, conn_readable, c) != CGN_OK) {
			close(cfd);
			free(c->buf);
			memset(c, 0, sizeof(*c));
			continue;
		}
		l->nconns++;
		stats_add(&l->in->stats->tcp_accepted, 1);
	}
}

void
ipfix_tcp_drain(struct listener *l)
{
	int i;

	ipfix_tcp_acceptable(l->lp, l->fd, l);
	for (i = 0; i < IC_MAX_CONNS; i++)
		if (l->iconns[i].used && conn_read(&l->iconns[i]))
			conn_close(&l->iconns[i]);
	ingest_push(l->in);
}

void
ipfix_tcp_tick(struct listener *l, int64_t now_mono)
{
	int i;

	for (i = 0; i < IC_MAX_CONNS; i++) {
		if (!l->iconns[i].used || now_mono - l->iconns[i].last_mono <
		    l->in->cfg->tcp_idle_ms)
			continue;
		log_debug("%s: closing an idle exporter", l->bound);
		conn_close(&l->iconns[i]);
	}
}

void
ipfix_tcp_close_all(struct listener *l)
{
	int i;

	if (l->iconns == NULL)
		return;
	for (i = 0; i < IC_MAX_CONNS; i++)
		if (l->iconns[i].used)
			conn_close(&l->iconns[i]);
	free(l->iconns);
	l->iconns = NULL;
}
