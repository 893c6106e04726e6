/*
 * stest.h - what the store's unit tests share: a seeded PRNG, addresses,
 * random rows and their comparison, events and intervals of the test
 * blocks, a pairing table with the tests' settings, and a store in a
 * temporary directory with its writer and reader at hand.
 */
#ifndef STEST_H
#define STEST_H

#include <stdint.h>

#include "cgn.h"
#include "ival.h"
#include "pair.h"
#include "prng.h"
#include "store.h"

/* 2026-11-28T00:00:00Z and a time of that day. */
#define DAY 1795824000000LL
#define T(h, m, s) (DAY + (h) * 3600000LL + (m) * 60000LL + (s) * 1000LL)
#define HOUR 3600000LL

#define DUP_MS 2000
#define MAX_AGE (24 * HOUR)
#define IDLE_MS 600000

#define PER(ms) ((uint32_t)((ms) / HOUR))

/* Records a callback was given. */
struct recs {
	struct pair_rec r[64];
	size_t n;
};

struct tmp {
	char dir[64];		/* mkdtemp() result, removed at the end */
	char root[128];		/* the store root inside it */
	char notes[8][600];	/* notice() lines */
	int nnotes;
};

struct hits {
	struct store_hit h[8];
	int n;
};

struct raw {
	char bytes[256];
	size_t len;
	int64_t rx_ms;
	char device[CGN_NAMELEN];
	int calls;
};

#define ALLOC_RAW "<14>1 2026-11-28T10:05:00Z cgn1 - - - -" \
	" JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->" \
	" 198.51.100.7:20480-20607"
#define RELEASE_RAW "<14>1 2026-11-28T10:35:00Z cgn1 - - - -" \
	" JSERVICES_NAT_PORT_BLOCK_RELEASE: 100.64.12.34 ->" \
	" 198.51.100.7:20480-20607"

struct cgn_addr addr(const char *s);

void assert_addr(const struct cgn_addr *a, const char *want);

void rand_addr(struct cgn_addr *a, int v6);

uint64_t rand_ref(int64_t near_ms);

/* A random interval; outsides from a small pool so they repeat. */
void rand_row(struct ival *r, const struct cgn_addr *pool, size_t npool);

void assert_ival_equal(const struct ival *got, const struct ival *want,
    size_t i);

/* n random rows in block order. */
struct ival *rand_rows(size_t n, uint64_t seed);

struct pair_tab *pair_make(void);
/* rs = the records a checkpoint into period p gives (pair_checkpoint,
 * device clocks aside): how an open allocation is first written. */
void checkpoint_into(struct pair_tab *t, uint32_t p, struct recs *rs);

struct cgn_event mk_ev(int type, const char *in, const char *out, uint16_t lo,
    uint16_t hi, int64_t ts);

int recs_add(void *arg, const struct pair_rec *r);

struct ival mk_ival(const char *in, int64_t start, int64_t end, uint16_t flags);

int tmp_setup(void **state);

int tmp_teardown(void **state);

void note(void *arg, const char *msg);

struct store *w_open_ev(struct tmp *tp, int64_t retention_ms, int evidence);

struct store *w_open(struct tmp *tp, int64_t retention_ms);

/* Put one message carrying one event of the block used throughout:
 * 100.64.12.34 holds 198.51.100.7:20480-20607 on device cgn1. The device's
 * clock is a second behind the collector's. */
void w_put(struct store *st, int type, int64_t rx_ms, const char *raw);

void w_flush(struct store *st, int64_t now);

/* Put one message with one event of any block, device time ts. */
void w_put_ev(struct store *st, const struct cgn_event *proto, int64_t ts,
    int64_t rx_ms, const char *raw);

struct store_reader *r_open(struct tmp *tp);

int hits_add(void *arg, const struct store_hit *h);

/* Hits for the test block's outside and port at [from, to]. */
int find(struct store_reader *rd, uint16_t port, int64_t from, int64_t to,
    int resolve, struct hits *hs);

void assert_block_hit(const struct store_hit *h, int64_t start, int64_t end,
    uint16_t flags);
/* A new reader finds the test block at 10:20 once, closed at both ends,
 * from start to end. */
void assert_block_found(struct tmp *tp, int64_t start, int64_t end);

int raw_get(void *arg, uint64_t ref, int64_t rx_ms, const char *device,
    const uint8_t *raw, size_t len);

int file_exists(struct tmp *tp, int64_t start);

int shard_rows(void *arg, const struct store_shard_info *si);

int dev_get(void *arg, const struct store_dev_info *di);

int shard_info_get(void *arg, const struct store_shard_info *si);

/* A TCP session on the public port 198.51.100.7:40000; dst NULL: the
 * device logged no destination. */
struct cgn_event mk_sess(int type, const char *in, const char *dst,
    uint16_t dport, int64_t ts);

/* Hits for 198.51.100.7:40000 at t, in the order of their destination
 * ports (the store gives them in block order). */
int find_sess(struct store_reader *rd, int64_t t, int resolve, struct hits *hs);

#endif /* STEST_H */
