/*
 * test_metrics.c - the metrics endpoint's pure parts: what an HTTP request
 * gets, label escaping, the per-device table, and the exposition text
 * (every line well formed, SIGUSR1's names the same as the endpoint's),
 * the configuration key and opening the listener.
 * The live listener is tested end to end (tests/e2e/daemon_metrics.sh).
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
#include "devstat.h"
#include "metrics.h"
#include "stats.h"

/* ---- HTTP requests ---------------------------------------------------- */

static int
req(const char *s, int *head)
{
	return metrics_http_parse(s, strlen(s), head);
}

static void
http_get_metrics_is_200(void **state)
{
	int head = -1;

	(void)state;
	assert_int_equal(req("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9464"
	    "\r\nUser-Agent: Prometheus/2.45.0\r\nAccept: text/plain;"
	    "version=0.0.4;q=1,*/*;q=0.1\r\n\r\n", &head), 200);
	assert_int_equal(head, 0);
	assert_int_equal(req("GET /metrics HTTP/1.0\r\n\r\n", &head), 200);
}

static void
http_head_is_200_without_body(void **state)
{
	int head = 0;

	(void)state;
	assert_int_equal(req("HEAD /metrics HTTP/1.1\r\n\r\n", &head), 200);
	assert_int_equal(head, 1);
}

static void
http_incomplete_header_waits_at_every_length(void **state)
{
	const char *r = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	size_t i, n = strlen(r);
	int head;

	(void)state;
	for (i = 0; i < n; i++)
		assert_int_equal(metrics_http_parse(r, i, &head), 0);
	assert_int_equal(metrics_http_parse(r, n, &head), 200);
}

static void
http_bare_lf_and_leading_empty_lines_are_accepted(void **state)
{
	int head;

	(void)state;
	assert_int_equal(req("GET /metrics HTTP/1.1\nHost: x\n\n", &head),
	    200);
	assert_int_equal(req("\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n", &head),
	    200);
}

static void
http_query_and_absolute_form_reach_metrics(void **state)
{
	int head;

	(void)state;
	assert_int_equal(req("GET /metrics?name[]=x HTTP/1.1\r\n\r\n", &head),
	    200);
	assert_int_equal(req("GET http://127.0.0.1:9464/metrics HTTP/1.1\r\n"
	    "\r\n", &head), 200);
	assert_int_equal(req("GET http://127.0.0.1:9464 HTTP/1.1\r\n\r\n",
	    &head), 404);
}

static void
http_other_paths_are_404(void **state)
{
	int head;

	(void)state;
	assert_int_equal(req("GET / HTTP/1.1\r\n\r\n", &head), 404);
	assert_int_equal(req("GET /metricsx HTTP/1.1\r\n\r\n", &head), 404);
	assert_int_equal(req("GET /metrics/ HTTP/1.1\r\n\r\n", &head), 404);
	assert_int_equal(req("GET /METRICS HTTP/1.1\r\n\r\n", &head), 404);
	assert_int_equal(req("GET * HTTP/1.1\r\n\r\n", &head), 404);
}

static void
http_other_methods_are_405(void **state)
{
	int head;

	(void)state;
	assert_int_equal(req("POST /metrics HTTP/1.1\r\nContent-Length: 0"
	    "\r\n\r\n", &head), 405);
	assert_int_equal(req("get /metrics HTTP/1.1\r\n\r\n", &head), 405);
	assert_int_equal(req("DELETE /x HTTP/1.1\r\n\r\n", &head), 405);
}

static void
http_other_versions_are_505(void **state)
{
	int head;

	(void)state;
	assert_int_equal(req("GET /metrics HTTP/2.0\r\n\r\n", &head), 505);
	assert_int_equal(req("GET /metrics HTTP/0.9\r\n\r\n", &head), 505);
}

static void
http_malformed_requests_are_400(void **state)
{
	static const char *const bad[] = {
		"GET /metrics\r\n\r\n",			/* no version */
		"GET  /metrics HTTP/1.1\r\n\r\n",	/* two spaces */
		"GET /metrics HTTP/1.1 \r\n\r\n",	/* trailing space */
		"GET /metrics HTTP/1.10\r\n\r\n",
		"GET /metrics http/1.1\r\n\r\n",
		"GET /met\trics HTTP/1.1\r\n\r\n",	/* control in target */
		"GET /metrics HTTP/1.1\r\nHost x\r\n\r\n",	/* no colon */
		"GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n",	/* space */
		"GET /metrics HTTP/1.1\r\n: x\r\n\r\n",	/* no name */
		"GET /metrics HTTP/1.1\r\nA: b\r\n c\r\n\r\n",	/* obs-fold */
		"GET /metrics HTTP/1.1\r\nA: b\rc\r\n\r\n",	/* bare CR */
		"G(T /metrics HTTP/1.1\r\n\r\n",	/* not a token */
		"ABCDEFGHIJKLMNOPQ /metrics HTTP/1.1\r\n\r\n",	/* too long */
		" GET /metrics HTTP/1.1\r\n\r\n",
	};
	size_t i;
	int head;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (req(bad[i], &head) != 400)
			fail_msg("not 400: %s", bad[i]);
	}
}

