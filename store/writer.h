/*
 * writer.h - the store writer's state, shared by its files: writer.c (put,
 * flush, the clock and periods), wresume.c (taking up open allocations at
 * store_open) and wdir.c (the store directory: made, watched, pruned by
 * retention). Private to store/; the contract is store.h.
 */
#ifndef WRITER_H
#define WRITER_H

#include <sys/stat.h>

#include "store.h"
#include "wshard.h"

/* Shard files held open at once: the current one, the last, late ones.
 * More are kept in memory while their flush fails (a full disk). */
#define WS_MAX 8
/* A closed record is written into at most this many periods. */
#define SPAN_MAX 64
/* A shard the clock left this long ago is sealed. */
#define SEAL_GRACE_MS 5000

struct store {
	struct store_opts o;
	char root[400];
	struct pair_tab *pair;
	struct strtab *devs, *subs;	/* the writer's ids */
	struct blk_ctx *ctx;		/* sealing: the configured level */
	struct blk_ctx *fctx;		/* flush and tier runs: columns
					 * raw, rewritten at the seal */
	struct wshard **ws;		/* shards being written */
	int nws, capws;
	struct wspare spare;		/* a closed shard's queue memory */
	int failing;			/* the last flush failed */
	struct stat root_st;		/* to notice the root replaced */
	uint32_t cur;			/* current period number */
	int have_clock;
	int64_t clock;			/* latest time seen */
	int64_t cov_mark;		/* collector coverage written up to */
	int resumed;			/* first roll after a restart */
	uint64_t ref_ctr;
	int64_t last_retention;
	struct store_wstats stats;
	char err[512];
};

/* The shard period holding ms. */
static inline uint32_t
wr_period(const struct store *st, int64_t ms)
{
	if (ms < 0)
		return 0;
	return (uint32_t)(ms / st->o.period_ms);
}

/* Set st->err and return rc. */
int wr_fail(struct store *st, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A line for the notice callback, if there is one. */
void wr_notice(struct store *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Take up the open allocations of the newest shards (wresume.c). */
int wr_resume(struct store *st);

/* The root must still be the directory we write into; made again (and
 * the shard files given back) if it vanished. */
int wr_check_root(struct store *st);
/* Delete shards wholly older than the retention (at most once a minute
 * of the writer's clock). */
void wr_retention(struct store *st);

#endif /* WRITER_H */
