/*
 * ring.c - batches and the bounded queue between receivers and the writer
 * (see ring.h). A mutex and two condition variables; the lock is taken
 * once per batch, not per message.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring.h"

/* Push thresholds: big enough to amortise the hand-off, small enough that
 * a quiet source's message is stored within a flush interval. */
#define BATCH_MSGS 512
#define BATCH_BYTES (256 * 1024)
#define BATCH_EVS 4096

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return CGN_OK;
	while (nc < need)
		nc *= 2;
	if ((np = realloc(*p, nc * size)) == NULL)
		return CGN_ENOMEM;
	*p = np;
	*cap = nc;
	return CGN_OK;
}

int
batch_add(struct batch *b, int64_t rx_ms, const char *device,
    const uint8_t *raw, size_t len, const struct cgn_event *ev, size_t nev)
{
	struct bmsg *m;
	size_t dl;

	if (grow((void **)&b->msg, &b->capmsg, b->nmsg + 1,
	    sizeof(*b->msg)) != CGN_OK ||
	    grow((void **)&b->data, &b->capdata, b->ndata + len, 1) !=
	    CGN_OK ||
	    grow((void **)&b->ev, &b->capev, b->nev + nev,
	    sizeof(*b->ev)) != CGN_OK)
		return CGN_ENOMEM;
	m = &b->msg[b->nmsg++];
	m->rx_ms = rx_ms;
	m->off = (uint32_t)b->ndata;
	m->len = (uint32_t)len;
	m->ev_first = (uint32_t)b->nev;
	m->ev_n = (uint32_t)nev;
	dl = strlen(device);
	if (dl >= sizeof(m->device))
		dl = sizeof(m->device) - 1;
	memcpy(m->device, device, dl);
	m->device[dl] = '\0';
	if (len > 0)
		memcpy(b->data + b->ndata, raw, len);
	b->ndata += len;
	if (nev > 0)
		memcpy(b->ev + b->nev, ev, nev * sizeof(*ev));
	b->nev += nev;
	return CGN_OK;
}

int
batch_size(struct batch *b, size_t nmsg, size_t ngap, size_t nev,
    size_t ndata)
{
	if (grow((void **)&b->msg, &b->capmsg, nmsg, sizeof(*b->msg)) ||
	    grow((void **)&b->gap, &b->capgap, ngap, sizeof(*b->gap)) ||
	    grow((void **)&b->ev, &b->capev, nev, sizeof(*b->ev)) ||
	    grow((void **)&b->data, &b->capdata, ndata, 1))
		return CGN_ENOMEM;
	b->nmsg = nmsg;
	b->ngap = ngap;
	b->nev = nev;
	b->ndata = ndata;
	return CGN_OK;
}

int
batch_add_gap(struct batch *b, const char *device, int64_t from_ms,
    int64_t to_ms)
{
	struct bgap *g;

	if (grow((void **)&b->gap, &b->capgap, b->ngap + 1,
	    sizeof(*b->gap)) != CGN_OK)
		return CGN_ENOMEM;
	g = &b->gap[b->ngap++];
	g->from_ms = from_ms;
	g->to_ms = to_ms;
	snprintf(g->device, sizeof(g->device), "%s", device);
	return CGN_OK;
}

int
batch_full(const struct batch *b)
{
	return b->nmsg >= BATCH_MSGS || b->ndata >= BATCH_BYTES ||
	    b->nev >= BATCH_EVS;
}

void
batch_clear(struct batch *b)
{
	b->nmsg = b->ndata = b->nev = b->ngap = 0;
}

void
batch_release(struct batch *b)
{
	free(b->msg);
	free(b->gap);
	free(b->data);
	free(b->ev);
	memset(b, 0, sizeof(*b));
}

struct ring {
	pthread_mutex_t mtx;
	pthread_cond_t filled;		/* a batch was pushed */
	pthread_cond_t emptied;		/* a batch was given back */
	struct batch *head, *tail;	/* filled, oldest first */
	struct batch *free;		/* empty */
	size_t depth;
	struct batch *all;
	size_t n;
};

int
ring_new(size_t nbatches, struct ring **out)
{
	struct ring *r;
	size_t i;

	if (nbatches < 2)
		nbatches = 2;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return CGN_ENOMEM;
	if ((r->all = calloc(nbatches, sizeof(*r->all))) == NULL) {
		free(r);
		return CGN_ENOMEM;
	}
	r->n = nbatches;
	for (i = 0; i < nbatches; i++) {
		r->all[i].next = r->free;
		r->free = &r->all[i];
	}
	pthread_mutex_init(&r->mtx, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->emptied, NULL);
	*out = r;
	return CGN_OK;
}

void
ring_free(struct ring *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		batch_release(&r->all[i]);
	free(r->all);
	pthread_mutex_destroy(&r->mtx);
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->emptied);
	free(r);
}

static void
deadline(struct timespec *ts, int wait_ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += wait_ms / 1000;
	ts->tv_nsec += (long)(wait_ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

struct batch *
ring_take(struct ring *r, int wait_ms)
{
	struct timespec ts;
	struct batch *b;

	pthread_mutex_lock(&r->mtx);
	if (r->free == NULL && wait_ms != 0) {
		deadline(&ts, wait_ms < 0 ? 0 : wait_ms);
		while (r->free == NULL) {
			if (wait_ms < 0)
				pthread_cond_wait(&r->emptied, &r->mtx);
			else if (pthread_cond_timedwait(&r->emptied, &r->mtx,
			    &ts) == ETIMEDOUT)
				break;
		}
	}
	if ((b = r->free) != NULL) {
		r->free = b->next;
		b->next = NULL;
		batch_clear(b);
	}
	pthread_mutex_unlock(&r->mtx);
	return b;
}

void
ring_push(struct ring *r, struct batch *b)
{
	pthread_mutex_lock(&r->mtx);
	b->next = NULL;
	if (r->tail != NULL)
		r->tail->next = b;
	else
		r->head = b;
	r->tail = b;
	r->depth++;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->mtx);
}

struct batch *
ring_pop(struct ring *r, int wait_ms)
{
	struct timespec ts;
	struct batch *b;

	pthread_mutex_lock(&r->mtx);
	if (r->head == NULL && wait_ms > 0) {
		deadline(&ts, wait_ms);
		pthread_cond_timedwait(&r->filled, &r->mtx, &ts);
	}
	if ((b = r->head) != NULL) {
		r->head = b->next;
		if (r->head == NULL)
			r->tail = NULL;
		r->depth--;
		b->next = NULL;
	}
	pthread_mutex_unlock(&r->mtx);
	return b;
}

void
ring_give(struct ring *r, struct batch *b)
{
	pthread_mutex_lock(&r->mtx);
	b->next = r->free;
	r->free = b;
	pthread_cond_signal(&r->emptied);
	pthread_mutex_unlock(&r->mtx);
}

size_t
ring_depth(struct ring *r)
{
	size_t d;

	pthread_mutex_lock(&r->mtx);
	d = r->depth;
	pthread_mutex_unlock(&r->mtx);
	return d;
}

void
ring_wake(struct ring *r)
{
	pthread_mutex_lock(&r->mtx);
	pthread_cond_broadcast(&r->filled);
	pthread_mutex_unlock(&r->mtx);
}
