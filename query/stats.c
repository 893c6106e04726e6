/*
 * stats.c - what the store holds (`cgnq stats`: shards, intervals, disk
 * use, covered time, gaps, and per device its events and clock skew) and
 * who asked it what (`cgnq audit`). Neither names a subscriber, so
 * neither is itself audited.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgnq.h"
#include "timeconv.h"

#define MAXGAPS 256

struct shards {
	struct store_shard_info *s;
	size_t n, cap;
	int oom;
};

struct devs {
	struct store_dev_info *d;
	size_t n, cap;
	int oom;
};

static int
keep_shard(void *arg, const struct store_shard_info *si)
{
	struct shards *sh = arg;
	struct store_shard_info *ns;

	if (sh->n == sh->cap) {
		sh->cap = sh->cap ? sh->cap * 2 : 64;
		if ((ns = realloc(sh->s, sh->cap * sizeof(*ns))) == NULL) {
			sh->oom = 1;
			return 1;
		}
		sh->s = ns;
	}
	sh->s[sh->n++] = *si;
	return 0;
}

static int
keep_dev(void *arg, const struct store_dev_info *di)
{
	struct devs *dv = arg;
	struct store_dev_info *nd;

	if (dv->n == dv->cap) {
		dv->cap = dv->cap ? dv->cap * 2 : 16;
		if ((nd = realloc(dv->d, dv->cap * sizeof(*nd))) == NULL) {
			dv->oom = 1;
			return 1;
		}
		dv->d = nd;
	}
	dv->d[dv->n++] = *di;
	return 0;
}

/* "1.2 MiB" */
static const char *
bytes(uint64_t b, char *buf, size_t len)
{
	if (b < 10240)
		snprintf(buf, len, "%" PRIu64 " B", b);
	else if (b < 10 << 20)
		snprintf(buf, len, "%.1f KiB", (double)b / 1024);
	else if (b < (uint64_t)10 << 30)
		snprintf(buf, len, "%.1f MiB", (double)b / 1048576);
	else
		snprintf(buf, len, "%.1f GiB", (double)b / 1073741824);
	return buf;
}

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

struct summary {
	uint64_t rows, bytes, evidence;
	int64_t covered_ms, span_ms, from_ms, to_ms;
	int64_t cov_from, cov_to;	/* first and last covered time */
	struct store_gap gaps[MAXGAPS];	/* inside [cov_from, cov_to] */
	size_t ngaps, gtotal;
	int64_t gap_ms;
};

/* Coverage over the whole store: leading and trailing stretches the
 * collector was not running are the store's edges, not gaps. */
static int
summarize(struct cgnq *q, const struct shards *sh, const struct devs *dv,
    struct summary *s)
{
	struct store_gap *all;
	size_t i, n, k;
	int rc;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < sh->n; i++) {
		s->rows += sh->s[i].rows;
		s->bytes += sh->s[i].bytes;
		s->evidence += sh->s[i].evidence_bytes;
		s->covered_ms += sh->s[i].covered_ms;
		s->span_ms += sh->s[i].end_ms - sh->s[i].start_ms;
	}
	if (sh->n == 0)
		return CGN_OK;
	s->from_ms = sh->s[0].start_ms;
	s->to_ms = sh->s[sh->n - 1].end_ms - 1;
	for (i = 1; i < sh->n; i++) {
		if (sh->s[i].start_ms < s->from_ms)
			s->from_ms = sh->s[i].start_ms;
		if (sh->s[i].end_ms - 1 > s->to_ms)
			s->to_ms = sh->s[i].end_ms - 1;
	}
	if ((all = calloc(4096, sizeof(*all))) == NULL)
		return CGN_ENOMEM;
	if ((rc = store_coverage(q->rd, NULL, s->from_ms, s->to_ms, all, 4096,
	    &n)) != CGN_OK) {
		free(all);
		return rc;
	}
	s->cov_from = s->from_ms;
	s->cov_to = s->to_ms;
	i = 0;
	k = n < 4096 ? n : 4096;
	if (k > 0 && all[0].from_ms <= s->from_ms) {
		s->cov_from = all[0].to_ms + 1;
		i = 1;
	}
	if (k > i && all[k - 1].to_ms >= s->to_ms) {
		s->cov_to = all[k - 1].from_ms - 1;
		k--;
	}
	for (; i < k; i++) {
		s->gtotal++;
		s->gap_ms += all[i].to_ms - all[i].from_ms + 1;
		if (s->ngaps < MAXGAPS)
			s->gaps[s->ngaps++] = all[i];
	}
	/* and what each device says it lost */
	for (i = 0; i < dv->n && s->cov_to > s->cov_from; i++) {
		if ((rc = store_coverage(q->rd, dv->d[i].name, s->cov_from,
		    s->cov_to, all, 4096, &n)) != CGN_OK)
			break;
		for (k = 0; k < n && k < 4096; k++) {
			if (all[k].collector)
				continue;
			s->gtotal++;
			if (s->ngaps < MAXGAPS)
				s->gaps[s->ngaps++] = all[k];
		}
	}
	free(all);
	return rc;
}

