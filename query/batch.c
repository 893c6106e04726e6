/*
 * batch.c - requests that come in files: `cgnq batch` (a court order's
 * hundreds of lines, CSV: ip,port,time[,proto][,ref]) and `cgnq arf` (an
 * abuse report in ARF or X-ARF).
 *
 * A batch keeps one store reader and one skew cache for all its lines, so
 * shard handles and device clocks are read once. A malformed line answers
 * bad_input with the reason and the rest still run; the exit status is 0
 * when every line was asked, 64 when some line was bad.
 * Not here: reading reports (arf.c), verdicts (lookup.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arf.h"
#include "args.h"
#include "cgnq.h"
#include "timearg.h"
#include "timeconv.h"

struct batch {
	struct cgnq *q;
	struct q_cache *cache;
	struct q_answer a;
	size_t n;		/* answers printed */
	int doubt;		/* a row has a candidate marked '?' */
};

static void
table_header(void)
{
	printf("%-8s %-22s %-20s %-11s %s\n", "REF", "PUBLIC:PORT",
	    "TIME (UTC)", "VERDICT", "INSIDE");
}

/* One row per request; more holders go on lines of their own. */
static void
table_row(const struct q_request *r, const struct q_answer *a,
    const char *ref)
{
	char ip[CGN_ADDR_STRLEN], pp[CGN_ADDR_STRLEN + 10], t[32];
	size_t i;

	cgn_addr_fmt(&r->ip, ip, sizeof(ip));
	snprintf(pp, sizeof(pp), strchr(ip, ':') ? "[%s]:%u" : "%s:%u", ip,
	    r->port);
	q_tfmt(r->t_ms, t, sizeof(t));
	printf("%-8s %-22s %-20s %-11s", ref, pp, t,
	    q_verdict_str(a->verdict));
	if (a->nhits == 0)
		printf(" -\n");
	for (i = 0; i < a->nhits; i++) {
		if (i > 0)
			printf("%65s", "");
		printf(" %s%s\n", cgn_addr_fmt(&a->hits[i].inside, ip,
		    sizeof(ip)), a->doubt[i] ? "?" : "");
	}
}

static void
answer(struct batch *b, const struct q_request *r, const char *ref)
{
	struct cgnq *q = b->q;

	if (q->fmt == Q_JSON)
		fputs(b->n ? "," : " ", stdout);
	if (b->a.nhits > 0 && b->a.nconfirmed < b->a.nholders)
		b->doubt = 1;
	if (q->fmt == Q_TABLE)
		table_row(r, &b->a, ref);
	else
		q_print_lookup(stdout, q->fmt, r, &b->a, ref);
	b->n++;
}

/* Print msg from column col, wrapped at 80 columns under itself. */
static void
wrap(const char *msg, int col)
{
	const char *p = msg, *sp;
	int w = 80 - col;

	while ((int)strlen(p) > w) {
		for (sp = p + w; sp > p && *sp != ' '; sp--)
			;
		if (sp == p)
			break;	/* one long word: let it run over */
		printf("%.*s\n%*s", (int)(sp - p), p, col, "");
		p = sp + 1;
	}
	printf("%s\n", p);
}

static void
bad(struct batch *b, const char *ref, size_t line, const char *input,
    const char *msg)
{
	struct cgnq *q = b->q;
	char l[32];

	q->au.count[Q_BAD_INPUT]++;
	if (q->fmt == Q_JSON)
		fputs(b->n ? "," : " ", stdout);
	if (q->fmt == Q_TABLE) {
		snprintf(l, sizeof(l), "line %zu", line);
		printf("%-8s bad_input: ", ref[0] ? ref : l);
		wrap(msg, 19);
	} else {
		q_print_bad(stdout, q->fmt, ref, line, input, msg);
	}
	b->n++;
}

/* A header line: the first field is "ip". */
static int
is_header(const char *line)
{
	while (*line == ' ' || *line == '"')
		line++;
	return strncasecmp(line, "ip", 2) == 0 && (line[2] == ',' ||
	    line[2] == '"');
}

