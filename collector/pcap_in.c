/*
 * pcap_in.c - captures as sources, through libpcap:
 *
 *   pcap-file://PATH[?filter=BPF&parser=NAME&device=NAME]   (pcap, pcapng)
 *   pcap-live://IFACE[?filter=BPF&parser=NAME]              (a mirror port)
 *
 * Each frame is decoded by parser/pkt.c (Ethernet, VLAN, Linux cooked,
 * raw IP; IPv4, IPv6; UDP, TCP). A UDP datagram is a message from its
 * source address (the exporter) received at its capture time; it goes to
 * the pinned parser, or else to the one detect() names, when detect()
 * knows it or its destination port is an export port; other traffic is
 * skipped and counted. TCP streams (syslog, RFC 6587; IPFIX, RFC 7011
 * 10.4) are put back in order by parser/tcpreasm.c and cut into messages
 * as the live TCP sources cut them. NFLOG captures (DLT 239, tcpdump -i
 * nflog:N) go to the "nflog" parser whole, with the pre= and post=
 * prefixes of nflog://.
 *
 * A capture that ends in the middle of a packet, or is corrupt, stops with
 * a clear error; what came before the damage is stored. Live captures
 * count the kernel's drops (pcap_stats) as losses.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "framing.h"
#include "listen.h"
#include "log.h"
#include "nflog.h"
#include "pkt.h"
#include "tcpreasm.h"

#define DLT_NFLOG_ 239		/* LINKTYPE_NFLOG */
#define PCAPIN_BUDGET 1024	/* live packets per wake-up */
#define PCAPIN_TIMEOUT 50	/* ms a live packet may wait in the kernel */

/* How a TCP stream's bytes are cut into messages. */
enum tkind {
	TK_UNKNOWN = 0,
	TK_SYSLOG,		/* RFC 6587 */
	TK_IPFIX,		/* RFC 7011 10.4: length in the header */
	TK_IGNORE,		/* not an export stream */
};

struct tstream {
	int kind;
	struct framer fr;
	uint8_t *buf;
	size_t len, cap;
	struct cgn_addr peer;
	uint16_t peer_port;
};

struct pcapin {
	pcap_t *pc;
	int dlt;
	struct listener *l;
	struct tcpr *tr;
	int64_t rx_ms;		/* capture time of the current packet */
	char device[CGN_NAMELEN];	/* device= (NFLOG captures) */
	uint64_t packets, datagrams, skipped, damaged;
	u_int drops;		/* pcap_stats: last seen */
};

/* Destination ports of export traffic (when detect() is unsure). */
static int
export_port(uint16_t port)
{
	switch (port) {
	case 514:		/* syslog, RFC 5426 */
	case 601:		/* syslog over TCP, RFC 3195 / 6587 */
	case 2055:		/* NetFlow v9 (common) */
	case 4739:		/* IPFIX, RFC 7011 */
	case 4740:		/* IPFIX over DTLS/TLS */
	case 9995:
	case 9996:
		return 1;
	default:
		return 0;
	}
}

static void
src_of(struct pcapin *pi, struct cgn_src *src, const struct cgn_addr *a,
    uint16_t port, int stream)
{
	memset(src, 0, sizeof(*src));
	src->exporter = *a;
	src->exporter_port = port;
	src->stream = (uint8_t)stream;
	src->rx_ms = pi->rx_ms;
}

/* ---- TCP streams ------------------------------------------------------ */

struct fctx {
	struct pcapin *pi;
	struct tstream *ts;
};

static void
frame_msg(void *arg, const uint8_t *p, size_t len)
{
	struct fctx *f = arg;
	struct cgn_src src;

	src_of(f->pi, &src, &f->ts->peer, f->ts->peer_port, 1);
	ingest_msg(f->pi->l->in, f->pi->l, &src, p, len);
}

static void
frame_over(void *arg, const uint8_t *p, size_t keep)
{
	struct fctx *f = arg;
	struct listener *l = f->pi->l;
	char sender[CGN_ADDR_STRLEN];

	stats_add(&l->in->stats->tcp_oversize, 1);
	stats_bad(l->in->stats, CGN_ETRUNC);
	cgn_addr_fmt(&f->ts->peer, sender, sizeof(sender));
	if (reject_keep(l->in->rej, f->pi->rx_ms, l->bound, sender,
	    "tcp-framing", CGN_ETRUNC, p, keep) != CGN_OK)
		stats_add(&l->in->stats->reject_write_errors, 1);
}

