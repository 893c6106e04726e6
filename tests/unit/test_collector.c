/*
 * test_collector.c - the collector's pure parts: RFC 6587 framing, source
 * URLs, configuration, durations, the ring, the reject file format.
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

#include "config.h"
#include "framing.h"
#include "reject.h"
#include "ring.h"
#include "url.h"

/* ---- framing ---------------------------------------------------------- */

struct frames {
	char msg[16][128];
	int n;
	char over[4][128];
	int nover;
};

static void
on_msg(void *arg, const uint8_t *p, size_t len)
{
	struct frames *f = arg;

	if (f->n < 16)
		snprintf(f->msg[f->n], sizeof(f->msg[0]), "%.*s", (int)len, p);
	f->n++;
}

static void
on_over(void *arg, const uint8_t *p, size_t len)
{
	struct frames *f = arg;

	if (f->nover < 4)
		snprintf(f->over[f->nover], sizeof(f->over[0]), "%.*s",
		    (int)len, p);
	f->nover++;
}

static size_t
split(struct framer *fr, const char *s, size_t max, int eof,
    struct frames *f)
{
	return framing_split(fr, (const uint8_t *)s, strlen(s), max, eof,
	    on_msg, on_over, f);
}

static void
framing_lf_lines_with_and_without_cr(void **state)
{
	struct framer fr = { 0 };
	struct frames f = { 0 };

	(void)state;
	assert_int_equal(split(&fr, "<14>a\n<14>b\r\n<14>c", 100, 0, &f), 13);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.msg[0], "<14>a");
	assert_string_equal(f.msg[1], "<14>b");
}

static void
framing_octet_counting_waits_for_the_whole_frame(void **state)
{
	struct framer fr = { 0 };
	struct frames f = { 0 };

	(void)state;
	/* "5 <14>x" is complete, "10 <14>..." is not yet */
	assert_int_equal(split(&fr, "5 <14>x10 <14>abc", 100, 0, &f), 7);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "<14>x");
}

static void
framing_octet_frame_may_contain_newlines(void **state)
{
	struct framer fr = { 0 };
	struct frames f = { 0 };

	(void)state;
	assert_int_equal(split(&fr, "7 <1>a\nb\n", 100, 0, &f), 9);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "<1>a\nb\n");
}

static void
framing_digits_without_space_are_a_line(void **state)
{
	struct framer fr = { 0 };
	struct frames f = { 0 };

	(void)state;
	/* a Cisco IOS line starts with a time, not an octet count */
	split(&fr, "12:17:12.503: %IPNAT-6-NAT_CREATED: x\n", 100, 0, &f);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "12:17:12.503: %IPNAT-6-NAT_CREATED: x");
}

static void
framing_oversized_line_is_reported_and_skipped(void **state)
{
	struct framer fr = { 0 };
	struct frames f = { 0 };
	size_t used;

	(void)state;
	used = split(&fr, "abcdefghij", 4, 0, &f);
	assert_int_equal(f.nover, 1);
	assert_string_equal(f.over[0], "abcd");
	assert_int_equal(f.n, 0);
	assert_int_equal(fr.skip_line, 1);
	assert_int_equal(used, 10);
	/* the rest of that line is dropped, the next one is a message */
	split(&fr, "klm\nok\n", 4, 0, &f);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "ok");
}

static void
framing_oversized_octet_frame_is_skipped_by_length(void **state)
{
	struct framer fr = { 0 };
	struct frames f = { 0 };

	(void)state;
	split(&fr, "10 0123456789", 4, 0, &f);
	assert_int_equal(f.nover, 1);
	assert_string_equal(f.over[0], "0123");
	assert_int_equal(fr.skip, 0);
	split(&fr, "2 ok", 4, 0, &f);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "ok");
}

static void
framing_eof_makes_the_last_line_a_message(void **state)
{
	struct framer fr = { 0 };
	struct frames f = { 0 };

	(void)state;
	assert_int_equal(split(&fr, "<14>last", 100, 0, &f), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(split(&fr, "<14>last", 100, 1, &f), 8);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.msg[0], "<14>last");
}

