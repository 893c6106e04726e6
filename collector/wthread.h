/*
 * wthread.h - the writer thread: the only owner of the store. Pops batches
 * from the ring, puts every message into the store, flushes every
 * flush_ms; on stop, drains the ring, flushes and closes the store.
 */
#ifndef WTHREAD_H
#define WTHREAD_H

#include <pthread.h>
#include <stdatomic.h>

#include "ring.h"
#include "stats.h"
#include "store.h"

struct wthread {
	pthread_t th;
	struct store *st;		/* owned from start to stop */
	struct ring *ring;
	struct stats *stats;
	int64_t flush_ms;
	atomic_int stop;
	int rc;				/* CGN_OK, or the store's error */
	pthread_mutex_t wst_mu;		/* guards wst */
	struct store_wstats wst;	/* the store's figures, for others */
};

/* Start the thread; it takes over st. */
int wthread_start(struct wthread *w, struct store *st, struct ring *r,
    struct stats *s, int64_t flush_ms);
/* Ask it to finish what is queued, flush, close the store; wait for it.
 * Returns its rc. */
int wthread_stop(struct wthread *w);
/* The store writer's figures as of its last batch or flush (any thread;
 * zeros before the first). */
void wthread_wstats(struct wthread *w, struct store_wstats *out);

#endif /* WTHREAD_H */
