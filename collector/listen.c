/*
 * listen.c - sources in general, and ingest: the one path from bytes to a
 * batch for the writer (see listen.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"
#include "timeconv.h"

void
sockaddr_addr(const void *sa, struct cgn_addr *a, uint16_t *port)
{
	const struct sockaddr *s = sa;

	memset(a, 0, sizeof(*a));
	*port = 0;
	if (s->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = sa;

		cgn_addr_v4(a, ntohl(s4->sin_addr.s_addr));
		*port = ntohs(s4->sin_port);
	} else if (s->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = sa;

		memcpy(a->b, &s6->sin6_addr, 16);
		*port = ntohs(s6->sin6_port);
	}
}

void
sock_rcvbuf(int fd, int size)
{
	/* FORCE passes rmem_max when we are root; else take what we get */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static const char *
pinned_parser(enum src_type t)
{
	switch (t) {
	case SRC_SYSLOG_UDP:
	case SRC_SYSLOG_TCP:
	case SRC_SYSLOG_FILE:
		return "syslog";
	case SRC_IPFIX_UDP:
	case SRC_IPFIX_TCP:
		return "ipfix";
	case SRC_NFV9_UDP:
		return "nfv9";
	case SRC_NFLOG:
		return "nflog";
	default:
		return NULL;
	}
}

int
listener_open(struct listener *l, const struct src_url *u,
    struct ingest *in, char *err, size_t errlen)
{
	const char *pname;
	char name[64], acl[256];

	memset(l, 0, sizeof(*l));
	l->url = *u;
	l->in = in;
	l->fd = -1;
	snprintf(l->bound, sizeof(l->bound), "%s", u->text);
	pname = pinned_parser(u->type);
	if (url_param(u, "parser", name, sizeof(name)))
		pname = strcmp(name, "auto") == 0 ? NULL : name;
	if (pname != NULL && (l->parser = parser_find(pname)) == NULL) {
		snprintf(err, errlen, "%s: no parser '%s'", u->text, pname);
		return CGN_EINVAL;
	}
	if (pstate_new(&l->pstate) != CGN_OK) {
		snprintf(err, errlen, "out of memory");
		return CGN_ENOMEM;
	}
	/* exporters accepted: the URL's allow=, else [collector] allow
	 * (which a reload may change) */
	if (url_param(u, "allow", acl, sizeof(acl))) {
		if (acl_parse(acl, &l->acl, name, sizeof(name)) != CGN_OK) {
			snprintf(err, errlen, "%s: allow: %s", u->text, name);
			return CGN_EINVAL;
		}
		l->own_acl = 1;
	}
	switch (u->type) {
	case SRC_SYSLOG_UDP:
	case SRC_IPFIX_UDP:
	case SRC_NFV9_UDP:
		return udp_open(l, err, errlen);
	case SRC_IPFIX_TCP:
		return ipfix_tcp_open(l, err, errlen);
	case SRC_SYSLOG_TCP:
		return tcp_open(l, err, errlen);
	case SRC_SYSLOG_FILE:
		return CGN_OK;
	case SRC_NFLOG:
		return nflin_open(l, err, errlen);
	case SRC_PCAP_FILE:
		return pcapin_open_file(l, err, errlen);
	case SRC_PCAP_LIVE:
		return pcapin_open_live(l, err, errlen);
	default:
		snprintf(err, errlen, "%s: %s sources are not supported yet",
		    u->text, url_scheme(u->type));
		return CGN_EINVAL;
	}
}

int
listener_start(struct listener *l, struct loop *lp)
{
	l->lp = lp;
	switch (l->url.type) {
	case SRC_SYSLOG_UDP:
	case SRC_IPFIX_UDP:
	case SRC_NFV9_UDP:
		return udp_start(l);
	case SRC_IPFIX_TCP:
		return loop_add(lp, l->fd, ipfix_tcp_acceptable, l);
	case SRC_SYSLOG_TCP:
		return loop_add(lp, l->fd, tcp_acceptable, l);
	case SRC_NFLOG:
		return nflin_start(l, lp);
	case SRC_PCAP_LIVE:
		return pcapin_start(l, lp);
	default:
		return CGN_OK;
	}
}