/* Cut what the stream holds into messages; keep the incomplete tail. */
static void
cut(struct pcapin *pi, struct tstream *ts, int at_eof)
{
	struct fctx f = { pi, ts };
	size_t off = 0, mlen;

	if (ts->kind == TK_SYSLOG) {
		off = framing_split(&ts->fr, ts->buf, ts->len,
		    (size_t)pi->l->in->cfg->tcp_max_frame, at_eof, frame_msg,
		    frame_over, &f);
	} else if (ts->kind == TK_IPFIX) {
		while (ts->len - off >= 4) {
			mlen = (size_t)(ts->buf[off + 2] << 8 |
			    ts->buf[off + 3]);
			if (mlen < 16) {	/* lost sync: give the rest to
						 * the parser to count, once */
				frame_msg(&f, ts->buf + off, ts->len - off);
				off = ts->len;
				ts->kind = TK_IGNORE;
				break;
			}
			if (ts->len - off < mlen)
				break;
			frame_msg(&f, ts->buf + off, mlen);
			off += mlen;
		}
		if (at_eof && off < ts->len) {	/* a cut message */
			frame_msg(&f, ts->buf + off, ts->len - off);
			off = ts->len;
		}
	} else {
		off = ts->len;
	}
	memmove(ts->buf, ts->buf + off, ts->len - off);
	ts->len -= off;
}

static int
stream_kind(const struct listener *l, const struct tcpr_key *k,
    const uint8_t *p, size_t len)
{
	const char *name = l->parser != NULL ? l->parser->name : NULL;

	if (name != NULL)
		return strcmp(name, "ipfix") == 0 ? TK_IPFIX :
		    strcmp(name, "syslog") == 0 ? TK_SYSLOG : TK_IGNORE;
	if (len >= 2 && p[0] == 0 && p[1] == 10)
		return TK_IPFIX;
	if (len >= 1 && (p[0] == '<' || (p[0] >= '1' && p[0] <= '9')))
		return TK_SYSLOG;
	return export_port(k->dport) ? TK_SYSLOG : TK_IGNORE;
}

static void
on_tcp_data(void *arg, const struct tcpr_key *k, void **user,
    const uint8_t *p, size_t len)
{
	struct pcapin *pi = arg;
	struct tstream *ts = *user;
	uint8_t *nb;
	size_t nc;

	if (ts == NULL) {
		if ((ts = calloc(1, sizeof(*ts))) == NULL)
			return;
		ts->kind = stream_kind(pi->l, k, p, len);
		ts->peer = k->src;
		ts->peer_port = k->sport;
		*user = ts;
	}
	if (ts->kind == TK_IGNORE)
		return;
	if (ts->cap - ts->len < len) {
		nc = ts->len + len + 65536;
		if ((nb = realloc(ts->buf, nc)) == NULL) {
			log_warnx("%s: out of memory for a TCP stream",
			    pi->l->bound);
			return;
		}
		ts->buf = nb;
		ts->cap = nc;
	}
	memcpy(ts->buf + ts->len, p, len);
	ts->len += len;
	cut(pi, ts, 0);
}

static void
on_tcp_end(void *arg, const struct tcpr_key *k, void **user, int why)
{
	struct pcapin *pi = arg;
	struct tstream *ts = *user;

	(void)k;
	if (ts == NULL)
		return;
	if (why == TCPR_END_GAP) {
		/* bytes were lost: a frame in progress is broken; start
		 * afresh at the next frame boundary we can find */
		if (ts->len > 0)
			pi->damaged++;
		ts->len = 0;
		memset(&ts->fr, 0, sizeof(ts->fr));
		if (ts->kind == TK_SYSLOG)
			ts->fr.skip_line = 1;
		else if (ts->kind == TK_IPFIX)
			ts->kind = TK_IGNORE;
		return;
	}
	cut(pi, ts, 1);
	free(ts->buf);
	free(ts);
	*user = NULL;
}

/* ---- packets ---------------------------------------------------------- */

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *data)
{
	struct pcapin *pi = (struct pcapin *)arg;
	struct listener *l = pi->l;
	struct tcpr_key tk;
	struct cgn_src src;
	struct pkt k;
	int rc;

	pi->packets++;
	pi->rx_ms = (int64_t)h->ts.tv_sec * 1000 + h->ts.tv_usec / 1000;
	if (pi->dlt == DLT_NFLOG_) {
		memset(&src, 0, sizeof(src));
		src.rx_ms = pi->rx_ms;
		src.device = pi->device;
		ingest_msg(l->in, l, &src, data, h->caplen);
		return;
	}
	rc = pkt_decode(pi->dlt, data, h->caplen, &k);
	if (k.proto == 17 && k.payload != NULL &&
	    (rc == CGN_OK || rc == CGN_ETRUNC)) {
		if (l->parser == NULL && !export_port(k.dport) &&
		    parser_detect(k.payload, k.paylen) == NULL) {
			pi->skipped++;
			return;
		}
		/* a datagram the capture cut short still goes in: the
		 * parser says what is wrong, and it is kept */
		pi->datagrams++;
		src_of(pi, &src, &k.src, k.sport, 0);
		ingest_msg(l->in, l, &src, k.payload, k.paylen);
		return;
	}
	if (k.proto == 6 && k.tcpdata != NULL && rc == CGN_OK) {
		memset(&tk, 0, sizeof(tk));
		tk.src = k.src;
		tk.dst = k.dst;
		tk.sport = k.sport;
		tk.dport = k.dport;
		if (tcpr_segment(pi->tr, &tk, k.seq, k.tcpflags, k.tcpdata,
		    k.tcplen) != CGN_OK)
			pi->damaged++;
		return;
	}
	if (rc != CGN_OK && (k.proto == 6 || k.proto == 17))
		pi->damaged++;	/* cut short: a hole in a TCP stream */
	else
		pi->skipped++;
}