static void
gap_line(const struct store_gap *g)
{
	char t1[32], t2[32], d[24];

	q_tfmt(g->from_ms, t1, sizeof(t1));
	q_tfmt(q_gap_end(g->to_ms), t2, sizeof(t2));
	printf("  %-14s %s to %s (%s)\n", g->collector ? "collector down" :
	    g->device, t1, t2, q_dfmt(g->to_ms + 1 - g->from_ms, d,
	    sizeof(d)));
}

static void
table(const struct shards *sh, const struct devs *dv,
    const struct summary *s)
{
	char t[32], t2[32], b[24], b2[24], d[24], d2[24], d3[24];
	size_t i;

	printf("%-20s %-6s %9s %9s %7s %s\n", "SHARD START (UTC)", "STATE",
	    "INTERVALS", "SIZE", "COVERED", "FILE");
	for (i = 0; i < sh->n; i++)
		printf("%-20s %-6s %9" PRIu64 " %9s %7s %s\n",
		    q_tfmt(sh->s[i].start_ms, t, sizeof(t)), sh->s[i].sealed ?
		    "sealed" : "open", sh->s[i].rows, bytes(sh->s[i].bytes, b,
		    sizeof(b)), q_dfmt(sh->s[i].covered_ms, d, sizeof(d)),
		    base(sh->s[i].path));
	printf("%zu shard%s, %" PRIu64 " intervals, %s on disk (evidence"
	    " %s)\n", sh->n, sh->n == 1 ? "" : "s", s->rows, bytes(s->bytes,
	    b, sizeof(b)), bytes(s->evidence, b2, sizeof(b2)));
	if (sh->n > 0 && s->cov_to > s->cov_from)
		printf("collector ran %s from %s to %s,\n%zu gap%s (%s):\n",
		    q_dfmt(s->covered_ms, d, sizeof(d)), q_tfmt(s->cov_from, t,
		    sizeof(t)), q_tfmt(s->cov_to + 1, t2, sizeof(t2)),
		    s->gtotal, s->gtotal == 1 ? "" : "s", q_dfmt(s->gap_ms, d2,
		    sizeof(d2)));
	for (i = 0; i < s->ngaps; i++)
		gap_line(&s->gaps[i]);
	if (s->gtotal > s->ngaps)
		printf("  %zu more gaps not shown\n", s->gtotal - s->ngaps);
	printf("\n%-16s %10s %-20s %s\n", "DEVICE", "EVENTS",
	    "LAST HEARD (UTC)", "CLOCK-COLLECTOR (min..max)");
	for (i = 0; i < dv->n; i++) {
		const struct store_dev_info *x = &dv->d[i];

		printf("%-16s %10" PRIu64 " %-20s", x->name, x->events,
		    q_tfmt(x->last_rx_ms - x->last_rx_ms % 1000, t,
		    sizeof(t)));
		if (x->skew_n == 0)
			printf(" not measured\n");
		else
			printf(" %s%s (%s%s..%s%s)\n", x->skew_avg_ms >= 0 ?
			    "+" : "", q_dfmt(x->skew_avg_ms, d, sizeof(d)),
			    x->skew_min_ms >= 0 ? "+" : "",
			    q_dfmt(x->skew_min_ms, d2, sizeof(d2)),
			    x->skew_max_ms >= 0 ? "+" : "",
			    q_dfmt(x->skew_max_ms, d3, sizeof(d3)));
	}
}

