/*
 * output.c - see output.h.
 */
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

void
q_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *
tfmt(int64_t ms, char *buf, size_t len)
{
	if (ms == STORE_OPEN_END)
		return "open";
	return tc_fmt(ms, buf, len);
}

static void
print_table(FILE *f, const struct q_request *r, const struct q_answer *a,
    const char *ref)
{
	char ip[CGN_ADDR_STRLEN], in[CGN_ADDR_STRLEN], t1[32], t2[32], pb[8];
	size_t i;

	cgn_addr_fmt(&r->ip, ip, sizeof(ip));
	fprintf(f, "%s%s%s%s:%u at %s (+/- %lld ms): %s\n",
	    ref ? "[" : "", ref ? ref : "", ref ? "] " : "", ip, r->port,
	    tc_fmt(r->t_ms, t1, sizeof(t1)), (long long)r->tol_ms,
	    q_verdict_str(a->verdict));
	for (i = 0; i < a->nhits; i++) {
		const struct store_hit *h = &a->hits[i];

		cgn_addr_fmt(&h->inside, in, sizeof(in));
		fprintf(f, "  inside    %s", in);
		if (!cgn_addr_is_zero(&h->inside_v4))
			fprintf(f, " (inner %s)", cgn_addr_fmt(&h->inside_v4,
			    ip, sizeof(ip)));
		if (h->inside_port)
			fprintf(f, " port %u", h->inside_port);
		if (h->subscriber[0])
			fprintf(f, " subscriber %s", h->subscriber);
		fprintf(f, "\n  ports     %u-%u %s   device %s\n", h->port_lo,
		    h->port_hi, q_proto_str(h->proto, pb, sizeof(pb)),
		    h->device);
		fprintf(f, "  from      %s (%s)\n", tfmt(h->start_ms, t1,
		    sizeof(t1)), q_start_how(h->flags));
		fprintf(f, "  until     %s (%s)\n", tfmt(h->end_ms, t2,
		    sizeof(t2)), q_end_how(h->flags));
	}
	for (i = 0; i < a->ngaps; i++)
		fprintf(f, "  warning   %s %s .. %s\n", a->gaps[i].collector ?
		    "collector not running" : "device lost messages",
		    tc_fmt(a->gaps[i].from_ms, t1, sizeof(t1)),
		    tc_fmt(a->gaps[i].to_ms, t2, sizeof(t2)));
}

static void
print_json(FILE *f, const struct q_request *r, const struct q_answer *a,
    const char *ref)
{
	char ip[CGN_ADDR_STRLEN], t1[32], pb[8];
	size_t i;

	cgn_addr_fmt(&r->ip, ip, sizeof(ip));
	fprintf(f, "{");
	if (ref != NULL) {
		fprintf(f, "\"ref\":");
		q_json_str(f, ref);
		fprintf(f, ",");
	}
	fprintf(f, "\"ip\":\"%s\",\"port\":%u,\"time\":\"%s\","
	    "\"tolerance_ms\":%lld,\"verdict\":\"%s\",\"holders\":%zu,"
	    "\"intervals\":[", ip, r->port, tc_fmt(r->t_ms, t1, sizeof(t1)),
	    (long long)r->tol_ms, q_verdict_str(a->verdict), a->nholders);
	for (i = 0; i < a->nhits; i++) {
		const struct store_hit *h = &a->hits[i];

		fprintf(f, "%s{\"inside\":\"%s\"", i ? "," : "",
		    cgn_addr_fmt(&h->inside, ip, sizeof(ip)));
		if (!cgn_addr_is_zero(&h->inside_v4))
			fprintf(f, ",\"inside_v4\":\"%s\"",
			    cgn_addr_fmt(&h->inside_v4, ip, sizeof(ip)));
		if (h->inside_port)
			fprintf(f, ",\"inside_port\":%u", h->inside_port);
		if (h->subscriber[0]) {
			fprintf(f, ",\"subscriber\":");
			q_json_str(f, h->subscriber);
		}
		fprintf(f, ",\"public\":\"%s\",\"port_lo\":%u,\"port_hi\":%u,"
		    "\"proto\":\"%s\",\"device\":",
		    cgn_addr_fmt(&h->outside, ip, sizeof(ip)), h->port_lo,
		    h->port_hi, q_proto_str(h->proto, pb, sizeof(pb)));
		q_json_str(f, h->device);
		fprintf(f, ",\"start\":\"%s\",\"start_how\":\"%s\"",
		    tc_fmt(h->start_ms, t1, sizeof(t1)), q_start_how(h->flags));
		if (h->end_ms == STORE_OPEN_END)
			fprintf(f, ",\"end\":null");
		else
			fprintf(f, ",\"end\":\"%s\"", tc_fmt(h->end_ms, t1,
			    sizeof(t1)));
		fprintf(f, ",\"end_how\":\"%s\"}", q_end_how(h->flags));
	}
	fprintf(f, "],\"gaps\":[");
	for (i = 0; i < a->ngaps; i++) {
		fprintf(f, "%s{\"what\":\"%s\",\"from\":\"%s\"", i ? "," : "",
		    a->gaps[i].collector ? "collector" : "device",
		    tc_fmt(a->gaps[i].from_ms, t1, sizeof(t1)));
		fprintf(f, ",\"to\":\"%s\"}", tc_fmt(a->gaps[i].to_ms, t1,
		    sizeof(t1)));
	}
	fprintf(f, "]}\n");
}

static void
csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\n") == NULL) {
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

static void
print_csv(FILE *f, const struct q_request *r, const struct q_answer *a,
    const char *ref)
{
	char ip[CGN_ADDR_STRLEN], in[CGN_ADDR_STRLEN], t1[32], t2[32], t3[32];
	char pb[8];
	size_t i;

	cgn_addr_fmt(&r->ip, ip, sizeof(ip));
	tc_fmt(r->t_ms, t1, sizeof(t1));
	/* ref,ip,port,time,verdict,inside,port_lo,port_hi,proto,device,
	 * start,start_how,end,end_how */
	for (i = 0; i < (a->nhits ? a->nhits : 1); i++) {
		const struct store_hit *h = a->nhits ? &a->hits[i] : NULL;

		csv_field(f, ref ? ref : "");
		fprintf(f, ",%s,%u,%s,%s,", ip, r->port, t1,
		    q_verdict_str(a->verdict));
		if (h == NULL) {
			fprintf(f, ",,,,,,,,\n");
			continue;
		}
		fprintf(f, "%s,%u,%u,%s,", cgn_addr_fmt(&h->inside, in,
		    sizeof(in)), h->port_lo, h->port_hi,
		    q_proto_str(h->proto, pb, sizeof(pb)));
		csv_field(f, h->device);
		fprintf(f, ",%s,%s,%s,%s\n", tc_fmt(h->start_ms, t2,
		    sizeof(t2)), q_start_how(h->flags), h->end_ms ==
		    STORE_OPEN_END ? "" : tc_fmt(h->end_ms, t3, sizeof(t3)),
		    q_end_how(h->flags));
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
