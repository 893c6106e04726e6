/*
 * nflog_in.c - nflog://GROUP: a Linux box as the CGN. Reads the NFLOG
 * group its nftables rules log new flows to, and the conntrack DESTROY
 * events that tell when those flows end.
 *
 *   nflog://5?pre=cgn-pre&post=cgn-new&ct=auto&destroy=auto&device=NAME
 *
 * ct=auto asks the kernel to attach the conntrack entry to each message
 * (NFULNL_CFG_F_CONNTRACK): then one post-SNAT message carries the inside
 * and the public tuple. Kernels built without
 * CONFIG_NETFILTER_NETLINK_GLUE_CT refuse with EOPNOTSUPP; then the
 * two-rule mode pairs the pre-SNAT (prefix pre) and post-SNAT (prefix
 * post) messages of one packet (parser/nflog_pair.c). ct=yes makes the
 * refusal fatal, ct=no never asks.
 *
 * destroy=auto subscribes to ctnetlink DESTROY events (the ulogd2 NFCT
 * approach): SESSION_DELETE with the true end, which NFLOG never sees;
 * without them a session closes by reuse of its port or after the
 * store's session_idle. destroy=yes makes a failure fatal, destroy=no
 * never subscribes.
 *
 * The group is configured with a queue threshold of 1 (the kernel's
 * default batches 100 messages or 1 s), a large receive buffer, and
 * ENOBUFS (the kernel dropped messages for us) counted as losses.
 * Forwarded packets carry no timestamp: events then take the receive
 * time. Decoding is in parser/nflog.c; this file only does the sockets.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_log/libnetfilter_log.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_compat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"
#include "nflog.h"

#define NFLIN_BUF (256 * 1024)	/* one recv: many messages */
#define NFLIN_COPY 512		/* bytes copied of each packet: headers
				 * and payload for the pairing digest */
#define NFLIN_BUDGET 64		/* recv calls per wake-up */

struct nflin {
	struct mnl_socket *nl;		/* the NFLOG group */
	struct mnl_socket *ct;		/* ctnetlink DESTROY, or NULL */
	struct listener ctl;		/* the events' own listener: the
					 * "nfct" parser, its own bound */
	char device[CGN_NAMELEN];	/* stamped on every event */
	int attached;			/* kernel attaches conntrack */
	uint64_t overruns;		/* ENOBUFS on the group */
	uint64_t ct_overruns;		/* ... on the events */
	struct nfl_stats reported;	/* at the last summary */
	uint8_t *buf;
};

/* Send one configuration message and wait for its acknowledgement. 0 or
 * an errno value. Log messages that arrive meanwhile (the group is bound
 * first) are skipped: this happens once, at start. */
static int
cfg_send(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	const struct nlmsghdr *m;
	const struct nlmsgerr *e;
	unsigned seq = nlh->nlmsg_seq;
	ssize_t n;
	int left;

	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return errno;
	for (;;) {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) < 0) {
			if (errno == ENOBUFS)	/* log messages overran */
				continue;
			return errno;
		}
		left = (int)n;
		for (m = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(m, left);
		    m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_type != NLMSG_ERROR || m->nlmsg_seq != seq)
				continue;
			if (m->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
				return EPROTO;
			e = mnl_nlmsg_get_payload(m);
			return -e->error;
		}
	}
}

static struct nlmsghdr *
cfg_msg(char *buf, uint16_t group, unsigned seq)
{
	struct nlmsghdr *nlh = nflog_nlmsg_put_header(buf, NFULNL_MSG_CONFIG,
	    AF_UNSPEC, group);

	nlh->nlmsg_seq = seq;
	return nlh;
}

