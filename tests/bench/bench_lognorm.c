/*
 * bench_lognorm.c - liblognorm (rsyslog's rule-based normalizer) against
 * our hand-written syslog vendor parsers, on the same lines, on one core.
 *
 * Lines come from cgnlog-gen's formats (Juniper RT_NAT text, A10 CEF, F5
 * LSN key=value): whole syslog lines, header included, as both parsers
 * meet them. One liblognorm context holds the rules of all three (as one
 * deployment would); ours is syslog_parser with every vendor row. Each is
 * timed over the lines until a second has passed, and the answers are
 * checked (every line parsed, every line one event). Then ours alone over
 * every text format of cgnlog-gen, and over all of them interleaved (the
 * cost of the vendor dispatch). Prints "bench: key=value" lines.
 * Not here: sockets, the store (make bench-syslog).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <liblognorm.h>

#include "cgn.h"
#include "gen.h"
#include "gensim.h"
#include "parser.h"

#define NLINES 50000

/* One rule per format, the whole line. */
static const char rulebase[] =
    "version=2\n"
    "rule=juniper:<%pri:number%>%date:date-rfc3164% %host:word% RT_NAT:"
    " RT_SRC_NAT_PBA_%event:char-to:\\x3a%: Subscriber %inside:ipv4%"
    " used/maximum [%used:number%/%max:number%] blocks, %verb:word% port"
    " block [%lo:number%-%hi:number%] from %outside:ipv4% in source pool"
    " %pool:word% lsys_id: %lsys:number% epoch %epoch:word%\n"
    "rule=a10:%time:date-rfc5424% %ip:ipv4% %host:word%  %cef:cef%\n"
    "rule=f5:<%pri:number%>%date:date-rfc3164% %host:word%"
    " lsn_event=\"%event:char-to:\"%\",cli=\"%cli:char-to:\"%\","
    "nat=\"%nat:char-to:\"%\"\n";

