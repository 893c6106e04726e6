/*
 * cgnq.c - the lookup tool: who held a public IP and port at a time.
 *
 *   cgnq [--store DIR] [--format table|json|csv] lookup IP PORT TIME
 *        [--tolerance 2s] [--proto tcp|udp|icmp|N] [--tz ZONE] [--evidence]
 *   cgnq [--store DIR] stats
 *
 * Exit codes: 0 unique, 1 not found, 2 ambiguous, 3 no coverage, 64 bad
 * input, 66 no store, 70 internal error. The store is opened read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "lookup.h"
#include "output.h"
#include "store.h"
#include "timearg.h"
#include "timeconv.h"
#include "tz.h"
#include "tzload.h"

struct cgnq {
	const char *store;
	enum q_format fmt;
	struct store_reader *rd;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: cgnq [--store DIR] [--format table|json|csv] COMMAND ...\n"
	    "  lookup PUBLIC_IP PORT TIME [--tolerance 2s] [--proto P]"
	    " [--tz ZONE]\n"
	    "         [--evidence]\n"
	    "  stats\n"
	    "TIME: 2026-11-28T10:15:03Z, 2026-11-28T11:15:03+01:00, epoch"
	    " seconds,\n"
	    "      28/Nov/2026:10:15:03 +0100; a time without a zone needs"
	    " --tz.\n"
	    "Exit: 0 unique, 1 not found, 2 ambiguous, 3 no coverage,"
	    " 64 bad input.\n");
}

static void
bad_input(const char *fmt, const char *a)
{
	fprintf(stderr, "cgnq: ");
	fprintf(stderr, fmt, a);
	fprintf(stderr, "\n");
	exit(EX_USAGE);
}

static void
open_store(struct cgnq *q)
{
	char err[600];

	if (access(q->store, R_OK | X_OK) != 0) {
		fprintf(stderr, "cgnq: no store at %s (give --store DIR)\n",
		    q->store);
		exit(EX_NOINPUT);
	}
	if (store_reader_open(q->store, &q->rd, err, sizeof(err)) != CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", err);
		exit(EX_NOINPUT);
	}
}

static int
parse_proto(const char *s, uint8_t *out)
{
	char *end;
	unsigned long v;

	if (strcmp(s, "tcp") == 0)
		*out = 6;
	else if (strcmp(s, "udp") == 0)
		*out = 17;
	else if (strcmp(s, "icmp") == 0)
		*out = 1;
	else if (strcmp(s, "any") == 0)
		*out = 0;
	else {
		v = strtoul(s, &end, 10);
		if (end == s || *end != '\0' || v > 255)
			return CGN_EINVAL;
		*out = (uint8_t)v;
	}
	return CGN_OK;
}

static int
print_raw(void *arg, uint64_t ref, int64_t rx_ms, const char *device,
    const uint8_t *raw, size_t len)
{
	char t[32];
	size_t i;

	(void)arg;
	(void)ref;
	printf("  evidence  received %s from %s: ", tc_fmt(rx_ms, t,
	    sizeof(t)), device);
	for (i = 0; i < len; i++) {
		if (raw[i] >= 0x20 && raw[i] < 0x7f && raw[i] != '\\')
			putchar(raw[i]);
		else
			printf("\\x%02x", raw[i]);
	}
	putchar('\n');
	return 0;
}

static int
cmd_lookup(struct cgnq *q, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tolerance", required_argument, NULL, 't' },
		{ "proto", required_argument, NULL, 'p' },
		{ "tz", required_argument, NULL, 'z' },
		{ "evidence", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	struct q_request r;
	struct q_answer a;
	struct cgn_tz *tz = NULL;
	char err[400], *end;
	unsigned long port;
	int c, have_tz = 0, evidence = 0;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.tol_ms = 2000;
	optind = 0;	/* glibc: start over with a new argv */
	while ((c = getopt_long(argc, argv, "t:p:z:e", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (timearg_duration(optarg, &r.tol_ms) != CGN_OK)
				bad_input("--tolerance '%s': want e.g. 2s, 500ms",
				    optarg);
			break;
		case 'p':
			if (parse_proto(optarg, &r.proto) != CGN_OK)
				bad_input("--proto '%s': want tcp, udp, icmp or"
				    " a number 0-255", optarg);
			break;
		case 'z':
			if (tzload(optarg, &tz, err, sizeof(err)) != CGN_OK)
				bad_input("--tz: %s", err);
			have_tz = 1;
			break;
		case 'e':
			evidence = 1;
			break;
		default:
			usage(stderr);
			exit(EX_USAGE);
		}
	}
	if (argc - optind != 3) {
		usage(stderr);
		exit(EX_USAGE);
	}
	if (cgn_addr_parse(argv[optind], strlen(argv[optind]), &r.ip) !=
	    CGN_OK)
		bad_input("'%s' is not an IPv4 or IPv6 address", argv[optind]);
	port = strtoul(argv[optind + 1], &end, 10);
	if (end == argv[optind + 1] || *end != '\0' || port > 65535 ||
	    argv[optind + 1][0] == '-')
		bad_input("port '%s' is not a number 0-65535",
		    argv[optind + 1]);
	r.port = (uint16_t)port;
	if (timearg_parse(argv[optind + 2], tz, have_tz, &r.t_ms, err,
	    sizeof(err)) != CGN_OK)
		bad_input("%s", err);
	tz_free(tz);
	open_store(q);
	if (q_lookup(q->rd, &r, &a) != CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", store_reader_errmsg(q->rd));
		return EX_SOFTWARE;
	}
	q_print_lookup(stdout, q->fmt, &r, &a, NULL);
	for (i = 0; evidence && i < a.nhits; i++) {
		if (a.hits[i].ev_start != 0 && store_evidence(q->rd,
		    a.hits[i].ev_start, print_raw, NULL) != CGN_OK)
			printf("  evidence  (start: not kept)\n");
		if (a.hits[i].ev_end != 0 && store_evidence(q->rd,
		    a.hits[i].ev_end, print_raw, NULL) != CGN_OK)
			printf("  evidence  (end: not kept)\n");
	}
	return (int)a.verdict;
}