static void
json_gap(const struct store_gap *g)
{
	char t[32];

	printf("{\"what\":\"%s\",", g->collector ? "collector" : "device");
	if (!g->collector) {
		printf("\"device\":");
		q_json_str(stdout, g->device);
		printf(",");
	}
	printf("\"from\":\"%s\",", tc_fmt(g->from_ms, t, sizeof(t)));
	printf("\"to\":\"%s\"}", tc_fmt(g->to_ms, t, sizeof(t)));
}

static void
json(const struct shards *sh, const struct devs *dv,
    const struct summary *s)
{
	char t[32];
	size_t i;

	printf("{\"shards\":[");
	for (i = 0; i < sh->n; i++) {
		printf("%s\n{\"file\":", i ? "," : "");
		q_json_str(stdout, sh->s[i].path);
		printf(",\"start\":\"%s\",\"sealed\":%s,\"blocks\":%" PRIu64
		    ",\"intervals\":%" PRIu64 ",\"bytes\":%" PRIu64 ","
		    "\"evidence_bytes\":%" PRIu64 ",\"covered_ms\":%" PRId64 "}",
		    tc_fmt(sh->s[i].start_ms, t, sizeof(t)), sh->s[i].sealed ?
		    "true" : "false", sh->s[i].blocks, sh->s[i].rows,
		    sh->s[i].bytes, sh->s[i].evidence_bytes,
		    sh->s[i].covered_ms);
	}
	printf("],\n\"intervals\":%" PRIu64 ",\"bytes\":%" PRIu64 ","
	    "\"evidence_bytes\":%" PRIu64 ",\"covered_ms\":%" PRId64 ",",
	    s->rows, s->bytes, s->evidence, s->covered_ms);
	if (sh->n > 0 && s->cov_to > s->cov_from) {
		printf("\"covered_from\":\"%s\",", tc_fmt(s->cov_from, t,
		    sizeof(t)));
		printf("\"covered_to\":\"%s\",", tc_fmt(s->cov_to, t,
		    sizeof(t)));
	}
	printf("\"gaps_total\":%zu,\"gaps\":[", s->gtotal);
	for (i = 0; i < s->ngaps; i++) {
		printf("%s", i ? "," : "");
		json_gap(&s->gaps[i]);
	}
	printf("],\n\"devices\":[");
	for (i = 0; i < dv->n; i++) {
		const struct store_dev_info *x = &dv->d[i];

		printf("%s\n{\"device\":", i ? "," : "");
		q_json_str(stdout, x->name);
		printf(",\"events\":%" PRIu64 ",\"first_rx\":\"%s\",",
		    x->events, tc_fmt(x->first_rx_ms, t, sizeof(t)));
		printf("\"last_rx\":\"%s\",", tc_fmt(x->last_rx_ms, t,
		    sizeof(t)));
		if (x->skew_n > 0)
			printf("\"skew_avg_ms\":%" PRId64 ",\"skew_min_ms\":%"
			    PRId64 ",\"skew_max_ms\":%" PRId64 ","
			    "\"skew_events\":%" PRIu64 "}", x->skew_avg_ms,
			    x->skew_min_ms, x->skew_max_ms, x->skew_n);
		else
			printf("\"skew_avg_ms\":null,\"skew_events\":0}");
	}
	printf("]}\n");
}