int
cmd_batch(struct cgnq *q, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tolerance", required_argument, NULL, 't' },
		{ "proto", required_argument, NULL, 'p' },
		Q_COMMON_OPTS
	};
	struct q_request dflt, r;
	struct batch *b;
	char err[400], ref[256], *line = NULL;
	size_t cap = 0, lineno = 0, firstline = 1;
	ssize_t n;
	FILE *in;
	int c, rc = 0;

	memset(&dflt, 0, sizeof(dflt));
	dflt.tol_ms = 2000;
	optind = 0;
	while ((c = getopt_long(argc, argv, "t:p:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			dflt.tol_ms = q_tolerance_arg(optarg);
			break;
		case 'p':
			dflt.proto = q_proto_arg(optarg);
			break;
		default:
			if (!q_common_opt(q, c, optarg))
				q_usage_exit();
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "cgnq: batch wants one FILE (- for standard"
		    " input)\n");
		q_usage_exit();
	}
	if (strcmp(argv[optind], "-") == 0)
		in = stdin;
	else if ((in = fopen(argv[optind], "r")) == NULL) {
		fprintf(stderr, "cgnq: %s: %s\n", argv[optind],
		    strerror(errno));
		return Q_EX_NOINPUT;
	}
	/* a batch is for programs: CSV unless a person is watching */
	if (!q->fmt_set)
		q->fmt = isatty(STDOUT_FILENO) ? Q_TABLE : Q_CSV;
	q_begin(q, "batch");
	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    q_cache_new(&b->cache) != CGN_OK) {
		fprintf(stderr, "cgnq: out of memory\n");
		return q_end(q, Q_EX_SOFTWARE);
	}
	b->q = q;
	if (q->fmt == Q_CSV)
		q_print_csv_header(stdout);
	else if (q->fmt == Q_JSON)
		printf("[\n");
	else
		table_header();
	while (rc == 0 && (n = getline(&line, &cap, in)) > 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (firstline && is_header(line)) {
			firstline = 0;
			continue;
		}
		firstline = 0;
		r = dflt;
		if (strlen(line) != (size_t)n) {
			bad(b, "", lineno, "", "a NUL byte in the line");
			continue;
		}
		if (q_parse_batch_line(line, q->tz, q->have_tz, &r, ref,
		    sizeof(ref), err, sizeof(err)) != CGN_OK) {
			bad(b, ref, lineno, line, err);
			continue;
		}
		if (q_lookup_with(q->rd, b->cache, &r, &b->a) != CGN_OK) {
			fprintf(stderr, "cgnq: line %zu: %s\n", lineno,
			    store_reader_errmsg(q->rd));
			rc = Q_EX_SOFTWARE;
			break;
		}
		q->au.count[b->a.verdict]++;
		answer(b, &r, ref);
	}
	if (q->fmt == Q_JSON)
		printf("]\n");
	if (rc == 0 && ferror(in)) {
		fprintf(stderr, "cgnq: %s: %s\n", argv[optind],
		    strerror(errno));
		rc = Q_EX_NOINPUT;
	}
	if (q->fmt == Q_TABLE && b->doubt)
		printf("? a candidate the log cannot vouch for: logging had a"
		    " gap since its start\n  and its release was not seen"
		    " (cgnq lookup shows the gap)\n");
	if (q->fmt == Q_TABLE)
		printf("%zu requests: %llu unique, %llu not found, %llu"
		    " ambiguous, %llu no coverage, %llu bad input\n", b->n,
		    (unsigned long long)q->au.count[Q_UNIQUE],
		    (unsigned long long)q->au.count[Q_NOTFOUND],
		    (unsigned long long)q->au.count[Q_AMBIGUOUS],
		    (unsigned long long)q->au.count[Q_NOCOVERAGE],
		    (unsigned long long)q->au.count[Q_BAD_INPUT]);
	if (rc == 0 && q->au.count[Q_BAD_INPUT] > 0)
		rc = Q_EX_USAGE;
	free(line);
	if (in != stdin)
		fclose(in);
	q_cache_free(b->cache);
	free(b);
	return q_end(q, rc);
}

/* ---- arf --------------------------------------------------------------- */

int
cmd_arf(struct cgnq *q, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tolerance", required_argument, NULL, 't' },
		{ "evidence", no_argument, NULL, 'e' },
		Q_COMMON_OPTS
	};
	struct q_report rep;
	struct q_request r;
	char err[600], *buf;
	size_t len;
	int c, evidence = 0, rc;
	int64_t tol = 2000;

	optind = 0;
	while ((c = getopt_long(argc, argv, "t:e", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tol = q_tolerance_arg(optarg);
			break;
		case 'e':
			evidence = 1;
			break;
		default:
			if (!q_common_opt(q, c, optarg))
				q_usage_exit();
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "cgnq: arf wants one FILE (- for standard"
		    " input)\n");
		q_usage_exit();
	}
	if (q_arf_read(argv[optind], &buf, &len, err, sizeof(err)) !=
	    CGN_OK) {
		fprintf(stderr, "cgnq: %s\n", err);
		return Q_EX_NOINPUT;
	}
	rc = q_arf_parse(buf, len, q->tz, q->have_tz, &rep, err, sizeof(err));
	free(buf);
	q_begin(q, "arf");
	if (rc != CGN_OK) {
		fprintf(stderr, "cgnq: %s: %s\n", argv[optind], err);
		q->au.count[Q_BAD_INPUT]++;
		q_print_bad(stdout, q->fmt, NULL, 0, argv[optind], err);
		return q_end(q, Q_EX_USAGE);
	}
	memset(&r, 0, sizeof(r));
	r.ip = rep.ip;
	r.port = rep.port;
	r.t_ms = rep.t_ms;
	r.tol_ms = tol;
	r.proto = rep.proto;
	r.dst = rep.dst;
	r.dst_port = rep.dst_port;
	if (q->fmt == Q_TABLE)
		printf("%-10s %s report%s%s\n", "report", rep.kind,
		    rep.id[0] ? " " : "", rep.id);
	return q_end(q, q_answer(q, &r, q->fmt == Q_TABLE ? NULL :
	    rep.id, evidence));
}