static void
http_nul_byte_is_400(void **state)
{
	const char r[] = "GET /metrics HTTP/1.1\r\nA: \0b\r\n\r\n";
	int head;

	(void)state;
	assert_int_equal(metrics_http_parse(r, sizeof(r) - 1, &head), 400);
}

/* ---- labels ----------------------------------------------------------- */

static void
label_escapes_quote_backslash_newline(void **state)
{
	char out[64];

	(void)state;
	metrics_label("a\"b\\c\nd", out, sizeof(out));
	assert_string_equal(out, "a\\\"b\\\\c\\nd");
	metrics_label("cgn-fra-1", out, sizeof(out));
	assert_string_equal(out, "cgn-fra-1");
}

static void
label_replaces_what_is_not_printable_ascii(void **state)
{
	char out[64];

	(void)state;
	metrics_label("x\x01y\xc3\xa9z\x7f", out, sizeof(out));
	assert_string_equal(out, "x?y??z?");
}

static void
label_is_cut_without_splitting_an_escape(void **state)
{
	char out[5];

	(void)state;
	metrics_label("abc\"d", out, sizeof(out));
	assert_string_equal(out, "abc");	/* not "abc\" */
	metrics_label("abcdefgh", out, sizeof(out));
	assert_string_equal(out, "abcd");
}

/* ---- the device table ------------------------------------------------- */

static struct cgn_event
ev_at(int64_t ts_ms, uint8_t tsrc)
{
	struct cgn_event e;

	memset(&e, 0, sizeof(e));
	e.ts_ms = ts_ms;
	e.tsrc = tsrc;
	return e;
}

static void
devstat_counts_and_takes_skew_from_the_newest_device_time(void **state)
{
	struct devstat *t;
	struct devstat_acc acc = { 0 };
	struct devstat_ent e[4];
	struct cgn_event ev[3];
	uint64_t untracked = 99;

	(void)state;
	assert_int_equal(devstat_new(&t), CGN_OK);
	ev[0] = ev_at(1000000, CGN_TS_UTC);
	ev[1] = ev_at(1000750, CGN_TS_LOCAL);
	ev[2] = ev_at(1009999, CGN_TS_RX);	/* our clock: ignored */
	devstat_note(t, &acc, "b", 1001000, ev, 3);
	devstat_note(t, &acc, "b", 1002000, ev, 1);
	/* nothing reaches the table before a flush */
	assert_int_equal(devstat_snapshot(t, e, 4, &untracked), 0);
	devstat_flush(t, &acc);
	assert_int_equal(devstat_snapshot(t, e, 4, &untracked), 1);
	assert_int_equal(untracked, 0);
	assert_string_equal(e[0].device, "b");
	assert_int_equal(e[0].msgs, 2);
	assert_int_equal(e[0].events, 4);
	assert_int_equal(e[0].last_rx_ms, 1002000);
	assert_int_equal(e[0].has_skew, 1);
	assert_int_equal(e[0].skew_ms, 1000000 - 1002000);
	devstat_free(t);
}

static void
devstat_device_change_flushes_and_the_table_stays_sorted(void **state)
{
	struct devstat *t;
	struct devstat_acc acc = { 0 };
	struct devstat_ent e[4];
	struct cgn_event rx = ev_at(5, CGN_TS_RX);
	uint64_t untracked;

	(void)state;
	assert_int_equal(devstat_new(&t), CGN_OK);
	devstat_note(t, &acc, "zeta", 100, &rx, 1);
	devstat_note(t, &acc, "alpha", 200, NULL, 0);	/* flushes zeta */
	devstat_note(t, &acc, "mid", 300, NULL, 0);	/* flushes alpha */
	devstat_note(t, &acc, "alpha", 400, NULL, 0);	/* flushes mid */
	devstat_flush(t, &acc);
	assert_int_equal(devstat_snapshot(t, e, 4, &untracked), 3);
	assert_string_equal(e[0].device, "alpha");
	assert_int_equal(e[0].msgs, 2);
	assert_int_equal(e[0].last_rx_ms, 400);
	assert_string_equal(e[1].device, "mid");
	assert_string_equal(e[2].device, "zeta");
	assert_int_equal(e[2].events, 1);
	assert_int_equal(e[2].has_skew, 0);	/* only receive times */
	devstat_free(t);
}

