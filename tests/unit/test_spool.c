/*
 * test_spool.c - the overload spool: order, the committed read position
 * across a crash, emptying, the size bound, torn and foreign files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ring.h"
#include "spool.h"

struct tmp {
	char dir[64];
	char path[96];
};

static int
setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	snprintf(t->dir, sizeof(t->dir), "/tmp/cgnlog-spool.XXXXXX");
	if (t == NULL || mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof(t->path), "%s/spool", t->dir);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tmp *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", t->dir);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

/* Batch number k: k+1 messages "m<k>.<i>", one event each, one gap. */
static void
fill(struct batch *b, int k)
{
	struct cgn_event ev;
	char raw[32];
	int i;

	batch_clear(b);
	for (i = 0; i <= k; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.type = CGN_EV_PBA_ALLOC;
		ev.ts_ms = 1000 * k + i;
		ev.port_lo = (uint16_t)(1024 + i);
		snprintf(raw, sizeof(raw), "m%d.%d", k, i);
		assert_int_equal(batch_add(b, 5000 + k, "cgn1",
		    (const uint8_t *)raw, strlen(raw), &ev, 1), CGN_OK);
	}
	assert_int_equal(batch_add_gap(b, "cgn1", 10 * k, 10 * k + 5),
	    CGN_OK);
}

static void
assert_batch(const struct batch *b, int k)
{
	char raw[32];
	size_t i;

	assert_int_equal(b->nmsg, (size_t)k + 1);
	assert_int_equal(b->nev, (size_t)k + 1);
	assert_int_equal(b->ngap, 1);
	assert_int_equal(b->gap[0].from_ms, 10 * k);
	assert_string_equal(b->gap[0].device, "cgn1");
	for (i = 0; i < b->nmsg; i++) {
		snprintf(raw, sizeof(raw), "m%d.%zu", k, i);
		assert_int_equal(b->msg[i].len, strlen(raw));
		assert_memory_equal(b->data + b->msg[i].off, raw,
		    strlen(raw));
		assert_string_equal(b->msg[i].device, "cgn1");
		assert_int_equal(b->msg[i].rx_ms, 5000 + k);
		assert_int_equal(b->ev[b->msg[i].ev_first].ts_ms,
		    1000 * k + (int64_t)i);
	}
}

static void
free_batch(struct batch *b)
{
	free(b->msg);
	free(b->gap);
	free(b->data);
	free(b->ev);
}

static long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static struct spool *
sp_open(const char *path, uint64_t max)
{
	struct spool *sp = NULL;
	char err[256];

	if (spool_open(path, max, &sp, err, sizeof(err)) != CGN_OK)
		fail_msg("spool_open: %s", err);
	return sp;
}

static void
spool_gives_batches_back_in_order(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, r;
	int k;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	assert_int_equal(spool_active(sp), 0);
	for (k = 0; k < 5; k++) {
		fill(&b, k);
		assert_int_equal(spool_put(sp, &b), CGN_OK);
	}
	assert_int_equal(spool_active(sp), 1);
	assert_int_equal(spool_batches(sp), 5);
	for (k = 0; k < 5; k++) {
		assert_int_equal(spool_get(sp, &r), CGN_OK);
		assert_batch(&r, k);
	}
	assert_int_equal(spool_bytes(sp), 0);
	/* empty: spooling ends, but the file waits for the commit */
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	assert_int_equal(spool_active(sp), 0);
	assert_true(file_size(t->path) > 72);
	assert_int_equal(spool_commit(sp), CGN_OK);
	assert_int_equal(file_size(t->path), 72);
	spool_close(sp);
	free_batch(&b);
	free_batch(&r);
}

static void
spool_crash_resumes_after_the_committed_batches(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, r;
	int k;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	for (k = 0; k < 4; k++) {
		fill(&b, k);
		assert_int_equal(spool_put(sp, &b), CGN_OK);
	}
	assert_int_equal(spool_get(sp, &r), CGN_OK);	/* 0, stored */
	assert_int_equal(spool_commit(sp), CGN_OK);
	assert_int_equal(spool_get(sp, &r), CGN_OK);	/* 1, not yet */
	spool_close(sp);				/* the crash */
	sp = sp_open(t->path, 0);
	assert_int_equal(spool_active(sp), 1);
	assert_int_equal(spool_batches(sp), 3);
	for (k = 1; k < 4; k++) {
		assert_int_equal(spool_get(sp, &r), CGN_OK);
		assert_batch(&r, k);
	}
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	spool_close(sp);
	free_batch(&b);
	free_batch(&r);
}

static void
spool_refuses_past_its_bound(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 4096);
	struct batch b, r;
	int k, ok = 0;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	fill(&b, 3);
	for (k = 0; k < 100; k++)
		if (spool_put(sp, &b) == CGN_OK)
			ok++;
	assert_true(ok >= 1);
	assert_true(ok < 100);
	assert_true(spool_bytes(sp) <= 4096);
	/* what it kept is intact */
	assert_int_equal(spool_batches(sp), (uint64_t)ok);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 3);
	spool_close(sp);
	free_batch(&b);
	free_batch(&r);
}

static void
spool_torn_last_record_is_cut_off(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, r;
	long size;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	fill(&b, 1);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	fill(&b, 2);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	spool_close(sp);
	size = file_size(t->path);
	assert_int_equal(truncate(t->path, size - 3), 0);
	sp = sp_open(t->path, 0);
	assert_int_equal(spool_batches(sp), 1);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 1);
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	spool_close(sp);
	free_batch(&b);
	free_batch(&r);
}

static void
spool_foreign_file_is_set_aside(void **state)
{
	struct tmp *t = *state;
	struct spool *sp;
	char aside[128];
	FILE *f;

	assert_non_null(f = fopen(t->path, "w"));
	fputs("not a spool at all\n", f);
	fclose(f);
	sp = sp_open(t->path, 0);
	assert_int_equal(spool_active(sp), 0);
	assert_int_equal(spool_batches(sp), 0);
	snprintf(aside, sizeof(aside), "%s.unreadable", t->path);
	assert_int_equal(file_size(aside), 19);
	spool_close(sp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    spool_gives_batches_back_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_crash_resumes_after_the_committed_batches, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(spool_refuses_past_its_bound,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_torn_last_record_is_cut_off, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_foreign_file_is_set_aside, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
