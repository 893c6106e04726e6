/*
 * cgnlogd.c - the collector: CGN boxes send it their NAT logs; it stores
 * them as allocation intervals that cgnq can search.
 *
 * main() reads as the story: settings, store, sources, writer thread,
 * loop; on SIGTERM everything already received is stored before exit.
 * Not here: parsing (parser/), the store format (store/).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "listen.h"
#include "live.h"
#include "log.h"
#include "loop.h"
#include "metrics.h"
#include "priv.h"
#include "reject.h"
#include "ring.h"
#include "spool.h"
#include "stats.h"
#include "store.h"
#include "wthread.h"

#define VERSION "0.1.0"

struct daemon {
	struct config cfg;
	const char *cfg_file;		/* read again on SIGHUP; NULL: none */
	int64_t cli_retention;		/* --retention, -1: the file's */
	struct live live;		/* what SIGHUP can change */
	struct spool *spool;
	struct metrics *metrics;	/* the endpoint; NULL: none */
	struct listener *ls;
	int nls;
	struct ingest in;
	struct stats stats;
	struct loop *lp;
	int sigfd;
	int stopping;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cgnlogd [-nv] [-f FILE] [--store DIR] [--listen URL]...\n"
	    "               [--port-file FILE] [--reject FILE] [--flush-ms N]\n"
	    "               [--period DURATION] [--retention DURATION]"
	    " [--no-evidence]\n"
	    "               [--user NAME] [--spool FILE]"
	    " [--metrics ADDR:PORT]\n"
	    "       cgnlogd --print-default\n"
	    "Sources: syslog-udp://HOST:PORT syslog-tcp://HOST:PORT"
	    " syslog-file://PATH\n"
	    "Without -f the embedded default is used (--print-default shows"
	    " it).\n");
}

static void
notice(void *arg, const char *msg)
{
	(void)arg;
	log_info("store: %s", msg);
}

/* SIGHUP: the configuration file again. Devices, the default exporter
 * ACL and the retention change at once, without a message lost; sockets
 * and the store stay as they are (a restart changes those). */
static void
reload(struct daemon *d)
{
	struct config *nc;
	char err[600];
	int i, same;

	if (d->cfg_file == NULL) {
		log_info("reload: no configuration file (-f) to read again");
		return;
	}
	if ((nc = calloc(1, sizeof(*nc))) == NULL) {
		log_warnx("reload: out of memory; keeping the configuration");
		return;
	}
	config_init(nc);
	if (config_load_file(d->cfg_file, nc, err, sizeof(err)) != CGN_OK ||
	    config_load_zones(nc, err, sizeof(err)) != CGN_OK) {
		log_warnx("reload: %s; keeping the running configuration", err);
		config_free(nc);
		free(nc);
		return;
	}
	if (d->cli_retention >= 0)
		nc->retention_ms = d->cli_retention;
	if (live_publish(&d->live, nc) != CGN_OK) {
		log_warnx("reload: out of memory; keeping the configuration");
		config_free(nc);
		free(nc);
		return;
	}
	same = nc->nlisten == d->cfg.nlisten;
	for (i = 0; same && i < nc->nlisten; i++)
		same = strcmp(nc->listen[i].text, d->cfg.listen[i].text) == 0;
	if (!same && d->cfg.nlisten > 0)
		log_warnx("reload: the sources differ; they change at the next"
		    " start");
	log_info("reloaded %s: %d device(s), retention %lld s", d->cfg_file,
	    nc->ndev, (long long)(nc->retention_ms / 1000));
}

static void
on_signal(struct loop *lp, int fd, void *arg)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("signal %d: storing what was received, then"
			    " exiting", (int)si.ssi_signo);
			d->stopping = 1;
			loop_stop(lp);
			break;
		case SIGHUP:
			reload(d);
			if (reject_reopen(d->in.rej) != CGN_OK)
				log_warn("reopening %s", reject_path(d->in.rej));
			else
				log_info("reopened %s", reject_path(d->in.rej));
			break;
		case SIGUSR1:
			stats_print(&d->stats, stderr);
			break;
		}
	}
}

/* Housekeeping every second: idle TCP, partial batches, reject summary. */
static void
on_tick(struct loop *lp, void *arg)
{
	struct daemon *d = arg;
	uint64_t rej = stats_get(&d->stats.msgs_rejected);
	int i;

	(void)lp;
	for (i = 0; i < d->nls; i++)
		listener_tick(&d->ls[i], loop_mono_ms());
	ingest_push(&d->in);
	if (rej != d->stats.reported_rejects && d->in.warned_reject &&
	    loop_mono_ms() / 1000 % 60 == 0) {
		log_warnx("%llu messages rejected in all (%llu since the last"
		    " report); kept in %s", (unsigned long long)rej,
		    (unsigned long long)(rej - d->stats.reported_rejects),
		    reject_path(d->in.rej));
		d->stats.reported_rejects = rej;
	}
}