struct lines {
	char *buf;		/* every line, NUL-terminated (owned) */
	const char **p;		/* line i starts at p[i] */
	size_t *len;
	size_t n;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* NLINES lines of fmt (fewer if the simulation ends first). */
static int
make_lines(const struct gen_format *fmt, struct lines *l)
{
	struct gensim_cfg c;
	struct gensim_ev ev;
	struct gensim *g;
	size_t cap = (size_t)NLINES * 600, used = 0, n;

	gensim_cfg_default(&c);
	c.subscribers = 5000;
	c.pool_size = 64;	/* room for every subscriber: no retries */
	c.events = NLINES + NLINES / 4;
	c.resolution_ms = fmt->resolution_ms;
	c.interim_ms = 600000;
	if (gensim_new(&c, &g) != CGN_OK)
		return -1;
	l->buf = malloc(cap);
	l->p = calloc(NLINES, sizeof(*l->p));
	l->len = calloc(NLINES, sizeof(*l->len));
	if (l->buf == NULL || l->p == NULL || l->len == NULL)
		return -1;
	l->n = 0;
	while (l->n < NLINES && gensim_next(g, &ev, NULL, NULL)) {
		if (!ev.logged || cap - used < 1024)
			continue;
		if ((n = fmt->write(l->buf + used, cap - used - 1, &ev,
		    "cgn1")) == 0)
			continue;
		l->buf[used + n] = '\0';
		l->p[l->n] = l->buf + used;
		l->len[l->n++] = n;
		used += n + 1;
	}
	gensim_free(g);
	return 0;
}

static void
free_lines(struct lines *l)
{
	free(l->buf);
	free(l->p);
	free(l->len);
}

static int
count(void *arg, const struct cgn_event *ev)
{
	(void)ev;
	(*(size_t *)arg)++;
	return 0;
}

/* Lines per second of our parser over l; *events for one pass. */
static double
run_ours(const struct lines *l, size_t *events, size_t *bad)
{
	struct cgn_pstate *st;
	struct cgn_src src;
	double t0 = now(), t;
	size_t i, done = 0, ev = 0;

	if (pstate_new(&st) != CGN_OK)
		exit(1);
	memset(&src, 0, sizeof(src));
	src.rx_ms = 1795870000000LL;
	cgn_addr_v4(&src.exporter, 0x7f000001);
	*bad = 0;
	do {
		for (i = 0; i < l->n; i++)
			if (syslog_parser.parse(st, &src, (const uint8_t *)
			    l->p[i], l->len[i], count, &ev) !=
			    CGN_OK && done == 0)
				(*bad)++;
		if (done == 0)
			*events = ev;
		done += l->n;
	} while ((t = now() - t0) < 1.0);
	pstate_free(st);
	return (double)done / t;
}

/* Lines per second of liblognorm over l; *bad: lines it did not parse. */
static double
run_lognorm(ln_ctx ctx, const struct lines *l, size_t *bad)
{
	struct json_object *j, *u;
	double t0 = now(), t;
	size_t i, done = 0;

	*bad = 0;
	do {
		for (i = 0; i < l->n; i++) {
			j = NULL;
			ln_normalize(ctx, l->p[i], l->len[i], &j);
			if (done == 0 && (j == NULL ||
			    json_object_object_get_ex(j, "unparsed-data", &u)))
				(*bad)++;
			if (j != NULL)
				json_object_put(j);
		}
		done += l->n;
	} while ((t = now() - t0) < 1.0);
	return (double)done / t;
}

int
main(void)
{
	static const char *const cmp[] = { "juniper-text", "a10-cef", "f5" };
	const struct gen_format *fmt;
	struct lines l, mix;
	ln_ctx ctx;
	double ln_lps, our_lps, worst = 0;
	size_t i, k, j, events, bad, lnbad, nfmt = 0;
	struct lines all[64];

	if ((ctx = ln_initCtx()) == NULL ||
	    ln_loadSamplesFromString(ctx, rulebase) != 0) {
		fprintf(stderr, "bench_lognorm: liblognorm rulebase failed\n");
		return 1;
	}
	for (i = 0; i < sizeof(cmp) / sizeof(cmp[0]); i++) {
		if ((fmt = gen_format_find(cmp[i])) == NULL ||
		    make_lines(fmt, &l) != 0)
			return 1;
		ln_lps = run_lognorm(ctx, &l, &lnbad);
		our_lps = run_ours(&l, &events, &bad);
		printf("bench: lognorm_%s_lps=%.0f\n", cmp[i], ln_lps);
		printf("bench: ours_%s_lps=%.0f\n", cmp[i], our_lps);
		printf("bench: ours_over_lognorm_%s=%.2f\n", cmp[i],
		    our_lps / ln_lps);
		printf("bench: lognorm_%s_unparsed=%zu ours_%s_rejected=%zu"
		    " ours_%s_events=%zu lines=%zu\n", cmp[i], lnbad, cmp[i],
		    bad, cmp[i], events, l.n);
		free_lines(&l);
	}
	ln_exitCtx(ctx);

	/* ours over every text format, then all of them interleaved */
	for (i = 0; gen_formats[i] != NULL && nfmt < 64; i++) {
		if (gen_formats[i]->write == NULL)
			continue;	/* binary (IPFIX/v9) */
		if (make_lines(gen_formats[i], &all[nfmt]) != 0)
			return 1;
		our_lps = run_ours(&all[nfmt], &events, &bad);
		printf("bench: ours_lps_%s=%.0f rejected=%zu\n",
		    gen_formats[i]->name, our_lps, bad);
		if (worst == 0 || our_lps < worst)
			worst = our_lps;
		nfmt++;
	}
	printf("bench: ours_lps_slowest_format=%.0f\n", worst);
	memset(&mix, 0, sizeof(mix));
	for (k = 0; k < nfmt; k++)
		mix.n += all[k].n;
	mix.p = malloc(mix.n * sizeof(*mix.p));
	mix.len = malloc(mix.n * sizeof(*mix.len));
	if (mix.p == NULL || mix.len == NULL)
		return 1;
	mix.n = 0;
	for (j = 0; j < NLINES; j++) {
		for (k = 0; k < nfmt; k++) {
			if (j >= all[k].n)
				continue;
			mix.p[mix.n] = all[k].p[j];
			mix.len[mix.n++] = all[k].len[j];
		}
	}
	our_lps = run_ours(&mix, &events, &bad);
	printf("bench: ours_lps_mixed=%.0f formats=%zu rejected=%zu\n",
	    our_lps, nfmt, bad);
	free(mix.p);
	free(mix.len);
	for (k = 0; k < nfmt; k++)
		free_lines(&all[k]);
	return 0;
}
