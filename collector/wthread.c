/*
 * wthread.c - the writer thread (see wthread.h).
 */
#include <string.h>

#include "log.h"
#include "loop.h"
#include "wthread.h"

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

		m.device = bm->device;
		m.rx_ms = bm->rx_ms;
		/* evidence is kept for messages that said something */
		m.raw = bm->ev_n > 0 ? b->data + bm->off : NULL;
		m.rawlen = bm->ev_n > 0 ? bm->len : 0;
		rc = store_put(w->st, &m, b->ev + bm->ev_first, bm->ev_n);
		if (rc != CGN_OK) {
			stats_add(&w->stats->store_errors, 1);
			log_warnx("store: %s", store_errmsg(w->st));
			continue;
		}
		stats_add(&w->stats->stored_msgs, 1);
		stats_add(&w->stats->stored_events, bm->ev_n);
	}
}

static void *
run(void *arg)
{
	struct wthread *w = arg;
	struct batch *b;
	int64_t last = loop_mono_ms(), now;
	int rc;

	for (;;) {
		b = ring_pop(w->ring, 100);
		if (b != NULL) {
			put_batch(w, b);
			ring_give(w->ring, b);
		}
		now = loop_mono_ms();
		if (now - last >= w->flush_ms) {
			last = now;
			if ((rc = store_flush(w->st, loop_wall_ms())) !=
			    CGN_OK) {
				stats_add(&w->stats->store_errors, 1);
				log_warnx("store flush: %s",
				    store_errmsg(w->st));
			} else {
				stats_add(&w->stats->flushes, 1);
			}
		}
		pthread_mutex_lock(&w->wst_mu);
		store_wstats(w->st, &w->wst);
		pthread_mutex_unlock(&w->wst_mu);
		if (b == NULL && atomic_load(&w->stop) &&
		    ring_depth(w->ring) == 0)
			break;
	}
	w->rc = store_close(w->st, loop_wall_ms());
	if (w->rc != CGN_OK)
		log_warnx("store close failed: %s", cgn_rc_str(w->rc));
	w->st = NULL;
	return NULL;
}

int
wthread_start(struct wthread *w, struct store *st, struct ring *r,
    struct stats *s, int64_t flush_ms)
{
	memset(w, 0, sizeof(*w));
	w->st = st;
	w->ring = r;
	w->stats = s;
	w->flush_ms = flush_ms > 0 ? flush_ms : 1000;
	atomic_init(&w->stop, 0);
	pthread_mutex_init(&w->wst_mu, NULL);
	if (pthread_create(&w->th, NULL, run, w) != 0)
		return CGN_EIO;
	return CGN_OK;
}

int
wthread_stop(struct wthread *w)
{
	atomic_store(&w->stop, 1);
	ring_wake(w->ring);
	pthread_join(w->th, NULL);
	return w->rc;
}

void
wthread_wstats(struct wthread *w, struct store_wstats *out)
{
	pthread_mutex_lock(&w->wst_mu);
	*out = w->wst;
	pthread_mutex_unlock(&w->wst_mu);
}
