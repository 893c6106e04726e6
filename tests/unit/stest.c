/*
 * stest.c - helpers of the store's unit tests (stest.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgn.h"
#include "ival.h"
#include "merge.h"
#include "pair.h"
#include "shard.h"
#include "store.h"
#include "stest.h"

struct cgn_addr
addr(const char *s)
{
	struct cgn_addr a;

	if (cgn_addr_parse(s, strlen(s), &a) != CGN_OK)
		fail_msg("bad address in test: %s", s);
	return a;
}

void
assert_addr(const struct cgn_addr *a, const char *want)
{
	char buf[CGN_ADDR_STRLEN];

	assert_string_equal(cgn_addr_fmt(a, buf, sizeof(buf)), want);
}

void
rand_addr(struct cgn_addr *a, int v6)
{
	if (v6) {
		a->b[0] = 0x20;
		a->b[1] = 0x01;
		a->b[2] = 0x0d;
		a->b[3] = 0xb8;
		for (int i = 4; i < 16; i++)
			a->b[i] = (uint8_t)prng();
	} else {
		cgn_addr_v4(a, (uint32_t)prng());
	}
}

uint64_t
rand_ref(int64_t near_ms)
{
	switch (prng() % 4) {
	case 0:
		return 0;
	case 1:
		return UINT64_MAX - prng() % 1000;	/* large */
	default:
		return (uint64_t)(near_ms + (int64_t)(prng() % 5000)) << 16 |
		    (prng() & 0xffff);
	}
}

/* A random interval; outsides from a small pool so they repeat. */
void
rand_row(struct ival *r, const struct cgn_addr *pool, size_t npool)
{
	int64_t base;
	uint64_t k;

	memset(r, 0, sizeof(*r));
	r->outside = pool[prng() % npool];
	rand_addr(&r->inside, prng() % 4 == 0);
	if (prng() % 8 == 0)
		rand_addr(&r->inside_v4, 0);
	if (prng() % 4 == 0) {
		rand_addr(&r->dst, prng() % 3 == 0);
		r->dst_port = (uint16_t)prng();
	}
	k = prng() % 10;
	base = k == 0 ? 0 : k == 1 ? (1LL << 50) - 86400000 : DAY;
	r->start_ms = base + (int64_t)(prng() % 86400000);
	switch (prng() % 4) {
	case 0:
		r->port_lo = 0;
		r->port_hi = (uint16_t)(prng() % 2 ? 0 : 65535);
		break;
	case 1:
		r->port_lo = r->port_hi = 65535;
		break;
	default:
		r->port_lo = (uint16_t)(1024 + prng() % 60000);
		r->port_hi = (uint16_t)(r->port_lo + prng() % 256);
	}
	r->inside_port = (uint16_t)prng();
	r->proto = (uint8_t)prng();
	r->kind = (uint8_t)(1 + prng() % 3);
	r->flags = (uint16_t)(prng() & 0x1bf);	/* every flag but OPEN */
	r->dev = (uint32_t)(1 + prng() % 70000);
	r->vrf = prng() % 2 ? 0 : (uint32_t)prng();
	r->sub = prng() % 2 ? 0 : (uint32_t)prng();
	if (prng() % 5 == 0) {
		/* open: the end is meaningless and stored as the start */
		r->flags |= STORE_F_OPEN;
		r->end_ms = r->start_ms;
	} else {
		r->end_ms = r->start_ms + (prng() % 3 == 0 ? 0 :
		    (int64_t)(prng() % (30LL * 86400000)));
		r->ev_end = rand_ref(r->end_ms);
	}
	r->ev_start = rand_ref(r->start_ms);
}

void
assert_ival_equal(const struct ival *got, const struct ival *want, size_t i)
{
	char a[CGN_ADDR_STRLEN], b[CGN_ADDR_STRLEN];

#define FIELD(f) do {							\
	if (got->f != want->f)						\
		fail_msg("row %zu: " #f " %llu, want %llu", i,		\
		    (unsigned long long)got->f,				\
		    (unsigned long long)want->f);			\
} while (0)
#define ADDR(f) do {							\
	if (cgn_addr_cmp(&got->f, &want->f) != 0)			\
		fail_msg("row %zu: " #f " %s, want %s", i,		\
		    cgn_addr_fmt(&got->f, a, sizeof(a)),		\
		    cgn_addr_fmt(&want->f, b, sizeof(b)));		\
} while (0)
	ADDR(outside);
	ADDR(inside);
	ADDR(inside_v4);
	ADDR(dst);
	FIELD(start_ms);
	FIELD(end_ms);
	FIELD(ev_start);
	FIELD(ev_end);
	FIELD(dev);
	FIELD(vrf);
	FIELD(sub);
	FIELD(port_lo);
	FIELD(port_hi);
	FIELD(inside_port);
	FIELD(dst_port);
	FIELD(flags);
	FIELD(proto);
	FIELD(kind);
#undef FIELD
#undef ADDR
}

