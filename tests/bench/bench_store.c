/*
 * bench_store.c - the store benchmark (make bench-store).
 *
 * A simulated day of port block allocations (cgnlog-gen's simulator: 200,000
 * subscribers, a /22, 512-port blocks, port reuse, 1% lost releases) is fed
 * through the store writer in process - no sockets - then looked up 10,000
 * times at random moments of random ground-truth intervals, every answer
 * checked. The same events go into plain indexed SQLite rows, one per
 * event, for comparison. The same day as sessions (one port of each
 * block, 64 events a message with the IPFIX datagram as evidence, as
 * cgnlogd stores an ipfix-session stream) is the "session" run. One
 * "bench: key=value" line per figure; for the default and session runs
 * also where the writer's time went (put, flush, close).
 *
 *   bench_store [-n EVENTS] [-d DIR] [-q LOOKUPS] [-r RUN] [--no-naive]
 */
#include <dirent.h>
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cgn.h"
#include "codec.h"
#include "gen.h"
#include "gensim.h"
#include "lookup.h"
#include "store.h"

struct run_cfg {
	const char *name;
	int64_t period_ms;
	int evidence;
	int libdeflate;
	int level;		/* deflate level; 0: the store's default */
	int session;		/* sessions, 64 a message (IPFIX-like) */
};

/* Where the writer's time went in one run (wall and thread CPU), and
 * the bytes it handed to the kernel. */
struct phase {
	double put_s, flush_s, close_s, cpu_s;
	double gen_s, gen_cpu_s;	/* making the messages: not the store */
	uint64_t wbytes, rbytes;
};

struct truths {
	struct gensim_truth *t;
	size_t n, cap;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* The number after "key:" in a /proc file; none if the file or the key
 * is missing. */
static long long
proc_num(const char *path, const char *key, long long none)
{
	char line[256];
	size_t k = strlen(key);
	long long v = none;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return none;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, k) == 0 && line[k] == ':')
			v = strtoll(line + k + 1, NULL, 10);
	fclose(f);
	return v;
}

/* A counter of /proc/self/io ("wchar", "rchar"). */
static uint64_t
io_bytes(const char *key)
{
	return (uint64_t)proc_num("/proc/self/io", key, 0);
}

/* A figure of /proc/self/status in KiB ("VmRSS", "VmHWM"); -1 if none. */
static long
status_kib(const char *key)
{
	return (long)proc_num("/proc/self/status", key, -1);
}

/* Reset the peak RSS so VmHWM measures what follows (Linux >= 4.0). */
static void
reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");

	if (f != NULL) {
		fputs("5", f);
		fclose(f);
	}
}

static uint64_t
dir_bytes(const char *dir, const char *suffix)
{
	char path[1024];
	struct dirent *de;
	struct stat sb;
	uint64_t sum = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name), k = strlen(suffix);

		if (n < k || strcmp(de->d_name + n - k, suffix) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &sb) == 0)
			sum += (uint64_t)sb.st_size;
	}
	closedir(d);
	return sum;
}

static void
rm_rf(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_store: could not remove %s\n", dir);
}

static void
keep_truth(void *arg, const struct gensim_truth *t)
{
	struct truths *tr = arg;

	if (tr->n == tr->cap) {
		tr->cap = tr->cap ? tr->cap * 2 : 1 << 20;
		tr->t = realloc(tr->t, tr->cap * sizeof(*tr->t));
		if (tr->t == NULL) {
			perror("bench_store");
			exit(1);
		}
	}
	tr->t[tr->n++] = *t;
}

/* Fill the fields a simulated event has; e's others are zero already. */
static void
to_event(const struct gensim_ev *g, struct cgn_event *e)
{
	e->type = (uint8_t)g->type;
	e->ts_ms = g->ts_ms;
	e->rx_ms = g->ts_ms;
	e->start_ms = g->type == CGN_EV_PBA_ACTIVE ? g->start_ms : 0;
	e->tsrc = CGN_TS_UTC;
	cgn_addr_v4(&e->inside, g->inside);
	cgn_addr_v4(&e->outside, g->outside);
	e->port_lo = g->port_lo;
	e->port_hi = g->port_hi;
	memcpy(e->device, "cgn1", 5);
}

