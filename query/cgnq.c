/*
 * cgnq.c - the lookup tool: who held a public IP and port at a time.
 *
 *   cgnq [OPTIONS] lookup PUBLIC_IP PORT TIME [--tolerance 2s]
 *        [--proto tcp|udp|icmp|N] [--dst IP[:PORT]] [--evidence]
 *   cgnq [OPTIONS] batch FILE|-        cgnq [OPTIONS] arf FILE|-
 *   cgnq [OPTIONS] history --inside IP [--from T --to T]
 *   cgnq [OPTIONS] history --public IP [--port P] --from T --to T
 *   cgnq [OPTIONS] stats               cgnq [OPTIONS] audit
 *   OPTIONS: --store DIR --format table|json|csv --reason TEXT --tz ZONE
 *            --audit-log FILE (also accepted after the command)
 *
 * Exit codes: 0 unique, 1 not found, 2 ambiguous, 3 no coverage, 64 bad
 * input, 66 no store, 70 store error, 73/74 audit log not writable. The
 * store is opened read-only; the audit log is the only file written.
 * This file: main, the shared options, and the lookup command.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cgnq.h"
#include "timearg.h"
#include "timeconv.h"
#include "tz.h"
#include "tzload.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cgnq [--store DIR] [--format table|json|csv]"
	    " [--reason TEXT] COMMAND\n"
	    "  lookup PUBLIC_IP PORT TIME [--tolerance 2s] [--proto P]\n"
	    "         [--dst IP[:PORT]] [--tz ZONE] [--evidence]\n"
	    "  batch FILE|-     lines: ip,port,time[,proto][,ref]\n"
	    "  arf FILE|-       an abuse report (ARF or X-ARF)\n"
	    "  history --inside IP [--from T --to T]\n"
	    "  history --public IP [--port P] --from T --to T\n"
	    "  stats\n"
	    "  audit [--from T] [--to T]\n"
	    "TIME: 2026-11-28T10:15:03Z, 2026-11-28T11:15:03+01:00, epoch"
	    " seconds,\n"
	    "      28/Nov/2026:10:15:03 +0100; a time without a zone needs"
	    " --tz.\n"
	    "Exit: 0 unique, 1 not found, 2 ambiguous, 3 no coverage,"
	    " 64 bad input.\n");
}

void
q_usage_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cgnq: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(Q_EX_USAGE);
}

void
q_usage_exit(void)
{
	usage(stderr);
	exit(Q_EX_USAGE);
}

int
q_common_opt(struct cgnq *q, int c, const char *arg)
{
	char err[400];
	int f;

	switch (c) {
	case Q_OPT_STORE:
		q->store = arg;
		return 1;
	case Q_OPT_FORMAT:
		if ((f = q_format_parse(arg)) < 0)
			q_usage_fail("--format '%s': want table, json or csv",
			    arg);
		q->fmt = (enum q_format)f;
		q->fmt_set = 1;
		return 1;
	case Q_OPT_REASON:
		if (arg[0] == '\0')
			q_usage_fail("--reason is empty: give a case or ticket"
			    " number");
		q->reason = arg;
		return 1;
	case Q_OPT_AUDIT:
		q->audit_log = arg;
		return 1;
	case Q_OPT_TZ:
		tz_free(q->tz);
		q->tz = NULL;
		if (tzload(arg, &q->tz, err, sizeof(err)) != CGN_OK)
			q_usage_fail("--tz: %s", err);
		q->have_tz = 1;
		return 1;
	}
	return 0;
}

int64_t
q_time_arg(struct cgnq *q, const char *what, const char *s)
{
	char err[400];
	int64_t ms;

	if (timearg_parse(s, q->tz, q->have_tz, &ms, err, sizeof(err)) !=
	    CGN_OK)
		q_usage_fail("%s%s%s", what, what[0] ? ": " : "", err);
	return ms;
}

int64_t
q_tolerance_arg(const char *s)
{
	int64_t ms;

	if (timearg_duration(s, &ms) != CGN_OK)
		q_usage_fail("--tolerance '%s': want e.g. 2s, 500ms, 1m", s);
	return ms;
}

uint8_t
q_proto_arg(const char *s)
{
	char err[400];
	uint8_t proto;

	if (q_parse_proto(s, &proto, err, sizeof(err)) != CGN_OK)
		q_usage_fail("--proto: %s", err);
	return proto;
}

void
q_begin(struct cgnq *q, const char *cmd)
{
	char err[1200], path[1100];

	if (access(q->store, R_OK | X_OK) != 0) {
		fprintf(stderr, "cgnq: no store at %s (give --store DIR)\n",
		    q->store);
		exit(Q_EX_NOINPUT);
	}
	if (store_reader_open(q->store, &q->rd, err, sizeof(err)) != CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", err);
		exit(Q_EX_NOINPUT);
	}
	if (cmd == NULL)
		return;		/* stats, audit: nothing about anyone */
	snprintf(path, sizeof(path), "%s/audit.log", q->store);
	q->au.cmd = cmd;
	q->au.argc = q->argc - 1;
	q->au.argv = q->argv + 1;
	q->au.reason = q->reason;
	q->au.store = q->store;
	if (q_audit_open(&q->au, q->audit_log ? q->audit_log : path, err,
	    sizeof(err)) != CGN_OK) {
		fprintf(stderr, "cgnq: %s: refusing to answer unrecorded"
		    " (--audit-log FILE writes the record elsewhere)\n", err);
		exit(Q_EX_CANTCREAT);
	}
}

