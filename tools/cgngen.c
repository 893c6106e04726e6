/*
 * cgngen.c - cgnlog-gen: a deterministic workload of NAT logs and its
 * ground truth, for tests and benchmarks.
 *
 *   cgnlog-gen [--seed N] [--subscribers N] [--pool A.B.C.D/LEN]
 *              [--block-size N] [--start TIME] [--duration DUR]
 *              [--events N] [--lost-releases FRACTION] [--interim DUR]
 *              [--hold-down DUR] [--device NAME] [--format NAME]
 *              --out FILE [--truth FILE]
 *
 * The log goes to --out (one message per line), the truth to --truth: one
 * line per real interval, "inside public port_lo port_hi start_ms end_ms
 * release_logged", end_ms -1 for blocks still held at the end. Binary
 * formats (ipfix-*, nfv9-*) write --out as a pcap of export datagrams
 * (--per-datagram records each, templates every --template-every
 * datagrams); a session format logs one port of each block, and its truth
 * says so (port_hi = port_lo).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cgn.h"
#include "gen.h"
#include "gensim.h"
#include "timeconv.h"

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: cgnlog-gen [--seed N] [--subscribers N] [--pool CIDR]\n"
	    "         [--block-size N] [--start TIME] [--duration DUR]"
	    " [--events N]\n"
	    "         [--lost-releases F] [--interim DUR] [--hold-down DUR]\n"
	    "         [--device NAME] [--format NAME] --out FILE"
	    " [--truth FILE]\n"
	    "         [--per-datagram N] [--template-every N]   (binary"
	    " formats)\n"
	    "formats:\n");
	for (i = 0; gen_formats[i] != NULL; i++)
		fprintf(f, "  %-14s %s\n", gen_formats[i]->name,
		    gen_formats[i]->what);
}

static void
die(const char *what, const char *arg)
{
	fprintf(stderr, "cgnlog-gen: %s: '%s'\n", what, arg);
	exit(EX_USAGE);
}

static int64_t
duration(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		die("not a duration", s);
	if (strcmp(end, "ms") == 0)
		return (int64_t)v;
	if (*end == '\0' || strcmp(end, "s") == 0)
		return (int64_t)(v * 1000);
	if (strcmp(end, "m") == 0)
		return (int64_t)(v * 60000);
	if (strcmp(end, "h") == 0)
		return (int64_t)(v * 3600000);
	if (strcmp(end, "d") == 0)
		return (int64_t)(v * 86400000);
	die("not a duration", s);
	return 0;
}

static uint64_t
number(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || v < 0)
		die("not a number", s);
	return (uint64_t)v;
}

static void
pool(const char *s, struct gensim_cfg *c)
{
	struct cgn_addr a;
	const char *slash = strchr(s, '/');
	uint32_t v4;
	unsigned long len;

	if (slash == NULL || cgn_addr_parse(s, (size_t)(slash - s), &a) !=
	    CGN_OK || !cgn_addr_is_v4(&a, &v4))
		die("--pool wants A.B.C.D/LEN", s);
	len = strtoul(slash + 1, NULL, 10);
	if (len < 8 || len > 32)
		die("--pool prefix length must be 8..32", s);
	c->pool_base = v4 & (len == 32 ? 0xffffffffu :
	    ~((1u << (32 - len)) - 1));
	c->pool_size = 1u << (32 - len);
}

/* Where the truth goes, and whether the format logs single ports. */
struct truth_out {
	FILE *f;
	int session;
};

static void
write_truth(void *arg, const struct gensim_truth *t)
{
	struct truth_out *to = arg;
	struct gensim_truth one;

	if (to->f == NULL)
		return;
	if (to->session) {
		one = *t;
		one.port_hi = one.port_lo;
		t = &one;
	}
	gensim_truth_write(to->f, t);
}

/* A binary format: the events as export datagrams in a pcap. */
static int
write_binary(const struct gen_format *fmt, struct gensim *g, FILE *out,
    struct truth_out *to, int per_dgram, int tmpl_every)
{
	struct gen_exp *x;
	struct gensim_ev ev;
	const uint8_t *dg;
	size_t len;
	int64_t ts;
	uint64_t skipped = 0;
	int r;

