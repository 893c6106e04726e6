/*
 * output.c - a lookup's answer as a table, JSON or CSV (see output.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "timeconv.h"

int
q_format_parse(const char *s)
{
	if (strcmp(s, "table") == 0)
		return Q_TABLE;
	if (strcmp(s, "json") == 0)
		return Q_JSON;
	if (strcmp(s, "csv") == 0)
		return Q_CSV;
	return -1;
}

const char *
q_start_how(uint16_t flags)
{
	if (flags & STORE_F_START_LOGGED)
		return "logged";
	if (flags & STORE_F_START_INTERIM)
		return "interim";
	if (flags & STORE_F_START_UNSEEN)
		return "not_seen";
	return "unknown";
}

const char *
q_end_how(uint16_t flags)
{
	if (flags & STORE_F_OPEN)
		return "open";
	if (flags & STORE_F_END_LOGGED)
		return "logged";
	if (flags & STORE_F_END_REUSE)
		return "release_not_seen_reused";
	if (flags & STORE_F_END_MAXAGE)
		return "release_not_seen_max_age";
	if (flags & STORE_F_END_IDLE)
		return "release_not_seen_idle";
	return "unknown";
}

const char *
q_start_words(uint16_t flags)
{
	if (flags & STORE_F_START_LOGGED)
		return "allocation logged";
	if (flags & STORE_F_START_INTERIM)
		return "from an interim message";
	if (flags & STORE_F_START_UNSEEN)
		return "allocation not seen: earliest possible";
	return "unknown";
}

const char *
q_end_words(uint16_t flags)
{
	if (flags & STORE_F_OPEN)
		return "still open when last logged";
	if (flags & STORE_F_END_LOGGED)
		return "release logged";
	if (flags & STORE_F_END_REUSE)
		return "release not seen: ports given again";
	if (flags & STORE_F_END_MAXAGE)
		return "release not seen: closed at max age";
	if (flags & STORE_F_END_IDLE)
		return "release not seen: closed when idle";
	return "unknown";
}

const char *
q_proto_str(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case 0:		return "any";
	case 1:		return "icmp";
	case 6:		return "tcp";
	case 17:	return "udp";
	case 58:	return "icmpv6";
	default:
		snprintf(buf, len, "%u", proto);
		return buf;
	}
}

const char *
q_tfmt(int64_t ms, char *buf, size_t len)
{
	struct cgn_tm tm;

	if (ms == STORE_OPEN_END)
		return "open";
	tc_from_ms(ms, &tm);
	if (tm.ms == 0)
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.year,
		    tm.mon, tm.day, tm.hour, tm.min, tm.sec);
	else
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		    tm.year, tm.mon, tm.day, tm.hour, tm.min, tm.sec, tm.ms);
	return buf;
}

int64_t
q_gap_end(int64_t to_ms)
{
	return (to_ms + 1) % 60000 == 0 ? to_ms + 1 : to_ms;
}

const char *
q_dfmt(int64_t ms, char *buf, size_t len)
{
	const char *sign = ms < 0 ? "-" : "";
	int64_t a = ms < 0 ? -ms : ms;

	if (a < 1000 && a != 0)
		snprintf(buf, len, "%s%" PRId64 "ms", sign, a);
	else if (a < 60000 && a % 1000 == 0)
		snprintf(buf, len, "%s%" PRId64 "s", sign, a / 1000);
	else if (a < 60000)
		snprintf(buf, len, "%s%.3fs", sign, (double)a / 1000);
	else if (a < 3600000)
		snprintf(buf, len, "%s%" PRId64 "m%02" PRId64 "s", sign,
		    a / 60000, a % 60000 / 1000);
	else
		snprintf(buf, len, "%s%" PRId64 "h%02" PRId64 "m", sign,
		    a / 3600000, a % 3600000 / 60000);
	return buf;
}

void
q_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
q_csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* "collector down FROM to TO" / "DEVICE lost messages FROM to TO": a gap
 * in minutes, its end printed as the first minute after it. */
