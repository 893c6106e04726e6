/*
 * test_spool.c - the overload spool: order, the committed read position
 * across a crash, emptying, the size bound, torn, damaged and foreign
 * files, the compact record through the spool (every field back as it
 * went in, its size, damage), the previous build's version 2 files,
 * receivers at once. Decoding damaged bytes: test_spool_rec.c.
 */
#include <fcntl.h>
#include <linux/falloc.h>
#include <pthread.h>
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
#include "spool_batches.h"
#include "spool_crc.h"
#include "spool_rec.h"

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
	batch_release(&b);
	batch_release(&r);
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
	batch_release(&b);
	batch_release(&r);
}

/* The bound counts what waits: three records fit in 3.5, not a fourth;
 * one read makes room again. */
static void
spool_refuses_past_its_bound(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, r;
	uint64_t rec;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	fill(&b, 3);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	rec = spool_bytes(sp);
	spool_close(sp);
	assert_int_equal(unlink(t->path), 0);
	sp = sp_open(t->path, 3 * rec + rec / 2);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	assert_int_equal(spool_put(sp, &b), CGN_EIO);
	assert_int_equal(spool_bytes(sp), 3 * rec);
	assert_int_equal(spool_batches(sp), 3);
	assert_int_equal(file_size(t->path), 72 + (long)(3 * rec));
	/* what it kept is intact, and a read makes room */
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 3);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	assert_int_equal(spool_bytes(sp), 3 * rec);
	spool_close(sp);
	batch_release(&b);
	batch_release(&r);
}

/* A long overload: the file keeps growing while the writer reads its
 * front, but the disk blocks of what is committed are given back. */
