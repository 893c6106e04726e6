/*
 * tcp.c - syslog over TCP (RFC 6587): many senders, each connection's
 * byte stream cut into messages.
 *
 * Framing is decided per frame: "LEN SP MSG" (octet counting, 3.4.1) when
 * the frame starts with a length and a space, else a line ended by LF
 * (non-transparent framing, 3.4.2) with an optional CR. A frame longer
 * than tcp_max_frame is counted, its first bytes kept in the reject file,
 * and skipped. A connection idle for tcp_idle is closed; at EOF a last
 * unterminated line is still a message.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "framing.h"
#include "listen.h"
#include "log.h"

#define TCP_READ 65536
#define TCP_MAX_CONNS 4096

struct tconn {
	int used;
	int fd;
	struct cgn_addr peer;
	uint16_t peer_port;
	uint8_t *buf;
	size_t len, cap;
	struct framer fr;	/* RFC 6587 state */
	int64_t last_mono;
	struct listener *l;
};

int
tcp_open(struct listener *l, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;

	if (url_sockaddr(&l->url, &ss, &sl, err, errlen) != CGN_OK)
		return CGN_EINVAL;
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 512) != 0)
		goto fail;
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		goto fail;
	l->fd = fd;
	if ((l->conns = calloc(TCP_MAX_CONNS, sizeof(*l->conns))) == NULL) {
		errno = ENOMEM;
		goto fail;
	}
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

static void
msg(void *arg, const uint8_t *p, size_t len)
{
	struct tconn *c = arg;
	struct cgn_src src;

	memset(&src, 0, sizeof(src));
	src.exporter = c->peer;
	src.exporter_port = c->peer_port;
	src.rx_ms = loop_wall_ms();
	ingest_msg(c->l->in, c->l, &src, p, len);
}

static void
on_oversize(void *arg, const uint8_t *p, size_t keep)
{
	struct tconn *c = arg;
	struct listener *l = c->l;
	char sender[64];

	stats_add(&l->in->stats->tcp_oversize, 1);
	stats_bad(l->in->stats, CGN_ETRUNC);
	cgn_addr_fmt(&c->peer, sender, sizeof(sender));
	if (reject_keep(l->in->rej, loop_wall_ms(), l->bound, sender,
	    "tcp-framing", CGN_ETRUNC, p, keep) != CGN_OK)
		stats_add(&l->in->stats->reject_write_errors, 1);
}

/* Cut the buffer into frames; keep the incomplete tail. */
static void
frames(struct tconn *c, int at_eof)
{
	size_t off = framing_split(&c->fr, c->buf, c->len,
	    (size_t)c->l->in->cfg->tcp_max_frame, at_eof, msg, on_oversize,
	    c);

	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
}

static void
conn_close(struct tconn *c)
{
	struct listener *l = c->l;

	loop_del(l->lp, c->fd);
	close(c->fd);
	free(c->buf);
	memset(c, 0, sizeof(*c));
	l->nconns--;
	stats_add(&l->in->stats->tcp_closed, 1);
}

/* Read what is there; 1 if the connection ended. */
static int
conn_read(struct tconn *c)
{
	size_t max = (size_t)c->l->in->cfg->tcp_max_frame;
	uint8_t *nb;
	ssize_t n;
	int rounds;

	for (rounds = 0; rounds < 16; rounds++) {
		if (c->cap - c->len < TCP_READ) {
			size_t nc = c->len + TCP_READ;

			if (nc < max + 16)
				nc = max + 16;
			if ((nb = realloc(c->buf, nc)) == NULL)
				return 1;
			c->buf = nb;
			c->cap = nc;
		}
		n = read(c->fd, c->buf + c->len, c->cap - c->len);
		if (n == 0) {
			frames(c, 1);
			return 1;
		}
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : 1;
		c->len += (size_t)n;
		c->last_mono = loop_mono_ms();
		frames(c, 0);
	}
	return 0;
}

static void
conn_readable(struct loop *lp, int fd, void *arg)
{
	struct tconn *c = arg;
	struct ingest *in = c->l->in;

	(void)lp;
	(void)fd;
	if (conn_read(c))
		conn_close(c);	/* clears c */
	ingest_push(in);
}

void
tcp_acceptable(struct loop *lp, int fd, void *arg)
{
	struct listener *l = arg;
	struct sockaddr_storage ss;
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
		for (i = 0; i < TCP_MAX_CONNS && l->conns[i].used; i++)
			;
		if (i == TCP_MAX_CONNS) {
			log_warnx("%s: %d connections: refusing more",
			    l->bound, TCP_MAX_CONNS);
			close(cfd);
			continue;
		}
		memset(&l->conns[i], 0, sizeof(l->conns[i]));
		l->conns[i].used = 1;
		l->conns[i].fd = cfd;
		l->conns[i].l = l;
		l->conns[i].last_mono = loop_mono_ms();
		sockaddr_addr(&ss, &l->conns[i].peer, &l->conns[i].peer_port);
		if (loop_add(lp, cfd, conn_readable, &l->conns[i]) != CGN_OK) {
			close(cfd);
			l->conns[i].used = 0;
			continue;
		}
		l->nconns++;
		stats_add(&l->in->stats->tcp_accepted, 1);
	}
}

void
tcp_drain(struct listener *l)
{
	int i;

	tcp_acceptable(l->lp, l->fd, l);
	for (i = 0; i < TCP_MAX_CONNS; i++) {
		if (!l->conns[i].used)
			continue;
		conn_read(&l->conns[i]);
		/* we are stopping: a partial last line is all there will be */
		frames(&l->conns[i], 1);
	}
	ingest_push(l->in);
}

void
tcp_tick(struct listener *l, int64_t now_mono)
{
	int i;

	for (i = 0; i < TCP_MAX_CONNS; i++) {
		if (!l->conns[i].used ||
		    now_mono - l->conns[i].last_mono < l->in->cfg->tcp_idle_ms)
			continue;
		log_debug("%s: closing an idle connection", l->bound);
		frames(&l->conns[i], 1);
		conn_close(&l->conns[i]);
	}
	ingest_push(l->in);
}

void
tcp_close_all(struct listener *l)
{
	int i;

	if (l->conns == NULL)
		return;
	for (i = 0; i < TCP_MAX_CONNS; i++)
		if (l->conns[i].used)
			conn_close(&l->conns[i]);
	free(l->conns);
	l->conns = NULL;
}