	if (gen_exp_new(fmt->bin, 1, per_dgram, tmpl_every, &x) != CGN_OK)
		return EX_USAGE;
	if (gen_pcap_header(out) != CGN_OK)
		return EX_IOERR;
	while (gensim_next(g, &ev, write_truth, to)) {
		if (!ev.logged)
			continue;
		if ((r = gen_exp_add(x, &ev, &dg, &len, &ts)) < 0)
			skipped++;
		else if (r == 1 && gen_pcap_udp(out, ts, fmt->bin->dport, dg,
		    len) != CGN_OK)
			return EX_IOERR;
	}
	if (gen_exp_flush(x, &dg, &len, &ts) && gen_pcap_udp(out, ts,
	    fmt->bin->dport, dg, len) != CGN_OK)
		return EX_IOERR;
	if (skipped > 0)
		fprintf(stderr, "cgnlog-gen: %llu interim events have no"
		    " natEvent in %s: not written\n",
		    (unsigned long long)skipped, fmt->name);
	gen_exp_free(x);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 'S' },
		{ "subscribers", required_argument, NULL, 's' },
		{ "pool", required_argument, NULL, 'p' },
		{ "block-size", required_argument, NULL, 'b' },
		{ "start", required_argument, NULL, 'T' },
		{ "duration", required_argument, NULL, 'd' },
		{ "events", required_argument, NULL, 'n' },
		{ "lost-releases", required_argument, NULL, 'l' },
		{ "interim", required_argument, NULL, 'i' },
		{ "hold-down", required_argument, NULL, 'H' },
		{ "device", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "truth", required_argument, NULL, 't' },
		{ "per-datagram", required_argument, NULL, 'P' },
		{ "template-every", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct gensim_cfg c;
	struct gensim_stats gs;
	struct gensim_ev ev;
	struct gensim *g;
	const struct gen_format *fmt = &gen_juniper_sd;
	const char *outp = NULL, *truthp = NULL;
	FILE *out, *truth = NULL;
	struct truth_out to;
	char line[2048];
	int64_t ms;
	size_t n;
	int ch, zone, per_dgram = 64, tmpl_every = 64, rc;

	gensim_cfg_default(&c);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'S': c.seed = number(optarg); break;
		case 's': c.subscribers = (uint32_t)number(optarg); break;
		case 'p': pool(optarg, &c); break;
		case 'b': c.block_size = (uint32_t)number(optarg); break;
		case 'T':
			if (tc_parse_rfc3339(optarg, strlen(optarg), &ms,
			    &zone) != strlen(optarg) || !zone)
				die("--start wants RFC 3339 with a zone",
				    optarg);
			c.start_ms = ms;
			break;
		case 'd': c.duration_ms = duration(optarg); break;
		case 'n': c.events = number(optarg); break;
		case 'l':
			c.lost_release = strtod(optarg, NULL);
			if (c.lost_release < 0 || c.lost_release > 1)
				die("--lost-releases wants 0..1", optarg);
			break;
		case 'i': c.interim_ms = duration(optarg); break;
		case 'H': c.hold_down_ms = duration(optarg); break;
		case 'D': c.device = optarg; break;
		case 'f':
			if ((fmt = gen_format_find(optarg)) == NULL)
				die("unknown format", optarg);
			break;
		case 'o': outp = optarg; break;
		case 't': truthp = optarg; break;
		case 'P': per_dgram = (int)number(optarg); break;
		case 'E': tmpl_every = (int)number(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (outp == NULL || optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	c.resolution_ms = fmt->resolution_ms;
	c.start_ms = c.start_ms / c.resolution_ms * c.resolution_ms;
	if (gensim_new(&c, &g) != CGN_OK) {
		fprintf(stderr, "cgnlog-gen: bad parameters (block size,"
		    " events >= 2, subscribers > 0)\n");
		return EX_USAGE;
	}
	if ((out = strcmp(outp, "-") == 0 ? stdout : fopen(outp, "w")) ==
	    NULL || (truthp != NULL && (truth = fopen(truthp, "w")) == NULL)) {
		perror("cgnlog-gen");
		return EX_CANTCREAT;
	}
	if (truth != NULL)
		fprintf(truth, "# inside\tpublic\tport_lo\tport_hi\tstart_ms"
		    "\tend_ms\trelease_logged\n");
	to.f = truth;
	to.session = fmt->bin != NULL && fmt->bin->kind == GEN_K_SESSION;
	if (fmt->bin != NULL &&
	    (rc = write_binary(fmt, g, out, &to, per_dgram, tmpl_every)) != 0) {
		fprintf(stderr, "cgnlog-gen: cannot write %s\n", outp);
		return rc;
	}
	while (fmt->bin == NULL && gensim_next(g, &ev, write_truth, &to)) {
		if (!ev.logged)
			continue;
		if ((n = fmt->write(line, sizeof(line), &ev, c.device)) == 0)
			continue;
		line[n++] = '\n';
		fwrite(line, 1, n, out);
	}
	gensim_stats(g, &gs);
	fprintf(stderr, "cgnlog-gen: %llu allocations, %llu releases (%llu not"
	    " logged), %llu interims, %llu exhausted retries\n",
	    (unsigned long long)gs.allocs, (unsigned long long)gs.releases,
	    (unsigned long long)gs.lost, (unsigned long long)gs.interims,
	    (unsigned long long)gs.exhausted);
	gensim_free(g);
	if ((out != stdout && fclose(out) != 0) ||
	    (truth != NULL && fclose(truth) != 0)) {
		perror("cgnlog-gen");
		return EX_IOERR;
	}
	return 0;
}
