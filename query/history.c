/*
 * history.c - the reverse requests courts also send: every interval of a
 * subscriber (`history --inside IP`) or of a public address
 * (`history --public IP [--port P]`) over a period, in time order, with
 * how each end is known and the gaps in logging over the period (an
 * interval inside a gap may be missing from the list).
 *
 * Exit: 0 intervals found, 1 none and the period was covered, 3 none and
 * logging had gaps, 64 bad arguments.
 * Not here: verdicts (a history names no single holder).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cgnq.h"
#include "timeconv.h"

#define MAXGAPS 64

static int
by_start(const void *a, const void *b)
{
	const struct store_hit *x = a, *y = b;
	int c;

	if (x->start_ms != y->start_ms)
		return x->start_ms < y->start_ms ? -1 : 1;
	if ((c = cgn_addr_cmp(&x->outside, &y->outside)) != 0)
		return c;
	return (int)x->port_lo - (int)y->port_lo;
}

/* "2026-11-28 10:15:03" and a mark for how the end is known. */
static const char *
htime(int64_t ms, char *buf, size_t len)
{
	char *t;

	if (ms == STORE_OPEN_END)
		return "open";
	q_tfmt(ms, buf, len);
	if ((t = strchr(buf, 'T')) != NULL)
		*t = ' ';
	if ((t = strchr(buf, 'Z')) != NULL)
		*t = '\0';
	return buf;
}

static char
start_mark(uint16_t flags)
{
	return flags & STORE_F_START_UNSEEN ? '?' : flags &
	    STORE_F_START_INTERIM ? '~' : ' ';
}

static char
end_mark(uint16_t flags)
{
	return flags & STORE_F_OPEN ? '+' : flags & STORE_F_RELEASE_NOT_SEEN ?
	    '*' : ' ';
}

static void
print_table(const struct q_hits *hs, int by_inside, const struct store_gap *g,
    size_t ng, size_t gtotal)
{
	char a[CGN_ADDR_STRLEN], t1[40], t2[40], ports[16];
	size_t i, marks = 0;

	printf("%-20s %-20s %-15s %-11s %s\n", "FROM (UTC)", "UNTIL (UTC)",
	    by_inside ? "PUBLIC" : "INSIDE", "PORTS", "DEVICE");
	for (i = 0; i < hs->n; i++) {
		const struct store_hit *h = &hs->h[i];

		snprintf(ports, sizeof(ports), "%u-%u", h->port_lo,
		    h->port_hi);
		printf("%-19s%c %-19s%c %-15s %-11s %s\n", htime(h->start_ms, t1,
		    sizeof(t1)), start_mark(h->flags), htime(h->end_ms, t2,
		    sizeof(t2)), end_mark(h->flags), cgn_addr_fmt(by_inside ?
		    &h->outside : &h->inside, a, sizeof(a)), ports,
		    h->device);
		marks |= start_mark(h->flags) != ' ' ||
		    end_mark(h->flags) != ' ';
		/* a session's destination: on a line of its own, to stay
		 * within 80 columns */
		if (!cgn_addr_is_zero(&h->dst))
			printf("%-20s to %s port %u\n", "", cgn_addr_fmt(
			    &h->dst, a, sizeof(a)), h->dst_port);
	}
	printf("%zu interval%s\n", hs->n, hs->n == 1 ? "" : "s");
	if (marks)
		printf("marks: ? allocation not seen (earliest possible start),"
		    " ~ from an interim\n       message, * release not seen,"
		    " + still open when last logged\n");
	for (i = 0; i < ng; i++) {
		q_tfmt(g[i].from_ms, t1, sizeof(t1));
		q_tfmt(q_gap_end(g[i].to_ms), t2, sizeof(t2));
		if (g[i].collector)
			printf("warning: collector down %s to %s\n", t1, t2);
		else
			printf("warning: %s lost messages %s to %s\n",
			    g[i].device, t1, t2);
	}
	if (gtotal > ng)
		printf("warning: %zu more gaps not shown\n", gtotal - ng);
}

