/*
 * gensim.h - a simulated CGN: subscribers taking and giving back port
 * blocks on a public pool, with paired pooling, port reuse, a hold-down
 * before reuse, interim messages and lost releases. Deterministic for a
 * seed. It yields events in time order and the ground truth: every
 * interval as it really was, whatever the log said.
 *
 * Used by cgnlog-gen (to files) and by the benchmarks (in process).
 */
#ifndef GENSIM_H
#define GENSIM_H

#include <stdint.h>
#include <stdio.h>

struct gensim_cfg {
	uint64_t seed;
	uint32_t subscribers;		/* inside addresses from inside_base */
	uint32_t inside_base;		/* host order, e.g. 100.64.0.0 */
	uint32_t pool_base;		/* first public address, host order */
	uint32_t pool_size;		/* public addresses */
	uint32_t block_size;		/* ports per block */
	uint16_t port_min;		/* first port given out (1024) */
	int64_t start_ms;		/* simulated start, UTC */
	int64_t duration_ms;
	uint64_t events;		/* about this many events in all */
	double lost_release;		/* share of releases not logged */
	int64_t hold_down_ms;		/* a freed block rests this long */
	int64_t interim_ms;		/* interim messages; 0: none */
	int64_t resolution_ms;		/* times are multiples of this */
	const char *device;
};

/* One event, as the simulated box would log it. */
struct gensim_ev {
	int type;			/* CGN_EV_PBA_ALLOC/RELEASE/ACTIVE */
	int64_t ts_ms;
	int64_t start_ms;		/* ACTIVE: when the block was given */
	uint32_t inside, outside;	/* host order */
	uint16_t port_lo, port_hi;
	int logged;			/* 0: lost on the way (not written) */
};

/* One true interval. */
struct gensim_truth {
	uint32_t inside, outside;
	uint16_t port_lo, port_hi;
	int64_t start_ms, end_ms;	/* end -1: still held at the end */
	int release_logged;
};

struct gensim;

void gensim_cfg_default(struct gensim_cfg *c);
int gensim_new(const struct gensim_cfg *c, struct gensim **out);
void gensim_free(struct gensim *g);

/* The next event in time order; 0 at the end of the simulation. Each
 * closed interval is reported to truth_fn (may be NULL) when it closes,
 * and those still open at the end when the simulation ends. */
typedef void gensim_truth_fn(void *arg, const struct gensim_truth *t);
int gensim_next(struct gensim *g, struct gensim_ev *ev,
    gensim_truth_fn *truth_fn, void *arg);

/* Counters after (or during) the run. */
struct gensim_stats {
	uint64_t allocs, releases, lost, interims, exhausted;
};
void gensim_stats(const struct gensim *g, struct gensim_stats *s);

/* Ground truth as a line: inside public port_lo port_hi start_ms end_ms
 * release_logged (tab-separated; end_ms -1 if still open). */
void gensim_truth_write(FILE *f, const struct gensim_truth *t);

#endif /* GENSIM_H */
