/*
 * wthread.h - the writer thread: the only owner of the store. Takes the
 * ring's batches, then the spool's, puts every message into the store,
 * flushes every flush_ms; on stop, drains both, flushes and closes the
 * store. A failing flush stops it taking more (see wthread.c).
 */
#ifndef WTHREAD_H
#define WTHREAD_H

#include <pthread.h>
#include <stdatomic.h>

#include "live.h"
#include "ring.h"
#include "spool.h"
#include "stats.h"
#include "store.h"

struct wthread {
	pthread_t th;
	struct store *st;		/* owned from start to stop */
	struct ring *ring;
	struct spool *spool;		/* NULL: none */
	struct live *live;		/* retention; NULL: fixed */
	struct stats *stats;
	int64_t flush_ms;
	atomic_int stop;
	int rc;				/* CGN_OK, or the store's error */
	struct batch sb;		/* read back from the spool */
	int64_t retention;		/* last given to the store */
	int failing;			/* flushes fail: take nothing new */
	int64_t fail_since;
	long slow_us;			/* test aid: pause per batch */
	pthread_mutex_t wst_mu;		/* guards wst */
	struct store_wstats wst;	/* the store's figures, for others */
};

/* Start the thread; it takes over st. */
int wthread_start(struct wthread *w, struct store *st, struct ring *r,
    struct spool *sp, struct live *lv, struct stats *s, int64_t flush_ms);
/* Ask it to finish what is queued, flush, close the store; wait for it.
 * Returns its rc. */
int wthread_stop(struct wthread *w);
/* The store writer's figures as of its last batch or flush (any thread;
 * zeros before the first). */
void wthread_wstats(struct wthread *w, struct store_wstats *out);

#endif /* WTHREAD_H */