/* A simulated block event as the session a session format logs for it
 * (gen_ipfix.c: one port of the block); 0 for interims, which sessions
 * do not have. */
static int
to_session(const struct gensim_ev *g, struct cgn_event *e)
{
	if (g->type != CGN_EV_PBA_ALLOC && g->type != CGN_EV_PBA_RELEASE)
		return 0;
	to_event(g, e);
	e->type = g->type == CGN_EV_PBA_ALLOC ? CGN_EV_SESSION_CREATE :
	    CGN_EV_SESSION_DELETE;
	e->proto = 6;
	e->port_lo = e->port_hi = gen_session_port(g);
	e->inside_port = gen_session_inside_port(g);
	return 1;
}

static void
put_or_die(struct store *st, const struct store_msg *m,
    const struct cgn_event *ev, size_t n)
{
	if (store_put(st, m, ev, n) != CGN_OK) {
		fprintf(stderr, "bench_store: %s\n", store_errmsg(st));
		exit(1);
	}
}

/* Flush once a (wall clock) second, as cgnlogd does. */
static void
maybe_flush(struct store *st, int64_t now_ms, double *last, struct phase *ph)
{
	double t = now_s();

	if (t - *last < 1.0)
		return;
	*last = t;
	if (store_flush(st, now_ms) != CGN_OK) {
		fprintf(stderr, "bench_store: %s\n", store_errmsg(st));
		exit(1);
	}
	ph->flush_s += now_s() - t;
}

/*
 * What the feeders hand the writer, made ahead of it: messages (events
 * and raw bytes) for up to CHUNK_MSGS store_put calls. Making them - the
 * syslog lines, the IPFIX datagrams - is the sender's work, not the
 * store's, so its time (wall and CPU) is kept apart and not charged to
 * the store.
 */
#define CHUNK_MSGS 4096
#define CHUNK_EVS (CHUNK_MSGS * 64)

struct chunk {
	struct cgn_event ev[CHUNK_EVS];
	size_t ev_first[CHUNK_MSGS + 1];
	int64_t rx_ms[CHUNK_MSGS];
	size_t raw_off[CHUNK_MSGS + 1];
	uint8_t raw[CHUNK_MSGS * 1500];
	size_t nmsg, nev, nraw;
};

static void
chunk_begin(struct chunk *c, struct phase *ph)
{
	c->nmsg = c->nev = c->nraw = 0;
	c->ev_first[0] = c->raw_off[0] = 0;
	ph->gen_s -= now_s();
	ph->gen_cpu_s -= cpu_s();
}

/* Close the message whose events were added since the last one. */
static void
chunk_msg(struct chunk *c, int64_t rx_ms, const void *raw, size_t len)
{
	memcpy(c->raw + c->nraw, raw, len);
	c->nraw += len;
	c->rx_ms[c->nmsg] = rx_ms;
	c->ev_first[++c->nmsg] = c->nev;
	c->raw_off[c->nmsg] = c->nraw;
}

/* Room for another message of up to nev events and len bytes. */
static int
chunk_room(const struct chunk *c, size_t nev, size_t len)
{
	return c->nmsg < CHUNK_MSGS && c->nev + nev <= CHUNK_EVS &&
	    c->nraw + len <= sizeof(c->raw);
}

/* store_prefetch for the chunk's message k */
static void
prefetch(struct store *st, const struct chunk *c, size_t k, int entries)
{
	struct store_msg m = { "cgn1", c->rx_ms[k], NULL, 0 };

	store_prefetch(st, &m, c->ev + c->ev_first[k], c->ev_first[k + 1] -
	    c->ev_first[k], entries);
}

/* Hand the chunk's messages to the writer. */
static void
chunk_put(struct chunk *c, struct store *st, int evidence, double *last,
    struct phase *ph)
{
	struct store_msg m = { "cgn1", 0, NULL, 0 };
	size_t i;