static void
devstat_an_older_flush_keeps_the_latest_last_seen(void **state)
{
	struct devstat *t;
	struct devstat_acc a = { 0 }, b = { 0 };
	struct devstat_ent e[1];
	struct cgn_event ev = ev_at(9000, CGN_TS_UTC);
	uint64_t untracked;

	(void)state;
	assert_int_equal(devstat_new(&t), CGN_OK);
	/* two receive threads; the one with the later message flushes
	 * first */
	devstat_note(t, &a, "d", 10000, &ev, 1);
	devstat_note(t, &b, "d", 8000, &ev, 1);
	devstat_flush(t, &a);
	devstat_flush(t, &b);
	assert_int_equal(devstat_snapshot(t, e, 1, &untracked), 1);
	assert_int_equal(e[0].msgs, 2);
	assert_int_equal(e[0].last_rx_ms, 10000);
	assert_int_equal(e[0].skew_ms, -1000);
	devstat_free(t);
}

static void
devstat_is_bounded_and_counts_the_rest(void **state)
{
	struct devstat *t;
	struct devstat_acc acc = { 0 };
	struct devstat_ent *e;
	uint64_t untracked;
	char name[32];
	int i;

	(void)state;
	assert_int_equal(devstat_new(&t), CGN_OK);
	for (i = 0; i < DEVSTAT_MAX + 10; i++) {
		snprintf(name, sizeof(name), "d%05d", i);
		devstat_note(t, &acc, name, i, NULL, 0);
		devstat_note(t, &acc, name, i, NULL, 0);
	}
	devstat_flush(t, &acc);
	assert_non_null(e = calloc(DEVSTAT_MAX, sizeof(*e)));
	assert_int_equal(devstat_snapshot(t, e, DEVSTAT_MAX, &untracked),
	    DEVSTAT_MAX);
	assert_int_equal(untracked, 20);	/* 10 devices, 2 messages */
	assert_string_equal(e[DEVSTAT_MAX - 1].device, "d04095");
	/* a copy may be shorter than the table */
	assert_int_equal(devstat_snapshot(t, e, 3, &untracked), 3);
	free(e);
	devstat_free(t);
}

static void
devstat_null_table_tracks_nothing(void **state)
{
	struct devstat_acc acc = { 0 };

	(void)state;
	devstat_note(NULL, &acc, "d", 1, NULL, 0);
	devstat_flush(NULL, &acc);
	assert_int_equal(acc.e.msgs, 0);
}

/* ---- the exposition --------------------------------------------------- */

/* Render into a string (the caller frees). */
static char *
render(struct stats *s, struct devstat *devs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	metrics_write(f, s, NULL, devs, 1764325503250);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p++;
	}
	return 0;
}

static int
name_char(int ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    ch == '_' || ch == ':' || (!first && ch >= '0' && ch <= '9');
}

/*
 * The text exposition format 0.0.4, strictly: HELP then TYPE once per
 * family, before its samples; samples name{label="value",...} value with
 * the family's name; values are numbers. Returns the samples seen.
 */
static int
check_exposition(const char *text)
{
	char fam[128] = "", typed[128] = "", seen[64][128];
	const char *p = text, *eol, *q;
	int nseen = 0, samples = 0, i;
	char *end;

	while (*p != '\0') {
		eol = strchr(p, '\n');
		assert_non_null(eol);		/* every line ends in \n */
		if (strncmp(p, "# HELP ", 7) == 0) {
			for (q = p + 7; q < eol && *q != ' '; q++)
				assert_true(name_char(*q, q == p + 7));
			assert_true(q < eol && q[1] != '\0');	/* has text */
			snprintf(fam, sizeof(fam), "%.*s", (int)(q - p - 7),
			    p + 7);
			for (i = 0; i < nseen; i++)
				if (strcmp(seen[i], fam) == 0)
					fail_msg("family twice: %s", fam);
			assert_true(nseen < 64);
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", fam);
			typed[0] = '\0';
		} else if (strncmp(p, "# TYPE ", 7) == 0) {
			assert_int_equal(strncmp(p + 7, fam, strlen(fam)), 0);
			q = p + 7 + strlen(fam);
			assert_true((eol - q == 8 && strncmp(q, " counter", 8) ==
			    0) || (eol - q == 6 && strncmp(q, " gauge", 6) == 0));
			snprintf(typed, sizeof(typed), "%s", fam);
		} else {
			assert_true(p[0] != '#' && typed[0] != '\0');
			assert_int_equal(strncmp(p, typed, strlen(typed)), 0);
			q = p + strlen(typed);
			if (*q == '{') {
				for (q++; *q != '}'; ) {
					while (name_char(*q, 0))
						q++;
					assert_int_equal(*q++, '=');
					assert_int_equal(*q++, '"');
					while (*q != '"') {
						assert_true(q < eol);
						q += *q == '\\' ? 2 : 1;
					}
					q++;
					if (*q == ',')
						q++;
				}
				q++;
			}
			assert_int_equal(*q++, ' ');
			(void)strtod(q, &end);
			assert_true(end > q && end == eol);
			samples++;
		}
		p = eol + 1;
	}
	return samples;
}