static void
table_gap(FILE *f, const char *label, const struct store_gap *g)
{
	char t1[32], t2[32];
	const char *to;

	q_tfmt(g->from_ms, t1, sizeof(t1));
	to = q_tfmt(q_gap_end(g->to_ms), t2, sizeof(t2));
	if (strncmp(t1, t2, 11) == 0)
		to += 11;	/* the same day: the time is enough */
	if (g->collector)
		fprintf(f, "%-10s collector down %s to %s\n", label, t1, to);
	else
		fprintf(f, "%-10s %s lost messages %s to %s\n", label,
		    g->device, t1, to);
}

static void
table_hit(FILE *f, const struct q_request *r, const struct q_answer *a,
    size_t i)
{
	const struct store_hit *h = &a->hits[i];
	char b1[CGN_ADDR_STRLEN], b2[CGN_ADDR_STRLEN], t[32], pb[8];

	if (a->nhits == 1)
		fprintf(f, "%-10s %s", "inside", cgn_addr_fmt(&h->inside, b1,
		    sizeof(b1)));
	else
		fprintf(f, "holder %-3zu %s", i + 1, cgn_addr_fmt(&h->inside,
		    b1, sizeof(b1)));
	if (h->inside_port)
		fprintf(f, " port %u", h->inside_port);
	fputc('\n', f);
	if (!cgn_addr_is_zero(&h->inside_v4))
		fprintf(f, "  %-8s %s (inside the DS-Lite tunnel of %s)\n",
		    "inner", cgn_addr_fmt(&h->inside_v4, b2, sizeof(b2)), b1);
	if (h->subscriber[0])
		fprintf(f, "  %-8s %s\n", "subscr", h->subscriber);
	fprintf(f, "  %-8s %-24s %s\n", "from", q_tfmt(h->start_ms, t,
	    sizeof(t)), q_start_words(h->flags));
	fprintf(f, "  %-8s %-24s %s\n", "until", q_tfmt(h->end_ms, t,
	    sizeof(t)), q_end_words(h->flags));
	fprintf(f, "  %-8s %u-%u %s, device %s\n", "ports", h->port_lo,
	    h->port_hi, q_proto_str(h->proto, pb, sizeof(pb)), h->device);
	if (!cgn_addr_is_zero(&h->dst))
		fprintf(f, "  %-8s %s port %u%s\n", "dest",
		    cgn_addr_fmt(&h->dst, b2, sizeof(b2)), h->dst_port,
		    !cgn_addr_is_zero(&r->dst) ? " (matches --dst)" : "");
	else if (!cgn_addr_is_zero(&r->dst))
		fprintf(f, "  %-8s not logged: --dst cannot rule it out\n",
		    "dest");
	if (a->doubt[i] & Q_D_GAP) {
		fprintf(f, "  %-8s release not logged, and logging had a gap"
		    " since its start:\n", "doubt");
		table_gap(f, "", &a->why[i]);
	}
	if (a->doubt[i] & Q_D_SILENT)
		fprintf(f, "  %-8s release not logged, and device %s was last"
		    " heard\n  %-8s %s, before the time asked\n", "doubt",
		    h->device, "", q_tfmt(a->heard[i], t, sizeof(t)));
}

static void
table_skew(FILE *f, const struct q_skew *s)
{
	char d1[24], d2[24], d3[24];

	if (!s->known) {
		fprintf(f, "%-10s %s: not measured around then\n", "clock",
		    s->device);
		return;
	}
	fprintf(f, "%-10s %s %s%s vs the collector (%s%s..%s%s)%s\n", "clock",
	    s->device, s->avg_ms >= 0 ? "+" : "", q_dfmt(s->avg_ms, d1,
	    sizeof(d1)), s->min_ms >= 0 ? "+" : "", q_dfmt(s->min_ms, d2,
	    sizeof(d2)), s->max_ms >= 0 ? "+" : "", q_dfmt(s->max_ms, d3,
	    sizeof(d3)), s->used ? "" : " not applied");
}