void
listener_drain(struct listener *l)
{
	switch (l->url.type) {
	case SRC_SYSLOG_UDP:
	case SRC_IPFIX_UDP:
	case SRC_NFV9_UDP:
		udp_stop(l);
		break;
	case SRC_IPFIX_TCP:
		ipfix_tcp_drain(l);
		break;
	case SRC_SYSLOG_TCP:
		tcp_drain(l);
		break;
	case SRC_NFLOG:
		nflin_drain(l);
		break;
	case SRC_PCAP_LIVE:
		pcapin_drain(l);
		break;
	default:
		break;
	}
}

int
listener_read_file(struct listener *l, char *err, size_t errlen)
{
	if (l->url.type == SRC_SYSLOG_FILE)
		return file_read(l, err, errlen);
	if (l->url.type == SRC_PCAP_FILE)
		return pcapin_read(l, err, errlen);
	return CGN_OK;
}

/* Only what changed: most messages move one counter or none, and an
 * atomic add costs even when it adds 0. */
static void
add_new(atomic_uint_fast64_t *c, uint64_t now, uint64_t seen)
{
	if (now != seen)
		stats_add(c, now - seen);
}

void
listener_publish(struct listener *l, struct stats *s)
{
	struct cgn_pcounters p;
	struct nfl_stats n;

	if (l->pstate == NULL)
		return;
	pstate_counters(l->pstate, &p);
	if (memcmp(&p, &l->pseen, sizeof(p)) != 0) {
		add_new(&s->p_records, p.records, l->pseen.records);
		add_new(&s->p_ignored, p.ignored, l->pseen.ignored);
		add_new(&s->p_nat_other, p.nat_other, l->pseen.nat_other);
		add_new(&s->p_templates, p.templates, l->pseen.templates);
		add_new(&s->p_withdrawn, p.withdrawn, l->pseen.withdrawn);
		add_new(&s->p_expired, p.expired, l->pseen.expired);
		add_new(&s->p_no_template, p.no_template,
		    l->pseen.no_template);
		add_new(&s->p_held_decoded, p.held_decoded,
		    l->pseen.held_decoded);
		add_new(&s->p_held_lost, p.held_lost, l->pseen.held_lost);
		add_new(&s->p_seq_lost, p.seq_lost, l->pseen.seq_lost);
		add_new(&s->p_limits, p.limits, l->pseen.limits);
		l->pseen = p;
	}
	nfl_stats_get(l->pstate, &n);
	if (memcmp(&n, &l->nseen, sizeof(n)) != 0) {
		add_new(&s->nfl_paired, n.paired, l->nseen.paired);
		add_new(&s->nfl_unpaired, n.unpaired, l->nseen.unpaired);
		add_new(&s->nfl_ambiguous, n.ambiguous, l->nseen.ambiguous);
		add_new(&s->nfl_no_nat, n.no_nat, l->nseen.no_nat);
		l->nseen = n;
	}
}

void
listener_tick(struct listener *l, int64_t now_mono)
{
	if (l->url.type == SRC_SYSLOG_TCP)
		tcp_tick(l, now_mono);
	else if (l->url.type == SRC_IPFIX_TCP)
		ipfix_tcp_tick(l, now_mono);
	else if (l->url.type == SRC_NFLOG)
		nflin_tick(l);
	else if (l->url.type == SRC_PCAP_LIVE)
		pcapin_tick(l);
}

void
listener_close(struct listener *l)
{
	if (l->url.type == SRC_SYSLOG_UDP || l->url.type == SRC_IPFIX_UDP ||
	    l->url.type == SRC_NFV9_UDP)
		udp_close(l);
	if (l->url.type == SRC_SYSLOG_TCP)
		tcp_close_all(l);
	if (l->url.type == SRC_IPFIX_TCP)
		ipfix_tcp_close_all(l);
	if (l->url.type == SRC_NFLOG)
		nflin_close(l);
	if (l->url.type == SRC_PCAP_FILE || l->url.type == SRC_PCAP_LIVE)
		pcapin_close(l);
	if (l->fd >= 0) {
		if (l->lp != NULL)
			loop_del(l->lp, l->fd);
		close(l->fd);
	}
	l->fd = -1;
	pstate_free(l->pstate);
	l->pstate = NULL;
}

