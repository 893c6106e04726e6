/*
 * bench_spool.c - what the overload spool costs per event (make
 * bench-spool): bytes in the file, and CPU time (user + system, the
 * thread's; _sys_: the system part) in spool_put and spool_get, for two
 * kinds of batch:
 *
 *   ipfix    64 datagrams of 1,400 bytes, 64 IPv4 session events each
 *            (creates and deletes, destinations, the batch's 4096 events)
 *   juniper  512 syslog lines of 135 bytes, one PBA event each
 *
 *   bench_spool [DIR]     the spool file goes in DIR (default $TMPDIR,
 *                         else /tmp); prints "bench: key=value" lines
 *
 * v2_bytes_per_event is what the previous record (the arrays as they are
 * in memory) took for the same batches, computed from the struct sizes.
 * The events are made up (a fixed pseudo-random sequence), not parsed:
 * the spool sees only their fields. Not here: the daemon, the disk (the
 * file stays in the page cache).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ring.h"
#include "spool.h"

#define NBATCH 16		/* distinct batches, put round and round */
#define EVENTS 2000000		/* events put and got per kind */
#define ROUNDS 3		/* the fastest round is reported */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void
fill_raw(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* 64 datagrams x 64 sessions: 4096 events, the batch's limit. */
static void
make_ipfix(struct batch *b, int64_t rx)
{
	struct cgn_event ev[64];
	uint8_t raw[1400];
	int m, i;

	batch_clear(b);
	for (m = 0; m < 64; m++, rx += 3) {
		memset(ev, 0, sizeof(ev));
		for (i = 0; i < 64; i++) {
			ev[i].type = i & 1 ? CGN_EV_SESSION_DELETE :
			    CGN_EV_SESSION_CREATE;
			ev[i].rx_ms = rx;
			ev[i].ts_ms = rx - (int64_t)(rnd() % 2000);
			if (i & 1)
				ev[i].start_ms = ev[i].ts_ms -
				    (int64_t)(rnd() % 300000);
			cgn_addr_v4(&ev[i].inside, 0x64400000u |
			    (rnd() & 0x3fffff));
			cgn_addr_v4(&ev[i].outside, 0xcb007100u |
			    (rnd() & 0xff));
			cgn_addr_v4(&ev[i].dst, rnd() << 8 | rnd());
			ev[i].inside_port = (uint16_t)(1024 + rnd() % 64000);
			ev[i].port_lo = ev[i].port_hi =
			    (uint16_t)(1024 + rnd() % 64000);
			ev[i].dst_port = rnd() % 4 ? 443 :
			    (uint16_t)(rnd() % 65536);
			ev[i].proto = rnd() % 8 ? 6 : 17;
			ev[i].tsrc = CGN_TS_UTC;
			snprintf(ev[i].device, sizeof(ev[i].device), "cgn1");
		}
		fill_raw(raw, sizeof(raw));
		if (batch_add(b, rx, "cgn1", raw, sizeof(raw), ev, 64) !=
		    CGN_OK)
			exit(1);
	}
}

/* 512 lines, one port block allocation or release each. */
static void
make_juniper(struct batch *b, int64_t rx)
{
	struct cgn_event ev;
	uint8_t raw[135];
	int m;

	batch_clear(b);
	for (m = 0; m < 512; m++, rx += rnd() % 3) {
		memset(&ev, 0, sizeof(ev));
		ev.type = m & 1 ? CGN_EV_PBA_RELEASE : CGN_EV_PBA_ALLOC;
		ev.rx_ms = rx;
		ev.ts_ms = rx - (int64_t)(rnd() % 1000);
		cgn_addr_v4(&ev.inside, 0x64400000u | (rnd() & 0x3fffff));
		cgn_addr_v4(&ev.outside, 0xcb007100u | (rnd() & 0xff));
		ev.port_lo = (uint16_t)(1024 + 256 * (rnd() % 252));
		ev.port_hi = (uint16_t)(ev.port_lo + 255);
		ev.tsrc = CGN_TS_LOCAL;
		snprintf(ev.device, sizeof(ev.device), "cgn1");
		fill_raw(raw, sizeof(raw));
		if (batch_add(b, rx, "cgn1", raw, sizeof(raw), &ev, 1) !=
		    CGN_OK)
			exit(1);
	}
}

/* This thread's CPU time so far, user + system; *sys gets the system
 * part (the kernel copying into and out of the page cache). */
static uint64_t
cpu_ns(uint64_t *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	*sys = (uint64_t)ru.ru_stime.tv_sec * 1000000000ULL +
	    (uint64_t)ru.ru_stime.tv_usec * 1000ULL;
	return *sys + (uint64_t)ru.ru_utime.tv_sec * 1000000000ULL +
	    (uint64_t)ru.ru_utime.tv_usec * 1000ULL;
}


static void
per_event(const char *kind, const char *what, uint64_t total, uint64_t nev)
{
	printf("bench: %s_%s_per_event=%.1f\n", kind, what,
	    (double)total / (double)nev);
}

static void
run(const char *kind, const char *dir,
    void (*make)(struct batch *, int64_t))
{
	struct batch b[NBATCH], r;
	struct spool *sp;
	char path[512], err[256];
	uint64_t t0, put = UINT64_MAX, get = UINT64_MAX, bytes = 0, v2 = 0;
	uint64_t nev = 0, got, s0, s1, put_sys = 0, get_sys = 0;
	size_t i, n;
	int round;

	memset(b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	for (i = 0; i < NBATCH; i++)
		make(&b[i], 1795860000000LL + 60000 * (int64_t)i);
	n = EVENTS / b[0].nev;
	snprintf(path, sizeof(path), "%s/bench_spool.%d", dir, (int)getpid());
	for (round = 0; round < ROUNDS; round++) {
		unlink(path);
		if (spool_open(path, 1ULL << 40, &sp, err, sizeof(err)) !=
		    CGN_OK) {
			fprintf(stderr, "bench_spool: %s\n", err);
			exit(1);
		}
		nev = v2 = 0;
		t0 = cpu_ns(&s0);
		for (i = 0; i < n; i++)
			if (spool_put(sp, &b[i % NBATCH]) != CGN_OK)
				exit(1);
		t0 = cpu_ns(&s1) - t0;
		if (t0 < put) {
			put = t0;
			put_sys = s1 - s0;
		}
		bytes = spool_bytes(sp);
		for (i = 0; i < n; i++) {
			nev += b[i % NBATCH].nev;
			v2 += 24 + b[i % NBATCH].nmsg * sizeof(struct bmsg) +
			    b[i % NBATCH].nev * sizeof(struct cgn_event) +
			    b[i % NBATCH].ndata;
		}
		got = 0;
		t0 = cpu_ns(&s0);
		while (spool_get(sp, &r) == CGN_OK)
			got += r.nev;
		t0 = cpu_ns(&s1) - t0;
		if (t0 < get) {
			get = t0;
			get_sys = s1 - s0;
		}
		if (got != nev || spool_commit(sp) != CGN_OK) {
			fprintf(stderr, "bench_spool: %llu events back of"
			    " %llu\n", (unsigned long long)got,
			    (unsigned long long)nev);
			exit(1);
		}
		spool_close(sp);
	}
	unlink(path);
	printf("bench: %s_events=%llu\n", kind, (unsigned long long)nev);
	per_event(kind, "bytes", bytes, nev);
	per_event(kind, "v2_bytes", v2, nev);
	per_event(kind, "put_ns", put, nev);
	per_event(kind, "put_sys_ns", put_sys, nev);
	per_event(kind, "get_ns", get, nev);
	per_event(kind, "get_sys_ns", get_sys, nev);
	for (i = 0; i < NBATCH; i++)
		batch_release(&b[i]);
	batch_release(&r);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR");

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	run("ipfix", dir, make_ipfix);
	run("juniper", dir, make_juniper);
	return 0;
}
