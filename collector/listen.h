/*
 * listen.h - a source (socket or file) and the path every message takes
 * from it: parse, count, keep rejects, batch for the writer.
 *
 * All listeners of one loop share one struct ingest; the loop's thread is
 * the only one to touch it. udp.c, tcp.c and file_in.c implement the
 * sources; they call ingest_msg() per message and ingest_push() at the end
 * of each burst, so a quiet source's message waits at most one burst.
 */
#ifndef LISTEN_H
#define LISTEN_H

#include <stdio.h>

#include "acl.h"
#include "config.h"
#include "devstat.h"
#include "live.h"
#include "loop.h"
#include "nflog.h"
#include "parser.h"
#include "reject.h"
#include "ring.h"
#include "spool.h"
#include "stats.h"
#include "url.h"

struct ingest {
	struct ring *ring;
	struct batch *cur;		/* being filled */
	struct stats *stats;
	struct reject *rej;
	const struct config *cfg;	/* settings fixed at start */
	struct live *live;		/* settings a reload may change */
	struct spool *spool;		/* overflow when the writer is behind;
					 * NULL: wait for it */
	struct batch spare;		/* filled while spooling */
	int warned_spool;
	struct cgn_event *evs;		/* one message's events */
	size_t nev, capev;
	struct bgap *gaps;		/* one message's sequence gaps */
	size_t ngap, capgap;
	int warned_reject;		/* the first reject is logged */
	struct cgn_addr last_exp;	/* the last sender, and its address */
	char last_name[CGN_ADDR_STRLEN];	/* as text (the device name) */
	const struct live_set *last_ls;	/* the snapshot last_dev is from */
	const struct cfg_device *last_dev;	/* its settings, or NULL */
	int nomem;			/* an event did not fit */
	struct devstat *devs;		/* per-device figures; NULL: none */
	struct devstat_acc devacc;	/* this receiver's, not yet in devs */
};

struct tconn;
struct udp_set;
struct ipfix_conn;
struct nflin;
struct pcapin;

struct listener {
	struct src_url url;
	char bound[600];		/* the URL with the port bound */
	int fd;
	const struct cgn_parser *parser;	/* pinned; NULL: detect */
	struct cgn_pstate *pstate;
	struct ingest *in;
	struct loop *lp;
	uint32_t kdrops;		/* last SO_RXQ_OVFL value seen */
	struct acl acl;			/* exporters accepted, if own_acl */
	int own_acl;			/* the URL's allow=; else the live
					 * default ACL */
	struct udp_set *udp;		/* UDP sockets and their threads */
	struct tconn *conns;		/* TCP connections */
	int nconns;
	struct ipfix_conn *iconns;	/* ipfix-tcp:// exporters */
	struct nflin *nfl;		/* nflog:// sockets (nflog_in.c) */
	struct pcapin *pcap;		/* pcap-file://, pcap-live:// */
	struct cgn_pcounters pseen;	/* pstate's counters, and its */
	struct nfl_stats nseen;		/* NFLOG ones, already in stats */
};

/* Open the source u (bind sockets, open files). Needs the privileges the
 * source needs; err says what failed. */
int listener_open(struct listener *l, const struct src_url *u,
    struct ingest *in, char *err, size_t errlen);
/* Register its descriptors with the loop (files: none). */
int listener_start(struct listener *l, struct loop *lp);
/* Read what is already waiting, without blocking (at shutdown: nothing
 * that reached the socket is left behind). */
void listener_drain(struct listener *l);
/* Files: read the whole file now. */
int listener_read_file(struct listener *l, char *err, size_t errlen);
/* Add what l's parser state counted since the last call to s. The state
 * is the receiver's own; s is shared (atomics). */
void listener_publish(struct listener *l, struct stats *s);
/* Close idle TCP connections (housekeeping). */
void listener_tick(struct listener *l, int64_t now_mono);
void listener_close(struct listener *l);

/* One message from src: parse, count, keep if bad, add to the batch. */
void ingest_msg(struct ingest *in, struct listener *l,
    const struct cgn_src *src, const uint8_t *buf, size_t len);
/* Hand the batch being filled to the writer, if it holds anything. */
void ingest_push(struct ingest *in);
void ingest_free(struct ingest *in);

/* Per source type (udp.c, tcp.c, file_in.c). */
int udp_open(struct listener *l, char *err, size_t errlen);
int udp_start(struct listener *l);	/* its receive threads */
void udp_stop(struct listener *l);	/* they drain, then end */
void udp_close(struct listener *l);
int tcp_open(struct listener *l, char *err, size_t errlen);
void tcp_acceptable(struct loop *lp, int fd, void *arg);
void tcp_drain(struct listener *l);
void tcp_tick(struct listener *l, int64_t now_mono);
void tcp_close_all(struct listener *l);
int file_read(struct listener *l, char *err, size_t errlen);
int ipfix_tcp_open(struct listener *l, char *err, size_t errlen);
void ipfix_tcp_acceptable(struct loop *lp, int fd, void *arg);
void ipfix_tcp_drain(struct listener *l);
void ipfix_tcp_tick(struct listener *l, int64_t now_mono);
void ipfix_tcp_close_all(struct listener *l);
int nflin_open(struct listener *l, char *err, size_t errlen);
int nflin_start(struct listener *l, struct loop *lp);
void nflin_drain(struct listener *l);
void nflin_tick(struct listener *l);
void nflin_close(struct listener *l);
int pcapin_open_file(struct listener *l, char *err, size_t errlen);
int pcapin_open_live(struct listener *l, char *err, size_t errlen);
int pcapin_start(struct listener *l, struct loop *lp);
int pcapin_read(struct listener *l, char *err, size_t errlen);
void pcapin_drain(struct listener *l);
void pcapin_tick(struct listener *l);
void pcapin_close(struct listener *l);

/* The cgn_addr and port of a socket address. */
void sockaddr_addr(const void *sa, struct cgn_addr *a, uint16_t *port);
/* Make fd's receive buffer size bytes, or as near as allowed: what
 * overflows it is lost. */
void sock_rcvbuf(int fd, int size);

#endif /* LISTEN_H */