static void
exposition_shows_every_counter_with_exact_values(void **state)
{
	static struct stats s;
	char *t;

	(void)state;
	memset(&s, 0, sizeof(s));
	stats_add(&s.rx_msgs, 12);
	stats_add(&s.acl_drops, 3);
	stats_add(&s.kernel_drops, 2);
	stats_bad(&s, CGN_EMALFORMED);
	stats_bad(&s, CGN_EMALFORMED);
	stats_bad(&s, CGN_EUNKNOWN);
	stats_bad(&s, 7);		/* not an error code: "other" */
	t = render(&s, NULL);
	assert_true(check_exposition(t) > 20);
	assert_true(has_line(t, "# TYPE cgnlogd_acl_drops_total counter"));
	assert_true(has_line(t, "cgnlogd_messages_received_total 12"));
	assert_true(has_line(t, "cgnlogd_acl_drops_total 3"));
	assert_true(has_line(t, "cgnlogd_kernel_drops_total 2"));
	assert_true(has_line(t, "cgnlogd_events_stored_total 0"));
	assert_true(has_line(t,
	    "cgnlogd_messages_rejected_total{reason=\"malformed\"} 2"));
	assert_true(has_line(t,
	    "cgnlogd_messages_rejected_total{reason=\"unknown_format\"} 1"));
	assert_true(has_line(t,
	    "cgnlogd_messages_rejected_total{reason=\"truncated\"} 0"));
	assert_true(has_line(t,
	    "cgnlogd_messages_rejected_total{reason=\"other\"} 1"));
	assert_true(has_line(t, "cgnlogd_start_time_seconds 1764325503.250"));
	/* no device families without a table, no writer without a thread */
	assert_null(strstr(t, "device_"));
	assert_null(strstr(t, "store_open_allocations"));
	free(t);
}

static void
exposition_shows_devices_with_skew_and_escaped_names(void **state)
{
	static struct stats s;
	struct devstat *d;
	struct devstat_acc acc = { 0 };
	struct cgn_event ev = ev_at(1764325502750, CGN_TS_UTC);
	char *t;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(devstat_new(&d), CGN_OK);
	devstat_note(d, &acc, "cgn-fra-1", 1764325503000, &ev, 1);
	devstat_note(d, &acc, "odd\"name", 1764325503005, NULL, 0);
	devstat_flush(d, &acc);
	t = render(&s, d);
	check_exposition(t);
	assert_true(has_line(t, "cgnlogd_device_last_seen_timestamp_seconds"
	    "{device=\"cgn-fra-1\"} 1764325503.000"));
	assert_true(has_line(t, "cgnlogd_device_clock_skew_seconds"
	    "{device=\"cgn-fra-1\"} -0.250"));
	assert_true(has_line(t, "cgnlogd_device_messages_total"
	    "{device=\"cgn-fra-1\"} 1"));
	assert_true(has_line(t, "cgnlogd_device_events_total"
	    "{device=\"cgn-fra-1\"} 1"));
	assert_true(has_line(t, "cgnlogd_device_messages_total"
	    "{device=\"odd\\\"name\"} 1"));
	/* a device that never sent its own time has no skew */
	assert_null(strstr(t, "skew_seconds{device=\"odd"));
	assert_true(has_line(t, "cgnlogd_devices_untracked_messages_total 0"));
	free(t);
	devstat_free(d);
}

