/*
 * wshard.h - a shard as the writer holds it: the open file plus what waits
 * for the next flush (interval rows, evidence, coverage, counters).
 * Private to store/ (writer.c).
 *
 * Rows and counters carry the writer's device and subscriber ids; they are
 * mapped to the shard's own ids when flushed, so a shard is self-contained.
 */
#ifndef WSHARD_H
#define WSHARD_H

#include "buf.h"
#include "codec.h"
#include "shard.h"
#include "strtab.h"

/* Per writer device, per flush: what the shard learns about it. */
struct wdevacc {
	uint64_t events;
	int64_t first_rx, last_rx;
	int64_t skew_min, skew_max, skew_sum;
	uint64_t skew_n;
	uint8_t *minutes;	/* one bit per minute heard, NULL: unused */
};

struct wgap {
	uint32_t dev;
	int64_t from_ms, to_ms;
};

struct wshard {
	struct shard *sh;		/* NULL until the first flush */
	char path[512];
	char err[512];			/* why the file would not open */
	int was_sealed;			/* the file was sealed when opened */
	uint32_t p;			/* period number */
	int64_t start_ms, end_ms;
	int64_t last_use;		/* writer clock when last written */
	struct ival *pend;		/* rows waiting for the flush */
	size_t npend, cappend;
	uint32_t *devmap, *submap;	/* writer id -> shard id, 0: not yet */
	size_t ndevmap, nsubmap;
	struct buf ev;			/* evidence waiting */
	struct buf evout;		/* it with the shard's ids; kept from
					 * flush to flush: a second of lines
					 * is megabytes, and faulting in fresh
					 * pages took 4% of the writer's time */
	uint64_t ev_lo, ev_hi, ev_prev;
	size_t ev_n;
	struct wdevacc *acc;		/* indexed by writer device id */
	size_t nacc;
	struct wgap *gaps;
	size_t ngaps;
	int64_t run_from, run_to;	/* collector running, to write */
	int dirty;
};

/* The row queue's and the evidence buffers' memory, passed from a closed
 * shard to the next new one: they grow to tens of megabytes between
 * flushes, and a new shard growing its own faulted in fresh pages at every
 * doubling (3% of bench-store's writer time for the rows; with evidence,
 * page faults were a third of it). */
struct wspare {
	struct ival *rows;
	size_t cap;
	struct buf ev, evout;
};

/* Free what the spare holds. */
void wspare_free(struct wspare *spare);

/* A shard to write into; its file is opened at the first flush, so that
 * taking events never touches the disk (a full or missing disk shows as a
 * failed flush, and nothing queued is lost). Its queue starts with the
 * spare's memory, if any (spare may be NULL). */
int wshard_new(const char *path, uint32_t p, int64_t period_ms,
    struct wspare *spare, struct wshard **out);
/* Open (create) the file now if it is not open. */
int wshard_file(struct wshard *w, char *err, size_t errlen);
/* Close the file but keep what is queued (its ids are forgotten). */
void wshard_release_file(struct wshard *w);
/* Closes the file; pending content must have been flushed. The queue's
 * memory goes to spare (may be NULL) when it is bigger than what the spare
 * holds. */
void wshard_close(struct wshard *w, struct wspare *spare);

/* Queue a row (copied). */
int wshard_add(struct wshard *w, const struct ival *iv);
/* Queue a message's bytes under ref. */
void wshard_evidence(struct wshard *w, uint64_t ref, uint32_t dev,
    const uint8_t *raw, size_t len);
/* Count a message from dev and the clock skew of its events. */
void wshard_heard(struct wshard *w, uint32_t dev, int64_t rx_ms,
    const struct cgn_event *ev, size_t n);
/* The collector ran over [from, to]. */
void wshard_running(struct wshard *w, int64_t from_ms, int64_t to_ms);
int wshard_gap(struct wshard *w, uint32_t dev, int64_t from_ms,
    int64_t to_ms);

/* Write everything queued in one transaction; *bytes grows by the block
 * bytes written. */
int wshard_flush(struct wshard *w, struct blk_ctx *ctx,
    const struct strtab *devs, const struct strtab *subs, uint64_t *bytes);

/* Compact (merge every run into sorted blocks, drop records the closed
 * form supersedes) and shrink the file; with seal, also mark it sealed
 * (the clock has left its period). */
int wshard_seal(struct wshard *w, struct blk_ctx *ctx, int seal);

/* Merge runs of a level once there are enough of them (the shard being
 * written gets a run per flush). Its own transactions. */
int wshard_tier(struct wshard *w, struct blk_ctx *ctx);

/* Decode every block of a shard (ids are the shard's). */
int wshard_read_all(struct shard *sh, struct blk_ctx *ctx,
    struct ival **rows, size_t *n, size_t *cap);

#endif /* WSHARD_H */
