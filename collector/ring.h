/*
 * ring.h - what the receivers hand the writer: batches of messages with
 * the events parsed from them, through a bounded queue.
 *
 * A receiver fills a batch (one recvmmsg's worth, or a few), pushes it and
 * takes an empty one; the writer pops, stores, and gives it back. Batches
 * are recycled, so after warm-up nothing is allocated per message. The
 * number of batches bounds the memory between the two.
 */
#ifndef RING_H
#define RING_H

#include <stddef.h>
#include <stdint.h>

#include "cgn.h"

/* One received message inside a batch. */
struct bmsg {
	int64_t rx_ms;
	uint32_t off, len;		/* raw bytes in batch->data */
	uint32_t ev_first, ev_n;	/* its events in batch->ev */
	char device[CGN_NAMELEN];	/* who sent it */
};

/* A hole in a device's log stream (IPFIX/v9 sequence gap): store_gap. */
struct bgap {
	int64_t from_ms, to_ms;
	char device[CGN_NAMELEN];
};

struct batch {
	struct bmsg *msg;
	size_t nmsg, capmsg;
	struct bgap *gap;
	size_t ngap, capgap;
	uint8_t *data;
	size_t ndata, capdata;
	struct cgn_event *ev;
	size_t nev, capev;
	struct batch *next;		/* queue link */
};

/* Append a message (copied) and its events; CGN_ENOMEM. */
int batch_add(struct batch *b, int64_t rx_ms, const char *device,
    const uint8_t *raw, size_t len, const struct cgn_event *ev, size_t nev);
/* Append a coverage hole; CGN_ENOMEM. */
int batch_add_gap(struct batch *b, const char *device, int64_t from_ms,
    int64_t to_ms);
/* 1 when the batch should be pushed. */
int batch_full(const struct batch *b);
void batch_clear(struct batch *b);
/* Size b's arrays for these counts and set them (contents undefined):
 * for a reader filling them itself (the spool). CGN_ENOMEM. */
int batch_size(struct batch *b, size_t nmsg, size_t ngap, size_t nev,
    size_t ndata);
/* Free a batch's arrays (the struct itself is the caller's); it is then
 * empty and may be filled again. */
void batch_release(struct batch *b);

struct ring;

/* nbatches batches in all (>= 2). */
int ring_new(size_t nbatches, struct ring **out);
void ring_free(struct ring *r);

/* An empty batch; waits up to wait_ms (-1: forever) for the writer to give
 * one back. NULL when none came: the writer is behind (counted by the
 * caller). */
struct batch *ring_take(struct ring *r, int wait_ms);
/* Queue a filled batch for the writer. */
void ring_push(struct ring *r, struct batch *b);
/* The oldest filled batch, waiting up to wait_ms; NULL on timeout. */
struct batch *ring_pop(struct ring *r, int wait_ms);
/* Return a batch the writer is done with. */
void ring_give(struct ring *r, struct batch *b);
/* Filled batches waiting. */
size_t ring_depth(struct ring *r);
/* Wake a writer waiting in ring_pop (to notice a stop request). */
void ring_wake(struct ring *r);

#endif /* RING_H */
