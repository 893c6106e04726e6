/*
 * wthread.c - the writer thread (see wthread.h).
 *
 * Order of work: the ring's batches (older), then the spool's; a flush
 * every flush_ms. When a flush fails (disk full, directory read-only or
 * gone) the thread stops taking new batches - the store keeps what it was
 * given, queued in memory - and tries again every second; receivers fill
 * the ring and then the spool meanwhile. One log line when it starts
 * failing, one when it recovers.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "wthread.h"

/* On stop, how long a failing store is given to come back. */
#define STOP_RETRY_MS 10000

/*
 * The writer's niceness above the receivers'. When the cores are short,
 * a writer that falls behind costs nothing (its batches wait in the ring
 * and the spool), but a receiver that falls behind loses datagrams once
 * the kernel's buffer is full. Under contention the scheduler gives a
 * receiver about three times the writer's share at this difference.
 */
#define WRITER_NICE 5

/*
 * A test aid (cgnlogd(8), ENVIRONMENT): the writer pauses this many
 * microseconds per batch, standing in for a slow disk, so that the
 * overload path (ring full, spool, drain) can be exercised on any machine.
 */
#define SLOW_ENV "CGNLOGD_TEST_WRITER_DELAY_US"

static void
prefetch(struct wthread *w, const struct batch *b, const struct bmsg *bm,
    int entries)
{
	struct store_msg m = { bm->device, bm->rx_ms, NULL, 0 };

	store_prefetch(w->st, &m, b->ev + bm->ev_first, bm->ev_n, entries);
}

static void
put_batch(struct wthread *w, struct batch *b)
{
	struct store_msg m;
	size_t i;
	int rc;

	/* sequence gaps first: a hole is known before what follows it */
	for (i = 0; i < b->ngap; i++) {
		if (store_gap(w->st, b->gap[i].device, b->gap[i].from_ms,
		    b->gap[i].to_ms) != CGN_OK) {
			stats_add(&w->stats->store_errors, 1);
			log_warnx("store: %s", store_errmsg(w->st));
		}
	}
	for (i = 0; i < b->nmsg; i++) {
		const struct bmsg *bm = &b->msg[i];

		/* the pairing table's slots four messages ahead, its entries
		 * two ahead (store_prefetch) */
		if (i + STORE_PREFETCH_SLOTS < b->nmsg)
			prefetch(w, b, &b->msg[i + STORE_PREFETCH_SLOTS], 0);
		if (i + STORE_PREFETCH_ENTRIES < b->nmsg)
			prefetch(w, b, &b->msg[i + STORE_PREFETCH_ENTRIES], 1);
		m.device = bm->device;
		m.rx_ms = bm->rx_ms;
		/* evidence is kept for messages that said something */
		m.raw = bm->ev_n > 0 ? b->data + bm->off : NULL;
		m.rawlen = bm->ev_n > 0 ? bm->len : 0;
		rc = store_put(w->st, &m, b->ev + bm->ev_first, bm->ev_n);
		if (rc != CGN_OK) {
			stats_add(&w->stats->store_errors, 1);
			stats_add(&w->stats->lost_msgs, 1);
			log_warnx("store: %s", store_errmsg(w->st));
			continue;
		}
		stats_add(&w->stats->stored_msgs, 1);
		stats_add(&w->stats->stored_events, bm->ev_n);
	}
}

static void
nap_us(long us)
{
	struct timespec ts = { us / 1000000L, (us % 1000000L) * 1000L };

	nanosleep(&ts, NULL);
}

/* Take one batch (ring, then spool) and store it; 1 if there was one. */
static int
take_one(struct wthread *w, int wait_ms)
{
	struct batch *b;

	if ((b = ring_pop(w->ring, wait_ms)) != NULL) {
		if (w->slow_us > 0)
			nap_us(w->slow_us);
		put_batch(w, b);
		ring_give(w->ring, b);
		return 1;
	}
	if (w->spool == NULL)
		return 0;
	switch (spool_get(w->spool, &w->sb)) {
	case CGN_OK:
		if (w->slow_us > 0)
			nap_us(w->slow_us);
		put_batch(w, &w->sb);
		return 1;
	case CGN_ETRUNC:
		/* a damaged record (checksum, framing or decoding) was passed
		 * over and set aside in the spool's .damaged file (spool.c
		 * logged it): its messages are lost, how many is unknown */
		stats_add(&w->stats->spool_damaged, 1);
		return 1;
	default:
		return 0;
	}
}