static void
csv(const struct shards *sh, const struct devs *dv,
    const struct summary *s)
{
	char t[32], t2[32];
	size_t i;

	printf("section,name,start,end,intervals,bytes,covered_ms,events,"
	    "skew_avg_ms,skew_min_ms,skew_max_ms\n");
	for (i = 0; i < sh->n; i++) {
		printf("shard,");
		q_csv_field(stdout, base(sh->s[i].path));
		printf(",%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRId64 ",,,,\n",
		    tc_fmt(sh->s[i].start_ms, t, sizeof(t)),
		    tc_fmt(sh->s[i].end_ms, t2, sizeof(t2)), sh->s[i].rows,
		    sh->s[i].bytes, sh->s[i].covered_ms);
	}
	for (i = 0; i < s->ngaps; i++) {
		printf("gap,");
		q_csv_field(stdout, s->gaps[i].collector ? "collector" :
		    s->gaps[i].device);
		printf(",%s,%s,,,,,,,\n", tc_fmt(s->gaps[i].from_ms, t,
		    sizeof(t)), tc_fmt(s->gaps[i].to_ms, t2, sizeof(t2)));
	}
	for (i = 0; i < dv->n; i++) {
		printf("device,");
		q_csv_field(stdout, dv->d[i].name);
		printf(",%s,%s,,,,%" PRIu64 ",", tc_fmt(dv->d[i].first_rx_ms, t,
		    sizeof(t)), tc_fmt(dv->d[i].last_rx_ms, t2, sizeof(t2)),
		    dv->d[i].events);
		if (dv->d[i].skew_n > 0)
			printf("%" PRId64 ",%" PRId64 ",%" PRId64 "\n",
			    dv->d[i].skew_avg_ms, dv->d[i].skew_min_ms,
			    dv->d[i].skew_max_ms);
		else
			printf(",,\n");
	}
}

int
cmd_stats(struct cgnq *q, int argc, char **argv)
{
	static const struct option opts[] = { Q_COMMON_OPTS };
	struct shards sh = { NULL, 0, 0, 0 };
	struct devs dv = { NULL, 0, 0, 0 };
	struct summary *s;
	int c, rc = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!q_common_opt(q, c, optarg))
			q_usage_exit();
	if (optind != argc)
		q_usage_fail("stats: unexpected argument '%s'", argv[optind]);
	q_begin(q, NULL);
	if ((s = malloc(sizeof(*s))) == NULL ||
	    store_shards(q->rd, keep_shard, &sh) != CGN_OK || sh.oom ||
	    store_devices(q->rd, INT64_MIN, INT64_MAX, keep_dev, &dv) !=
	    CGN_OK || dv.oom || summarize(q, &sh, &dv, s) != CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", s == NULL || sh.oom || dv.oom ?
		    "out of memory" : store_reader_errmsg(q->rd));
		rc = Q_EX_SOFTWARE;
	} else if (q->fmt == Q_JSON) {
		json(&sh, &dv, s);
	} else if (q->fmt == Q_CSV) {
		csv(&sh, &dv, s);
	} else {
		table(&sh, &dv, s);
	}
	free(s);
	free(sh.s);
	free(dv.d);
	return rc;
}

int
cmd_audit(struct cgnq *q, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		Q_COMMON_OPTS
	};
	char path[1100], err[1200];
	int64_t from = INT64_MIN, to = INT64_MAX;
	size_t bad;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "f:t:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			from = q_time_arg(q, "--from", optarg);
			break;
		case 't':
			to = q_time_arg(q, "--to", optarg);
			break;
		default:
			if (!q_common_opt(q, c, optarg))
				q_usage_exit();
		}
	}
	if (optind != argc)
		q_usage_fail("audit: unexpected argument '%s'", argv[optind]);
	snprintf(path, sizeof(path), "%s/audit.log", q->store);
	if (q_audit_print(stdout, q->fmt, q->audit_log ? q->audit_log : path,
	    from, to, &bad, err, sizeof(err)) != CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", err);
		return Q_EX_NOINPUT;
	}
	if (bad > 0) {
		fprintf(stderr, "cgnq: %zu line%s of the audit log not"
		    " written by cgnq\n", bad, bad == 1 ? "" : "s");
		return Q_EX_DATAERR;
	}
	return 0;
}