	ph->gen_s += now_s();
	ph->gen_cpu_s += cpu_s();
	for (i = 0; i < c->nmsg; i++) {
		/* as cgnlogd's writer does with a batch (wthread.c) */
		if (i + STORE_PREFETCH_SLOTS < c->nmsg)
			prefetch(st, c, i + STORE_PREFETCH_SLOTS, 0);
		if (i + STORE_PREFETCH_ENTRIES < c->nmsg)
			prefetch(st, c, i + STORE_PREFETCH_ENTRIES, 1);
		m.rx_ms = c->rx_ms[i];
		m.raw = evidence ? c->raw + c->raw_off[i] : NULL;
		m.rawlen = evidence ? c->raw_off[i + 1] - c->raw_off[i] : 0;
		put_or_die(st, &m, c->ev + c->ev_first[i], c->ev_first[i + 1] -
		    c->ev_first[i]);
		if ((i & 63) == 63)
			maybe_flush(st, m.rx_ms, last, ph);
	}
	maybe_flush(st, m.rx_ms, last, ph);
}

/* Sessions, 64 to a message with the IPFIX datagram as its evidence, as
 * cgnlogd stores an ipfix-session stream. */
static void
feed_sessions(struct store *st, const struct run_cfg *rc,
    const struct gensim_ev *evs, size_t n, double *last, struct phase *ph)
{
	static struct chunk c;
	struct gen_exp *x;
	const uint8_t *dg;
	size_t i, len, k = 0;
	int64_t ts;

	if (gen_exp_new(gen_ipfix_session.bin, 1, 64, 64, &x) != CGN_OK) {
		fprintf(stderr, "bench_store: no IPFIX exporter\n");
		exit(1);
	}
	chunk_begin(&c, ph);
	for (i = 0; i < n; i++) {
		if (!evs[i].logged)
			continue;
		memset(&c.ev[c.nev], 0, sizeof(c.ev[0]));
		if (!to_session(&evs[i], &c.ev[c.nev]))
			continue;
		c.nev++;
		k++;
		if (gen_exp_add(x, &evs[i], &dg, &len, &ts) != 1 && k < 64)
			continue;
		/* the exporter's buffer is its own: the chunk keeps a copy */
		chunk_msg(&c, c.ev[c.nev - 1].rx_ms, dg, len);
		k = 0;
		if (!chunk_room(&c, 64, 1500)) {
			chunk_put(&c, st, rc->evidence, last, ph);
			chunk_begin(&c, ph);
		}
	}
	if (k > 0 && gen_exp_flush(x, &dg, &len, &ts) == 1)
		chunk_msg(&c, c.ev[c.nev - 1].rx_ms, dg, len);
	chunk_put(&c, st, rc->evidence, last, ph);
	gen_exp_free(x);
}

/* Port blocks, one event a message (a syslog line each). */
static void
feed_blocks(struct store *st, const struct run_cfg *rc,
    const struct gensim_ev *evs, size_t n, double *last, struct phase *ph)
{
	static struct chunk c;
	char line[1024];
	size_t i, len = 0;

	chunk_begin(&c, ph);
	for (i = 0; i < n; i++) {
		if (!evs[i].logged)
			continue;
		memset(&c.ev[c.nev], 0, sizeof(c.ev[0]));
		to_event(&evs[i], &c.ev[c.nev++]);
		if (rc->evidence)
			len = gen_juniper_sd.write(line, sizeof(line), &evs[i],
			    "cgn1");
		chunk_msg(&c, c.ev[c.nev - 1].rx_ms, line, len);
		if (!chunk_room(&c, 1, sizeof(line))) {
			chunk_put(&c, st, rc->evidence, last, ph);
			chunk_begin(&c, ph);
		}
	}
	chunk_put(&c, st, rc->evidence, last, ph);
}