/* Bind the group, copy mode, queue threshold; conntrack if asked. */
static int
group_open(struct listener *l, struct nflin *s, const char *ctopt,
    char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	uint16_t g = (uint16_t)l->url.group;
	int e, tries;

	if ((s->nl = mnl_socket_open(NETLINK_NETFILTER)) == NULL ||
	    mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "%s: netlink: %s", l->url.text,
		    strerror(errno));
		return CGN_EIO;
	}
	sock_rcvbuf(mnl_socket_get_fd(s->nl), l->in->cfg->rcvbuf);
	nlh = cfg_msg(buf, g, 1);
	nflog_attr_put_cfg_cmd(nlh, NFULNL_CFG_CMD_BIND);
	if ((e = cfg_send(s->nl, nlh)) != 0) {
		snprintf(err, errlen, "%s: binding group %u: %s%s",
		    l->url.text, g, strerror(e), e == EPERM ? " (another"
		    " listener, e.g. tcpdump -i nflog, holds the group in"
		    " this network namespace; or not root)" : "");
		return CGN_EIO;
	}
	nlh = cfg_msg(buf, g, 2);
	nflog_attr_put_cfg_mode(nlh, NFULNL_COPY_PACKET, NFLIN_COPY);
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	if ((e = cfg_send(s->nl, nlh)) != 0) {
		snprintf(err, errlen, "%s: configuring group %u: %s",
		    l->url.text, g, strerror(e));
		return CGN_EIO;
	}
	if (strcmp(ctopt, "no") == 0)
		return CGN_OK;
	/* a module kernel loads nf_conntrack_netlink on the first request
	 * and answers EAGAIN: ask again */
	for (tries = 0, e = EAGAIN; tries < 3 && e == EAGAIN; tries++) {
		nlh = cfg_msg(buf, g, 3 + (unsigned)tries);
		mnl_attr_put_u16(nlh, NFULA_CFG_FLAGS,
		    htons(NFULNL_CFG_F_CONNTRACK));
		e = cfg_send(s->nl, nlh);
	}
	if (e == 0) {
		s->attached = 1;
		return CGN_OK;
	}
	if (strcmp(ctopt, "yes") == 0) {
		snprintf(err, errlen, "%s: the kernel refuses to attach"
		    " conntrack to NFLOG (NFULNL_CFG_F_CONNTRACK: %s)",
		    l->url.text, strerror(e));
		return CGN_EIO;
	}
	log_info("%s: the kernel refuses to attach conntrack to NFLOG"
	    " (%s%s)", l->url.text, strerror(e), e == EOPNOTSUPP ?
	    ": CONFIG_NETFILTER_NETLINK_GLUE_CT is off" : "");
	return CGN_OK;
}

/* The DESTROY events' socket and listener. */
static int
events_open(struct listener *l, struct nflin *s, char *err, size_t errlen)
{
	struct listener *c = &s->ctl;

	if ((s->ct = mnl_socket_open(NETLINK_NETFILTER)) == NULL ||
	    mnl_socket_bind(s->ct, NF_NETLINK_CONNTRACK_DESTROY,
	    MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "%s: conntrack events: %s", l->url.text,
		    strerror(errno));
		if (s->ct != NULL)
			mnl_socket_close(s->ct);
		s->ct = NULL;
		return CGN_EIO;
	}
	sock_rcvbuf(mnl_socket_get_fd(s->ct), l->in->cfg->rcvbuf);
	fcntl(mnl_socket_get_fd(s->ct), F_SETFL, O_NONBLOCK);
	memset(c, 0, sizeof(*c));
	c->url = l->url;
	c->in = l->in;
	c->fd = mnl_socket_get_fd(s->ct);
	c->parser = &nfl_ct_parser;
	snprintf(c->bound, sizeof(c->bound), "%s#conntrack", l->url.text);
	if (pstate_new(&c->pstate) != CGN_OK) {
		snprintf(err, errlen, "out of memory");
		return CGN_ENOMEM;
	}
	return CGN_OK;
}

