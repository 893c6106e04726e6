/*
 * mkstore.c - build a store from cgnlog-gen output as a collector with a
 * known history would have: the lines go through the real syslog parser
 * and the real store writer, each received SKEW ms before the time the
 * device wrote (a device clock running ahead), the collector stopped over
 * an outage (store closed, lines in it never received, store reopened),
 * and the device's stream losing the lines of a device gap (recorded with
 * store_gap, as a collector that sees sequence numbers would). For the
 * e2e tests and bench-query: the ground truth of cgnlog-gen then says
 * what every lookup must answer.
 *
 *   cgnq_mkstore --store DIR [--skew MS] [--outage FROM_MS,TO_MS]
 *                [--device-gap FROM_MS,TO_MS] [--flush-ms N] FILE
 *
 * Times are the collector's (ms since the epoch). Prints one line:
 * "mkstore: lines=N events=N dropped_outage=N dropped_gap=N".
 * Not here: anything cgnq does; this only writes.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgn.h"
#include "parser.h"
#include "store.h"

#define MAXEV 16

struct evs {
	struct cgn_event e[MAXEV];
	size_t n;
};

static int
emit(void *arg, const struct cgn_event *ev)
{
	struct evs *v = arg;

	if (v->n < MAXEV)
		v->e[v->n++] = *ev;
	return 0;
}

static void
die(const char *what, const char *msg)
{
	fprintf(stderr, "cgnq_mkstore: %s: %s\n", what, msg);
	exit(1);
}

static void
range(const char *s, int64_t *a, int64_t *b)
{
	char *end;

	*a = strtoll(s, &end, 10);
	if (*end != ',')
		die(s, "want FROM_MS,TO_MS");
	*b = strtoll(end + 1, &end, 10);
	if (*end != '\0' || *b < *a)
		die(s, "want FROM_MS,TO_MS");
}

static struct store *
open_store(const char *root, int64_t now)
{
	struct store_opts o;
	struct store *st;
	char err[600];

	store_opts_default(&o);
	o.root = root;
	if (store_open(&o, &st, err, sizeof(err)) != CGN_OK)
		die(root, err);
	if (store_flush(st, now) != CGN_OK)
		die(root, store_errmsg(st));
	return st;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "skew", required_argument, NULL, 'k' },
		{ "outage", required_argument, NULL, 'o' },
		{ "device-gap", required_argument, NULL, 'g' },
		{ "flush-ms", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *root = NULL;
	int64_t skew = 0, o1 = -1, o2 = -1, g1 = -1, g2 = -1, flush = 1000;
	int64_t rx = 0, last_flush = 0;
	uint64_t lines = 0, events = 0, lost_o = 0, lost_g = 0;
	struct cgn_pstate *ps;
	struct cgn_src src;
	struct store *st = NULL;
	struct store_msg m;
	struct evs v;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int c, down = 0, gap_noted = 0;
	FILE *f;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': root = optarg; break;
		case 'k': skew = strtoll(optarg, NULL, 10); break;
		case 'o': range(optarg, &o1, &o2); break;
		case 'g': range(optarg, &g1, &g2); break;
		case 'f': flush = strtoll(optarg, NULL, 10); break;
		default: die("usage", "see the file's header comment");
		}
	}
	if (root == NULL || optind != argc - 1 || flush <= 0)
		die("usage", "--store DIR [--skew MS] [--outage A,B]"
		    " [--device-gap A,B] FILE");
	if ((f = fopen(argv[optind], "r")) == NULL)
		die(argv[optind], "cannot open");
	if (pstate_new(&ps) != CGN_OK)
		die("parser", "out of memory");
	memset(&src, 0, sizeof(src));
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		lines++;
		v.n = 0;
		src.rx_ms = rx;
		if (syslog_parser.parse(ps, &src, (const uint8_t *)line,
		    (size_t)n, emit, &v) != CGN_OK || v.n == 0)
			die("a line the parser refused", line);
		/* the device's clock runs skew ms ahead of the collector's */
		rx = v.e[0].ts_ms - skew;
		if (st == NULL)
			st = open_store(root, rx);
		if (o1 >= 0 && rx >= o1 && rx <= o2) {
			if (!down && store_close(st, o1) != CGN_OK)
				die(root, "close at the outage");
			down = 1;
			lost_o++;
			continue;	/* never received */
		}
		if (down) {
			st = open_store(root, rx);
			down = 0;
			last_flush = rx;
		}
		if (g1 >= 0 && rx >= g1 && rx <= g2) {
			lost_g++;
			continue;
		}
		if (g1 >= 0 && rx > g2 && !gap_noted) {
			if (store_gap(st, v.e[0].device, g1, g2) != CGN_OK)
				die(root, store_errmsg(st));
			gap_noted = 1;
		}
		for (size_t i = 0; i < v.n; i++)
			v.e[i].rx_ms = rx;
		m.device = NULL;
		m.rx_ms = rx;
		m.raw = (const uint8_t *)line;
		m.rawlen = (size_t)n;
		if (store_put(st, &m, v.e, v.n) != CGN_OK)
			die(root, store_errmsg(st));
		events += v.n;
		if (rx - last_flush >= flush) {
			if (store_flush(st, rx) != CGN_OK)
				die(root, store_errmsg(st));
			last_flush = rx;
		}
	}
	if (st != NULL && !down && store_close(st, rx + 1000) != CGN_OK)
		die(root, "close");
	pstate_free(ps);
	free(line);
	fclose(f);
	printf("mkstore: lines=%" PRIu64 " events=%" PRIu64 " dropped_outage=%"
	    PRIu64 " dropped_gap=%" PRIu64 "\n", lines, events, lost_o,
	    lost_g);
	return 0;
}