/* Feed the events through the writer; returns events per second. */
static double
ingest(const struct run_cfg *rc, const char *root,
    const struct gensim_ev *evs, size_t n, struct store_wstats *ws,
    long *peak_kib, struct phase *ph)
{
	struct store_opts o;
	struct store *st;
	char err[600];
	double t0, last, t, c0;
	long base;

	memset(ph, 0, sizeof(*ph));
	store_opts_default(&o);
	o.root = root;
	o.period_ms = rc->period_ms;
	o.evidence = rc->evidence;
	o.use_libdeflate = rc->libdeflate;
	if (rc->level > 0)
		o.level = rc->level;
	rm_rf(root);
	base = status_kib("VmRSS");
	reset_peak();
	if (store_open(&o, &st, err, sizeof(err)) != CGN_OK) {
		fprintf(stderr, "bench_store: %s\n", err);
		exit(1);
	}
	t0 = last = now_s();
	c0 = cpu_s();
	ph->wbytes = io_bytes("wchar");
	ph->rbytes = io_bytes("rchar");
	if (rc->session)
		feed_sessions(st, rc, evs, n, &last, ph);
	else
		feed_blocks(st, rc, evs, n, &last, ph);
	store_wstats(st, ws);
	t = now_s();
	if (store_close(st, evs[n - 1].ts_ms) != CGN_OK) {
		fprintf(stderr, "bench_store: close failed\n");
		exit(1);
	}
	ph->close_s = now_s() - t;
	ph->cpu_s = cpu_s() - c0 - ph->gen_cpu_s;
	ph->wbytes = io_bytes("wchar") - ph->wbytes;
	ph->rbytes = io_bytes("rchar") - ph->rbytes;
	t = now_s() - t0 - ph->gen_s;
	ph->put_s = t - ph->flush_s - ph->close_s;
	*peak_kib = status_kib("VmHWM") - base;
	return (double)n / t;
}

/* Where the bytes go: stored bytes per row of each block column, over
 * every shard of the run. */
static void
colstats(const char *root)
{
	uint64_t raw[64] = { 0 }, stored[64] = { 0 }, rows = 0, blocks = 0;
	char path[1024];
	struct dirent *de;
	sqlite3_stmt *st;
	sqlite3 *db;
	DIR *d = opendir(root);
	int k;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".cgn") == NULL ||
		    strchr(de->d_name, '-') == NULL ||
		    strstr(de->d_name, "-wal") || strstr(de->d_name, "-shm"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
		    SQLITE_OK)
			continue;
		if (sqlite3_prepare_v2(db, "SELECT n, data FROM blk", -1, &st,
		    NULL) == SQLITE_OK) {
			while (sqlite3_step(st) == SQLITE_ROW) {
				rows += (uint64_t)sqlite3_column_int64(st, 0);
				blocks++;
				blk_colstats(sqlite3_column_blob(st, 1),
				    (size_t)sqlite3_column_bytes(st, 1), raw,
				    stored);
			}
			sqlite3_finalize(st);
		}
		sqlite3_close(db);
	}
	closedir(d);
	printf("bench: store_rows=%llu\n", (unsigned long long)rows);
	printf("bench: store_blocks=%llu\n", (unsigned long long)blocks);
	for (k = 0; k < blk_ncols() && rows > 0; k++)
		if (stored[k] > 0)
			printf("bench: column_%s_bytes_per_row=%.3f\n",
			    blk_colname(k), (double)stored[k] / (double)rows);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A random moment of a random closed interval and a port of its block. */
static const struct gensim_truth *
pick(const struct truths *tr, uint64_t *seed, int64_t *t, uint16_t *port)
{
	const struct gensim_truth *g;

	do {
		g = &tr->t[rnd(seed) % tr->n];
	} while (g->end_ms < 0 || g->end_ms - g->start_ms < 1000);
	*t = g->start_ms + (int64_t)(rnd(seed) % (uint64_t)(g->end_ms -
	    g->start_ms + 1));
	*port = (uint16_t)(g->port_lo + rnd(seed) % (uint64_t)(g->port_hi -
	    g->port_lo + 1));
	return g;
}