static void
print_table(FILE *f, const struct q_request *r, const struct q_answer *a,
    const char *ref)
{
	char ip[CGN_ADDR_STRLEN], t[32], d[24], pb[8];
	size_t i;

	if (ref != NULL)
		fprintf(f, "%-10s %s\n", "ref", ref);
	fprintf(f, "%-10s %s port %u", "public", cgn_addr_fmt(&r->ip, ip,
	    sizeof(ip)), r->port);
	if (r->proto != 0)
		fprintf(f, " %s", q_proto_str(r->proto, pb, sizeof(pb)));
	fputc('\n', f);
	if (!cgn_addr_is_zero(&r->dst)) {
		fprintf(f, "%-10s %s", "dest", cgn_addr_fmt(&r->dst, ip,
		    sizeof(ip)));
		if (r->dst_port)
			fprintf(f, " port %u", r->dst_port);
		fputc('\n', f);
	}
	fprintf(f, "%-10s %s +/- %s\n", "time", q_tfmt(r->t_ms, t, sizeof(t)),
	    q_dfmt(r->tol_ms, d, sizeof(d)));
	fprintf(f, "%-10s %s", "verdict", q_verdict_str(a->verdict));
	if (a->verdict == Q_AMBIGUOUS)
		fprintf(f, ": %zu holders%s", a->nholders + (a->nmore > 0),
		    a->nmore ? " or more" : "");
	else if (a->verdict == Q_NOCOVERAGE && a->nhits > 0)
		fprintf(f, ": a candidate the log cannot vouch for");
	fputc('\n', f);
	for (i = 0; i < a->nhits; i++)
		table_hit(f, r, a, i);
	if (a->nmore)
		fprintf(f, "%-10s %zu more intervals not shown: narrow the"
		    " tolerance\n", "more", a->nmore);
	if (a->ndst)
		fprintf(f, "%-10s %zu session%s with another destination left"
		    " out\n", "dest", a->ndst, a->ndst == 1 ? "" : "s");
	for (i = 0; i < a->nskew && a->nhits > 0; i++)
		table_skew(f, &a->skew[i]);
	for (i = 0; i < a->ngaps; i++)
		table_gap(f, "warning", &a->gaps[i]);
	if (a->has_before) {
		table_gap(f, "earlier", &a->before);
		fprintf(f, "%-10s an allocation made in that gap, its release"
		    " lost too, would not\n%-10s be in the store\n", "", "");
	}
}

static void
json_gap(FILE *f, const struct store_gap *g)
{
	char t1[32], t2[32];

	fprintf(f, "{\"what\":\"%s\",", g->collector ? "collector" : "device");
	if (!g->collector) {
		fprintf(f, "\"device\":");
		q_json_str(f, g->device);
		fputc(',', f);
	}
	fprintf(f, "\"from\":\"%s\",\"to\":\"%s\"}", tc_fmt(g->from_ms, t1,
	    sizeof(t1)), tc_fmt(g->to_ms, t2, sizeof(t2)));
}

static void
json_hit(FILE *f, const struct q_answer *a, size_t i)
{
	const struct store_hit *h = &a->hits[i];
	char ip[CGN_ADDR_STRLEN], t1[32], pb[8];

	fprintf(f, "{\"inside\":\"%s\"", cgn_addr_fmt(&h->inside, ip,
	    sizeof(ip)));
	if (!cgn_addr_is_zero(&h->inside_v4))
		fprintf(f, ",\"inside_v4\":\"%s\"", cgn_addr_fmt(&h->inside_v4,
		    ip, sizeof(ip)));
	if (h->inside_port)
		fprintf(f, ",\"inside_port\":%u", h->inside_port);
	if (h->subscriber[0]) {
		fprintf(f, ",\"subscriber\":");
		q_json_str(f, h->subscriber);
	}
	fprintf(f, ",\"public\":\"%s\",\"port_lo\":%u,\"port_hi\":%u,"
	    "\"proto\":\"%s\",\"device\":", cgn_addr_fmt(&h->outside, ip,
	    sizeof(ip)), h->port_lo, h->port_hi, q_proto_str(h->proto, pb,
	    sizeof(pb)));
	q_json_str(f, h->device);
	fprintf(f, ",\"start\":\"%s\",\"start_how\":\"%s\"",
	    tc_fmt(h->start_ms, t1, sizeof(t1)), q_start_how(h->flags));
	if (h->end_ms == STORE_OPEN_END)
		fprintf(f, ",\"end\":null");
	else
		fprintf(f, ",\"end\":\"%s\"", tc_fmt(h->end_ms, t1,
		    sizeof(t1)));
	fprintf(f, ",\"end_how\":\"%s\"", q_end_how(h->flags));
	if (!cgn_addr_is_zero(&h->dst))
		fprintf(f, ",\"dst\":\"%s\",\"dst_port\":%u",
		    cgn_addr_fmt(&h->dst, ip, sizeof(ip)), h->dst_port);
	fprintf(f, ",\"vouched\":%s", a->doubt[i] ? "false" : "true");
	if (a->doubt[i] & Q_D_GAP) {
		fprintf(f, ",\"doubt\":\"gap\",\"doubt_gap\":");
		json_gap(f, &a->why[i]);
	}
	/* "doubt" names the first reason, as before; each has its field */
	if (a->doubt[i] & Q_D_SILENT)
		fprintf(f, "%s,\"device_last_heard\":\"%s\"",
		    a->doubt[i] & Q_D_GAP ? "" : ",\"doubt\":\"silent\"",
		    tc_fmt(a->heard[i], t1, sizeof(t1)));
	fputc('}', f);
}