static int
print_shard(void *arg, const struct store_shard_info *si)
{
	struct cgnq *q = arg;
	char t[32];

	if (q->fmt == Q_JSON)
		printf("{\"shard\":\"%s\",\"start\":\"%s\",\"sealed\":%d,"
		    "\"blocks\":%llu,\"intervals\":%llu,\"bytes\":%llu,"
		    "\"evidence_bytes\":%llu,\"covered_s\":%lld}\n", si->path,
		    tc_fmt(si->start_ms, t, sizeof(t)), si->sealed,
		    (unsigned long long)si->blocks,
		    (unsigned long long)si->rows,
		    (unsigned long long)si->bytes,
		    (unsigned long long)si->evidence_bytes,
		    (long long)(si->covered_ms / 1000));
	else
		printf("%-24s %-6s %8llu %10llu %6lld min  %s\n",
		    tc_fmt(si->start_ms, t, sizeof(t)),
		    si->sealed ? "sealed" : "open",
		    (unsigned long long)si->rows,
		    (unsigned long long)si->bytes,
		    (long long)(si->covered_ms / 60000), si->path);
	return 0;
}

static int
print_dev(void *arg, const struct store_dev_info *di)
{
	struct cgnq *q = arg;
	char t[32];

	if (q->fmt == Q_JSON)
		printf("{\"device\":\"%s\",\"events\":%llu,\"last_rx\":\"%s\","
		    "\"skew_min_ms\":%lld,\"skew_max_ms\":%lld}\n", di->name,
		    (unsigned long long)di->events,
		    tc_fmt(di->last_rx_ms, t, sizeof(t)),
		    (long long)di->skew_min_ms, (long long)di->skew_max_ms);
	else
		printf("device %-24s %10llu events, last %s, clock skew"
		    " %lld..%lld ms\n", di->name,
		    (unsigned long long)di->events,
		    tc_fmt(di->last_rx_ms, t, sizeof(t)),
		    (long long)di->skew_min_ms, (long long)di->skew_max_ms);
	return 0;
}

static int
cmd_stats(struct cgnq *q, int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		usage(stderr);
		exit(EX_USAGE);
	}
	open_store(q);
	if (q->fmt != Q_JSON)
		printf("%-24s %-6s %8s %10s %10s  %s\n", "shard start", "state",
		    "rows", "bytes", "covered", "file");
	if (store_shards(q->rd, print_shard, q) != CGN_OK ||
	    store_devices(q->rd, INT64_MIN, INT64_MAX, print_dev, q) !=
	    CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", store_reader_errmsg(q->rd));
		return EX_SOFTWARE;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cgnq q;
	int c, rc, f;

	memset(&q, 0, sizeof(q));
	q.store = getenv("CGNQ_STORE") ? getenv("CGNQ_STORE") : "./var/store";
	q.fmt = Q_TABLE;
	while ((c = getopt_long(argc, argv, "+s:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			q.store = optarg;
			break;
		case 'f':
			if ((f = q_format_parse(optarg)) < 0)
				bad_input("--format '%s': want table, json or"
				    " csv", optarg);
			q.fmt = (enum q_format)f;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	argv += optind;
	argc -= optind;
	if (strcmp(argv[0], "lookup") == 0)
		rc = cmd_lookup(&q, argc, argv);
	else if (strcmp(argv[0], "stats") == 0)
		rc = cmd_stats(&q, argc, argv);
	else {
		fprintf(stderr, "cgnq: unknown command '%s'\n", argv[0]);
		usage(stderr);
		rc = EX_USAGE;
	}
	store_reader_close(q.rd);
	return rc;
}