/* This thread's CPU time, to the nanosecond (a lookup is microseconds;
 * getrusage is not that fine everywhere). */
static double
thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
lookups(const char *root, const struct truths *tr, size_t nq,
    double *p50, double *p99, double *blocks, double *cpu_us,
    size_t *wrong, size_t *ambiguous)
{
	struct store_reader *rd;
	struct q_request r;
	struct q_answer a;
	double *lat = malloc(nq * sizeof(double)), t0, c0;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	char err[600];
	uint32_t v4;
	size_t i, k;
	int found;

	if (lat == NULL || store_reader_open(root, &rd, err, sizeof(err)) !=
	    CGN_OK) {
		fprintf(stderr, "bench_store: %s\n", err);
		exit(1);
	}
	*wrong = *ambiguous = 0;
	*cpu_us = 0;
	for (i = 0; i < nq; i++) {
		const struct gensim_truth *g;

		memset(&r, 0, sizeof(r));
		g = pick(tr, &seed, &r.t_ms, &r.port);
		cgn_addr_v4(&r.ip, g->outside);
		r.tol_ms = 2000;
		t0 = now_s();
		c0 = thread_cpu_s();
		if (q_lookup(rd, &r, &a) != CGN_OK) {
			fprintf(stderr, "bench_store: %s\n",
			    store_reader_errmsg(rd));
			exit(1);
		}
		*cpu_us += (thread_cpu_s() - c0) * 1e6;
		lat[i] = (now_s() - t0) * 1e6;
		/* ambiguous is an honest answer when a release was lost and
		 * the window reaches back over the reuse; wrong is a unique
		 * answer naming someone else, or no answer at all */
		found = 0;
		for (k = 0; k < a.nhits && k < Q_MAXHITS; k++)
			if (cgn_addr_is_v4(&a.hits[k].inside, &v4) &&
			    v4 == g->inside)
				found = 1;
		if (a.verdict == Q_AMBIGUOUS && found) {
			(*ambiguous)++;
		} else if (a.verdict != Q_UNIQUE || !found) {
			if (*wrong < 5)
				fprintf(stderr, "bench_store: wrong answer for"
				    " %u:%u at %lld: verdict %d, %zu holders\n",
				    g->outside, r.port, (long long)r.t_ms,
				    a.verdict, a.nholders);
			(*wrong)++;
		}
	}
	qsort(lat, nq, sizeof(double), cmp_double);
	*p50 = lat[nq / 2];
	*p99 = lat[nq * 99 / 100];
	*blocks = (double)store_reader_blocks(rd) / (double)nq;
	*cpu_us /= (double)nq;
	free(lat);
	store_reader_close(rd);
}

/* Hits of one search by inside address: is the truth among them? */
struct inside_hits {
	const struct gensim_truth *g;
	size_t n;
	int found;
};

static int
inside_hit(void *arg, const struct store_hit *h)
{
	struct inside_hits *ih = arg;
	uint32_t v4;

	ih->n++;
	if (cgn_addr_is_v4(&h->outside, &v4) && v4 == ih->g->outside &&
	    h->port_lo == ih->g->port_lo && h->start_ms == ih->g->start_ms)
		ih->found = 1;
	return 0;
}

/*
 * Searches by inside address (cgnq history --inside): every interval of
 * a subscriber over the hour around a moment it held a block, which must
 * include that block. Latency, blocks decoded, and searches that missed.
 */