static void
print_json(FILE *f, const struct q_request *r, const struct q_answer *a,
    const char *ref)
{
	char ip[CGN_ADDR_STRLEN], t1[32], pb[8];
	size_t i;

	fprintf(f, "{");
	if (ref != NULL) {
		fprintf(f, "\"ref\":");
		q_json_str(f, ref);
		fprintf(f, ",");
	}
	fprintf(f, "\"ip\":\"%s\",\"port\":%u,", cgn_addr_fmt(&r->ip, ip,
	    sizeof(ip)), r->port);
	if (r->proto != 0)
		fprintf(f, "\"proto\":\"%s\",", q_proto_str(r->proto, pb,
		    sizeof(pb)));
	if (!cgn_addr_is_zero(&r->dst))
		fprintf(f, "\"dst\":\"%s\",\"dst_port\":%u,",
		    cgn_addr_fmt(&r->dst, ip, sizeof(ip)), r->dst_port);
	fprintf(f, "\"time\":\"%s\",\"tolerance_ms\":%" PRId64 ","
	    "\"verdict\":\"%s\",\"holders\":%zu,\"vouched\":%zu,"
	    "\"intervals\":[", tc_fmt(r->t_ms, t1, sizeof(t1)), r->tol_ms,
	    q_verdict_str(a->verdict), a->nholders, a->nconfirmed);
	for (i = 0; i < a->nhits; i++) {
		if (i)
			fputc(',', f);
		json_hit(f, a, i);
	}
	fprintf(f, "],\"more_intervals\":%zu,\"dst_excluded\":%zu,"
	    "\"gaps\":[", a->nmore, a->ndst);
	for (i = 0; i < a->ngaps; i++) {
		if (i)
			fputc(',', f);
		json_gap(f, &a->gaps[i]);
	}
	fprintf(f, "],\"gap_before\":");
	if (a->has_before)
		json_gap(f, &a->before);
	else
		fprintf(f, "null");
	fprintf(f, ",\"clocks\":[");
	for (i = 0; i < a->nskew; i++) {
		const struct q_skew *s = &a->skew[i];

		fprintf(f, "%s{\"device\":", i ? "," : "");
		q_json_str(f, s->device);
		if (s->known)
			fprintf(f, ",\"skew_avg_ms\":%" PRId64 ",\"skew_min_ms\":"
			    "%" PRId64 ",\"skew_max_ms\":%" PRId64 ",\"events\":"
			    "%" PRIu64 ",\"applied\":%s}", s->avg_ms, s->min_ms,
			    s->max_ms, s->n, s->used ? "true" : "false");
		else
			fprintf(f, ",\"skew_avg_ms\":null,\"applied\":false}");
	}
	fprintf(f, "],\"window\":{\"from\":\"%s\",", tc_fmt(a->from_ms, t1,
	    sizeof(t1)));
	fprintf(f, "\"to\":\"%s\"}}\n", tc_fmt(a->to_ms, t1, sizeof(t1)));
}

void
q_print_csv_header(FILE *f)
{
	fprintf(f, "ref,ip,port,time,verdict,inside,port_lo,port_hi,proto,"
	    "device,start,start_how,end,end_how,vouched,inside_v4,subscriber,"
	    "skew_ms,gaps,message,dst,dst_port\n");
}