/* Tell the world (and tests) which ports were bound: atomically, so a
 * reader never sees half the file. */
static int
write_port_file(struct daemon *d)
{
	char tmp[600];
	FILE *f;
	int i;

	if (d->cfg.port_file[0] == '\0')
		return CGN_OK;
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->cfg.port_file);
	if ((f = fopen(tmp, "w")) == NULL)
		return CGN_EIO;
	for (i = 0; i < d->nls; i++)
		fprintf(f, "%s\n", d->ls[i].bound);
	if (d->metrics != NULL)
		fprintf(f, "%s\n", metrics_bound(d->metrics));
	if (fclose(f) != 0 || rename(tmp, d->cfg.port_file) != 0)
		return CGN_EIO;
	return CGN_OK;
}

static int
open_signals(struct daemon *d)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	/* blocked in every thread (the writer inherits the mask) */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return CGN_EIO;
	if ((d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		return CGN_EIO;
	return CGN_OK;
}

static void
parse_args(int argc, char **argv, struct daemon *d, int *check)
{
	enum { O_STORE = 256, O_LISTEN, O_PORTFILE, O_REJECT, O_FLUSH,
	    O_PERIOD, O_RETENTION, O_NOEVID, O_PRINT, O_HELP, O_VERSION,
	    O_USER, O_SPOOL, O_METRICS };
	static const struct option opts[] = {
		{ "store", required_argument, NULL, O_STORE },
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "port-file", required_argument, NULL, O_PORTFILE },
		{ "reject", required_argument, NULL, O_REJECT },
		{ "flush-ms", required_argument, NULL, O_FLUSH },
		{ "period", required_argument, NULL, O_PERIOD },
		{ "retention", required_argument, NULL, O_RETENTION },
		{ "no-evidence", no_argument, NULL, O_NOEVID },
		{ "user", required_argument, NULL, O_USER },
		{ "spool", required_argument, NULL, O_SPOOL },
		{ "metrics", required_argument, NULL, O_METRICS },
		{ "print-default", no_argument, NULL, O_PRINT },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct src_url cli[CFG_MAX_LISTEN];
	char err[600], *file = NULL;
	const char *store = NULL, *portf = NULL, *rej = NULL, *user = NULL;
	const char *spool = NULL, *metrics = NULL;
	int64_t flush = -1, period = -1, retention = -1;
	int c, ncli = 0, verbose = 0, noevid = 0;

	while ((c = getopt_long(argc, argv, "f:nv", opts, NULL)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'n': *check = 1; break;
		case 'v': verbose = 1; break;
		case O_STORE: store = optarg; break;
		case O_PORTFILE: portf = optarg; break;
		case O_REJECT: rej = optarg; break;
		case O_NOEVID: noevid = 1; break;
		case O_USER: user = optarg; break;
		case O_SPOOL: spool = optarg; break;
		case O_METRICS: metrics = optarg; break;
		case O_LISTEN:
			if (ncli == CFG_MAX_LISTEN)
				fatalx("too many --listen");
			if (url_parse(optarg, &cli[ncli], err, sizeof(err)) !=
			    CGN_OK)
				fatalx("--listen %s", err);
			ncli++;
			break;
		case O_FLUSH:
			if (config_duration(optarg, &flush) != CGN_OK)
				fatalx("--flush-ms: not a number: %s", optarg);
			if (strspn(optarg, "0123456789") == strlen(optarg))
				flush /= 1000;	/* a bare number is ms here */
			break;
		case O_PERIOD:
			if (config_duration(optarg, &period) != CGN_OK)
				fatalx("--period: not a duration: %s", optarg);
			break;
		case O_RETENTION:
			if (config_duration(optarg, &retention) != CGN_OK)
				fatalx("--retention: not a duration: %s",
				    optarg);
			break;
		case O_PRINT:
			fputs(config_default_text, stdout);
			exit(0);
		case O_VERSION:
			printf("cgnlogd %s\n", VERSION);
			exit(0);
		case O_HELP:
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(64);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(64);
	}
	log_init("cgnlogd", verbose);
	d->cfg_file = file;
	d->cli_retention = retention;
	config_init(&d->cfg);
	if ((file != NULL ? config_load_file(file, &d->cfg, err, sizeof(err)) :
	    config_load_default(&d->cfg, err, sizeof(err))) != CGN_OK)
		fatalx("%s", err);
	if (ncli > 0) {		/* --listen replaces the file's sources */
		memcpy(d->cfg.listen, cli, (size_t)ncli * sizeof(cli[0]));
		d->cfg.nlisten = ncli;
	}
	if (store != NULL)
		snprintf(d->cfg.store_root, sizeof(d->cfg.store_root), "%s",
		    store);
	if (portf != NULL)
		snprintf(d->cfg.port_file, sizeof(d->cfg.port_file), "%s",
		    portf);
	if (rej != NULL)
		snprintf(d->cfg.reject_path, sizeof(d->cfg.reject_path), "%s",
		    rej);
	if (flush > 0)
		d->cfg.flush_ms = flush;
	if (period > 0) {
		if (period < 60000 || 86400000 % period != 0)
			fatalx("--period must divide a day (1h, 6h, 1d ...)");
		d->cfg.period_ms = period;
	}
	if (retention >= 0)
		d->cfg.retention_ms = retention;
	if (noevid)
		d->cfg.evidence = 0;
	if (user != NULL) {
		snprintf(d->cfg.user, sizeof(d->cfg.user), "%s", user);
		d->cfg.user_explicit = 1;
	}
	if (spool != NULL)
		snprintf(d->cfg.spool_path, sizeof(d->cfg.spool_path), "%s",
		    spool);
	if (metrics != NULL)
		snprintf(d->cfg.metrics, sizeof(d->cfg.metrics), "%s", metrics);
	if (config_load_zones(&d->cfg, err, sizeof(err)) != CGN_OK)
		fatalx("%s", err);
	if (d->cfg.nlisten == 0)
		fatalx("no sources: give --listen URL or listen = in [collector]");
}

static struct store *
open_store(struct daemon *d)
{
	struct store_opts o;
	struct store *st;
	char err[600];

	store_opts_default(&o);
	o.root = d->cfg.store_root;
	o.period_ms = d->cfg.period_ms;
	o.retention_ms = d->cfg.retention_ms;
	o.max_age_ms = d->cfg.max_age_ms;
	o.session_idle_ms = d->cfg.session_idle_ms;
	o.evidence = d->cfg.evidence;
	o.notice = notice;
	if (store_open(&o, &st, err, sizeof(err)) != CGN_OK)
		fatalx("store: %s", err);
	return st;
}

/*
 * One cgnlogd per store: a second one would write the same shards and read
 * the same spool. The lock is held until the process ends (its descriptor
 * is never closed), so a crash releases it.
 */
static void
lock_store(const char *root, const struct priv *pv)
{
	char path[600], pid[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/cgnlogd.lock", root);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) < 0)
		fatal("%s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK)
			fatal("%s", path);
		if ((n = read(fd, pid, sizeof(pid) - 1)) > 0)
			pid[strcspn(pid, "\n")] = '\0';
		fatalx("store %s is in use by another cgnlogd (pid %s)", root,
		    pid[0] ? pid : "?");
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n ||
	    (pv->drop && fchown(fd, pv->uid, pv->gid) != 0))
		log_warn("%s", path);
}

/* Where the writer's overflow goes: the configured file, or the store's
 * directory. Opened after the privileges are dropped. */
static void
open_spool(struct daemon *d)
{
	char path[600], err[700];

	if (d->cfg.spool_path[0] != '\0')
		snprintf(path, sizeof(path), "%s", d->cfg.spool_path);
	else
		snprintf(path, sizeof(path), "%s/spool", d->cfg.store_root);
	if (spool_open(path, (uint64_t)d->cfg.spool_max, &d->spool, err,
	    sizeof(err)) != CGN_OK)
		fatalx("spool: %s", err);
	if (spool_active(d->spool))
		log_info("spool %s holds %llu batches from before: they are"
		    " stored first", path,
		    (unsigned long long)spool_batches(d->spool));
	d->in.spool = d->spool;
}

int
main(int argc, char **argv)
{
	static struct daemon d;
	struct wthread wt;
	struct store *st;
	struct ring *ring;
	struct priv pv;
	char err[600], warn[300], rpath[600];
	int i, check = 0, all_files = 1, file_errors = 0, rc;

	parse_args(argc, argv, &d, &check);
	if (check) {
		printf("configuration OK: %d source(s), store %s\n",
		    d.cfg.nlisten, d.cfg.store_root);
		return 0;
	}
	/* shards 0640, directories 0750: logs of who used which address */
	umask(027);
	if (priv_plan(d.cfg.user, d.cfg.user_explicit, &pv, warn, sizeof(warn),
	    err, sizeof(err)) != CGN_OK)
		fatalx("%s", err);
	if (warn[0] != '\0')
		log_warnx("%s", warn);
	if (priv_prepare_dir(&pv, d.cfg.store_root, err, sizeof(err)) !=
	    CGN_OK)
		fatalx("store: %s", err);
	lock_store(d.cfg.store_root, &pv);
	if (ring_new((size_t)d.cfg.ring_batches, &ring) != CGN_OK ||
	    loop_new(&d.lp) != CGN_OK ||
	    (d.ls = calloc((size_t)d.cfg.nlisten, sizeof(*d.ls))) == NULL ||
	    live_publish(&d.live, &d.cfg) != CGN_OK)
		fatalx("out of memory");
	d.in.ring = ring;
	d.in.stats = &d.stats;
	d.in.cfg = &d.cfg;
	d.in.live = &d.live;
	if (open_signals(&d) != CGN_OK)
		fatal("signals");
	/* sockets, NFLOG groups, capture devices: what needs root */
	for (i = 0; i < d.cfg.nlisten; i++) {
		if (listener_open(&d.ls[i], &d.cfg.listen[i], &d.in, err,
		    sizeof(err)) != CGN_OK)
			fatalx("%s", err);
		d.nls++;
		if (!url_is_file(&d.cfg.listen[i]))
			all_files = 0;
		log_info("listening on %s", d.ls[i].bound);
	}
	/* the metrics endpoint, before the receivers start: they note each
	 * device in its table */
	if (d.cfg.metrics[0] != '\0') {
		if (metrics_open(&d.metrics, d.cfg.metrics, d.lp, &d.stats, &wt,
		    err, sizeof(err)) != CGN_OK)
			fatalx("%s", err);
		d.in.devs = metrics_devstat(d.metrics);
		log_info("metrics on %s", metrics_bound(d.metrics));
	}
	if (write_port_file(&d) != CGN_OK)
		fatal("%s", d.cfg.port_file);
	/* nothing is read, and nothing opened, as root after this */
	if (priv_drop(&pv, err, sizeof(err)) != CGN_OK)
		fatalx("%s", err);
	if (pv.drop)
		log_info("running as %s", pv.user);
	st = open_store(&d);
	if (d.cfg.reject_path[0] == '\0')
		snprintf(d.cfg.reject_path, sizeof(d.cfg.reject_path),
		    "%s/reject.log", d.cfg.store_root);
	snprintf(rpath, sizeof(rpath), "%s", d.cfg.reject_path);
	if (reject_open(rpath, &d.in.rej) != CGN_OK)
		fatal("%s", rpath);
	open_spool(&d);
	if (wthread_start(&wt, st, ring, d.spool, &d.live, &d.stats,
	    d.cfg.flush_ms) != CGN_OK)
		fatal("writer thread");
	for (i = 0; i < d.nls; i++)
		if (listener_start(&d.ls[i], d.lp) != CGN_OK)
			fatal("%s", d.ls[i].bound);
	/* a damaged file keeps what came before the damage, and the exit
	 * status says it was not all (a backfill script must know) */
	for (i = 0; i < d.nls; i++) {
		if (listener_read_file(&d.ls[i], err, sizeof(err)) != CGN_OK) {
			log_warnx("%s", err);
			file_errors++;
		}
	}
	if (!all_files) {
		loop_add(d.lp, d.sigfd, on_signal, &d);
		loop_every(d.lp, 1000, on_tick, &d);
		if (loop_run(d.lp) != CGN_OK)
			log_warn("event loop");
		/* nothing that reached a socket is left behind */
		for (i = 0; i < d.nls; i++)
			listener_drain(&d.ls[i]);
	}
	ingest_push(&d.in);
	rc = wthread_stop(&wt);
	for (i = 0; i < d.nls; i++)
		listener_close(&d.ls[i]);
	ingest_free(&d.in);
	log_info("stopped: %llu messages received, %llu events stored,"
	    " %llu rejected (%s), %llu dropped by the kernel, %llu lost",
	    (unsigned long long)stats_get(&d.stats.rx_msgs),
	    (unsigned long long)stats_get(&d.stats.stored_events),
	    (unsigned long long)stats_get(&d.stats.msgs_rejected), rpath,
	    (unsigned long long)stats_get(&d.stats.kernel_drops),
	    (unsigned long long)stats_get(&d.stats.lost_msgs));
	if (stats_get(&d.stats.spool_damaged) > 0)
		log_warnx("%llu spool records were damaged (kept in the"
		    " spool's .damaged file): their messages are lost",
		    (unsigned long long)stats_get(&d.stats.spool_damaged));
	reject_close(d.in.rej);
	spool_close(d.spool);
	ring_free(ring);
	metrics_free(d.metrics);
	loop_free(d.lp);
	free(d.ls);
	live_free(&d.live);
	config_free(&d.cfg);
	close(d.sigfd);
	/* a store that failed for a while and came back lost nothing: 0 */
	return rc == CGN_OK && stats_get(&d.stats.lost_msgs) == 0 &&
	    stats_get(&d.stats.spool_damaged) == 0 && file_errors == 0 ? 0 : 1;
}