static void
inside_searches(const char *root, const struct truths *tr, size_t nq,
    double *p50, double *p99, double *blocks, size_t *wrong)
{
	struct store_reader *rd;
	struct store_query q;
	struct inside_hits ih;
	double *lat = malloc(nq * sizeof(double)), t0;
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	char err[600];
	int64_t t;
	uint16_t port;
	size_t i;

	if (lat == NULL || store_reader_open(root, &rd, err, sizeof(err)) !=
	    CGN_OK) {
		fprintf(stderr, "bench_store: %s\n", err);
		exit(1);
	}
	*wrong = 0;
	for (i = 0; i < nq; i++) {
		memset(&ih, 0, sizeof(ih));
		ih.g = pick(tr, &seed, &t, &port);
		memset(&q, 0, sizeof(q));
		cgn_addr_v4(&q.inside, ih.g->inside);
		q.port_hi = 65535;
		q.from_ms = t - 1800000;
		q.to_ms = t + 1800000;
		t0 = now_s();
		if (store_find(rd, &q, inside_hit, &ih) != CGN_OK) {
			fprintf(stderr, "bench_store: %s\n",
			    store_reader_errmsg(rd));
			exit(1);
		}
		lat[i] = (now_s() - t0) * 1e6;
		if (!ih.found)
			(*wrong)++;
	}
	qsort(lat, nq, sizeof(double), cmp_double);
	*p50 = lat[nq / 2];
	*p99 = lat[nq * 99 / 100];
	*blocks = (double)store_reader_blocks(rd) / (double)nq;
	free(lat);
	store_reader_close(rd);
}

/* The naive way: one indexed row per event, a lookup is the last
 * allocation at or before T on that block and no release between. */