static void
sigusr1_dump_uses_the_endpoint_names_and_values(void **state)
{
	static struct stats s;
	char *dump = NULL, *t, *line, *save;
	size_t len = 0;
	FILE *f;
	int n = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	stats_add(&s.stored_events, 41);
	stats_bad(&s, CGN_ETRUNC);
	assert_non_null(f = open_memstream(&dump, &len));
	stats_print(&s, f);
	assert_int_equal(fclose(f), 0);
	t = render(&s, NULL);
	for (line = strtok_r(dump, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), n++)
		if (!has_line(t, line))
			fail_msg("SIGUSR1 line not on the endpoint: %s", line);
	assert_int_equal(n, (int)stats_ndescs + STATS_NRC);
	free(dump);
	free(t);
}

/* ---- configuration and opening ---------------------------------------- */

static void
config_metrics_key_sets_the_endpoint(void **state)
{
	char path[] = "/tmp/cgnconf.XXXXXX", err[400];
	struct config c;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("[collector]\nmetrics = [::1]:9464\n", f);
	fclose(f);
	config_init(&c);
	assert_string_equal(c.metrics, "");	/* off unless asked */
	assert_int_equal(config_load_file(path, &c, err, sizeof(err)), CGN_OK);
	assert_string_equal(c.metrics, "[::1]:9464");
	config_free(&c);
	unlink(path);
}

static void
metrics_open_binds_port_zero_and_names_it(void **state)
{
	static struct stats s;
	struct loop *lp;
	struct metrics *m;
	char err[300];
	unsigned port = 0;

	(void)state;
	assert_int_equal(loop_new(&lp), CGN_OK);
	assert_int_equal(metrics_open(&m, "127.0.0.1:0", lp, &s, NULL, err,
	    sizeof(err)), CGN_OK);
	assert_int_equal(sscanf(metrics_bound(m), "metrics://127.0.0.1:%u",
	    &port), 1);
	assert_true(port > 0 && port < 65536);
	assert_non_null(metrics_devstat(m));
	metrics_free(m);
	loop_free(lp);
}

static void
metrics_open_refuses_what_is_not_address_port(void **state)
{
	static struct stats s;
	struct loop *lp;
	struct metrics *m = NULL;
	char err[300];

	(void)state;
	assert_int_equal(loop_new(&lp), CGN_OK);
	assert_int_equal(metrics_open(&m, "9464", lp, &s, NULL, err,
	    sizeof(err)), CGN_EINVAL);
	assert_string_equal(err, "metrics: '9464' is not ADDRESS:PORT");
	assert_int_equal(metrics_open(&m, "127.0.0.1:9464?x=1", lp, &s, NULL,
	    err, sizeof(err)), CGN_EINVAL);
	assert_int_equal(metrics_open(&m, "127.0.0.1:70000", lp, &s, NULL,
	    err, sizeof(err)), CGN_EINVAL);
	assert_null(m);
	loop_free(lp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(http_get_metrics_is_200),
		cmocka_unit_test(http_head_is_200_without_body),
		cmocka_unit_test(http_incomplete_header_waits_at_every_length),
		cmocka_unit_test(http_bare_lf_and_leading_empty_lines_are_accepted),
		cmocka_unit_test(http_query_and_absolute_form_reach_metrics),
		cmocka_unit_test(http_other_paths_are_404),
		cmocka_unit_test(http_other_methods_are_405),
		cmocka_unit_test(http_other_versions_are_505),
		cmocka_unit_test(http_malformed_requests_are_400),
		cmocka_unit_test(http_nul_byte_is_400),
		cmocka_unit_test(label_escapes_quote_backslash_newline),
		cmocka_unit_test(label_replaces_what_is_not_printable_ascii),
		cmocka_unit_test(label_is_cut_without_splitting_an_escape),
		cmocka_unit_test(devstat_counts_and_takes_skew_from_the_newest_device_time),
		cmocka_unit_test(devstat_device_change_flushes_and_the_table_stays_sorted),
		cmocka_unit_test(devstat_an_older_flush_keeps_the_latest_last_seen),
		cmocka_unit_test(devstat_is_bounded_and_counts_the_rest),
		cmocka_unit_test(devstat_null_table_tracks_nothing),
		cmocka_unit_test(exposition_shows_every_counter_with_exact_values),
		cmocka_unit_test(exposition_shows_devices_with_skew_and_escaped_names),
		cmocka_unit_test(sigusr1_dump_uses_the_endpoint_names_and_values),
		cmocka_unit_test(config_metrics_key_sets_the_endpoint),
		cmocka_unit_test(metrics_open_binds_port_zero_and_names_it),
		cmocka_unit_test(metrics_open_refuses_what_is_not_address_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