/* ---- URLs ------------------------------------------------------------- */

static void
url_syslog_udp_with_port(void **state)
{
	struct src_url u;
	char err[200], buf[600];

	(void)state;
	assert_int_equal(url_parse("syslog-udp://127.0.0.1:5514", &u, err,
	    sizeof(err)), CGN_OK);
	assert_int_equal(u.type, SRC_SYSLOG_UDP);
	assert_string_equal(u.host, "127.0.0.1");
	assert_int_equal(u.port, 5514);
	url_with_port(&u, 40000, buf, sizeof(buf));
	assert_string_equal(buf, "syslog-udp://127.0.0.1:40000");
}

static void
url_ipv6_in_brackets_and_options(void **state)
{
	struct src_url u;
	char err[200], v[32], buf[600];

	(void)state;
	assert_int_equal(url_parse("syslog-tcp://[::1]:0?parser=syslog&x=1",
	    &u, err, sizeof(err)), CGN_OK);
	assert_string_equal(u.host, "::1");
	assert_int_equal(u.port, 0);
	assert_int_equal(url_param(&u, "parser", v, sizeof(v)), 1);
	assert_string_equal(v, "syslog");
	assert_int_equal(url_param(&u, "x", v, sizeof(v)), 1);
	assert_string_equal(v, "1");
	assert_int_equal(url_param(&u, "y", v, sizeof(v)), 0);
	url_with_port(&u, 9, buf, sizeof(buf));
	assert_string_equal(buf, "syslog-tcp://[::1]:9?parser=syslog&x=1");
}

static void
url_files_and_groups(void **state)
{
	struct src_url u;
	char err[200];

	(void)state;
	assert_int_equal(url_parse("syslog-file:///var/log/x.log", &u, err,
	    sizeof(err)), CGN_OK);
	assert_string_equal(u.path, "/var/log/x.log");
	assert_int_equal(url_is_file(&u), 1);
	assert_int_equal(url_parse("nflog://5", &u, err, sizeof(err)),
	    CGN_OK);
	assert_int_equal(u.group, 5);
}

static void
url_errors_name_the_problem(void **state)
{
	struct src_url u;
	char err[200];

	(void)state;
	assert_int_equal(url_parse("127.0.0.1:514", &u, err, sizeof(err)),
	    CGN_EINVAL);
	assert_non_null(strstr(err, "not a URL"));
	assert_int_equal(url_parse("gopher://x:1", &u, err, sizeof(err)),
	    CGN_EINVAL);
	assert_non_null(strstr(err, "unknown scheme"));
	assert_int_equal(url_parse("syslog-udp://x:70000", &u, err,
	    sizeof(err)), CGN_EINVAL);
	assert_non_null(strstr(err, "port"));
	assert_int_equal(url_parse("syslog-udp://x", &u, err, sizeof(err)),
	    CGN_EINVAL);
	assert_int_equal(url_parse("nflog://abc", &u, err, sizeof(err)),
	    CGN_EINVAL);
}

/* ---- configuration ---------------------------------------------------- */

static void
config_durations(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(config_duration("1500ms", &ms), CGN_OK);
	assert_int_equal(ms, 1500);
	assert_int_equal(config_duration("2", &ms), CGN_OK);
	assert_int_equal(ms, 2000);
	assert_int_equal(config_duration("30m", &ms), CGN_OK);
	assert_int_equal(ms, 1800000);
	assert_int_equal(config_duration("180d", &ms), CGN_OK);
	assert_int_equal(ms, 180LL * 86400000);
	assert_int_equal(config_duration("1h", &ms), CGN_OK);
	assert_int_equal(ms, 3600000);
	assert_int_equal(config_duration("1w", &ms), CGN_EINVAL);
	assert_int_equal(config_duration("-1s", &ms), CGN_EINVAL);
	assert_int_equal(config_duration("", &ms), CGN_EINVAL);
}