static void
naive(const char *dir, const struct gensim_ev *evs, size_t n,
    const struct truths *tr, size_t nq)
{
	char path[600];
	sqlite3 *db;
	sqlite3_stmt *ins, *sel;
	double t0, t, *lat = malloc(nq * sizeof(double));
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t i, wrong = 0;

	rm_rf(dir);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/naive.sqlite", dir);
	if (lat == NULL || sqlite3_open(path, &db) != SQLITE_OK)
		exit(1);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    "CREATE TABLE ev(ts INTEGER, type INTEGER, inside INTEGER,"
	    " outside INTEGER, port_lo INTEGER, port_hi INTEGER, device TEXT);"
	    "CREATE INDEX ev_key ON ev(outside, port_lo, ts);", NULL, NULL,
	    NULL);
	sqlite3_prepare_v2(db, "INSERT INTO ev VALUES(?,?,?,?,?,?,'cgn1')", -1,
	    &ins, NULL);
	t0 = now_s();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < n; i++) {
		if (!evs[i].logged)
			continue;
		sqlite3_bind_int64(ins, 1, evs[i].ts_ms);
		sqlite3_bind_int(ins, 2, evs[i].type);
		sqlite3_bind_int64(ins, 3, evs[i].inside);
		sqlite3_bind_int64(ins, 4, evs[i].outside);
		sqlite3_bind_int(ins, 5, evs[i].port_lo);
		sqlite3_bind_int(ins, 6, evs[i].port_hi);
		sqlite3_step(ins);
		sqlite3_reset(ins);
		if (i % 1000000 == 999999) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		}
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	t = now_s() - t0;
	sqlite3_finalize(ins);
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	printf("bench: naive_ingest_events_per_s=%.0f\n", (double)n / t);
	printf("bench: naive_bytes_per_event=%.2f\n",
	    (double)dir_bytes(dir, ".sqlite") / (double)n);
	sqlite3_prepare_v2(db, "SELECT type, inside FROM ev WHERE outside=?1"
	    " AND port_lo<=?2 AND port_lo>=?2-65535 AND ts<=?3"
	    " ORDER BY port_lo DESC, ts DESC LIMIT 1", -1, &sel, NULL);
	for (i = 0; i < nq; i++) {
		const struct gensim_truth *g;
		int64_t tq;
		uint16_t port;

		g = pick(tr, &seed, &tq, &port);
		t0 = now_s();
		sqlite3_bind_int64(sel, 1, g->outside);
		sqlite3_bind_int(sel, 2, port);
		sqlite3_bind_int64(sel, 3, tq);
		if (sqlite3_step(sel) != SQLITE_ROW ||
		    sqlite3_column_int(sel, 0) != CGN_EV_PBA_ALLOC ||
		    (uint32_t)sqlite3_column_int64(sel, 1) != g->inside)
			wrong++;
		sqlite3_reset(sel);
		lat[i] = (now_s() - t0) * 1e6;
	}
	sqlite3_finalize(sel);
	sqlite3_close(db);
	qsort(lat, nq, sizeof(double), cmp_double);
	printf("bench: naive_lookup_p50_us=%.0f\n", lat[nq / 2]);
	printf("bench: naive_lookup_p99_us=%.0f\n", lat[nq * 99 / 100]);
	printf("bench: naive_lookup_wrong=%zu\n", wrong);
	free(lat);
	rm_rf(dir);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-naive", no_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 }
	};
	struct gensim_cfg gc;
	struct gensim *g;
	struct gensim_ev *evs;
	struct truths tr = { 0 };
	struct store_wstats ws;
	struct phase ph;
	const char *base = "/tmp", *only = NULL;
	char root[512], ndir[512];
	size_t n = 10000000, nq = 10000, cnt = 0, cap, wrong, amb, i;
	double eps, p50, p99, blocks, lcpu, t0;
	uint64_t base_bytes = 0;
	long peak;
	int c, do_naive = 1;
	const struct run_cfg runs[] = {
		/* the default: 6 h shards, libdeflate at the store's level
		 * (1, as cgnlogd writes; 6 was as small here: 3.22 bytes an
		 * event either way), no evidence */
		{ "default", 21600000, 0, 1, 0, 0 },
		{ "zlib", 21600000, 0, 0, 0, 0 },
		{ "evidence", 21600000, 1, 1, 0, 0 },
		{ "1h", 3600000, 0, 1, 0, 0 },
		{ "day", 86400000, 0, 1, 0, 0 },
		/* what cgnlogd stores from an ipfix-session stream */
		{ "session", 21600000, 1, 1, 0, 1 },
	};

	while ((c = getopt_long(argc, argv, "n:d:q:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'r': only = optarg; break;
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 'd': base = optarg; break;
		case 'q': nq = strtoull(optarg, NULL, 10); break;
		case 'N': do_naive = 0; break;
		default: return 64;
		}
	}
	gensim_cfg_default(&gc);
	gc.seed = 20261128;
	gc.subscribers = 200000;
	gc.pool_base = 0x64800000;	/* any /22: 100.128.0.0/22 */
	gc.pool_size = 1024;
	gc.block_size = 512;
	gc.duration_ms = 86400000;
	gc.events = n;
	gc.lost_release = 0.01;
	gc.resolution_ms = 1000;
	printf("bench: workload_events=%zu\n", n);
	printf("bench: workload_subscribers=%u\n", gc.subscribers);
	printf("bench: workload_public_addresses=%u\n", gc.pool_size);
	printf("bench: workload_block_size=%u\n", gc.block_size);
	printf("bench: workload_lost_release_share=%.2f\n", gc.lost_release);
	t0 = now_s();
	if (gensim_new(&gc, &g) != CGN_OK)
		return 1;
	cap = n + n / 10 + 1024;
	if ((evs = malloc(cap * sizeof(*evs))) == NULL)
		return 1;
	while (cnt < cap && gensim_next(g, &evs[cnt], keep_truth, &tr))
		cnt++;
	while (gensim_next(g, &evs[cap - 1], keep_truth, &tr))
		;	/* drain: the truth of what is still open */
	gensim_free(g);
	n = cnt;
	printf("bench: workload_generated_events=%zu\n", n);
	printf("bench: workload_truth_intervals=%zu\n", tr.n);
	printf("bench: workload_generate_s=%.1f\n", now_s() - t0);
	fflush(stdout);

	snprintf(ndir, sizeof(ndir), "%s/cgnlog-bench-naive.%d", base,
	    (int)getpid());
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const struct run_cfg *rc = &runs[i];
		const char *sfx = i == 0 ? "" : rc->name;

		if (only != NULL && strcmp(only, rc->name) != 0)
			continue;
		snprintf(root, sizeof(root), "%s/cgnlog-bench-%s.%d", base,
		    rc->name, (int)getpid());
		eps = ingest(rc, root, evs, n, &ws, &peak, &ph);
		printf("bench: store_ingest_events_per_s%s%s=%.0f\n",
		    *sfx ? "_" : "", sfx, eps);
		/* per CPU second of the writer: steadier on a busy machine */
		printf("bench: store_ingest_events_per_cpu_s%s%s=%.0f\n",
		    *sfx ? "_" : "", sfx, (double)n / ph.cpu_s);
		if (i == 0 || rc->session) {
			printf("bench: store_put_s%s%s=%.2f\n",
			    *sfx ? "_" : "", sfx, ph.put_s);
			printf("bench: store_flush_s%s%s=%.2f\n",
			    *sfx ? "_" : "", sfx, ph.flush_s);
			printf("bench: store_close_s%s%s=%.2f\n",
			    *sfx ? "_" : "", sfx, ph.close_s);
			/* what the writer wrote and read back through the
			 * kernel (WAL, checkpoints, merges), per event */
			printf("bench: store_io_write_bytes_per_event%s%s="
			    "%.1f\n", *sfx ? "_" : "", sfx,
			    (double)ph.wbytes / (double)n);
			printf("bench: store_io_read_bytes_per_event%s%s="
			    "%.1f\n", *sfx ? "_" : "", sfx,
			    (double)ph.rbytes / (double)n);
		}
		printf("bench: store_bytes_per_event%s%s=%.2f\n",
		    *sfx ? "_" : "", sfx,
		    (double)dir_bytes(root, ".cgn") / (double)n);
		if (i == 0) {
			printf("bench: writer_peak_rss_kib=%ld\n", peak);
			printf("bench: open_allocations_at_end=%llu\n",
			    (unsigned long long)ws.open);
			printf("bench: open_allocations_peak=%llu\n",
			    (unsigned long long)ws.open_peak);
			printf("bench: bytes_per_open_allocation=%.1f\n",
			    ws.open_peak ? (double)ws.open_bytes /
			    (double)ws.open_peak : 0.0);
			printf("bench: store_duplicates_dropped=%llu\n",
			    (unsigned long long)ws.dups);
			colstats(root);
			lookups(root, &tr, nq, &p50, &p99, &blocks, &lcpu,
			    &wrong, &amb);
			printf("bench: lookups=%zu\n", nq);
			printf("bench: lookup_p50_us=%.0f\n", p50);
			printf("bench: lookup_p99_us=%.0f\n", p99);
			printf("bench: lookup_blocks_decoded_mean=%.2f\n",
			    blocks);
			printf("bench: lookup_cpu_us_mean=%.1f\n", lcpu);
			printf("bench: lookup_wrong=%zu\n", wrong);
			printf("bench: lookup_ambiguous_after_lost_release=%zu\n",
			    amb);
			inside_searches(root, &tr, nq / 10 ? nq / 10 : 1, &p50,
			    &p99, &blocks, &wrong);
			printf("bench: inside_search_p50_us=%.0f\n", p50);
			printf("bench: inside_search_p99_us=%.0f\n", p99);
			printf("bench: inside_search_blocks_decoded_mean=%.1f\n",
			    blocks);
			printf("bench: inside_search_missed=%zu\n", wrong);
		}
		if (i == 0)
			base_bytes = dir_bytes(root, ".cgn");
		if (i == 2 && (only == NULL || base_bytes > 0))
			printf("bench: evidence_bytes_per_event=%.2f\n",
			    ((double)dir_bytes(root, ".cgn") -
			    (double)base_bytes) / (double)n);
		if (i >= 3 && !rc->session) {
			lookups(root, &tr, nq, &p50, &p99, &blocks, &lcpu,
			    &wrong, &amb);
			printf("bench: lookup_p99_us_%s=%.0f\n", rc->name, p99);
			printf("bench: lookup_wrong_%s=%zu\n", rc->name, wrong);
		}
		fflush(stdout);
		if (getenv("BENCH_KEEP") == NULL)
			rm_rf(root);
	}
	if (do_naive)
		naive(ndir, evs, n, &tr, nq);
	free(evs);
	free(tr.t);
	return 0;
}