static void
spool_gives_committed_blocks_back(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, r;
	struct stat st;
	uint8_t *raw = calloc(1, 1 << 20);
	char probe[128];
	int fd, k, holes;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	assert_non_null(raw);
	/* does this file system make holes at all? */
	snprintf(probe, sizeof(probe), "%s/probe", t->dir);
	fd = open(probe, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	holes = ftruncate(fd, 1 << 16) == 0 && fallocate(fd,
	    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 8192) == 0;
	close(fd);
	for (k = 0; k < 40; k++) {
		memset(raw, 'a' + k % 26, 1 << 20);
		batch_clear(&b);
		assert_int_equal(batch_add(&b, 1000 + k, "cgn1", raw, 1 << 20,
		    NULL, 0), CGN_OK);
		assert_int_equal(spool_put(sp, &b), CGN_OK);
	}
	for (k = 0; k < 30; k++)
		assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_int_equal(spool_commit(sp), CGN_OK);
	assert_int_equal(stat(t->path, &st), 0);
	assert_true(st.st_size > 40L << 20);	/* offsets stay */
	if (holes)	/* about the 10 MiB that wait, not 40 */
		assert_true((long)st.st_blocks * 512 < 12L << 20);
	/* and what waits is intact */
	for (k = 30; k < 40; k++) {
		assert_int_equal(spool_get(sp, &r), CGN_OK);
		assert_int_equal(r.nmsg, 1);
		assert_int_equal(r.msg[0].rx_ms, 1000 + k);
		assert_int_equal(r.msg[0].len, 1 << 20);
		assert_int_equal(r.data[r.msg[0].off + 12345], 'a' + k % 26);
	}
	spool_close(sp);
	/* after a crash the file opens at the committed offset */
	sp = sp_open(t->path, 0);
	assert_int_equal(spool_batches(sp), 10);
	spool_close(sp);
	if (!holes)
		print_message("file system without holes: blocks not checked\n");
	free(raw);
	batch_release(&b);
	batch_release(&r);
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
	batch_release(&b);
	batch_release(&r);
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

/* ---- the compact record, through the spool --------------------------- */

static void
spool_round_trip_keeps_every_field(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, g, r;

	memset(&b, 0, sizeof(b));
	memset(&g, 0, sizeof(g));
	memset(&r, 0, sizeof(r));
	fill_wide(&b);
	assert_int_equal(b.nmsg, 3);
	assert_int_equal(b.nev, 4);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	/* gaps only, no message: a batch the receivers hand on too */
	assert_int_equal(batch_add_gap(&g, "cgn-b", 7, 9), CGN_OK);
	assert_int_equal(spool_put(sp, &g), CGN_OK);
	spool_close(sp);		/* and across a restart */
	sp = sp_open(t->path, 0);
	assert_int_equal(spool_batches(sp), 2);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch_equal(&b, &r);
	/* the message's device went once; its events have it back */
	assert_string_equal(r.ev[0].device, "cgn-a");
	assert_string_equal(r.ev[3].device, "cgn-a");
	assert_string_equal(r.ev[2].device, "");
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch_equal(&g, &r);
	assert_int_equal(r.nmsg, 0);
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	spool_close(sp);
	batch_release(&b);
	batch_release(&g);
	batch_release(&r);
}

/*
 * One IPv4 session event in one 10-byte message costs 61 bytes: the
 * 20-byte frame (with its two checksums), 3 counts, the message 11 (rx 2, off, len, ev_first,
 * ev_n 1 each, "cgn1" 5), the event 17 (flags 2, kinds, type; two
 * addresses 4 each; inside port, public port 2 each; proto), the raw 10.
 */
static void
spool_record_holds_only_what_the_event_has(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct cgn_event ev;
	struct batch b, r;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	memset(&ev, 0, sizeof(ev));
	ev.type = CGN_EV_SESSION_CREATE;
	ev.ts_ms = ev.rx_ms = 1000;
	set_addr(&ev.inside, "100.64.0.1");
	set_addr(&ev.outside, "192.0.2.1");
	ev.inside_port = 40000;
	ev.port_lo = ev.port_hi = 50000;
	ev.proto = 17;
	snprintf(ev.device, sizeof(ev.device), "cgn1");
	assert_int_equal(batch_add(&b, 1000, "cgn1",
	    (const uint8_t *)"0123456789", 10, &ev, 1), CGN_OK);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	assert_int_equal(spool_bytes(sp), 61);
	assert_int_equal(file_size(t->path), 72 + 61);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch_equal(&b, &r);
	spool_close(sp);
	batch_release(&b);
	batch_release(&r);
}

/* A crash at any byte of the last record: that record is cut off, the
 * one before comes back whole. */
static void
spool_cut_anywhere_in_the_last_record_keeps_the_rest(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, r;
	long first, full, cut;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	fill(&b, 1);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	first = file_size(t->path);
	fill_wide(&b);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	spool_close(sp);
	full = file_size(t->path);
	for (cut = full - 1; cut >= first; cut--) {
		assert_int_equal(truncate(t->path, cut), 0);
		sp = sp_open(t->path, 0);
		assert_int_equal(spool_batches(sp), 1);
		assert_int_equal(file_size(t->path), first);
		assert_int_equal(spool_get(sp, &r), CGN_OK);
		assert_batch(&r, 1);
		assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
		spool_close(sp);
	}
	batch_release(&b);
	batch_release(&r);
}

static void
poke(const char *path, long off, const void *bytes, size_t n)
{
	FILE *f = fopen(path, "r+");

	assert_non_null(f);
	assert_int_equal(fseek(f, off, SEEK_SET), 0);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/*
 * Damage inside records that frame well: each is an error from
 * spool_get (the payload checksum fails before anything is decoded),
 * passed over, and the records after it still come.
 */
static void
spool_damaged_record_is_an_error_not_a_misread(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, r;
	static const uint8_t endless[11] = { 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
	static const uint8_t many[1] = { 0x7f };	/* 127 messages */
	static const uint8_t off[1] = { 0x40 };	/* off 32, past the raw */
	long r0 = 72, r1, r2;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	fill(&b, 0);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	r1 = file_size(t->path);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	r2 = file_size(t->path);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	fill(&b, 1);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	spool_close(sp);
	/* record 0: a varint of 11 bytes where its first count is */
	poke(t->path, r0 + 20, endless, sizeof(endless));
	/* record 1: more messages than its bytes could hold */
	poke(t->path, r1 + 20, many, sizeof(many));
	/* record 2: its message's raw bytes said to start past them (the
	 * message's off delta follows the 3 counts and its 2-byte rx) */
	poke(t->path, r2 + 20 + 3 + 2, off, sizeof(off));
	sp = sp_open(t->path, 0);
	assert_int_equal(spool_batches(sp), 4);
	assert_int_equal(spool_get(sp, &r), CGN_ETRUNC);
	assert_int_equal(r.nmsg + r.nev + r.ngap + r.ndata, 0);
	assert_int_equal(spool_get(sp, &r), CGN_ETRUNC);
	assert_int_equal(spool_get(sp, &r), CGN_ETRUNC);
	assert_int_equal(spool_batches(sp), 1);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 1);
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	assert_int_equal(spool_commit(sp), CGN_OK);
	assert_int_equal(file_size(t->path), 72);
	spool_close(sp);
	batch_release(&b);
	batch_release(&r);
}
/* ---- checksums: damage found, passed over, kept; the rest read -------- */

static long
damaged_size(const struct tmp *t)
{
	char path[128];

	snprintf(path, sizeof(path), "%s.damaged", t->path);
	return file_size(path);
}

/* What set_aside() writes before the bytes it keeps. */
static long
aside_line(long n, long off, const char *why)
{
	char line[200];

	return snprintf(line, sizeof(line), "cgnlog spool damaged: %ld bytes"
	    " from offset %ld (%s)\n", n, off, why);
}

static void
spool_checksum_is_crc32c(void **state)
{
	(void)state;
	/* the check value of CRC-32C (RFC 3720 B.4's polynomial) */
	assert_int_equal(spool_crc(0, "123456789", 9), 0xe3069283u);
	assert_int_equal(spool_crc_table(0, "123456789", 9), 0xe3069283u);
	assert_int_equal(spool_crc(spool_crc(0, "1234", 4), "56789", 5),
	    0xe3069283u);
	assert_int_equal(spool_crc(0, "", 0), 0);
}

/*
 * One byte of an inside address changed on disk: the record still
 * decodes (into a wrong subscriber), so only the checksum can tell. It is
 * passed over and kept in .damaged; the records around it come back.
 */
static void
spool_flipped_address_byte_is_damaged_not_a_wrong_event(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct cgn_event ev;
	struct batch b, r;
	uint8_t rec[61], x;
	long r1, r2;
	FILE *f;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	memset(&ev, 0, sizeof(ev));
	ev.type = CGN_EV_SESSION_CREATE;
	ev.ts_ms = ev.rx_ms = 1000;
	set_addr(&ev.inside, "100.64.0.1");
	set_addr(&ev.outside, "192.0.2.1");
	ev.inside_port = 40000;
	ev.port_lo = ev.port_hi = 50000;
	ev.proto = 17;
	snprintf(ev.device, sizeof(ev.device), "cgn1");
	fill(&b, 0);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	r1 = file_size(t->path);
	batch_clear(&b);
	assert_int_equal(batch_add(&b, 1000, "cgn1",
	    (const uint8_t *)"0123456789", 10, &ev, 1), CGN_OK);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	r2 = file_size(t->path);
	assert_int_equal(r2 - r1, 61);
	fill(&b, 2);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	spool_close(sp);
	/* the inside address's last byte: after the frame (20), the
	 * counts (3), the message (11), the event's flags, kinds, type */
	x = 0x01 ^ 0x08;
	poke(t->path, r1 + 20 + 3 + 11 + 4 + 3, &x, 1);
	/* without the checksum this would have been stored: 100.64.0.9 */
	assert_non_null(f = fopen(t->path, "r"));
	assert_int_equal(fseek(f, r1, SEEK_SET), 0);
	assert_int_equal(fread(rec, 1, sizeof(rec), f), sizeof(rec));
	fclose(f);
	assert_int_equal(spool_rec_decode(rec + 20, 61 - 20 - 10, 10, &r),
	    CGN_OK);
	assert_int_equal(r.nev, 1);
	assert_int_equal(r.ev[0].inside.b[15], 9);
	sp = sp_open(t->path, 0);
	assert_int_equal(spool_batches(sp), 3);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 0);
	assert_int_equal(spool_get(sp, &r), CGN_ETRUNC);
	assert_int_equal(r.nmsg + r.nev + r.ngap + r.ndata, 0);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 2);
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	/* the whole record, kept for a person, after a line saying why */
	assert_int_equal(damaged_size(t), aside_line(61, r1,
	    "its checksum fails") + 61);
	assert_int_equal(spool_commit(sp), CGN_OK);
	assert_int_equal(file_size(t->path), 72);
	spool_close(sp);
	batch_release(&b);
	batch_release(&r);
}

/*
 * A record's length damaged in the middle of the file: its header's
 * checksum fails, the next record is found by its magic and header
 * checksum, and everything after the damage is read; nothing is cut.
 */
static void
spool_damaged_length_mid_file_keeps_the_records_after(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	static const uint8_t shorter[4] = { 0, 0, 0, 9 };
	static const uint8_t longer[4] = { 0, 0x10, 0, 0 };
	struct batch b, r;
	long at[6];		/* where each record starts; at[5]: the end */
	int k;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	at[0] = file_size(t->path);
	for (k = 0; k < 5; k++) {
		fill(&b, k);
		assert_int_equal(spool_put(sp, &b), CGN_OK);
		at[k + 1] = file_size(t->path);
	}
	spool_close(sp);
	poke(t->path, at[1] + 4, shorter, sizeof(shorter));	/* elen */
	poke(t->path, at[3] + 8, longer, sizeof(longer));	/* ndata */
	sp = sp_open(t->path, 0);
	assert_int_equal(file_size(t->path), at[5]);
	assert_int_equal(spool_batches(sp), 3);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 0);
	assert_int_equal(spool_get(sp, &r), CGN_ETRUNC);	/* 1 */
	assert_int_equal(r.nmsg + r.nev + r.ngap + r.ndata, 0);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 2);
	assert_int_equal(spool_get(sp, &r), CGN_ETRUNC);	/* 3 */
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 4);
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	/* each damaged record whole, no more */
	assert_int_equal(damaged_size(t), aside_line(at[2] - at[1], at[1],
	    "no record frames here") + (at[2] - at[1]) + aside_line(at[4] -
	    at[3], at[3], "no record frames here") + (at[4] - at[3]));
	spool_close(sp);
	batch_release(&b);
	batch_release(&r);
}