static void
print_json(const struct q_hits *hs, const struct store_query *sq,
    const struct store_gap *g, size_t ng, size_t gtotal)
{
	char a[CGN_ADDR_STRLEN], t[32], pb[8];
	size_t i;

	printf("{\"%s\":\"%s\",", cgn_addr_is_zero(&sq->outside) ? "inside" :
	    "public", cgn_addr_fmt(cgn_addr_is_zero(&sq->outside) ?
	    &sq->inside : &sq->outside, a, sizeof(a)));
	if (!cgn_addr_is_zero(&sq->outside) && sq->port_lo == sq->port_hi)
		printf("\"port\":%u,", sq->port_lo);
	printf("\"from\":\"%s\",", tc_fmt(sq->from_ms, t, sizeof(t)));
	printf("\"to\":\"%s\",\"intervals\":[", tc_fmt(sq->to_ms, t,
	    sizeof(t)));
	for (i = 0; i < hs->n; i++) {
		const struct store_hit *h = &hs->h[i];

		printf("%s\n{\"inside\":\"%s\"", i ? "," : "",
		    cgn_addr_fmt(&h->inside, a, sizeof(a)));
		if (!cgn_addr_is_zero(&h->inside_v4))
			printf(",\"inside_v4\":\"%s\"",
			    cgn_addr_fmt(&h->inside_v4, a, sizeof(a)));
		if (h->subscriber[0]) {
			printf(",\"subscriber\":");
			q_json_str(stdout, h->subscriber);
		}
		printf(",\"public\":\"%s\",\"port_lo\":%u,\"port_hi\":%u,"
		    "\"proto\":\"%s\",\"device\":", cgn_addr_fmt(&h->outside,
		    a, sizeof(a)), h->port_lo, h->port_hi,
		    q_proto_str(h->proto, pb, sizeof(pb)));
		q_json_str(stdout, h->device);
		printf(",\"start\":\"%s\",\"start_how\":\"%s\",",
		    tc_fmt(h->start_ms, t, sizeof(t)), q_start_how(h->flags));
		if (h->end_ms == STORE_OPEN_END)
			printf("\"end\":null");
		else
			printf("\"end\":\"%s\"", tc_fmt(h->end_ms, t,
			    sizeof(t)));
		printf(",\"end_how\":\"%s\"", q_end_how(h->flags));
		if (!cgn_addr_is_zero(&h->dst))
			printf(",\"dst\":\"%s\",\"dst_port\":%u",
			    cgn_addr_fmt(&h->dst, a, sizeof(a)), h->dst_port);
		printf("}");
	}
	printf("],\"gaps\":[");
	for (i = 0; i < ng; i++) {
		printf("%s{\"what\":\"%s\",", i ? "," : "", g[i].collector ?
		    "collector" : "device");
		if (!g[i].collector) {
			printf("\"device\":");
			q_json_str(stdout, g[i].device);
			printf(",");
		}
		printf("\"from\":\"%s\",", tc_fmt(g[i].from_ms, t, sizeof(t)));
		printf("\"to\":\"%s\"}", tc_fmt(g[i].to_ms, t, sizeof(t)));
	}
	printf("],\"gaps_total\":%zu}\n", gtotal);
}

static void
print_csv(const struct q_hits *hs)
{
	char a[CGN_ADDR_STRLEN], t[32], pb[8];
	size_t i;

	printf("inside,inside_v4,subscriber,public,port_lo,port_hi,proto,"
	    "device,start,start_how,end,end_how,dst,dst_port\n");
	for (i = 0; i < hs->n; i++) {
		const struct store_hit *h = &hs->h[i];

		printf("%s,", cgn_addr_fmt(&h->inside, a, sizeof(a)));
		if (!cgn_addr_is_zero(&h->inside_v4))
			printf("%s", cgn_addr_fmt(&h->inside_v4, a, sizeof(a)));
		printf(",");
		q_csv_field(stdout, h->subscriber);
		printf(",%s,%u,%u,%s,", cgn_addr_fmt(&h->outside, a,
		    sizeof(a)), h->port_lo, h->port_hi, q_proto_str(h->proto,
		    pb, sizeof(pb)));
		q_csv_field(stdout, h->device);
		printf(",%s,%s,", tc_fmt(h->start_ms, t, sizeof(t)),
		    q_start_how(h->flags));
		printf("%s,%s,", h->end_ms == STORE_OPEN_END ? "" :
		    tc_fmt(h->end_ms, t, sizeof(t)), q_end_how(h->flags));
		if (!cgn_addr_is_zero(&h->dst))
			printf("%s,%u\n", cgn_addr_fmt(&h->dst, a, sizeof(a)),
			    h->dst_port);
		else
			printf(",\n");
	}
}

/* Collector gaps over the period, and the losses of every device that
 * appears in the list. */
static int
period_gaps(struct cgnq *q, const struct q_hits *hs, int64_t from, int64_t to,
    struct store_gap *g, size_t *ng, size_t *total)
{
	struct store_gap tmp[MAXGAPS];
	size_t n, i, j, k;
	int rc;

	if ((rc = store_coverage(q->rd, NULL, from, to, g, MAXGAPS, total)) !=
	    CGN_OK)
		return rc;
	*ng = *total < MAXGAPS ? *total : MAXGAPS;
	for (i = 0; i < hs->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(hs->h[j].device, hs->h[i].device) == 0)
				break;
		if (j < i)
			continue;
		if ((rc = store_coverage(q->rd, hs->h[i].device, from, to, tmp,
		    MAXGAPS, &n)) != CGN_OK)
			return rc;
		for (k = 0; k < n && k < MAXGAPS; k++) {
			if (tmp[k].collector)
				continue;
			(*total)++;
			if (*ng < MAXGAPS)
				g[(*ng)++] = tmp[k];
		}
	}
	return CGN_OK;
}