/* n random rows in block order. */
struct ival *
rand_rows(size_t n, uint64_t seed)
{
	struct cgn_addr pool[7];
	struct ival *rows;
	size_t i;

	prng_seed(seed);
	for (i = 0; i < 7; i++)
		rand_addr(&pool[i], i == 6);
	assert_non_null(rows = calloc(n, sizeof(*rows)));
	for (i = 0; i < n; i++)
		rand_row(&rows[i], pool, 7);
	qsort(rows, n, sizeof(*rows), ival_cmp);
	return rows;
}

struct pair_tab *
pair_make(void)
{
	struct pair_cfg cfg = { MAX_AGE, IDLE_MS, DUP_MS, HOUR };
	struct pair_tab *t = NULL;

	assert_int_equal(pair_new(&cfg, &t), CGN_OK);
	return t;
}

struct cgn_event
mk_ev(int type, const char *in, const char *out, uint16_t lo, uint16_t hi,
    int64_t ts)
{
	struct cgn_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = (uint8_t)type;
	ev.inside = addr(in);
	ev.outside = addr(out);
	ev.port_lo = lo;
	ev.port_hi = hi;
	ev.ts_ms = ts;
	ev.rx_ms = ts;
	ev.tsrc = CGN_TS_UTC;
	return ev;
}

int
recs_add(void *arg, const struct pair_rec *r)
{
	struct recs *rs = arg;

	if (rs->n < 64)
		rs->r[rs->n] = *r;
	rs->n++;
	return 0;
}

void
checkpoint_into(struct pair_tab *t, uint32_t p, struct recs *rs)
{
	memset(rs, 0, sizeof(*rs));
	assert_int_equal(pair_checkpoint(t, p, 0, recs_add, rs), CGN_OK);
}

struct ival
mk_ival(const char *in, int64_t start, int64_t end, uint16_t flags)
{
	struct ival iv;

	memset(&iv, 0, sizeof(iv));
	iv.outside = addr("198.51.100.7");
	iv.inside = addr(in);
	iv.port_lo = 20480;
	iv.port_hi = 20607;
	iv.start_ms = start;
	iv.end_ms = end;
	iv.dev = 1;
	iv.kind = STORE_K_BLOCK;
	iv.flags = flags;
	return iv;
}