/* ---- ingest ----------------------------------------------------------- */

static int
collect(void *arg, const struct cgn_event *ev)
{
	struct ingest *in = arg;
	struct cgn_event *ne;
	size_t nc;

	if (in->nev == in->capev) {
		nc = in->capev ? in->capev * 2 : 64;
		if ((ne = realloc(in->evs, nc * sizeof(*ne))) == NULL) {
			in->nomem = 1;
			return CGN_ENOMEM;
		}
		in->evs = ne;
		in->capev = nc;
	}
	in->evs[in->nev++] = *ev;
	return 0;
}

/* A parser saw a sequence gap: kept with the message for the writer. */
static void
collect_gap(void *arg, const char *device, int64_t from_ms, int64_t to_ms,
    uint64_t lost)
{
	struct ingest *in = arg;
	struct bgap *ng;
	size_t nc;

	(void)lost;
	stats_add(&in->stats->seq_gaps, 1);
	if (in->ngap == in->capgap) {
		nc = in->capgap ? in->capgap * 2 : 8;
		if ((ng = realloc(in->gaps, nc * sizeof(*ng))) == NULL) {
			stats_add(&in->stats->store_errors, 1);
			return;
		}
		in->gaps = ng;
		in->capgap = nc;
	}
	ng = &in->gaps[in->ngap++];
	ng->from_ms = from_ms;
	ng->to_ms = to_ms;
	snprintf(ng->device, sizeof(ng->device), "%s", device);
}

/*
 * A batch to fill: one of the ring's, or, when the writer has them all
 * (it is behind), the ingest's own spare, which goes to the spool. Without
 * a spool, wait for the writer: the kernel's buffer absorbs the pause and
 * counts what it cannot.
 */
static void
take_batch(struct ingest *in)
{
	if (in->cur != NULL)
		return;
	if ((in->cur = ring_take(in->ring, 0)) != NULL)
		return;
	stats_add(&in->stats->ring_waits, 1);
	if (in->spool != NULL) {
		in->cur = &in->spare;
		batch_clear(in->cur);
		return;
	}
	in->cur = ring_take(in->ring, -1);
}

/* Hand the batch on: to the ring, or to the spool while it holds
 * anything (so order is kept) or when it is the spare. */
static void
hand_on(struct ingest *in)
{
	struct batch *b = in->cur;

	if (b == NULL || b->nmsg + b->ngap == 0)
		return;
	if (in->spool != NULL && (b == &in->spare || spool_active(in->spool))) {
		if (spool_put(in->spool, b) == CGN_OK) {
			stats_add(&in->stats->spooled_batches, 1);
		} else {
			/* full, or the disk under it is: counted, said */
			stats_add(&in->stats->spool_drops, b->nmsg);
			stats_add(&in->stats->lost_msgs, b->nmsg);
			if (!in->warned_spool) {
				in->warned_spool = 1;
				log_warnx("the spool is full or cannot be"
				    " written: messages are being lost"
				    " (counted as spool_drops)");
			}
		}
		batch_clear(b);
		if (b == &in->spare)
			in->cur = NULL;
		return;
	}
	ring_push(in->ring, b);
	in->cur = NULL;
}

/* Hand the message's gaps to the batch, whatever became of the message. */
static void
add_gaps(struct ingest *in)
{
	size_t i;

	if (in->ngap == 0)
		return;
	take_batch(in);
	for (i = 0; i < in->ngap; i++)
		if (batch_add_gap(in->cur, in->gaps[i].device,
		    in->gaps[i].from_ms, in->gaps[i].to_ms) != CGN_OK)
			stats_add(&in->stats->store_errors, 1);
	in->ngap = 0;
}

static void
add_to_batch(struct ingest *in, int64_t rx_ms, const char *device,
    const uint8_t *buf, size_t len)
{
	take_batch(in);
	if (batch_add(in->cur, rx_ms, device, buf, len, in->evs, in->nev) !=
	    CGN_OK) {
		stats_add(&in->stats->store_errors, 1);
		stats_add(&in->stats->lost_msgs, 1);
		log_warnx("out of memory: a message from %s is lost", device);
		return;
	}
	if (batch_full(in->cur))
		hand_on(in);
}