/* Damage followed by no whole record: that tail is what a crash tore,
 * cut off (and kept), the records before it read. */
static void
spool_damage_then_torn_tail_is_cut(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct batch b, r;
	long r1 = 0, full;
	int k;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	for (k = 0; k < 3; k++) {
		fill(&b, k);
		assert_int_equal(spool_put(sp, &b), CGN_OK);
		if (k == 0)
			r1 = file_size(t->path);
	}
	spool_close(sp);
	full = file_size(t->path);
	poke(t->path, r1, "XGS4", 4);			/* record 1's magic */
	assert_int_equal(truncate(t->path, full - 1), 0);	/* 2 torn */
	sp = sp_open(t->path, 0);
	assert_int_equal(file_size(t->path), r1);
	assert_int_equal(damaged_size(t), aside_line(full - 1 - r1, r1,
	    "no whole record at the end") + (full - 1 - r1));
	assert_int_equal(spool_batches(sp), 1);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 0);
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	spool_close(sp);
	batch_release(&b);
	batch_release(&r);
}

/* ---- receivers at once ------------------------------------------------- */

struct putter {
	struct spool *sp;
	int k;			/* which fill() */
	int ok;
};

static void *
put_many(void *arg)
{
	struct putter *p = arg;
	struct batch b;
	int i;

	memset(&b, 0, sizeof(b));
	fill(&b, p->k);
	for (i = 0; i < 50; i++)
		if (spool_put(p->sp, &b) == CGN_OK)
			p->ok++;
	batch_release(&b);
	return NULL;
}