int
nflin_open(struct listener *l, char *err, size_t errlen)
{
	char ctopt[8] = "auto", dopt[8] = "auto", pre[NFL_PREFIXLEN],
	    post[NFL_PREFIXLEN];
	struct nflin *s;
	int rc;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->buf = malloc(NFLIN_BUF)) == NULL) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return CGN_ENOMEM;
	}
	l->nfl = s;
	s->ctl.fd = -1;
	url_param(&l->url, "ct", ctopt, sizeof(ctopt));
	url_param(&l->url, "destroy", dopt, sizeof(dopt));
	if (!url_param(&l->url, "pre", pre, sizeof(pre)))
		snprintf(pre, sizeof(pre), "%s", NFL_PRE_DEFAULT);
	if (!url_param(&l->url, "post", post, sizeof(post)))
		snprintf(post, sizeof(post), "%s", NFL_POST_DEFAULT);
	if (!url_param(&l->url, "device", s->device, sizeof(s->device)) &&
	    gethostname(s->device, sizeof(s->device) - 1) != 0)
		snprintf(s->device, sizeof(s->device), "nflog");
	if ((strcmp(ctopt, "auto") != 0 && strcmp(ctopt, "yes") != 0 &&
	    strcmp(ctopt, "no") != 0) || (strcmp(dopt, "auto") != 0 &&
	    strcmp(dopt, "yes") != 0 && strcmp(dopt, "no") != 0)) {
		snprintf(err, errlen, "%s: ct= and destroy= take auto, yes"
		    " or no", l->url.text);
		return CGN_EINVAL;
	}
	if (l->parser == NULL)
		l->parser = &nfl_log_parser;
	if (nfl_configure(l->pstate, pre, post) != CGN_OK) {
		snprintf(err, errlen, "%s: a prefix is longer than %d bytes",
		    l->url.text, NFL_PREFIXLEN - 1);
		return CGN_EINVAL;
	}
	if ((rc = group_open(l, s, ctopt, err, errlen)) != CGN_OK)
		return rc;
	if (!s->attached)
		log_info("%s: two-rule mode: pairing prefix \"%s\" (before"
		    " SNAT) with \"%s\" (after)", l->url.text, pre, post);
	l->fd = mnl_socket_get_fd(s->nl);
	fcntl(l->fd, F_SETFL, O_NONBLOCK);
	if (strcmp(dopt, "no") != 0 &&
	    (rc = events_open(l, s, err, errlen)) != CGN_OK) {
		if (strcmp(dopt, "yes") == 0 || rc == CGN_ENOMEM)
			return rc;
		log_warnx("%s; sessions end by reuse or session_idle", err);
	}
	log_info("%s: %s; session ends from %s", l->url.text, s->attached ?
	    "conntrack attached to each message" : "two-rule mode",
	    s->ct != NULL ? "conntrack DESTROY events" :
	    "reuse or session_idle");
	return CGN_OK;
}

/* Count a receive overrun once per occurrence; warn on the first. */
static void
overrun(struct listener *l, uint64_t *n, const char *what)
{
	stats_add(&l->in->stats->kernel_drops, 1);
	if ((*n)++ == 0)
		log_warnx("%s: the kernel dropped %s (ENOBUFS): the collector"
		    " was too slow; raise rcvbuf. Counted in kernel_drops",
		    l->bound, what);
}

/* Read what is waiting on fd; hand each message of subsystem sub to
 * ingest (NFLOG: without its nlmsghdr; ctnetlink: whole). */
static void
drain(struct listener *l, struct listener *to, int fd, uint8_t *buf,
    int sub, uint64_t *overruns)
{
	const struct nlmsghdr *nlh;
	struct cgn_src src;
	ssize_t n;
	int round, left;

	for (round = 0; round < NFLIN_BUDGET; round++) {
		n = recv(fd, buf, NFLIN_BUF, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				overrun(l, overruns, sub == NFNL_SUBSYS_ULOG ?
				    "NFLOG messages" : "conntrack events");
				continue;
			}
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s: recv", to->bound);
			break;
		}
		memset(&src, 0, sizeof(src));
		src.rx_ms = loop_wall_ms();
		src.device = l->nfl->device;
		left = (int)n;
		for (nlh = (const struct nlmsghdr *)buf;
		    mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != sub)
				continue;	/* acks, errors */
			if (sub == NFNL_SUBSYS_ULOG)
				ingest_msg(l->in, to, &src,
				    (const uint8_t *)nlh + NLMSG_HDRLEN,
				    nlh->nlmsg_len - NLMSG_HDRLEN);
			else
				ingest_msg(l->in, to, &src,
				    (const uint8_t *)nlh, nlh->nlmsg_len);
		}
	}
	ingest_push(l->in);
}

