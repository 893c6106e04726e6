/*
 * test_pair_churn.c - the table of open allocations under long churn:
 * hundreds of thousands of allocations, releases, reuses and expiries
 * against a model of what must be open, so every removal's grave, every
 * rebuild of the index and every probe past graves is checked by the
 * answers that follow it (store/pair_int.h says how removal works); and
 * how far the keys of real pools land from their home slot.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgn.h"
#include "pair.h"
#include "pair_int.h"
#include "store.h"

#define HOUR 3600000LL
#define NKEYS 4096
/* allocations held open at once: just under half the index the table
 * grows to, so the graves of the churn fill its slack and it is built
 * again at the same size, over and over */
#define HELD 2000
#define STEPS 300000

/* What the model says of one (public address, port block). */
struct mkey {
	int open;
	uint32_t inside;	/* host order */
	uint64_t ref;		/* evidence ref of its allocation */
	int64_t start;
};

struct model {
	struct mkey k[NKEYS];
	size_t open;
	size_t expired;
};

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
v4(struct cgn_addr *a, uint32_t host)
{
	memset(a, 0, sizeof(*a));
	a->b[10] = 0xff;
	a->b[11] = 0xff;
	a->b[12] = (uint8_t)(host >> 24);
	a->b[13] = (uint8_t)(host >> 16);
	a->b[14] = (uint8_t)(host >> 8);
	a->b[15] = (uint8_t)host;
}