int
tmp_setup(void **state)
{
	struct tmp *tp;

	if ((tp = calloc(1, sizeof(*tp))) == NULL)
		return -1;
	snprintf(tp->dir, sizeof(tp->dir), "/tmp/cgn_test_store.XXXXXX");
	if (mkdtemp(tp->dir) == NULL) {
		free(tp);
		return -1;
	}
	snprintf(tp->root, sizeof(tp->root), "%s/store", tp->dir);
	*state = tp;
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
tmp_teardown(void **state)
{
	struct tmp *tp = *state;
	int rc;

	rc = nftw(tp->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tp);
	return rc;
}

void
note(void *arg, const char *msg)
{
	struct tmp *tp = arg;

	if (tp->nnotes < 8)
		snprintf(tp->notes[tp->nnotes], sizeof(tp->notes[0]), "%s",
		    msg);
	tp->nnotes++;
}

struct store *
w_open_ev(struct tmp *tp, int64_t retention_ms, int evidence)
{
	struct store_opts o;
	struct store *st = NULL;
	char err[512] = "";

	store_opts_default(&o);
	o.root = tp->root;
	o.period_ms = HOUR;
	o.retention_ms = retention_ms;
	o.evidence = evidence;
	o.notice = note;
	o.notice_arg = tp;
	if (store_open(&o, &st, err, sizeof(err)) != CGN_OK)
		fail_msg("store_open: %s", err);
	return st;
}

struct store *
w_open(struct tmp *tp, int64_t retention_ms)
{
	return w_open_ev(tp, retention_ms, 1);
}

/* Put one message carrying one event of the block used throughout:
 * 100.64.12.34 holds 198.51.100.7:20480-20607 on device cgn1. The device's
 * clock is a second behind the collector's. */
void
w_put(struct store *st, int type, int64_t rx_ms, const char *raw)
{
	struct store_msg m;
	struct cgn_event ev;

	ev = mk_ev(type, "100.64.12.34", "198.51.100.7", 20480, 20607,
	    rx_ms - 1000);
	ev.rx_ms = rx_ms;
	snprintf(ev.device, sizeof(ev.device), "cgn1");
	memset(&m, 0, sizeof(m));
	m.device = "cgn1";
	m.rx_ms = rx_ms;
	m.raw = (const uint8_t *)raw;
	m.rawlen = strlen(raw);
	if (store_put(st, &m, &ev, 1) != CGN_OK)
		fail_msg("store_put: %s", store_errmsg(st));
}

void
w_flush(struct store *st, int64_t now)
{
	if (store_flush(st, now) != CGN_OK)
		fail_msg("store_flush: %s", store_errmsg(st));
}

/* Put one message with one event of any block, device time ts. */
void
w_put_ev(struct store *st, const struct cgn_event *proto, int64_t ts,
    int64_t rx_ms, const char *raw)
{
	struct store_msg m;
	struct cgn_event ev = *proto;

	ev.ts_ms = ts;
	ev.rx_ms = rx_ms;
	memset(&m, 0, sizeof(m));
	m.device = "cgn1";
	m.rx_ms = rx_ms;
	m.raw = (const uint8_t *)raw;
	m.rawlen = raw != NULL ? strlen(raw) : 0;
	if (store_put(st, &m, &ev, 1) != CGN_OK)
		fail_msg("store_put: %s", store_errmsg(st));
}

struct store_reader *
r_open(struct tmp *tp)
{
	struct store_reader *rd = NULL;
	char err[600] = "";

	if (store_reader_open(tp->root, &rd, err, sizeof(err)) != CGN_OK)
		fail_msg("store_reader_open: %s", err);
	return rd;
}

int
hits_add(void *arg, const struct store_hit *h)
{
	struct hits *hs = arg;

	if (hs->n < 8)
		hs->h[hs->n] = *h;
	hs->n++;
	return 0;
}

/* Hits for the test block's outside and port at [from, to]. */
int
find(struct store_reader *rd, uint16_t port, int64_t from, int64_t to,
    int resolve, struct hits *hs)
{
	struct store_query q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.outside = addr("198.51.100.7");
	q.port_lo = q.port_hi = port;
	q.from_ms = from;
	q.to_ms = to;
	q.resolve_end = resolve;
	memset(hs, 0, sizeof(*hs));
	if ((rc = store_find(rd, &q, hits_add, hs)) != CGN_OK)
		fail_msg("store_find: %s", store_reader_errmsg(rd));
	return hs->n;
}

void
assert_block_found(struct tmp *tp, int64_t start, int64_t end)
{
	struct store_reader *rd = r_open(tp);
	struct hits hs;

	assert_int_equal(find(rd, 20500, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], start, end, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	store_reader_close(rd);
}

void
assert_block_hit(const struct store_hit *h, int64_t start, int64_t end,
    uint16_t flags)
{
	assert_addr(&h->outside, "198.51.100.7");
	assert_addr(&h->inside, "100.64.12.34");
	assert_int_equal(h->port_lo, 20480);
	assert_int_equal(h->port_hi, 20607);
	assert_int_equal(h->kind, STORE_K_BLOCK);
	assert_int_equal(h->proto, 0);
	assert_string_equal(h->device, "cgn1");
	assert_string_equal(h->subscriber, "");
	assert_int_equal(h->start_ms, start);
	assert_int_equal(h->end_ms, end);
	assert_int_equal(h->flags, flags);
}

int
raw_get(void *arg, uint64_t ref, int64_t rx_ms, const char *device,
    const uint8_t *raw, size_t len)
{
	struct raw *r = arg;

	(void)ref;
	r->calls++;
	r->len = len < sizeof(r->bytes) ? len : sizeof(r->bytes);
	memcpy(r->bytes, raw, r->len);
	r->rx_ms = rx_ms;
	snprintf(r->device, sizeof(r->device), "%s", device);
	return 0;
}

int
file_exists(struct tmp *tp, int64_t start)
{
	char path[600];
	struct stat sb;

	shard_path(tp->root, start, HOUR, path, sizeof(path));
	return stat(path, &sb) == 0;
}

int
shard_rows(void *arg, const struct store_shard_info *si)
{
	uint64_t *rows = arg;
	int64_t h = (si->start_ms - DAY) / HOUR;

	if (h >= 0 && h < 24)
		rows[h] = si->rows;
	return 0;
}

int
dev_get(void *arg, const struct store_dev_info *di)
{
	struct store_dev_info *out = arg;

	*out = *di;
	return 0;
}

int
shard_info_get(void *arg, const struct store_shard_info *si)
{
	struct store_shard_info *out = arg;

	*out = *si;
	return 0;
}

/* A TCP session on the public port 198.51.100.7:40000; dst NULL: the
 * device logged no destination. */
struct cgn_event
mk_sess(int type, const char *in, const char *dst, uint16_t dport,
    int64_t ts)
{
	struct cgn_event ev = mk_ev(type, in, "198.51.100.7", 40000, 40000,
	    ts);

	ev.proto = 6;
	ev.inside_port = 5000;
	if (dst != NULL) {
		ev.dst = addr(dst);
		ev.dst_port = dport;
	}
	return ev;
}

/* Hits for 198.51.100.7:40000 at t, in the order of their destination
 * ports (the store gives them in block order). */
int
find_sess(struct store_reader *rd, int64_t t, int resolve, struct hits *hs)
{
	struct store_hit x;

	if (find(rd, 40000, t, t, resolve, hs) == 2 &&
	    hs->h[0].dst_port > hs->h[1].dst_port) {
		x = hs->h[0];
		hs->h[0] = hs->h[1];
		hs->h[1] = x;
	}
	return hs->n;
}