/* ---- opening ---------------------------------------------------------- */

static int
set_filter(struct pcapin *pi, char *err, size_t errlen)
{
	struct bpf_program bp;
	char f[256];

	if (!url_param(&pi->l->url, "filter", f, sizeof(f)))
		return CGN_OK;
	if (pcap_compile(pi->pc, &bp, f, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(pi->pc, &bp) != 0) {
		snprintf(err, errlen, "%s: filter \"%s\": %s", pi->l->url.text,
		    f, pcap_geterr(pi->pc));
		return CGN_EINVAL;
	}
	pcap_freecode(&bp);
	return CGN_OK;
}

/* What follows the handle's opening, for files and live captures. */
static int
setup(struct pcapin *pi, char *err, size_t errlen)
{
	struct listener *l = pi->l;
	char pre[NFL_PREFIXLEN], post[NFL_PREFIXLEN];
	struct pkt k;
	int rc;

	pi->dlt = pcap_datalink(pi->pc);
	if (pi->dlt == DLT_NFLOG_) {
		if (l->parser == NULL)
			l->parser = &nfl_log_parser;
		if (!url_param(&l->url, "device", pi->device,
		    sizeof(pi->device)))
			snprintf(pi->device, sizeof(pi->device), "nflog");
		if (!url_param(&l->url, "pre", pre, sizeof(pre)))
			snprintf(pre, sizeof(pre), "%s", NFL_PRE_DEFAULT);
		if (!url_param(&l->url, "post", post, sizeof(post)))
			snprintf(post, sizeof(post), "%s", NFL_POST_DEFAULT);
		if (nfl_configure(l->pstate, pre, post) != CGN_OK) {
			snprintf(err, errlen, "%s: a prefix is too long",
			    l->url.text);
			return CGN_EINVAL;
		}
	} else if (pkt_decode(pi->dlt, (const uint8_t *)"", 0, &k) ==
	    CGN_EINVAL) {
		snprintf(err, errlen, "%s: link type %s (%d) is not"
		    " supported", l->url.text,
		    pcap_datalink_val_to_name(pi->dlt) ?
		    pcap_datalink_val_to_name(pi->dlt) : "?", pi->dlt);
		return CGN_EINVAL;
	}
	if ((rc = tcpr_new(on_tcp_data, on_tcp_end, pi, &pi->tr)) != CGN_OK) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	return set_filter(pi, err, errlen);
}

static struct pcapin *
pcapin_new(struct listener *l)
{
	struct pcapin *pi = calloc(1, sizeof(*pi));

	if (pi != NULL) {
		pi->l = l;
		l->pcap = pi;
	}
	return pi;
}

int
pcapin_open_file(struct listener *l, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcapin *pi;

	if ((pi = pcapin_new(l)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return CGN_ENOMEM;
	}
	if ((pi->pc = pcap_open_offline(l->url.path, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", l->url.path, ebuf);
		return CGN_EIO;
	}
	return setup(pi, err, errlen);
}

int
pcapin_open_live(struct listener *l, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcapin *pi;
	int rc;

	if ((pi = pcapin_new(l)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return CGN_ENOMEM;
	}
	if ((pi->pc = pcap_create(l->url.path, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", l->url.text, ebuf);
		return CGN_EIO;
	}
	pcap_set_snaplen(pi->pc, 65535);
	pcap_set_promisc(pi->pc, 1);	/* a mirror port's frames are not
					 * addressed to us */
	/* blocks of packets packed by size (TPACKET_V3), handed over when
	 * full or after PCAPIN_TIMEOUT: immediate mode would give every
	 * packet a 64 KiB slot and drop at a few thousand per second */
	pcap_set_timeout(pi->pc, PCAPIN_TIMEOUT);
	pcap_set_buffer_size(pi->pc, l->in->cfg->rcvbuf);
	if ((rc = pcap_activate(pi->pc)) < 0) {
		snprintf(err, errlen, "%s: %s", l->url.text,
		    pcap_geterr(pi->pc));
		return CGN_EIO;
	}
	if (pcap_setnonblock(pi->pc, 1, ebuf) != 0 ||
	    (l->fd = pcap_get_selectable_fd(pi->pc)) < 0) {
		snprintf(err, errlen, "%s: cannot poll this capture",
		    l->url.text);
		return CGN_EIO;
	}
	return setup(pi, err, errlen);
}

/* ---- reading ---------------------------------------------------------- */

static void
summary(struct pcapin *pi)
{
	struct tcpr_stats ts;
	struct nfl_stats ns;

	tcpr_stats_get(pi->tr, &ts);
	log_info("%s: %llu packets: %llu datagrams, %llu TCP streams"
	    " (%llu bytes, %llu lost in holes), %llu skipped (not export"
	    " traffic), %llu damaged", pi->l->url.text,
	    (unsigned long long)pi->packets,
	    (unsigned long long)pi->datagrams,
	    (unsigned long long)ts.streams, (unsigned long long)ts.bytes,
	    (unsigned long long)ts.lost_bytes,
	    (unsigned long long)pi->skipped, (unsigned long long)pi->damaged);
	if (pi->dlt == DLT_NFLOG_) {
		nfl_stats_get(pi->l->pstate, &ns);
		log_info("%s: NFLOG: %llu with conntrack, %llu pairs, %llu"
		    " unpaired, %llu ambiguous (no event)", pi->l->url.text,
		    (unsigned long long)ns.ct, (unsigned long long)ns.paired,
		    (unsigned long long)ns.unpaired,
		    (unsigned long long)ns.ambiguous);
	}
}

/* The end of input: held TCP bytes, unpaired NFLOG halves. */
static void
finish(struct pcapin *pi)
{
	tcpr_flush(pi->tr);
	if (pi->dlt == DLT_NFLOG_)
		nfl_expire(pi->l->pstate, INT64_MAX);
	listener_publish(pi->l, pi->l->in->stats);
	ingest_push(pi->l->in);
	summary(pi);
}

int
pcapin_read(struct listener *l, char *err, size_t errlen)
{
	struct pcapin *pi = l->pcap;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	while ((rc = pcap_next_ex(pi->pc, &h, &data)) == 1)
		on_packet((u_char *)pi, h, data);
	finish(pi);
	if (rc == PCAP_ERROR) {
		snprintf(err, errlen, "%s: damaged after packet %llu: %s;"
		    " the %llu packets before it were ingested", l->url.path,
		    (unsigned long long)pi->packets, pcap_geterr(pi->pc),
		    (unsigned long long)pi->packets);
		return CGN_EIO;
	}
	return CGN_OK;
}

static void
live_readable(struct loop *lp, int fd, void *arg)
{
	struct listener *l = arg;

	(void)lp;
	(void)fd;
	if (pcap_dispatch(l->pcap->pc, PCAPIN_BUDGET, on_packet,
	    (u_char *)l->pcap) < 0)
		log_warnx("%s: %s", l->bound, pcap_geterr(l->pcap->pc));
	ingest_push(l->in);
}

int
pcapin_start(struct listener *l, struct loop *lp)
{
	if (l->url.type != SRC_PCAP_LIVE)
		return CGN_OK;
	return loop_add(lp, l->fd, live_readable, l);
}

void
pcapin_drain(struct listener *l)
{
	struct timespec ts = { 0, (PCAPIN_TIMEOUT + 20) * 1000000L };

	if (l->url.type != SRC_PCAP_LIVE || l->pcap == NULL)
		return;
	/* stopping: let the kernel hand over its last, partial block */
	nanosleep(&ts, NULL);
	while (pcap_dispatch(l->pcap->pc, PCAPIN_BUDGET, on_packet,
	    (u_char *)l->pcap) > 0)
		;
	ingest_push(l->in);
}

/* Live: the kernel's drops since the last look are losses. */
void
pcapin_tick(struct listener *l)
{
	struct pcap_stat ps;
	struct pcapin *pi = l->pcap;

	if (l->url.type != SRC_PCAP_LIVE || pi == NULL ||
	    pcap_stats(pi->pc, &ps) != 0)
		return;
	if (ps.ps_drop != pi->drops) {
		stats_add(&l->in->stats->kernel_drops,
		    (u_int)(ps.ps_drop - pi->drops));
		pi->drops = ps.ps_drop;
	}
}

void
pcapin_close(struct listener *l)
{
	struct pcapin *pi = l->pcap;

	if (pi == NULL)
		return;
	if (l->url.type == SRC_PCAP_LIVE && pi->tr != NULL) {
		pcapin_tick(l);
		finish(pi);
	}
	if (l->lp != NULL && l->fd >= 0)
		loop_del(l->lp, l->fd);
	l->fd = -1;		/* pcap_close closes it */
	tcpr_free(pi->tr);
	if (pi->pc != NULL)
		pcap_close(pi->pc);
	free(pi);
	l->pcap = NULL;
}