static uint32_t
host_of(const struct cgn_addr *a)
{
	return (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 |
	    (uint32_t)a->b[14] << 8 | a->b[15];
}

/* Key i: 64 blocks of 512 ports on each of 64 public addresses. */
static struct cgn_event
ev_of(int type, size_t i, uint32_t inside, int64_t ts)
{
	struct cgn_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = (uint8_t)type;
	v4(&ev.outside, 0xc6336400u + (uint32_t)(i / 64));
	v4(&ev.inside, inside);
	ev.port_lo = (uint16_t)(1024 + (i % 64) * 512);
	ev.port_hi = (uint16_t)(ev.port_lo + 511);
	ev.ts_ms = ev.rx_ms = ts;
	ev.tsrc = CGN_TS_UTC;
	return ev;
}

static size_t
key_of_rec(const struct pair_rec *r)
{
	return (host_of(&r->iv.outside) - 0xc6336400u) * 64 +
	    (size_t)(r->iv.port_lo - 1024) / 512;
}

/* An allocation the model holds, closed by its release or by reuse. */
static void
assert_closes(const struct model *m, const struct pair_rec *r, size_t i,
    int64_t end, uint16_t how)
{
	assert_int_equal(r->open, 0);
	assert_int_equal(key_of_rec(r), i);
	assert_int_equal(host_of(&r->iv.inside), m->k[i].inside);
	assert_int_equal(r->iv.ev_start, m->k[i].ref);
	assert_int_equal(r->iv.start_ms, m->k[i].start);
	assert_int_equal(r->iv.end_ms, end);
	assert_int_equal(r->iv.flags & (STORE_F_END_LOGGED |
	    STORE_F_END_REUSE | STORE_F_END_MAXAGE), how);
}

static int
expired(void *arg, const struct pair_rec *r)
{
	struct model *m = arg;
	size_t i = key_of_rec(r);

	assert_true(m->k[i].open);
	assert_int_equal(host_of(&r->iv.inside), m->k[i].inside);
	assert_int_equal(r->iv.ev_start, m->k[i].ref);
	assert_int_equal(r->iv.flags & STORE_F_END_MAXAGE,
	    STORE_F_END_MAXAGE);
	m->k[i].open = 0;
	m->open--;
	m->expired++;
	return 0;
}

static void
pairing_survives_long_churn_against_a_model(void **state)
{
	static struct model m;
	struct pair_cfg cfg = { 6 * HOUR, 600000, 2000, HOUR };
	struct pair_tab *t = NULL;
	struct pair_out o;
	struct cgn_event ev;
	uint64_t seed = 0x9e3779b97f4a7c15ULL, ref = 0;
	int64_t ts = 1795000000000LL;
	size_t step, i, bytes_warm = 0, reuses = 0;
	uint32_t inside;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(pair_new(&cfg, &t), CGN_OK);
	for (step = 0; step < STEPS; step++) {
		/* one event a second of device time: the duplicate window
		 * (2 s) closes behind every release within two events, so
		 * its slot is removed while the table keeps churning */
		ts += 1000;
		/* an open key while HELD are open, else a closed one */
		do
			i = (size_t)(rnd(&seed) % NKEYS);
		while (m.k[i].open != (m.open >= HELD));
		inside = 0x64400000u + (uint32_t)(rnd(&seed) % 100000);
		if (m.k[i].open && rnd(&seed) % 10 != 0) {
			ev = ev_of(CGN_EV_PBA_RELEASE, i, m.k[i].inside, ts);
			assert_int_equal(pair_event(t, &ev, 1, 0, ++ref, &o),
			    CGN_OK);
			assert_int_equal(o.n, 1);
			assert_int_equal(o.dup + o.stray, 0);
			assert_closes(&m, &o.rec[0], i, ts,
			    STORE_F_END_LOGGED);
			assert_int_equal(o.rec[0].iv.ev_end, ref);
			m.k[i].open = 0;
			m.open--;
		} else {
			ev = ev_of(CGN_EV_PBA_ALLOC, i, inside, ts);
			assert_int_equal(pair_event(t, &ev, 1, 0, ++ref, &o),
			    CGN_OK);
			assert_int_equal(o.dup + o.stray, 0);
			/* the new holder has no record until a checkpoint;
			 * its close below says who it was */
			assert_int_equal(o.n, m.k[i].open ? 1 : 0);
			if (m.k[i].open) {
				/* its release was lost: the ports given
				 * again end it */
				assert_closes(&m, &o.rec[0], i, ts,
				    STORE_F_END_REUSE);
				reuses++;
				m.open--;
			}
			m.k[i] = (struct mkey){ 1, inside, ref, ts };
			m.open++;
		}
		assert_int_equal(pair_count(t), m.open);
		if (step % 5000 == 4999)
			assert_int_equal(pair_expire(t, ts, expired, &m),
			    CGN_OK);
		if (step == STEPS / 10)
			bytes_warm = pair_bytes(t);
	}
	/* blocks held six hours without news were closed, and found */
	assert_true(m.expired > 0);
	assert_true(reuses > 0);
	assert_int_equal(pair_count(t), m.open);
	/* graves are taken back where they are, not by a bigger index:
	 * after the warm-up the table does not grow with the churn */
	assert_true(pair_bytes(t) <= bytes_warm);
	pair_free(t);
}

/* How far, over the table's full slots, an entry sits past its home. */
static void
probe_stats(const struct pair_tab *t, double *mean, uint32_t *max)
{
	uint64_t sum = 0, n = 0;
	uint32_t j, s, d;

	*max = 0;
	for (j = 0; j <= t->mask; j++) {
		if (!ptab_full(s = t->slot[j]))
			continue;
		d = (j - (uint32_t)ptab_ent_hash(ptab_ent(t,
		    ptab_slot_idx(s)))) & t->mask;
		sum += d;
		n++;
		if (d > *max)
			*max = d;
	}
	*mean = n ? (double)sum / (double)n : 0;
}

/*
 * The keys of real pools are anything but random: consecutive addresses
 * of a /20 to a /22, port blocks at fixed strides, every port of one
 * address for sessions, small IPv6 table indexes. The index probes
 * linearly from the slot the hash picks, so a hash that maps such runs to
 * neighbouring slots makes long chains; with a good one an entry sits
 * about one slot past home at this load.
 */
static void
index_keys_of_real_pools_sit_near_their_home_slot(void **state)
{
	struct pair_cfg cfg = { 24 * HOUR, 600000, 2000, HOUR };
	struct pair_tab *t = NULL;
	struct pair_out o;
	struct cgn_event ev;
	double mean;
	uint32_t max, i;

	(void)state;
	assert_int_equal(pair_new(&cfg, &t), CGN_OK);
	/* 1,024 addresses of a /22, 100 blocks of 512 ports each */
	for (i = 0; i < 102400; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.type = CGN_EV_PBA_ALLOC;
		v4(&ev.outside, 0xc6336400u + i / 100);
		v4(&ev.inside, 0x64400000u + i);
		ev.port_lo = (uint16_t)(1024 + (i % 100) * 512);
		ev.port_hi = (uint16_t)(ev.port_lo + 511);
		ev.ts_ms = ev.rx_ms = HOUR;
		ev.tsrc = CGN_TS_UTC;
		assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	}
	/* sessions: every port of 4 addresses, from 4 devices */
	for (i = 0; i < 4 * 64512; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.type = CGN_EV_SESSION_CREATE;
		v4(&ev.outside, 0xcb007100u + i / 64512);
		v4(&ev.inside, 0x0a000000u + i);
		ev.port_lo = ev.port_hi = (uint16_t)(1024 + i % 64512);
		ev.proto = 6;
		ev.ts_ms = ev.rx_ms = HOUR;
		ev.tsrc = CGN_TS_UTC;
		assert_int_equal(pair_event(t, &ev, (uint16_t)(2 + i / 64512),
		    0, 0, &o), CGN_OK);
	}
	assert_int_equal(pair_count(t), 102400 + 4 * 64512);
	probe_stats(t, &mean, &max);
	assert_true(mean < 2.0);
	assert_true(max < 200);
	pair_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pairing_survives_long_churn_against_a_model),
		cmocka_unit_test(
		    index_keys_of_real_pools_sit_near_their_home_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