static void
flush(struct wthread *w)
{
	int64_t ret;
	int rc;

	if (w->live != NULL &&
	    (ret = live_get(w->live)->retention_ms) != w->retention) {
		store_set_retention(w->st, ret);
		w->retention = ret;
	}
	if ((rc = store_flush(w->st, loop_wall_ms())) != CGN_OK) {
		stats_add(&w->stats->store_errors, 1);
		if (!w->failing) {
			w->failing = 1;
			w->fail_since = loop_mono_ms();
			log_warnx("store: %s (%s): taking nothing new until it"
			    " works again (what was received waits in memory"
			    " and the spool); retrying every second",
			    store_errmsg(w->st), cgn_rc_str(rc));
		}
		return;
	}
	stats_add(&w->stats->flushes, 1);
	/* what the spool gave is durable now: it need not be read again */
	if (w->spool != NULL && spool_commit(w->spool) != CGN_OK)
		log_warn("spool: committing the read position");
	if (w->failing) {
		w->failing = 0;
		log_info("store: writing again after %lld s",
		    (long long)((loop_mono_ms() - w->fail_since) / 1000));
	}
}


static void *
run(void *arg)
{
	struct wthread *w = arg;
	int64_t last = loop_mono_ms(), now, stop_at = 0;
	int got;

	/* this thread only (Linux: a thread id is a process id here) */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(),
	    getpriority(PRIO_PROCESS, 0) + WRITER_NICE) != 0)
		log_warn("writer thread: setpriority");
	for (;;) {
		got = 0;
		if (!w->failing)
			got = take_one(w, w->spool != NULL &&
			    spool_active(w->spool) ? 0 : 100);
		else
			nap_us(100000);
		now = loop_mono_ms();
		if (now - last >= (w->failing ? 1000 : w->flush_ms)) {
			last = now;
			flush(w);
		}
		if (w->spool != NULL) {
			atomic_store(&w->stats->spool_bytes,
			    spool_bytes(w->spool));
			atomic_store(&w->stats->spool_waiting,
			    spool_batches(w->spool));
		}
		pthread_mutex_lock(&w->wst_mu);
		store_wstats(w->st, &w->wst);
		pthread_mutex_unlock(&w->wst_mu);
		if (!atomic_load(&w->stop) || got)
			continue;
		if (stop_at == 0)
			stop_at = now;
		if (!w->failing && ring_depth(w->ring) == 0 &&
		    (w->spool == NULL || !spool_active(w->spool)))
			break;
		if (w->failing && now - stop_at > STOP_RETRY_MS) {
			log_warnx("store: still failing after %d s: stopping"
			    " with what is not written (the spool keeps what"
			    " it has for the next start)", STOP_RETRY_MS /
			    1000);
			break;
		}
	}
	w->rc = store_close(w->st, loop_wall_ms());
	if (w->rc != CGN_OK)
		log_warnx("store close failed: %s", cgn_rc_str(w->rc));
	else if (w->spool != NULL && spool_commit(w->spool) != CGN_OK)
		log_warn("spool: committing the read position");
	w->st = NULL;
	return NULL;
}

int
wthread_start(struct wthread *w, struct store *st, struct ring *r,
    struct spool *sp, struct live *lv, struct stats *s, int64_t flush_ms)
{
	const char *env;

	memset(w, 0, sizeof(*w));
	w->st = st;
	w->ring = r;
	w->spool = sp;
	w->live = lv;
	w->stats = s;
	w->flush_ms = flush_ms > 0 ? flush_ms : 1000;
	w->retention = lv != NULL ? live_get(lv)->retention_ms : 0;
	if ((env = getenv(SLOW_ENV)) != NULL && (w->slow_us = atol(env)) > 0)
		log_warnx("%s=%ld: the writer pauses per batch (a test aid)",
		    SLOW_ENV, w->slow_us);
	atomic_init(&w->stop, 0);
	pthread_mutex_init(&w->wst_mu, NULL);
	if (pthread_create(&w->th, NULL, run, w) != 0)
		return CGN_EIO;
	/* so that top -H and perf tell the writer from the receivers */
	(void)pthread_setname_np(w->th, "cgnlogd-writer");
	return CGN_OK;
}

int
wthread_stop(struct wthread *w)
{
	atomic_store(&w->stop, 1);
	ring_wake(w->ring);
	pthread_join(w->th, NULL);
	batch_release(&w->sb);
	pthread_mutex_destroy(&w->wst_mu);
	return w->rc;
}

void
wthread_wstats(struct wthread *w, struct store_wstats *out)
{
	pthread_mutex_lock(&w->wst_mu);
	*out = w->wst;
	pthread_mutex_unlock(&w->wst_mu);
}
