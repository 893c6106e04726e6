/*
 * test_query.c - cgnq's logic: the times it accepts and refuses, and every
 * verdict on a store written through the real writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "args.h"
#include "arf.h"
#include "audit.h"
#include "lookup.h"
#include "output.h"
#include "store.h"
#include "timearg.h"
#include "tz.h"

#define T0 1795860000000LL	/* 2026-11-28T10:00:00Z */

/* ---- times ------------------------------------------------------------ */

static void
timearg_rfc3339_with_zone(void **state)
{
	char err[300];
	int64_t ms;

	(void)state;
	assert_int_equal(timearg_parse("2026-11-28T10:00:00Z", NULL, 0, &ms,
	    err, sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
	assert_int_equal(timearg_parse("2026-11-28T11:00:00.250+01:00", NULL,
	    0, &ms, err, sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0 + 250);
}

static void
timearg_epoch_seconds_with_fraction(void **state)
{
	char err[300];
	int64_t ms;

	(void)state;
	assert_int_equal(timearg_parse("1795860000.5", NULL, 0, &ms, err,
	    sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0 + 500);
	assert_int_equal(timearg_parse("1795860000", NULL, 0, &ms, err,
	    sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
}

static void
timearg_common_log_format(void **state)
{
	char err[300];
	int64_t ms;

	(void)state;
	assert_int_equal(timearg_parse("28/Nov/2026:11:00:00 +0100", NULL, 0,
	    &ms, err, sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
}

static void
timearg_refuses_a_time_without_zone(void **state)
{
	char err[300];
	int64_t ms = 7;

	(void)state;
	assert_int_equal(timearg_parse("2026-11-28T10:00:00", NULL, 0, &ms,
	    err, sizeof(err)), CGN_EINVAL);
	assert_non_null(strstr(err, "has no zone"));
	assert_int_equal(ms, 7);
	assert_int_equal(timearg_parse("28/Nov/2026:11:00:00", NULL, 0, &ms,
	    err, sizeof(err)), CGN_EINVAL);
}

static void
timearg_zoneless_with_tz(void **state)
{
	struct cgn_tz *tz;
	char err[300];
	int64_t ms;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	/* November: CET, UTC+1 */
	assert_int_equal(timearg_parse("2026-11-28T11:00:00", tz, 1, &ms, err,
	    sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
	/* an explicit offset wins over --tz */
	assert_int_equal(timearg_parse("2026-11-28T10:00:00Z", tz, 1, &ms, err,
	    sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
	tz_free(tz);
}

static void
timearg_garbage_is_explained(void **state)
{
	char err[300];
	int64_t ms;

	(void)state;
	assert_int_equal(timearg_parse("yesterday", NULL, 0, &ms, err,
	    sizeof(err)), CGN_EINVAL);
	assert_non_null(strstr(err, "is not RFC 3339"));
	assert_int_equal(timearg_parse("2026-11-28T10:00:00Zjunk", NULL, 0, &ms,
	    err, sizeof(err)), CGN_EINVAL);
	assert_non_null(strstr(err, "unexpected 'junk'"));
	assert_int_equal(timearg_parse("2026-02-30T10:00:00Z", NULL, 0, &ms,
	    err, sizeof(err)), CGN_EINVAL);
	assert_int_equal(timearg_parse("", NULL, 0, &ms, err, sizeof(err)),
	    CGN_EINVAL);
}

static void
timearg_durations(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(timearg_duration("2s", &ms), CGN_OK);
	assert_int_equal(ms, 2000);
	assert_int_equal(timearg_duration("500ms", &ms), CGN_OK);
	assert_int_equal(ms, 500);
	assert_int_equal(timearg_duration("0", &ms), CGN_OK);
	assert_int_equal(ms, 0);
	assert_int_equal(timearg_duration("2x", &ms), CGN_EINVAL);
}

static void
timearg_iso_forms_and_mail_dates(void **state)
{
	char err[300];
	int64_t ms;

	(void)state;
	assert_int_equal(timearg_parse("20261128T100000Z", NULL, 0, &ms, err,
	    sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
	assert_int_equal(timearg_parse("2026-11-28T11:00+01", NULL, 0, &ms,
	    err, sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
	assert_int_equal(timearg_parse("2026-11-28T11:00:00,5+0100", NULL, 0,
	    &ms, err, sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0 + 500);
	assert_int_equal(timearg_parse("Sat, 28 Nov 2026 11:00:00 +0100", NULL,
	    0, &ms, err, sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
	assert_int_equal(timearg_parse("28 Nov 2026 05:00:00 EST", NULL, 0, &ms,
	    err, sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
	assert_int_equal(timearg_parse("Nov 28 2026 10:00:00 +0000 (UTC)", NULL,
	    0, &ms, err, sizeof(err)), CGN_OK);
	assert_int_equal(ms, T0);
	assert_int_equal(timearg_parse("Sat, 28 Nov 2026 11:00:00 CET", NULL, 0,
	    &ms, err, sizeof(err)), CGN_EINVAL);
	assert_string_equal(err, "time 'Sat, 28 Nov 2026 11:00:00 CET': zone"
	    " 'CET' is ambiguous: use a numeric offset such as +0100");
	assert_int_equal(timearg_parse("2026-11-28", NULL, 0, &ms, err,
	    sizeof(err)), CGN_EINVAL);
	assert_string_equal(err, "time '2026-11-28': a date needs a time of"
	    " day");
}

static void
args_ports_protocols_destinations(void **state)
{
	struct cgn_addr a;
	char err[200], ip[CGN_ADDR_STRLEN];
	uint16_t port = 7;
	uint8_t proto;

	(void)state;
	assert_int_equal(q_parse_port("65535", &port, err, sizeof(err)),
	    CGN_OK);
	assert_int_equal(port, 65535);
	assert_int_equal(q_parse_port("0", &port, err, sizeof(err)), CGN_OK);
	assert_int_equal(port, 0);
	assert_int_equal(q_parse_port("65536", &port, err, sizeof(err)),
	    CGN_EINVAL);
	assert_string_equal(err, "port '65536' is not a number 0-65535");
	assert_int_equal(q_parse_port("-1", &port, err, sizeof(err)),
	    CGN_EINVAL);
	assert_int_equal(q_parse_port("", &port, err, sizeof(err)), CGN_EINVAL);
	assert_int_equal(port, 0);		/* untouched on error */
	assert_int_equal(q_parse_proto("UDP", &proto, err, sizeof(err)),
	    CGN_OK);
	assert_int_equal(proto, 17);
	assert_int_equal(q_parse_proto("256", &proto, err, sizeof(err)),
	    CGN_EINVAL);
	assert_int_equal(q_parse_ip("2001:db8::1", &a, err, sizeof(err)),
	    CGN_OK);
	assert_int_equal(q_parse_ip("10.0.0.0/8", &a, err, sizeof(err)),
	    CGN_EINVAL);
	assert_string_equal(err, "'10.0.0.0/8' is a prefix: give one address");
	assert_int_equal(q_parse_dst("[2001:db8::2]:443", &a, &port, err,
	    sizeof(err)), CGN_OK);
	assert_string_equal(cgn_addr_fmt(&a, ip, sizeof(ip)), "2001:db8::2");
	assert_int_equal(port, 443);
	assert_int_equal(q_parse_dst("2001:db8::3", &a, &port, err,
	    sizeof(err)), CGN_OK);
	assert_int_equal(port, 0);
	assert_int_equal(q_parse_dst("192.0.2.1:80", &a, &port, err,
	    sizeof(err)), CGN_OK);
	assert_string_equal(cgn_addr_fmt(&a, ip, sizeof(ip)), "192.0.2.1");
	assert_int_equal(port, 80);
	assert_int_equal(q_parse_dst("192.0.2.1:x", &a, &port, err,
	    sizeof(err)), CGN_EINVAL);
}

static void
batch_lines_are_csv_with_a_reference(void **state)
{
	struct q_request r;
	char ref[64], err[300], ip[CGN_ADDR_STRLEN];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.tol_ms = 1000;
	assert_int_equal(q_parse_batch_line("198.51.100.1, 1100 ,"
	    "2026-11-28T10:00:00Z,tcp,\"case \"\"7\"\", line 2\"", NULL, 0, &r,
	    ref, sizeof(ref), err, sizeof(err)), CGN_OK);
	assert_string_equal(cgn_addr_fmt(&r.ip, ip, sizeof(ip)),
	    "198.51.100.1");
	assert_int_equal(r.port, 1100);
	assert_int_equal(r.t_ms, T0);
	assert_int_equal(r.proto, 6);
	assert_int_equal(r.tol_ms, 1000);	/* the default is kept */
	assert_string_equal(ref, "case \"7\", line 2");
	/* a bad line still gives its reference back */
	assert_int_equal(q_parse_batch_line("198.51.100.1,99999,1795860000,,"
	    "r9", NULL, 0, &r, ref, sizeof(ref), err, sizeof(err)),
	    CGN_EINVAL);
	assert_string_equal(ref, "r9");
	assert_string_equal(err, "port '99999' is not a number 0-65535");
	assert_int_equal(q_parse_batch_line("198.51.100.1,80", NULL, 0, &r,
	    ref, sizeof(ref), err, sizeof(err)), CGN_EINVAL);
	assert_string_equal(err, "2 fields: want ip,port,time[,proto][,ref]");
	assert_int_equal(q_parse_batch_line("1,2,3,4,5,6", NULL, 0, &r, ref,
	    sizeof(ref), err, sizeof(err)), CGN_EINVAL);
	assert_int_equal(q_parse_batch_line("\"198.51.100.1,80,1", NULL, 0, &r,
	    ref, sizeof(ref), err, sizeof(err)), CGN_EINVAL);
}

static void
arf_feedback_report_gives_source_ip_port_and_arrival(void **state)
{
	static const char rep[] =
	    "From: a@example.net\r\nDate: Sun, 29 Nov 2026 00:00:00 +0000\r\n"
	    "Message-ID: <m1@example.net>\r\n"
	    "Content-Type: multipart/report; boundary=\"b\"\r\n\r\n"
	    "--b\r\nContent-Type: text/plain\r\n\r\nSpam: see below.\r\n"
	    "--b\r\nContent-Type: message/feedback-report\r\n\r\n"
	    "Feedback-Type: abuse\r\nUser-Agent: x/1\r\nVersion: 1\r\n"
	    "Source-IP: 198.51.100.1\r\nSource-Port: 1100\r\n"
	    "Arrival-Date: Sat, 28 Nov 2026\r\n 11:00:00 +0100\r\n--b--\r\n";
	struct q_report r;
	char err[400], ip[CGN_ADDR_STRLEN];

	(void)state;
	assert_int_equal(q_arf_parse(rep, sizeof(rep) - 1, NULL, 0, &r, err,
	    sizeof(err)), CGN_OK);
	assert_string_equal(r.kind, "ARF");
	assert_string_equal(r.id, "<m1@example.net>");
	assert_string_equal(cgn_addr_fmt(&r.ip, ip, sizeof(ip)),
	    "198.51.100.1");
	assert_int_equal(r.port, 1100);
	assert_int_equal(r.t_ms, T0);	/* folded, and not the mail's Date */
}

static void
arf_without_a_source_port_is_refused(void **state)
{
	static const char xarf[] =
	    "X-ARF: Yes\nDate: Sun, 29 Nov 2026 00:00:00 +0000\n\n"
	    "Reported-From: r@example.net\nReport-Type: login-attack\n"
	    "Port: 22\nDate: 2026-11-28T10:00:00Z\nSource-Type: ip-address\n"
	    "Source: 198.51.100.1\n";
	static const char uri[] = "Source-Type: uri\nSource: http://x\n";
	struct q_report r;
	char err[400];

	(void)state;
	assert_int_equal(q_arf_parse(xarf, sizeof(xarf) - 1, NULL, 0, &r, err,
	    sizeof(err)), CGN_EINVAL);
	assert_string_equal(err, "X-ARF report without Source-Port (its Port"
	    " field is the reporter's service port): behind a carrier-grade"
	    " NAT the address alone names many subscribers; ask the reporter"
	    " for the source port");
	assert_int_equal(q_arf_parse(uri, sizeof(uri) - 1, NULL, 0, &r, err,
	    sizeof(err)), CGN_EINVAL);
	assert_string_equal(err, "X-ARF report: Source-Type 'uri': the source"
	    " is not an IP address");
}

static void
audit_records_append_and_read_back(void **state)
{
	char path[] = "/tmp/cgnq-audit.XXXXXX", err[300], buf[4096];
	char *argv[] = { "lookup", "198.51.100.1", "1100", "a b" };
	struct q_audit au;
	size_t bad;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	memset(&au, 0, sizeof(au));
	au.cmd = "lookup";
	au.argc = 4;
	au.argv = argv;
	au.reason = "CASE \"1\"";
	au.store = "/s";
	au.count[Q_UNIQUE] = 1;
	assert_int_equal(q_audit_open(&au, path, err, sizeof(err)), CGN_OK);
	assert_int_equal(q_audit_close(&au, 0, err, sizeof(err)), CGN_OK);
	assert_int_equal(q_audit_open(&au, path, err, sizeof(err)), CGN_OK);
	au.count[Q_UNIQUE] = 0;
	au.count[Q_BAD_INPUT] = 2;
	assert_int_equal(q_audit_close(&au, 64, err, sizeof(err)), CGN_OK);
	assert_non_null(f = fmemopen(buf, sizeof(buf), "w"));
	assert_int_equal(q_audit_print(f, Q_CSV, path, INT64_MIN, INT64_MAX,
	    &bad, err, sizeof(err)), CGN_OK);
	fclose(f);
	assert_int_equal(bad, 0);
	/* time,user,host,cmd,args,reason,counts,exit: the last four */
	assert_non_null(strstr(buf, ",lookup,lookup 198.51.100.1 1100 'a b',"
	    "\"CASE \"\"1\"\"\",unique=1,0\n"));
	assert_non_null(strstr(buf, ",bad_input=2,64\n"));
	unlink(path);
	assert_int_equal(q_audit_open(&au, "/nonexistent/dir/log", err,
	    sizeof(err)), CGN_EIO);
}

/* ---- verdicts --------------------------------------------------------- */

struct fx {
	char dir[64];
	struct store_reader *rd;
};

static void
ev_pba(struct cgn_event *e, int type, int64_t ts, const char *in,
    const char *out, uint16_t lo, uint16_t hi)
{
	memset(e, 0, sizeof(*e));
	e->type = (uint8_t)type;
	e->ts_ms = ts;
	e->rx_ms = ts;
	e->tsrc = CGN_TS_UTC;
	assert_int_equal(cgn_addr_parse(in, strlen(in), &e->inside), CGN_OK);
	assert_int_equal(cgn_addr_parse(out, strlen(out), &e->outside),
	    CGN_OK);
	e->port_lo = lo;
	e->port_hi = hi;
	snprintf(e->device, sizeof(e->device), "cgn1");
}

static void
put(struct store *st, const struct cgn_event *e)
{
	struct store_msg m = { "cgn1", e->rx_ms, (const uint8_t *)"x", 1 };

	assert_int_equal(store_put(st, &m, e, 1), CGN_OK);
}

/* A new store in a directory made from tmpl, open for writing, the
 * collector running from T0. */
static struct fx *
fx_start(const char *tmpl, struct store **st)
{
	struct store_opts o;
	struct fx *f = calloc(1, sizeof(*f));
	char err[300];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "%s", tmpl);
	assert_non_null(mkdtemp(f->dir));
	store_opts_default(&o);
	o.root = f->dir;
	assert_int_equal(store_open(&o, st, err, sizeof(err)), CGN_OK);
	assert_int_equal(store_flush(*st, T0), CGN_OK);
	return f;
}

/* The store written: closed at now_ms and opened for reading. */
static int
fx_ready(struct fx *f, struct store *st, int64_t now_ms, void **state)
{
	char err[300];

	assert_int_equal(store_close(st, now_ms), CGN_OK);
	assert_int_equal(store_reader_open(f->dir, &f->rd, err, sizeof(err)),
	    CGN_OK);
	*state = f;
	return 0;
}

/*
 * The store behind the verdict tests, collector running 10:00-10:30:
 *  A: 100.64.0.1 holds 198.51.100.1:1024-1535 10:01:00-10:05:00
 *  B: 100.64.0.2 holds the same block from 10:07:00, released 10:09:00
 *  C: 100.64.0.3 takes 2048-2559 at 10:10:00, its release is lost, and
 *  D: 100.64.0.4 takes 2048-2559 at 10:12:00 (C closed by reuse then)
 *  E: 100.64.0.5 holds 4096-4607 11:00:00-11:10:00 (backfill: the
 *     collector was not running then)
 */
static int
fx_setup(void **state)
{
	struct store *st;
	struct cgn_event e;
	struct fx *f = fx_start("/tmp/cgnq-test.XXXXXX", &st);
	int64_t t;

	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 60000, "100.64.0.1",
	    "198.51.100.1", 1024, 1535);
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_RELEASE, T0 + 300000, "100.64.0.1",
	    "198.51.100.1", 1024, 1535);
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 420000, "100.64.0.2",
	    "198.51.100.1", 1024, 1535);
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_RELEASE, T0 + 540000, "100.64.0.2",
	    "198.51.100.1", 1024, 1535);
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 600000, "100.64.0.3",
	    "198.51.100.1", 2048, 2559);
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 720000, "100.64.0.4",
	    "198.51.100.1", 2048, 2559);
	put(st, &e);
	/* the collector's clock runs on to 10:30 */
	for (t = T0 + 720000; t <= T0 + 1800000; t += 60000)
		assert_int_equal(store_flush(st, t), CGN_OK);
	/* backfill of 11:00-11:10, received while the clock says 10:30 */
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 3600000, "100.64.0.5",
	    "198.51.100.1", 4096, 4607);
	e.rx_ms = T0 + 1800000;
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_RELEASE, T0 + 4200000, "100.64.0.5",
	    "198.51.100.1", 4096, 4607);
	e.rx_ms = T0 + 1800000;
	put(st, &e);
	return fx_ready(f, st, T0 + 1800000, state);
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	store_reader_close(f->rd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void
ask(struct fx *f, const char *ip, uint16_t port, int64_t t, int64_t tol,
    struct q_answer *a)
{
	struct q_request r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(cgn_addr_parse(ip, strlen(ip), &r.ip), CGN_OK);
	r.port = port;
	r.t_ms = t;
	r.tol_ms = tol;
	assert_int_equal(q_lookup(f->rd, &r, a), CGN_OK);
}

static void
verdict_unique_inside_an_interval(void **state)
{
	struct q_answer a;
	char in[CGN_ADDR_STRLEN];

	ask(*state, "198.51.100.1", 1100, T0 + 120000, 2000, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	assert_int_equal(a.nholders, 1);
	assert_int_equal(a.nhits, 1);
	assert_string_equal(cgn_addr_fmt(&a.hits[0].inside, in, sizeof(in)),
	    "100.64.0.1");
	assert_int_equal(a.hits[0].start_ms, T0 + 60000);
	assert_int_equal(a.hits[0].end_ms, T0 + 300000);
	assert_string_equal(q_end_how(a.hits[0].flags), "logged");
	assert_string_equal(a.hits[0].device, "cgn1");
	assert_int_equal(a.ngaps, 0);
}

static void
verdict_not_found_between_holders_while_running(void **state)
{
	struct q_answer a;

	/* 10:06: A gave the block back at 10:05, B takes it at 10:07 */
	ask(*state, "198.51.100.1", 1100, T0 + 360000, 2000, &a);
	assert_int_equal(a.verdict, Q_NOTFOUND);
	assert_int_equal(a.nhits, 0);
	assert_int_equal(a.ngaps, 0);
}

static void
verdict_ambiguous_lists_both_holders(void **state)
{
	struct q_answer a;
	char in[CGN_ADDR_STRLEN];

	/* at 10:12 C was closed by D's allocation: +/-2s sees both */
	ask(*state, "198.51.100.1", 2100, T0 + 720000, 2000, &a);
	assert_int_equal(a.verdict, Q_AMBIGUOUS);
	assert_int_equal(a.nholders, 2);
	assert_int_equal(a.nhits, 2);
	assert_string_equal(cgn_addr_fmt(&a.hits[0].inside, in, sizeof(in)),
	    "100.64.0.3");
	assert_string_equal(q_end_how(a.hits[0].flags),
	    "release_not_seen_reused");
	assert_string_equal(cgn_addr_fmt(&a.hits[1].inside, in, sizeof(in)),
	    "100.64.0.4");
	/* a second later, only D */
	ask(*state, "198.51.100.1", 2100, T0 + 725000, 2000, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	assert_string_equal(cgn_addr_fmt(&a.hits[0].inside, in, sizeof(in)),
	    "100.64.0.4");
	assert_int_equal(a.hits[0].end_ms, STORE_OPEN_END);
}

static void
verdict_no_coverage_before_the_collector(void **state)
{
	struct q_answer a;

	ask(*state, "198.51.100.1", 1100, T0 - 3600000, 2000, &a);
	assert_int_equal(a.verdict, Q_NOCOVERAGE);
	assert_true(a.ngaps >= 1);
	assert_int_equal(a.gaps[0].collector, 1);
}

static void
verdict_backfill_answers_without_coverage_and_warns(void **state)
{
	struct q_answer a;
	char in[CGN_ADDR_STRLEN];

	ask(*state, "198.51.100.1", 4100, T0 + 3900000, 2000, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	assert_string_equal(cgn_addr_fmt(&a.hits[0].inside, in, sizeof(in)),
	    "100.64.0.5");
	assert_int_equal(a.ngaps, 1);
	assert_int_equal(a.gaps[0].collector, 1);
	/* after its release, nobody, and no coverage to say "not found" */
	ask(*state, "198.51.100.1", 4100, T0 + 4300000, 2000, &a);
	assert_int_equal(a.verdict, Q_NOCOVERAGE);
}

static void
verdict_json_output_is_one_object(void **state)
{
	struct q_request r;
	struct q_answer a;
	char buf[4096];
	FILE *f;

	memset(&r, 0, sizeof(r));
	assert_int_equal(cgn_addr_parse("198.51.100.1", 12, &r.ip), CGN_OK);
	r.port = 1100;
	r.t_ms = T0 + 120000;
	r.tol_ms = 0;
	assert_int_equal(q_lookup(((struct fx *)*state)->rd, &r, &a), CGN_OK);
	assert_non_null(f = fmemopen(buf, sizeof(buf), "w"));
	q_print_lookup(f, Q_JSON, &r, &a, "case \"7\"");
	fclose(f);
	assert_string_equal(buf, "{\"ref\":\"case \\\"7\\\"\",\"ip\":"
	    "\"198.51.100.1\",\"port\":1100,\"time\":\"2026-11-28T10:02:00.000Z\","
	    "\"tolerance_ms\":0,\"verdict\":\"unique\",\"holders\":1,"
	    "\"vouched\":1,\"intervals\":[{\"inside\":\"100.64.0.1\",\"public\":"
	    "\"198.51.100.1\",\"port_lo\":1024,\"port_hi\":1535,\"proto\":"
	    "\"any\",\"device\":\"cgn1\",\"start\":\"2026-11-28T10:01:00.000Z\","
	    "\"start_how\":\"logged\",\"end\":\"2026-11-28T10:05:00.000Z\","
	    "\"end_how\":\"logged\",\"vouched\":true}],\"more_intervals\":0,"
	    "\"dst_excluded\":0,\"gaps\":[],\"gap_before\":null,\"clocks\":"
	    "[{\"device\":\"cgn1\",\"skew_avg_ms\":525000,\"skew_min_ms\":0,"
	    "\"skew_max_ms\":2400000,\"events\":8,\"applied\":false}],"
	    "\"window\":{\"from\":\"2026-11-28T10:02:00.000Z\",\"to\":"
	    "\"2026-11-28T10:02:00.000Z\"}}\n");
}

/*
 * A second store: the collector runs 10:00-10:10 and 10:20-10:30, so
 * 10:10-10:20 is an outage; device "skew" runs 3 s ahead of it.
 *  G: 100.64.1.1 takes 198.51.100.2:1024-1535 at 10:05, its release is
 *     never seen; H takes the block at 10:25 (G closed by reuse then)
 *  S: a session of 100.64.1.2, 198.51.100.2:5000 to 203.0.113.9:443,
 *     10:01-10:03 (the destination is given with the close)
 *  D: a DS-Lite B4 2001:db8::7 (inner 192.168.1.7) holds 2048-2559
 *     10:02-10:08, both ends logged
 *  K: on device "skew", 100.64.1.3 holds 198.51.100.3:1024-1535
 *     10:04:00-10:06:00, and 100.64.1.4 from 10:06:02 (device times)
 */
static int
fx2_setup(void **state)
{
	struct store_opts o;
	struct store *st;
	struct cgn_event e;
	struct store_msg m;
	struct fx *f = calloc(1, sizeof(*f));
	char err[300];
	int64_t t;

	snprintf(f->dir, sizeof(f->dir), "/tmp/cgnq-test2.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	store_opts_default(&o);
	o.root = f->dir;
	assert_int_equal(store_open(&o, &st, err, sizeof(err)), CGN_OK);
	assert_int_equal(store_flush(st, T0), CGN_OK);
	ev_pba(&e, CGN_EV_SESSION_CREATE, T0 + 60000, "100.64.1.2",
	    "198.51.100.2", 5000, 5000);
	e.proto = 6;
	put(st, &e);
	ev_pba(&e, CGN_EV_SESSION_DELETE, T0 + 180000, "100.64.1.2",
	    "198.51.100.2", 5000, 5000);
	e.proto = 6;
	assert_int_equal(cgn_addr_parse("203.0.113.9", 11, &e.dst), CGN_OK);
	e.dst_port = 443;
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 120000, "2001:db8::7",
	    "198.51.100.2", 2048, 2559);
	assert_int_equal(cgn_addr_parse("192.168.1.7", 11, &e.inside_v4),
	    CGN_OK);
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_RELEASE, T0 + 480000, "2001:db8::7",
	    "198.51.100.2", 2048, 2559);
	assert_int_equal(cgn_addr_parse("192.168.1.7", 11, &e.inside_v4),
	    CGN_OK);
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 300000, "100.64.1.1",
	    "198.51.100.2", 1024, 1535);
	put(st, &e);
	/* device "skew": its clock 3 s ahead of the collector's */
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 240000, "100.64.1.3",
	    "198.51.100.3", 1024, 1535);
	snprintf(e.device, sizeof(e.device), "skew");
	e.rx_ms = e.ts_ms - 3000;
	m = (struct store_msg){ "skew", e.rx_ms, (const uint8_t *)"k", 1 };
	assert_int_equal(store_put(st, &m, &e, 1), CGN_OK);
	ev_pba(&e, CGN_EV_PBA_RELEASE, T0 + 360000, "100.64.1.3",
	    "198.51.100.3", 1024, 1535);
	snprintf(e.device, sizeof(e.device), "skew");
	e.rx_ms = m.rx_ms = e.ts_ms - 3000;
	assert_int_equal(store_put(st, &m, &e, 1), CGN_OK);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 362000, "100.64.1.4",
	    "198.51.100.3", 1024, 1535);
	snprintf(e.device, sizeof(e.device), "skew");
	e.rx_ms = m.rx_ms = e.ts_ms - 3000;
	assert_int_equal(store_put(st, &m, &e, 1), CGN_OK);
	for (t = T0 + 365000; t <= T0 + 600000; t += 60000)
		assert_int_equal(store_flush(st, t), CGN_OK);
	assert_int_equal(store_close(st, T0 + 600000), CGN_OK);
	/* the outage; then the collector again, and H's allocation */
	assert_int_equal(store_open(&o, &st, err, sizeof(err)), CGN_OK);
	assert_int_equal(store_flush(st, T0 + 1200000), CGN_OK);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 1500000, "100.64.1.9",
	    "198.51.100.2", 1024, 1535);
	put(st, &e);
	for (t = T0 + 1500000; t <= T0 + 1800000; t += 60000)
		assert_int_equal(store_flush(st, t), CGN_OK);
	return fx_ready(f, st, T0 + 1800000, state);
}

static void
ask_dst(struct fx *f, const char *ip, uint16_t port, int64_t t,
    const char *dst, struct q_answer *a)
{
	struct q_request r;
	char err[200];

	memset(&r, 0, sizeof(r));
	assert_int_equal(cgn_addr_parse(ip, strlen(ip), &r.ip), CGN_OK);
	r.port = port;
	r.t_ms = t;
	r.tol_ms = 1000;
	if (dst != NULL)
		assert_int_equal(q_parse_dst(dst, &r.dst, &r.dst_port, err,
		    sizeof(err)), CGN_OK);
	assert_int_equal(q_lookup(f->rd, &r, a), CGN_OK);
}

static void
doubt_release_unseen_across_an_outage_is_no_coverage(void **state)
{
	struct q_answer a;
	char in[CGN_ADDR_STRLEN];

	/* 10:06, before the outage: G, vouched for */
	ask_dst(*state, "198.51.100.2", 1100, T0 + 360000, NULL, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	assert_int_equal(a.doubt[0], 0);
	/* 10:22, after it: G's release may have been lost in the outage */
	ask_dst(*state, "198.51.100.2", 1100, T0 + 1320000, NULL, &a);
	assert_int_equal(a.verdict, Q_NOCOVERAGE);
	assert_int_equal(a.nhits, 1);
	assert_int_equal(a.nholders, 1);
	assert_int_equal(a.nconfirmed, 0);
	assert_string_equal(cgn_addr_fmt(&a.hits[0].inside, in, sizeof(in)),
	    "100.64.1.1");
	assert_string_equal(q_end_how(a.hits[0].flags),
	    "release_not_seen_reused");
	assert_int_equal(a.doubt[0], Q_D_GAP);
	assert_int_equal(a.why[0].collector, 1);
	assert_int_equal(a.why[0].from_ms, T0 + 660000);
	/* nobody at 10:29 on another block, with the outage in the 24 h
	 * before: not found, and the earlier gap is named */
	ask_dst(*state, "198.51.100.2", 9000, T0 + 1740000, NULL, &a);
	assert_int_equal(a.verdict, Q_NOTFOUND);
	assert_int_equal(a.has_before, 1);
	assert_int_equal(a.before.collector, 1);
}

/*
 * The store does not keep a session's destination yet (pair.c has no
 * place for it; see the report to the store's owner), so --dst cannot
 * rule a session out: it must keep every candidate and say so, never
 * drop one it knows nothing about.
 */
static void
dst_without_a_logged_destination_rules_nothing_out(void **state)
{
	struct q_answer a;
	char buf[4096];
	struct q_request r;
	FILE *f;

	ask_dst(*state, "198.51.100.2", 5000, T0 + 120000, "203.0.113.10", &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	assert_int_equal(a.nhits, 1);
	assert_int_equal(a.ndst, 0);
	assert_true(cgn_addr_is_zero(&a.hits[0].dst));
	assert_int_equal(a.hits[0].kind, STORE_K_SESSION);
	memset(&r, 0, sizeof(r));
	assert_int_equal(cgn_addr_parse("198.51.100.2", 12, &r.ip), CGN_OK);
	assert_int_equal(cgn_addr_parse("203.0.113.10", 12, &r.dst), CGN_OK);
	r.port = 5000;
	r.t_ms = T0 + 120000;
	assert_non_null(f = fmemopen(buf, sizeof(buf), "w"));
	q_print_lookup(f, Q_TABLE, &r, &a, NULL);
	fclose(f);
	assert_non_null(strstr(buf, "  dest     not logged: --dst cannot rule"
	    " it out\n"));
}

static void
ds_lite_holder_has_its_inner_address(void **state)
{
	struct q_answer a;
	char buf[8192], *p;
	struct q_request r;
	FILE *f;

	ask_dst(*state, "198.51.100.2", 2100, T0 + 300000, NULL, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	memset(&r, 0, sizeof(r));
	assert_int_equal(cgn_addr_parse("198.51.100.2", 12, &r.ip), CGN_OK);
	r.port = 2100;
	r.t_ms = T0 + 300000;
	r.tol_ms = 1000;
	assert_non_null(f = fmemopen(buf, sizeof(buf), "w"));
	q_print_lookup(f, Q_TABLE, &r, &a, NULL);
	fclose(f);
	assert_non_null(p = strstr(buf, "inside     2001:db8::7\n"));
	assert_non_null(strstr(buf, "  inner    192.168.1.7 (inside the"
	    " DS-Lite tunnel of 2001:db8::7)\n"));
	for (p = buf; (p = strchr(p, '\n')) != NULL; p++)
		;	/* every line within 80 columns */
	for (p = strtok(buf, "\n"); p != NULL; p = strtok(NULL, "\n"))
		assert_true(strlen(p) <= 80);
}

static void
skew_reads_the_window_both_ways(void **state)
{
	struct q_answer a;

	/* 10:06:00 by the reporter's clock is 10:06:03 by the device's:
	 * 100.64.1.3 released at 10:06:00 device time and 100.64.1.4 took
	 * the block at 10:06:02, so the two readings disagree: ambiguous */
	ask_dst(*state, "198.51.100.3", 1100, T0 + 360500, NULL, &a);
	assert_int_equal(a.nskew, 1);
	assert_string_equal(a.skew[0].device, "skew");
	assert_int_equal(a.skew[0].avg_ms, 3000);
	assert_int_equal(a.skew[0].used, 1);
	assert_int_equal(a.verdict, Q_AMBIGUOUS);
	assert_int_equal(a.nholders, 2);
	/* well inside an interval both readings agree */
	ask_dst(*state, "198.51.100.3", 1100, T0 + 300000, NULL, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
}

/* ---- a device that went silent ----------------------------------------- */

/*
 * The store behind silent_*, collector running 10:00-10:30 throughout:
 *  on device "cgn2": 100.64.2.1 takes 198.51.100.4:1024-1535 at 10:02
 *  (never released), 100.64.2.2 holds 2048-2559 10:03-10:05; then cgn2
 *  says nothing more (last heard 10:05:00)
 *  on device "cgn1": 100.64.2.9 holds 198.51.100.5:1024-1535 from 10:02,
 *  and cgn1 goes on being heard every minute to 10:30
 */
/* e, from device dev, received when it happened */
static void
put_from(struct store *st, const char *dev, struct cgn_event *e)
{
	struct store_msg m = { dev, e->rx_ms, (const uint8_t *)"s", 1 };

	snprintf(e->device, sizeof(e->device), "%s", dev);
	assert_int_equal(store_put(st, &m, e, 1), CGN_OK);
}

static int
fx3_setup(void **state)
{
	struct store *st;
	struct cgn_event e;
	struct store_msg m;
	struct fx *f = fx_start("/tmp/cgnq-test3.XXXXXX", &st);
	int64_t t;

	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 120000, "100.64.2.9",
	    "198.51.100.5", 1024, 1535);
	put(st, &e);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 120000, "100.64.2.1",
	    "198.51.100.4", 1024, 1535);
	put_from(st, "cgn2", &e);
	ev_pba(&e, CGN_EV_PBA_ALLOC, T0 + 180000, "100.64.2.2",
	    "198.51.100.4", 2048, 2559);
	put_from(st, "cgn2", &e);
	ev_pba(&e, CGN_EV_PBA_RELEASE, T0 + 300000, "100.64.2.2",
	    "198.51.100.4", 2048, 2559);
	put_from(st, "cgn2", &e);
	for (t = T0 + 360000; t <= T0 + 1800000; t += 60000) {
		m = (struct store_msg){ "cgn1", t, (const uint8_t *)"k", 1 };
		assert_int_equal(store_put(st, &m, NULL, 0), CGN_OK);
		assert_int_equal(store_flush(st, t), CGN_OK);
	}
	return fx_ready(f, st, T0 + 1800000, state);
}

/*
 * cgn2 was last heard at 10:05:00 and 100.64.2.1's block was never given
 * back: at 10:20 that allocation may have ended in the silence (its
 * release lost with the rest) and the ports gone to someone else. It is
 * listed, with when its device was last heard, and the verdict is
 * no_coverage; before the silence the same holder is unique.
 */
static void
silent_device_holder_is_listed_with_its_last_message(void **state)
{
	struct q_answer a;
	char in[CGN_ADDR_STRLEN];

	ask(*state, "198.51.100.4", 1100, T0 + 1200000, 2000, &a);
	assert_int_equal(a.verdict, Q_NOCOVERAGE);
	assert_int_equal(a.nhits, 1);
	assert_int_equal(a.nholders, 1);
	assert_int_equal(a.nconfirmed, 0);
	assert_string_equal(cgn_addr_fmt(&a.hits[0].inside, in, sizeof(in)),
	    "100.64.2.1");
	assert_string_equal(a.hits[0].device, "cgn2");
	assert_int_equal(a.hits[0].start_ms, T0 + 120000);
	assert_int_equal(a.hits[0].end_ms, STORE_OPEN_END);
	assert_int_equal(a.doubt[0], Q_D_SILENT);
	assert_int_equal(a.heard[0], T0 + 300000);
	assert_int_equal(a.ngaps, 0);		/* the collector ran */
	/* 10:03:20, while cgn2 was still talking: vouched for */
	ask(*state, "198.51.100.4", 1100, T0 + 200000, 2000, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	assert_int_equal(a.doubt[0], 0);
}

/* Silent means more than Q_QUIET_MS (a minute) between its last message
 * and the window's start: pinned to the millisecond. */
static void
silent_device_is_a_minute_without_a_message(void **state)
{
	struct q_answer a;

	ask(*state, "198.51.100.4", 1100, T0 + 300000 + Q_QUIET_MS + 2000,
	    2000, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	assert_int_equal(a.doubt[0], 0);
	ask(*state, "198.51.100.4", 1100, T0 + 300000 + Q_QUIET_MS + 2001,
	    2000, &a);
	assert_int_equal(a.verdict, Q_NOCOVERAGE);
	assert_int_equal(a.doubt[0], Q_D_SILENT);
}

/* A holder on cgn1, heard every minute to 10:30, is not in doubt: the
 * same open allocation, the same time, another device. */
static void
silent_only_the_holders_own_device_counts(void **state)
{
	struct q_answer a;
	char in[CGN_ADDR_STRLEN];

	ask(*state, "198.51.100.5", 1100, T0 + 1200000, 2000, &a);
	assert_int_equal(a.verdict, Q_UNIQUE);
	assert_int_equal(a.nhits, 1);
	assert_string_equal(cgn_addr_fmt(&a.hits[0].inside, in, sizeof(in)),
	    "100.64.2.9");
	assert_int_equal(a.doubt[0], 0);
}

/* The doubt as each format prints it. */
static void
silent_device_doubt_in_table_json_csv(void **state)
{
	struct q_request r;
	struct q_answer a;
	char buf[4096];
	FILE *f;

	memset(&r, 0, sizeof(r));
	assert_int_equal(cgn_addr_parse("198.51.100.4", 12, &r.ip), CGN_OK);
	r.port = 1100;
	r.t_ms = T0 + 1200000;
	r.tol_ms = 2000;
	assert_int_equal(q_lookup(((struct fx *)*state)->rd, &r, &a), CGN_OK);
	assert_non_null(f = fmemopen(buf, sizeof(buf), "w"));
	q_print_lookup(f, Q_TABLE, &r, &a, NULL);
	fclose(f);
	assert_non_null(strstr(buf, "verdict    no_coverage"));
	assert_non_null(strstr(buf, "\n  doubt    release not logged, and"
	    " device cgn2 was last heard\n           2026-11-28T10:05:00Z,"
	    " before the time asked\n"));
	assert_non_null(f = fmemopen(buf, sizeof(buf), "w"));
	q_print_lookup(f, Q_JSON, &r, &a, NULL);
	fclose(f);
	assert_non_null(strstr(buf, ",\"vouched\":false,\"doubt\":\"silent\","
	    "\"device_last_heard\":\"2026-11-28T10:05:00.000Z\"}"));
	assert_non_null(f = fmemopen(buf, sizeof(buf), "w"));
	q_print_lookup(f, Q_CSV, &r, &a, "c1");
	fclose(f);
	assert_non_null(strstr(buf, ",0,release not logged and device last"
	    " heard 2026-11-28T10:05:00.000Z,,\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timearg_rfc3339_with_zone),
		cmocka_unit_test(timearg_epoch_seconds_with_fraction),
		cmocka_unit_test(timearg_common_log_format),
		cmocka_unit_test(timearg_refuses_a_time_without_zone),
		cmocka_unit_test(timearg_zoneless_with_tz),
		cmocka_unit_test(timearg_garbage_is_explained),
		cmocka_unit_test(timearg_durations),
		cmocka_unit_test(timearg_iso_forms_and_mail_dates),
		cmocka_unit_test(args_ports_protocols_destinations),
		cmocka_unit_test(batch_lines_are_csv_with_a_reference),
		cmocka_unit_test(arf_feedback_report_gives_source_ip_port_and_arrival),
		cmocka_unit_test(arf_without_a_source_port_is_refused),
		cmocka_unit_test(audit_records_append_and_read_back),
	};
	const struct CMUnitTest verdicts[] = {
		cmocka_unit_test(verdict_unique_inside_an_interval),
		cmocka_unit_test(verdict_not_found_between_holders_while_running),
		cmocka_unit_test(verdict_ambiguous_lists_both_holders),
		cmocka_unit_test(verdict_no_coverage_before_the_collector),
		cmocka_unit_test(verdict_backfill_answers_without_coverage_and_warns),
		cmocka_unit_test(verdict_json_output_is_one_object),
	};
	const struct CMUnitTest doubts[] = {
		cmocka_unit_test(doubt_release_unseen_across_an_outage_is_no_coverage),
		cmocka_unit_test(dst_without_a_logged_destination_rules_nothing_out),
		cmocka_unit_test(ds_lite_holder_has_its_inner_address),
		cmocka_unit_test(skew_reads_the_window_both_ways),
	};
	const struct CMUnitTest silent[] = {
		cmocka_unit_test(
		    silent_device_holder_is_listed_with_its_last_message),
		cmocka_unit_test(silent_device_is_a_minute_without_a_message),
		cmocka_unit_test(silent_only_the_holders_own_device_counts),
		cmocka_unit_test(silent_device_doubt_in_table_json_csv),
	};
	int fails;

	fails = cmocka_run_group_tests(tests, NULL, NULL);
	fails += cmocka_run_group_tests(verdicts, fx_setup, fx_teardown);
	fails += cmocka_run_group_tests(doubts, fx2_setup, fx_teardown);
	fails += cmocka_run_group_tests(silent, fx3_setup, fx_teardown);
	return fails;
}