int
q_end(struct cgnq *q, int status)
{
	char err[1200];

	fflush(stdout);
	if (q_audit_close(&q->au, status, err, sizeof(err)) != CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", err);
		return Q_EX_IOERR;
	}
	return status;
}

/* ---- lookup ------------------------------------------------------------ */

static int
print_raw(void *arg, uint64_t ref, int64_t rx_ms, const char *device,
    const uint8_t *raw, size_t len)
{
	char t[32];
	size_t i;

	(void)arg;
	(void)ref;
	printf("%-10s received %s from %s:\n    ", "evidence", q_tfmt(rx_ms,
	    t, sizeof(t)), device);
	for (i = 0; i < len; i++) {
		if (raw[i] >= 0x20 && raw[i] < 0x7f && raw[i] != '\\')
			putchar(raw[i]);
		else
			printf("\\x%02x", raw[i]);
	}
	putchar('\n');
	return 0;
}

int
q_answer(struct cgnq *q, const struct q_request *r, const char *ref,
    int evidence)
{
	struct q_answer *a;
	size_t i;
	int v;

	if ((a = malloc(sizeof(*a))) == NULL) {
		fprintf(stderr, "cgnq: out of memory\n");
		return Q_EX_SOFTWARE;
	}
	if (q_lookup(q->rd, r, a) != CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", store_reader_errmsg(q->rd));
		free(a);
		return Q_EX_SOFTWARE;
	}
	q->au.count[a->verdict]++;
	q_print_lookup(stdout, q->fmt, r, a, ref);
	for (i = 0; evidence && q->fmt == Q_TABLE && i < a->nhits; i++) {
		if (a->hits[i].ev_start != 0 && store_evidence(q->rd,
		    a->hits[i].ev_start, print_raw, NULL) != CGN_OK)
			printf("%-10s (start: not kept)\n", "evidence");
		if (a->hits[i].ev_end != 0 && store_evidence(q->rd,
		    a->hits[i].ev_end, print_raw, NULL) != CGN_OK)
			printf("%-10s (end: not kept)\n", "evidence");
	}
	v = (int)a->verdict;
	free(a);
	return v;
}

int
cmd_lookup(struct cgnq *q, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tolerance", required_argument, NULL, 't' },
		{ "proto", required_argument, NULL, 'p' },
		{ "dst", required_argument, NULL, 'd' },
		{ "evidence", no_argument, NULL, 'e' },
		Q_COMMON_OPTS
	};
	struct q_request r;
	char err[400];
	int c, evidence = 0;

	memset(&r, 0, sizeof(r));
	r.tol_ms = 2000;
	optind = 0;	/* glibc: start over with a new argv */
	while ((c = getopt_long(argc, argv, "t:p:d:e", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			r.tol_ms = q_tolerance_arg(optarg);
			break;
		case 'p':
			r.proto = q_proto_arg(optarg);
			break;
		case 'd':
			if (q_parse_dst(optarg, &r.dst, &r.dst_port, err,
			    sizeof(err)) != CGN_OK)
				q_usage_fail("--dst: %s", err);
			break;
		case 'e':
			evidence = 1;
			break;
		default:
			if (!q_common_opt(q, c, optarg))
				q_usage_exit();
		}
	}
	if (argc - optind != 3) {
		fprintf(stderr, "cgnq: lookup wants PUBLIC_IP PORT TIME\n");
		q_usage_exit();
	}
	if (q_parse_ip(argv[optind], &r.ip, err, sizeof(err)) != CGN_OK)
		q_usage_fail("%s", err);
	if (q_parse_port(argv[optind + 1], &r.port, err, sizeof(err)) !=
	    CGN_OK)
		q_usage_fail("%s", err);
	r.t_ms = q_time_arg(q, "", argv[optind + 2]);
	q_begin(q, "lookup");
	return q_end(q, q_answer(q, &r, NULL, evidence));
}

/* ---- main -------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*fn)(struct cgnq *, int, char **);
} commands[] = {
	{ "lookup", cmd_lookup },
	{ "batch", cmd_batch },
	{ "history", cmd_history },
	{ "stats", cmd_stats },
	{ "arf", cmd_arf },
	{ "audit", cmd_audit },
};

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		Q_COMMON_OPTS
	};
	struct cgnq q;
	size_t i;
	int c, rc;

	memset(&q, 0, sizeof(q));
	q.au.fd = -1;
	q.argc = argc;
	q.argv = argv;
	q.store = getenv("CGNQ_STORE") ? getenv("CGNQ_STORE") : "./var/store";
	q.fmt = Q_TABLE;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (!q_common_opt(&q, c, optarg))
			q_usage_exit();
	}
	if (optind >= argc)
		q_usage_exit();
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		fprintf(stderr, "cgnq: unknown command '%s'\n", argv[optind]);
		q_usage_exit();
	}
	rc = commands[i].fn(&q, argc - optind, argv + optind);
	store_reader_close(q.rd);
	tz_free(q.tz);
	return rc;
}