/* Six threads put at once (more than there are scratch buffers): every
 * batch comes back whole, each thread's in its order. */
static void
spool_concurrent_puts_come_back_whole(void **state)
{
	struct tmp *t = *state;
	struct spool *sp = sp_open(t->path, 0);
	struct putter p[6];
	pthread_t th[6];
	struct batch r;
	int i, seen[6] = { 0 };

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 6; i++) {
		p[i].sp = sp;
		p[i].k = i;
		p[i].ok = 0;
		assert_int_equal(pthread_create(&th[i], NULL, put_many, &p[i]),
		    0);
	}
	for (i = 0; i < 6; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(p[i].ok, 50);
	}
	assert_int_equal(spool_batches(sp), 300);
	while (spool_get(sp, &r) == CGN_OK) {
		assert_true(r.nmsg >= 1 && r.nmsg <= 6);
		assert_batch(&r, (int)r.nmsg - 1);
		seen[r.nmsg - 1]++;
	}
	for (i = 0; i < 6; i++)
		assert_int_equal(seen[i], 50);
	spool_close(sp);
	batch_release(&r);
}

/* ---- the previous build's spool --------------------------------------- */

/* path made anew with an older build's header: first (the text's start,
 * padded to 64 bytes) and the committed offset 72. */
static FILE *
old_file(const char *path, const char *first)
{
	char text[64];
	uint64_t start = 72;
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	memset(text, ' ', sizeof(text));
	memcpy(text, first, strlen(first));
	text[63] = '\n';
	assert_int_equal(fwrite(text, 1, 64, f), 64);
	assert_int_equal(fwrite(&start, sizeof(start), 1, f), 1);
	return f;
}