/* A device name cut to CGN_NAMELEN, as the batch and the device table
 * keep it (snprintf here was a measurable share of a message's cost). */
static void
name_copy(char *dst, const char *src)
{
	size_t n = strnlen(src, CGN_NAMELEN - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
ingest_msg(struct ingest *in, struct listener *l, const struct cgn_src *src,
    const uint8_t *buf, size_t len)
{
	const struct cgn_parser *p;
	const struct cfg_device *dev = NULL;
	const struct live_set *ls;
	struct cgn_src s = *src;
	char sender[64], devname[CGN_NAMELEN];
	int rc;

	stats_add(&in->stats->rx_msgs, 1);
	stats_add(&in->stats->rx_bytes, len);
	ls = live_get(in->live);
	if (!acl_allows(l->own_acl ? &l->acl : &ls->acl, &s.exporter)) {
		/* not one of ours: counted, stored nowhere, not even as a
		 * reject (a flood of spoofed datagrams must not fill a disk) */
		stats_add(&in->stats->acl_drops, 1);
		return;
	}
	if (!cgn_addr_is_zero(&s.exporter)) {
		/* the exporter's address names the device and finds its
		 * settings: once per sender (and per reload), not once per
		 * message */
		if (cgn_addr_cmp(&s.exporter, &in->last_exp) != 0 ||
		    ls != in->last_ls) {
			in->last_exp = s.exporter;
			in->last_ls = ls;
			cgn_addr_fmt(&s.exporter, in->last_name,
			    sizeof(in->last_name));
			in->last_dev = live_device(ls, &s.exporter);
		}
		if (s.device == NULL)
			s.device = in->last_name;
		if ((dev = in->last_dev) != NULL) {
			if (dev->name[0] != '\0')
				s.device = dev->name;
			s.tz = dev->tz;
			s.natdict = (uint8_t)dev->natdict;
		}
	}
	s.gap = collect_gap;
	s.gap_arg = in;
	in->nev = 0;
	in->nomem = 0;
	in->ngap = 0;
	p = l->parser != NULL ? l->parser : parser_detect(buf, len);
	rc = p != NULL ? p->parse(l->pstate, &s, buf, len, collect, in) :
	    CGN_EUNKNOWN;
	add_gaps(in);
	listener_publish(l, in->stats);
	if (in->nomem)
		rc = CGN_ENOMEM;
	if (rc != CGN_OK) {
		cgn_addr_fmt(&s.exporter, sender, sizeof(sender));
		stats_bad(in->stats, rc);
		if (reject_keep(in->rej, s.rx_ms, l->bound, sender,
		    p != NULL ? p->name : NULL, rc, buf, len) != CGN_OK)
			stats_add(&in->stats->reject_write_errors, 1);
		if (!in->warned_reject) {
			in->warned_reject = 1;
			log_warnx("rejected a message from %s on %s (%s); kept"
			    " in %s; further rejects are counted and"
			    " summarised", sender, l->bound, cgn_rc_str(rc),
			    reject_path(in->rej));
		}
		if (in->nev == 0)
			return;	/* events before the damage are kept */
	} else if (in->nev == 0) {
		stats_add(&in->stats->msgs_no_event, 1);
	} else {
		stats_add(&in->stats->msgs_events, 1);
	}
	stats_add(&in->stats->events, in->nev);
	/* a non-zero exporter always set s.device above */
	name_copy(devname, s.device != NULL ? s.device : in->nev > 0 ?
	    in->evs[0].device : "unknown");
	devstat_note(in->devs, &in->devacc, devname, s.rx_ms, in->evs,
	    in->nev);
	add_to_batch(in, s.rx_ms, devname, buf, len);
}

void
ingest_push(struct ingest *in)
{
	devstat_flush(in->devs, &in->devacc);
	hand_on(in);
}

void
ingest_free(struct ingest *in)
{
	if (in->cur != NULL && in->cur != &in->spare)
		ring_give(in->ring, in->cur);
	in->cur = NULL;
	batch_release(&in->spare);
	free(in->evs);
	in->evs = NULL;
	free(in->gaps);
	in->gaps = NULL;
}