static void
group_readable(struct loop *lp, int fd, void *arg)
{
	struct listener *l = arg;

	(void)lp;
	drain(l, l, fd, l->nfl->buf, NFNL_SUBSYS_ULOG, &l->nfl->overruns);
}

static void
events_readable(struct loop *lp, int fd, void *arg)
{
	struct listener *l = arg;

	(void)lp;
	drain(l, &l->nfl->ctl, fd, l->nfl->buf, NFNL_SUBSYS_CTNETLINK,
	    &l->nfl->ct_overruns);
}

int
nflin_start(struct listener *l, struct loop *lp)
{
	int rc;

	if ((rc = loop_add(lp, l->fd, group_readable, l)) != CGN_OK)
		return rc;
	if (l->nfl->ct != NULL)
		return loop_add(lp, l->nfl->ctl.fd, events_readable, l);
	return CGN_OK;
}

void
nflin_drain(struct listener *l)
{
	drain(l, l, l->fd, l->nfl->buf, NFNL_SUBSYS_ULOG, &l->nfl->overruns);
	if (l->nfl->ct != NULL)
		drain(l, &l->nfl->ctl, l->nfl->ctl.fd, l->nfl->buf,
		    NFNL_SUBSYS_CTNETLINK, &l->nfl->ct_overruns);
}

/* Halves that found no partner, and ambiguous ones: logged when they
 * change, at most once a minute after the first. */
static void
summary(struct listener *l, int force)
{
	struct nfl_stats ns;
	struct nflin *s = l->nfl;

	nfl_stats_get(l->pstate, &ns);
	if (!force && ns.unpaired == s->reported.unpaired &&
	    ns.ambiguous == s->reported.ambiguous)
		return;
	if (!force && (s->reported.unpaired != 0 ||
	    s->reported.ambiguous != 0) && loop_mono_ms() / 1000 % 60 != 0)
		return;
	log_info("%s: %llu with conntrack, %llu pairs, %llu unpaired,"
	    " %llu ambiguous (no event), %llu without NAT, %llu other;"
	    " %llu overruns", l->url.text, (unsigned long long)ns.ct,
	    (unsigned long long)ns.paired, (unsigned long long)ns.unpaired,
	    (unsigned long long)ns.ambiguous, (unsigned long long)ns.no_nat,
	    (unsigned long long)ns.other,
	    (unsigned long long)(s->overruns + s->ct_overruns));
	s->reported = ns;
}

void
nflin_tick(struct listener *l)
{
	nfl_expire(l->pstate, loop_wall_ms());
	listener_publish(l, l->in->stats);
	summary(l, 0);
}

void
nflin_close(struct listener *l)
{
	struct nflin *s = l->nfl;

	if (s == NULL)
		return;
	if (l->pstate != NULL) {
		nfl_expire(l->pstate, INT64_MAX);
		listener_publish(l, l->in->stats);
		summary(l, 1);
	}
	if (s->ct != NULL) {
		if (l->lp != NULL)
			loop_del(l->lp, s->ctl.fd);
		mnl_socket_close(s->ct);
	}
	pstate_free(s->ctl.pstate);
	if (s->nl != NULL) {
		if (l->lp != NULL && l->fd >= 0)
			loop_del(l->lp, l->fd);
		mnl_socket_close(s->nl);	/* the kernel unbinds */
	}
	l->fd = -1;
	free(s->buf);
	free(s);
	l->nfl = NULL;
}