/* A spool as the version 2 build wrote it: the arrays as in memory. */
static void
write_v2(const char *path, int nbatch)
{
	struct batch b;
	char text[64];
	struct {
		uint32_t magic, nmsg, ngap, nev;
		uint64_t ndata;
	} rh;
	FILE *f;
	int k;

	memset(&b, 0, sizeof(b));
	snprintf(text, sizeof(text), "cgnlog spool 2 %zu %zu %zu",
	    sizeof(struct bmsg), sizeof(struct bgap),
	    sizeof(struct cgn_event));
	f = old_file(path, text);
	for (k = 0; k < nbatch; k++) {
		fill(&b, k);
		rh.magic = 0x50534743u;
		rh.nmsg = (uint32_t)b.nmsg;
		rh.ngap = (uint32_t)b.ngap;
		rh.nev = (uint32_t)b.nev;
		rh.ndata = b.ndata;
		assert_int_equal(fwrite(&rh, sizeof(rh), 1, f), 1);
		assert_int_equal(fwrite(b.msg, sizeof(*b.msg), b.nmsg, f),
		    b.nmsg);
		assert_int_equal(fwrite(b.gap, sizeof(*b.gap), b.ngap, f),
		    b.ngap);
		assert_int_equal(fwrite(b.ev, sizeof(*b.ev), b.nev, f),
		    b.nev);
		assert_int_equal(fwrite(b.data, 1, b.ndata, f), b.ndata);
	}
	assert_int_equal(fclose(f), 0);
	batch_release(&b);
}

static void
header_text(const char *path, char *text, size_t len)
{
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	assert_non_null(fgets(text, (int)len, f));
	fclose(f);
}

/*
 * An upgrade keeps what an older build spooled (wr writes its file, whose
 * first line starts with old): its records are read back, new ones
 * (checksummed) go after them, across a crash too, and the file is
 * version 4 once emptied, where such a record is no longer taken.
 */
static void
upgrade_keeps_the_old_records(const char *path,
    void (*wr)(const char *, int), const char *old)
{
	struct spool *sp;
	struct batch b, r;
	char text[80];
	int k;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	wr(path, 2);
	sp = sp_open(path, 0);
	assert_int_equal(spool_active(sp), 1);
	assert_int_equal(spool_batches(sp), 2);
	fill(&b, 2);
	assert_int_equal(spool_put(sp, &b), CGN_OK);
	spool_close(sp);			/* a crash */
	header_text(path, text, sizeof(text));
	assert_int_equal(strncmp(text, old, strlen(old)), 0);
	sp = sp_open(path, 0);
	assert_int_equal(spool_batches(sp), 3);
	for (k = 0; k < 3; k++) {
		assert_int_equal(spool_get(sp, &r), CGN_OK);
		assert_batch(&r, k);
	}
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	assert_int_equal(spool_commit(sp), CGN_OK);
	assert_int_equal(file_size(path), 72);
	header_text(path, text, sizeof(text));
	assert_int_equal(strlen(text), 64);
	assert_int_equal(strncmp(text, "cgnlog spool 4 names 64 seed ", 29),
	    0);
	assert_int_equal(strspn(text + 29, "0123456789abcdef"), 8);
	spool_close(sp);
	/* an old record under the version 4 header: not a record */
	wr(path, 1);
	poke(path, 0, text, 64);
	sp = sp_open(path, 0);
	assert_int_equal(spool_batches(sp), 0);
	assert_int_equal(file_size(path), 72);
	spool_close(sp);
	batch_release(&b);
	batch_release(&r);
}