static void
print_csv(FILE *f, const struct q_request *r, const struct q_answer *a,
    const char *ref)
{
	char ip[CGN_ADDR_STRLEN], in[CGN_ADDR_STRLEN], t1[32], t2[32], t3[32];
	char pb[8];
	size_t i, k;

	cgn_addr_fmt(&r->ip, ip, sizeof(ip));
	tc_fmt(r->t_ms, t1, sizeof(t1));
	for (i = 0; i < (a->nhits ? a->nhits : 1); i++) {
		const struct store_hit *h = a->nhits ? &a->hits[i] : NULL;
		const struct q_skew *s = NULL;

		q_csv_field(f, ref ? ref : "");
		fprintf(f, ",%s,%u,%s,%s,", ip, r->port, t1,
		    q_verdict_str(a->verdict));
		if (h == NULL) {
			fprintf(f, ",,,,,,,,,,,,,%zu,%s,,\n", a->ngaps,
			    a->has_before ? "gap before the time: an"
			    " allocation then may be missing" : "");
			continue;
		}
		fprintf(f, "%s,%u,%u,%s,", cgn_addr_fmt(&h->inside, in,
		    sizeof(in)), h->port_lo, h->port_hi,
		    q_proto_str(h->proto, pb, sizeof(pb)));
		q_csv_field(f, h->device);
		fprintf(f, ",%s,%s,%s,%s,%s,", tc_fmt(h->start_ms, t2,
		    sizeof(t2)), q_start_how(h->flags), h->end_ms ==
		    STORE_OPEN_END ? "" : tc_fmt(h->end_ms, t3, sizeof(t3)),
		    q_end_how(h->flags), a->doubt[i] ? "no" : "yes");
		if (!cgn_addr_is_zero(&h->inside_v4))
			fputs(cgn_addr_fmt(&h->inside_v4, in, sizeof(in)), f);
		fputc(',', f);
		q_csv_field(f, h->subscriber);
		for (k = 0; k < a->nskew; k++)
			if (strcmp(a->skew[k].device, h->device) == 0)
				s = &a->skew[k];
		if (s != NULL && s->known)
			fprintf(f, ",%" PRId64, s->avg_ms);
		else
			fputc(',', f);
		fprintf(f, ",%zu,%s%s", a->ngaps, a->doubt[i] & Q_D_GAP ?
		    "release not logged and a gap since its start" : "",
		    a->doubt[i] & Q_D_GAP && a->doubt[i] & Q_D_SILENT ?
		    "; " : "");
		if (a->doubt[i] & Q_D_SILENT)
			fprintf(f, "release not logged and device last heard"
			    " %s", tc_fmt(a->heard[i], t2, sizeof(t2)));
		fputc(',', f);
		/* a session's destination, where the device logged one */
		if (!cgn_addr_is_zero(&h->dst))
			fprintf(f, "%s,%u", cgn_addr_fmt(&h->dst, in,
			    sizeof(in)), h->dst_port);
		else
			fputc(',', f);
		fputc('\n', f);
	}
}

void
q_print_lookup(FILE *f, enum q_format fmt, const struct q_request *r,
    const struct q_answer *a, const char *ref)
{
	switch (fmt) {
	case Q_JSON:
		print_json(f, r, a, ref);
		break;
	case Q_CSV:
		print_csv(f, r, a, ref);
		break;
	default:
		print_table(f, r, a, ref);
		break;
	}
}

void
q_print_bad(FILE *f, enum q_format fmt, const char *ref, size_t line,
    const char *input, const char *msg)
{
	switch (fmt) {
	case Q_JSON:
		fprintf(f, "{");
		if (ref != NULL) {
			fprintf(f, "\"ref\":");
			q_json_str(f, ref);
			fprintf(f, ",");
		}
		if (line)
			fprintf(f, "\"line\":%zu,", line);
		fprintf(f, "\"input\":");
		q_json_str(f, input);
		fprintf(f, ",\"verdict\":\"bad_input\",\"error\":");
		q_json_str(f, msg);
		fprintf(f, "}\n");
		break;
	case Q_CSV:
		q_csv_field(f, ref ? ref : "");
		fprintf(f, ",,,,bad_input,,,,,,,,,,,,,,,");
		q_csv_field(f, msg);
		fputs(",,\n", f);
		break;
	default:
		if (ref != NULL)
			fprintf(f, "%-10s %s\n", "ref", ref);
		if (line)
			fprintf(f, "%-10s %zu: %s\n", "line", line, input);
		fprintf(f, "%-10s bad_input: %s\n", "verdict", msg);
		break;
	}
}