static void
config_default_listens_on_loopback(void **state)
{
	struct config c;
	char err[400];

	(void)state;
	config_init(&c);
	assert_int_equal(config_load_default(&c, err, sizeof(err)), CGN_OK);
	assert_int_equal(c.nlisten, 4);
	assert_int_equal(c.listen[0].type, SRC_SYSLOG_UDP);
	assert_string_equal(c.listen[0].host, "127.0.0.1");
	assert_int_equal(c.listen[0].port, 5514);
	assert_int_equal(c.listen[1].type, SRC_SYSLOG_TCP);
	assert_int_equal(c.listen[2].type, SRC_IPFIX_UDP);
	assert_string_equal(c.listen[2].host, "127.0.0.1");
	assert_int_equal(c.listen[2].port, 4739);
	assert_int_equal(c.listen[3].type, SRC_NFV9_UDP);
	assert_string_equal(c.listen[3].host, "127.0.0.1");
	assert_int_equal(c.listen[3].port, 2055);
	assert_string_equal(c.store_root, "./var/store");
	assert_int_equal(c.period_ms, 6 * 3600000);
	config_free(&c);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void
config_file_sets_everything(void **state)
{
	char path[] = "/tmp/cgnconf.XXXXXX", err[400];
	struct config c;
	struct cgn_addr a;
	const struct cfg_device *d;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(write_file(path,
	    "[store]\nroot = /srv/cgn\nperiod = 6h\nretention = 180d\n"
	    "flush = 250ms\nevidence = no\n"
	    "[collector]\nlisten = syslog-udp://0.0.0.0:514\n"
	    "listen = syslog-tcp://[::]:514\ntcp_max_frame = 8k\n"
	    "[device 192.0.2.1]\nname = cgn-a\ntz = UTC\n"), 0);
	config_init(&c);
	assert_int_equal(config_load_file(path, &c, err, sizeof(err)), CGN_OK);
	assert_string_equal(c.store_root, "/srv/cgn");
	assert_int_equal(c.period_ms, 6 * 3600000);
	assert_int_equal(c.retention_ms, 180LL * 86400000);
	assert_int_equal(c.flush_ms, 250);
	assert_int_equal(c.evidence, 0);
	assert_int_equal(c.nlisten, 2);
	assert_string_equal(c.listen[1].host, "::");
	assert_int_equal(c.tcp_max_frame, 8192);
	assert_int_equal(c.ndev, 1);
	assert_int_equal(cgn_addr_parse("192.0.2.1", 9, &a), CGN_OK);
	assert_non_null(d = config_device(&c, &a));
	assert_string_equal(d->name, "cgn-a");
	assert_int_equal(config_load_zones(&c, err, sizeof(err)), CGN_OK);
	config_free(&c);
	unlink(path);
}

static void
config_errors_name_file_and_line(void **state)
{
	char path[] = "/tmp/cgnconf.XXXXXX", err[400], want[500];
	struct config c;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(write_file(path, "[store]\nroot = /x\nperiod = 7h\n"),
	    0);
	config_init(&c);
	assert_int_equal(config_load_file(path, &c, err, sizeof(err)),
	    CGN_EINVAL);
	snprintf(want, sizeof(want), "%s:3: period: '7h' must divide a day"
	    " (e.g. 1h, 6h, 1d)", path);
	assert_string_equal(err, want);
	assert_int_equal(write_file(path, "[collector]\nlisten = nope\n"), 0);
	assert_int_equal(config_load_file(path, &c, err, sizeof(err)),
	    CGN_EINVAL);
	snprintf(want, sizeof(want), "%s:2: listen: nope: not a URL"
	    " (scheme://...)", path);
	assert_string_equal(err, want);
	assert_int_equal(write_file(path, "[storage]\nroot = /x\n"), 0);
	assert_int_equal(config_load_file(path, &c, err, sizeof(err)),
	    CGN_EINVAL);
	snprintf(want, sizeof(want), "%s:2: unknown section [storage]", path);
	assert_string_equal(err, want);
	assert_int_equal(write_file(path, "[device 192.0.2.9]\ntz = Mars/Base\n"),
	    0);
	config_free(&c);
	config_init(&c);
	assert_int_equal(config_load_file(path, &c, err, sizeof(err)), CGN_OK);
	assert_int_equal(config_load_zones(&c, err, sizeof(err)), CGN_EINVAL);
	assert_non_null(strstr(err, "unknown time zone 'Mars/Base'"));
	config_free(&c);
	unlink(path);
}

/* ---- ring ------------------------------------------------------------- */

static void
ring_keeps_order_and_recycles(void **state)
{
	struct cgn_event ev;
	struct ring *r;
	struct batch *a, *b, *c;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.port_lo = 7;
	assert_int_equal(ring_new(2, &r), CGN_OK);
	assert_non_null(a = ring_take(r, 0));
	assert_non_null(b = ring_take(r, 0));
	assert_null(ring_take(r, 0));	/* both out: the writer is behind */
	assert_int_equal(batch_add(a, 1, "dev-a", (const uint8_t *)"xy", 2,
	    &ev, 1), CGN_OK);
	assert_int_equal(batch_add(b, 2, "dev-b", NULL, 0, NULL, 0), CGN_OK);
	ring_push(r, a);
	ring_push(r, b);
	assert_int_equal(ring_depth(r), 2);
	assert_ptr_equal(c = ring_pop(r, 0), a);
	assert_int_equal(c->nmsg, 1);
	assert_string_equal(c->msg[0].device, "dev-a");
	assert_int_equal(c->msg[0].len, 2);
	assert_memory_equal(c->data + c->msg[0].off, "xy", 2);
	assert_int_equal(c->ev[c->msg[0].ev_first].port_lo, 7);
	ring_give(r, c);
	assert_ptr_equal(ring_pop(r, 0), b);
	assert_null(ring_pop(r, 10));
	/* a batch given back comes out empty */
	assert_ptr_equal(c = ring_take(r, 0), a);
	assert_int_equal(c->nmsg, 0);
	ring_give(r, c);
	ring_give(r, b);
	ring_free(r);
}

/* ---- reject file ------------------------------------------------------ */

static void
reject_keeps_raw_bytes_with_a_header(void **state)
{
	char path[] = "/tmp/cgnrej.XXXXXX", buf[256];
	const uint8_t raw[] = { 'a', '\n', 0, 0xff, 'z' };
	struct reject *r;
	FILE *f;
	size_t n;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(reject_open(path, &r), CGN_OK);
	assert_int_equal(reject_keep(r, 1795860000123LL, "syslog-udp://x:1",
	    "192.0.2.1", "syslog", CGN_EMALFORMED, raw, sizeof(raw)), CGN_OK);
	reject_close(r);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	const char head[] = "# 2026-11-28T10:00:00.123Z syslog-udp://x:1 from"
	    " 192.0.2.1 syslog malformed 5\n";
	assert_int_equal(n, strlen(head) + sizeof(raw) + 1);
	assert_memory_equal(buf, head, strlen(head));
	assert_memory_equal(buf + strlen(head), raw, sizeof(raw));
	assert_int_equal(buf[n - 1], '\n');
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(framing_lf_lines_with_and_without_cr),
		cmocka_unit_test(framing_octet_counting_waits_for_the_whole_frame),
		cmocka_unit_test(framing_octet_frame_may_contain_newlines),
		cmocka_unit_test(framing_digits_without_space_are_a_line),
		cmocka_unit_test(framing_oversized_line_is_reported_and_skipped),
		cmocka_unit_test(framing_oversized_octet_frame_is_skipped_by_length),
		cmocka_unit_test(framing_eof_makes_the_last_line_a_message),
		cmocka_unit_test(url_syslog_udp_with_port),
		cmocka_unit_test(url_ipv6_in_brackets_and_options),
		cmocka_unit_test(url_files_and_groups),
		cmocka_unit_test(url_errors_name_the_problem),
		cmocka_unit_test(config_durations),
		cmocka_unit_test(config_default_listens_on_loopback),
		cmocka_unit_test(config_file_sets_everything),
		cmocka_unit_test(config_errors_name_file_and_line),
		cmocka_unit_test(ring_keeps_order_and_recycles),
		cmocka_unit_test(reject_keeps_raw_bytes_with_a_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