static void
spool_version_2_file_is_read_then_upgraded(void **state)
{
	upgrade_keeps_the_old_records(((struct tmp *)*state)->path, write_v2,
	    "cgnlog spool 2 ");
}

/* A version 2 header whose length runs past the file, even past 2^64
 * when added up: that record and what follows are cut off. */
static void
spool_version_2_wild_length_is_cut_off(void **state)
{
	struct tmp *t = *state;
	struct spool *sp;
	struct batch r;
	long size;
	struct {
		uint32_t magic, nmsg, ngap, nev;
		uint64_t ndata;
	} rh = { 0x50534743u, 1, 0, 1, 0 };
	FILE *f;

	/* added to the arrays' sizes it wraps to 24: just its header */
	rh.ndata = 0 - (uint64_t)(sizeof(struct bmsg) +
	    sizeof(struct cgn_event));
	memset(&r, 0, sizeof(r));
	write_v2(t->path, 1);
	size = file_size(t->path);
	assert_non_null(f = fopen(t->path, "a"));
	assert_int_equal(fwrite(&rh, sizeof(rh), 1, f), 1);
	assert_int_equal(fwrite("0123456789abcdef", 1, 16, f), 16);
	assert_int_equal(fclose(f), 0);
	sp = sp_open(t->path, 0);
	assert_int_equal(spool_batches(sp), 1);
	assert_int_equal(file_size(t->path), size);
	assert_int_equal(spool_get(sp, &r), CGN_OK);
	assert_batch(&r, 0);
	assert_int_equal(spool_get(sp, &r), CGN_ENOTFOUND);
	spool_close(sp);
	batch_release(&r);
}

/* A spool as the version 3 build wrote it: "CGS3" records, no checksum. */
static void
write_v3(const char *path, int nbatch)
{
	struct batch b;
	uint8_t *enc, h[12];
	size_t elen;
	FILE *f = old_file(path, "cgnlog spool 3 names 64");
	int k;

	memset(&b, 0, sizeof(b));
	for (k = 0; k < nbatch; k++) {
		fill(&b, k);
		assert_non_null(enc = malloc(spool_rec_bound(&b)));
		elen = spool_rec_encode(&b, enc);
		memcpy(h, "CGS3", 4);
		h[4] = (uint8_t)(elen >> 24);
		h[5] = (uint8_t)(elen >> 16);
		h[6] = (uint8_t)(elen >> 8);
		h[7] = (uint8_t)elen;
		h[8] = (uint8_t)(b.ndata >> 24);
		h[9] = (uint8_t)(b.ndata >> 16);
		h[10] = (uint8_t)(b.ndata >> 8);
		h[11] = (uint8_t)b.ndata;
		assert_int_equal(fwrite(h, 1, 12, f), 12);
		assert_int_equal(fwrite(enc, 1, elen, f), elen);
		assert_int_equal(fwrite(b.data, 1, b.ndata, f), b.ndata);
		free(enc);
	}
	assert_int_equal(fclose(f), 0);
	batch_release(&b);
}

static void
spool_version_3_file_is_read_then_upgraded(void **state)
{
	upgrade_keeps_the_old_records(((struct tmp *)*state)->path, write_v3,
	    "cgnlog spool 3 names 64 ");
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
		    spool_gives_committed_blocks_back, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_torn_last_record_is_cut_off, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_foreign_file_is_set_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_round_trip_keeps_every_field, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_record_holds_only_what_the_event_has, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    spool_cut_anywhere_in_the_last_record_keeps_the_rest,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_damaged_record_is_an_error_not_a_misread, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    spool_concurrent_puts_come_back_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_version_2_file_is_read_then_upgraded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    spool_version_2_wild_length_is_cut_off, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_version_3_file_is_read_then_upgraded, setup,
		    teardown),
		cmocka_unit_test(spool_checksum_is_crc32c),
		cmocka_unit_test_setup_teardown(
		    spool_flipped_address_byte_is_damaged_not_a_wrong_event,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_damaged_length_mid_file_keeps_the_records_after,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    spool_damage_then_torn_tail_is_cut, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