int
cmd_history(struct cgnq *q, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "inside", required_argument, NULL, 'i' },
		{ "public", required_argument, NULL, 'P' },
		{ "port", required_argument, NULL, 'p' },
		{ "proto", required_argument, NULL, 'r' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		Q_COMMON_OPTS
	};
	struct store_gap g[MAXGAPS];
	struct store_query sq;
	struct q_hits hs = { NULL, 0, 0, 0 };
	char err[400];
	const char *from = NULL, *to = NULL;
	int c, have_in = 0, have_pub = 0, have_port = 0, rc;
	size_t ng = 0, total = 0, i;
	uint16_t port = 0;

	memset(&sq, 0, sizeof(sq));
	optind = 0;
	while ((c = getopt_long(argc, argv, "i:P:p:r:f:t:", opts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			if (q_parse_ip(optarg, &sq.inside, err, sizeof(err)) !=
			    CGN_OK)
				q_usage_fail("--inside: %s", err);
			have_in = 1;
			break;
		case 'P':
			if (q_parse_ip(optarg, &sq.outside, err, sizeof(err)) !=
			    CGN_OK)
				q_usage_fail("--public: %s", err);
			have_pub = 1;
			break;
		case 'p':
			if (q_parse_port(optarg, &port, err, sizeof(err)) !=
			    CGN_OK)
				q_usage_fail("--port: %s", err);
			have_port = 1;
			break;
		case 'r':
			sq.proto = q_proto_arg(optarg);
			break;
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		default:
			if (!q_common_opt(q, c, optarg))
				q_usage_exit();
		}
	}
	if (optind != argc)
		q_usage_fail("history: unexpected argument '%s'", argv[optind]);
	if (have_in == have_pub)
		q_usage_fail("history wants one of --inside IP or --public IP");
	if (have_port && !have_pub)
		q_usage_fail("--port goes with --public");
	if (have_pub && (from == NULL || to == NULL))
		q_usage_fail("history --public wants --from T and --to T (a"
		    " public address is shared by many subscribers)");
	if ((from == NULL) != (to == NULL))
		q_usage_fail("give both --from and --to, or neither");
	sq.from_ms = from ? q_time_arg(q, "--from", from) : INT64_MIN / 2;
	sq.to_ms = to ? q_time_arg(q, "--to", to) : INT64_MAX / 2;
	if (sq.from_ms > sq.to_ms)
		q_usage_fail("--from is after --to");
	if (have_pub) {
		sq.port_lo = have_port ? port : 0;
		sq.port_hi = have_port ? port : 65535;
	} else {
		sq.port_hi = 65535;
	}
	sq.resolve_end = 1;
	q_begin(q, "history");
	if (store_find(q->rd, &sq, q_hits_keep, &hs) != CGN_OK || hs.oom) {
		fprintf(stderr, "cgnq: %s\n", hs.oom ? "out of memory" :
		    store_reader_errmsg(q->rd));
		free(hs.h);
		return q_end(q, Q_EX_SOFTWARE);
	}
	if (hs.n > 1)
		qsort(hs.h, hs.n, sizeof(*hs.h), by_start);
	/* without a period, gaps are those over the intervals' span */
	if (from == NULL && hs.n > 0) {
		sq.from_ms = hs.h[0].start_ms;
		sq.to_ms = hs.h[0].end_ms;
		for (i = 0; i < hs.n; i++)
			if (hs.h[i].end_ms > sq.to_ms)
				sq.to_ms = hs.h[i].end_ms;
		if (sq.to_ms == STORE_OPEN_END)
			sq.to_ms = hs.h[hs.n - 1].start_ms;
	}
	if ((from != NULL || hs.n > 0) && period_gaps(q, &hs, sq.from_ms,
	    sq.to_ms, g, &ng, &total) != CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", store_reader_errmsg(q->rd));
		free(hs.h);
		return q_end(q, Q_EX_SOFTWARE);
	}
	if (q->fmt == Q_JSON)
		print_json(&hs, &sq, g, ng, total);
	else if (q->fmt == Q_CSV)
		print_csv(&hs);
	else
		print_table(&hs, have_in, g, ng, total);
	q->au.intervals = hs.n;
	rc = hs.n > 0 ? 0 : total > 0 ? Q_NOCOVERAGE : Q_NOTFOUND;
	free(hs.h);
	return q_end(q, rc);
}
