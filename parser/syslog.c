/*
 * syslog.c - syslog messages to cgn_event: the header, then a vendor body.
 *
 * Accepts RFC 5424 (<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG), RFC 3164
 * (<PRI>Mmm dd hh:mm:ss HOST TAG: MSG, with the ASA's optional year), a
 * line as a syslog server stores it (RFC 3339 time, host, message, no PRI)
 * and a bare vendor body. The vendor bodies are a table (syslog_<vendor>.c).
 * Time precedence: a UTC epoch in the body (the vendor sets it), then a
 * header time with an offset, then a zoneless header time in the device's
 * zone, then the receive time.
 * With a parser state, the last RFC 3164 header read is kept (struct
 * syslog_memo, parser/pstate.h): the next line that starts with the same
 * bytes, received at the same time for the same zone, takes its results
 * without reading it again (a device sends many lines per second).
 * Not here: RFC 6587 TCP framing (collector), vendor bodies.
 */
#include <string.h>

#include "pstate.h"
#include "scan.h"
#include "syslog.h"
#include "timeconv.h"
#include "tz.h"

/* Tried top to bottom; a row's marks (a literal its messages carry) are
 * looked for first (syslog_parse). The first row is searched for without
 * the pair filter: keep the most common vendor there. */
static const struct syslog_vendor *const vendors[] = {
	&syslog_juniper,	/* NAT_PORT_BLOCK_, RT_SRC_NAT_PBA_, RT_FLOW_ */
	&syslog_cisco_asa,	/* %ASA-, %FTD- */
	&syslog_cisco_xr,	/* [Userbased, [Sessionbased */
	&syslog_cisco_ios,	/* %IPNAT- */
	&syslog_a10,		/* CEF:0|A10|, NAT-TCP-, PortBatch, ... */
	&syslog_f5,		/* LSN_ */
	&syslog_nokia,		/* " NAT [", tmnxNat */
	&syslog_huawei,		/* NAT444:, NAT64:, USERLOG/ */
	&syslog_fortigate,	/* logid= */
	&syslog_paloalto,	/* ,TRAFFIC, */
	&syslog_vpp,		/* [napmap , [nsess */
	&syslog_vyatta,		/* PB_ALLOCATED , cgn-addr=, CGNAT: */
	&syslog_netscreen,	/* NetScreen device_id= */
	&syslog_6wind,		/* " CONN: fwd proto " */
	&syslog_nfware,		/* " EXT " (A|D VRF n ... INT ... EXT) */
	NULL
};

struct cgn_event *
syslog_ev_add(struct syslog_out *out)
{
	struct cgn_event *ev;

	if (out->n >= SYSLOG_MAXREC)
		return NULL;
	ev = &out->ev[out->n++];
	*ev = out->base;
	return ev;
}

/* RFC 5424 6.2.1: "<" 1*3DIGIT ">", PRI 0..191. */
static size_t
scan_pri(struct scan *s)
{
	struct scan t = *s;
	uint64_t pri;

	size_t n;

	if (!scan_char(&t, '<') || !scan_uint(&t, 3, &pri) || pri > 191 ||
	    !scan_char(&t, '>'))
		return 0;
	n = (size_t)(t.p - s->p);
	s->p = t.p;
	return n;
}

/* A space-delimited token (may be empty if at a space). */
static void
scan_token(struct scan *s, const char **tok, size_t *len)
{
	scan_until(s, " ", tok, len);
}

/* The year that puts month/day closest to the receive time: a December
 * message received on 1 January belongs to last year (RFC 3164 has none).
 * *year gets it and *ms the time in it; CGN_EMALFORMED when tm is no time
 * in that year (Feb 29, hour 24), as tc_to_ms says. */
static int
guess_year_ms(const struct cgn_tm *tm, int64_t rx_ms, int *year,
    int64_t *ms)
{
	struct cgn_tm rx, t = *tm;
	int64_t best = INT64_MAX, bms = 0, v, d;
	int y;

	tc_from_ms(rx_ms, &rx);
	*year = rx.year;
	/* Within half a year of the receive time in its own year, no other
	 * year can be nearer (those are a year further): the common case
	 * costs one conversion, not three. */
	t.year = rx.year;
	if (tc_to_ms(&t, &v) == CGN_OK &&
	    (v > rx_ms ? v - rx_ms : rx_ms - v) < 182 * 86400000LL) {
		*ms = v;
		return CGN_OK;
	}
	for (y = rx.year - 1; y <= rx.year + 1; y++) {
		t.year = y;
		if (tc_to_ms(&t, &v) != CGN_OK)	/* Feb 29 */
			continue;
		d = v > rx_ms ? v - rx_ms : rx_ms - v;
		if (d < best) {
			best = d;
			bms = v;
			*year = y;
		}
	}
	if (best == INT64_MAX)
		return CGN_EMALFORMED;
	*ms = bms;
	return CGN_OK;
}

/* Vendor bodies with yearless times (Cisco IOS) use it too. */
int
syslog_guess_year(const struct cgn_tm *tm, int64_t rx_ms)
{
	int64_t ms;
	int year;

	(void)guess_year_ms(tm, rx_ms, &year, &ms);
	return year;
}

/* "Mmm dd hh:mm:ss" or "Mmm dd yyyy hh:mm:ss", optional ".fff", and the
 * colon Cisco devices put after it. The day may be space padded
 * ("Oct  5"). */
static size_t
scan_bsd_time(struct scan *s, struct cgn_tm *tm, int *has_year)
{
	struct scan t = *s;
	uint64_t day, year;
	int frac;

	if (scan_left(&t) < 3 || (tm->mon = tc_month(t.p, 3)) == 0)
		return 0;
	t.p += 3;
	if (!scan_ws(&t) || !scan_uint(&t, 2, &day) || !scan_char(&t, ' '))
		return 0;
	tm->day = (int)day;
	*has_year = 0;
	if (scan_left(&t) > 5 && t.p[4] == ' ' && scan_uint(&t, 4, &year)) {
		tm->year = (int)year;
		*has_year = 1;
		scan_ws(&t);
	}
	if (!scan_digits(&t, 2, &tm->hour) || !scan_char(&t, ':') ||
	    !scan_digits(&t, 2, &tm->min) || !scan_char(&t, ':') ||
	    !scan_digits(&t, 2, &tm->sec))
		return 0;
	tm->ms = 0;
	if (scan_char(&t, '.') && scan_digits(&t, 3, &frac))
		tm->ms = frac;
	while (t.p < t.end && *t.p >= '0' && *t.p <= '9')
		t.p++;		/* microseconds: dropped */
	scan_char(&t, ':');	/* Cisco: "Jun 30 2026 12:00:00: %ASA-..." */
	if (!scan_char(&t, ' ') && t.p != t.end)
		return 0;
	s->p = t.p;
	return 1;
}

/* Header of an RFC 5424 message after "<PRI>1 ". Cisco IOS XR CGN and
 * Huawei CGN boards write "1 YYYY Mon DD hh:mm:ss" in place of the RFC 3339
 * TIMESTAMP (their "simplified timestamp", local time without a zone);
 * otherwise the header is RFC 5424's, so it is taken here, in the device's
 * zone. */
static int
parse_5424(struct scan *s, const struct cgn_src *src, struct syslog_msg *m,
    struct syslog_out *out)
{
	const char *tok, *q;
	struct scan t = *s;
	struct cgn_tm tm;
	uint64_t year;
	size_t len, n;
	int64_t ms;
	int zone, has_year;

	if (scan_uint(&t, 4, &year) == 4 && scan_char(&t, ' ') &&
	    scan_bsd_time(&t, &tm, &has_year) && !has_year) {
		tm.year = (int)year;
		if (tc_to_ms(&tm, &ms) != CGN_OK ||
		    tz_local_to_utc(src->tz, ms, &ms) != CGN_OK)
			return CGN_EMALFORMED;
		out->base.ts_ms = ms;
		out->base.tsrc = src->tz != NULL ? CGN_TS_LOCAL : CGN_TS_UTC;
		s->p = t.p - 1;	/* at the space before HOSTNAME */
	} else if (scan_token(s, &tok, &len), len == 1 && tok[0] == '-') {
		/* NILVALUE: the base keeps the receive time */
	} else if ((n = tc_parse_rfc3339(tok, len, &ms, &zone)) == len &&
	    zone) {
		out->base.ts_ms = ms;
		out->base.tsrc = CGN_TS_UTC;
	} else {
		return CGN_EMALFORMED;	/* RFC 5424 6.2.3 requires a zone */
	}
	if (!scan_char(s, ' '))
		return CGN_ETRUNC;
	scan_token(s, &m->host, &m->hostlen);
	if (!scan_char(s, ' '))
		return CGN_ETRUNC;
	scan_token(s, &m->app, &m->applen);
	if (!scan_char(s, ' '))
		return CGN_ETRUNC;
	scan_token(s, &tok, &len);	/* PROCID */
	if (!scan_char(s, ' '))
		return CGN_ETRUNC;
	scan_token(s, &m->msgid, &m->msgidlen);
	if (!scan_char(s, ' '))
		return CGN_ETRUNC;
	if (scan_char(s, '-')) {
		m->sd = s->p;
		m->sdlen = 0;
	} else if (s->p < s->end && *s->p == '[') {
		/* SD-ELEMENTs: "]" inside a value is escaped as "\]" */
		m->sd = s->p;
		for (q = s->p; q < s->end; q++) {
			if (*q == '\\' && q + 1 < s->end) {
				q++;
				continue;
			}
			if (*q == ']' && (q + 1 == s->end || q[1] != '['))
				break;
		}
		if (q == s->end)
			return CGN_ETRUNC;
		s->p = q + 1;
		m->sdlen = (size_t)(s->p - m->sd);
	} else {
		return CGN_EMALFORMED;
	}
	if (m->applen == 1 && m->app[0] == '-')
		m->applen = 0;
	if (m->hostlen == 1 && m->host[0] == '-')
		m->hostlen = 0;
	if (m->msgidlen == 1 && m->msgid[0] == '-')
		m->msgidlen = 0;
	scan_char(s, ' ');
	scan_lit(s, "\xEF\xBB\xBF");	/* RFC 5424 6.4 BOM */
	return CGN_OK;
}

/* The TAG of an RFC 3164 message at s; the body keeps the tag so vendors
 * can match on it. */
static void
scan_tag(const struct scan *s, struct syslog_msg *m)
{
	struct scan t = *s;

	scan_until(&t, ":[ ", &m->app, &m->applen);
}

/* HOST (unless what follows the time is already the tag) and the TAG of
 * an RFC 3164 message. */
static void
parse_3164_rest(struct scan *s, struct syslog_msg *m)
{
	struct scan t;
	const char *tok;
	size_t len;

	scan_ws(s);
	t = *s;
	scan_token(&t, &tok, &len);
	if (len > 0 && tok[len - 1] != ':' && t.p < t.end) {
		m->host = tok;
		m->hostlen = len;
		*s = t;
		scan_ws(s);
	}
	scan_tag(s, m);
}

/*
 * The header read before (struct syslog_memo), if buf starts with it: then
 * m's host, out's time and s (at the tag) are set. Everything the header's
 * reading looked at is in those bytes or in the key (rx_ms, tz): kept only
 * when a host was found and a body follows, and the byte after them must
 * not be a blank, which the reading would have skipped.
 */
static int
memo_hit(const struct syslog_memo *mo, const struct cgn_src *src,
    const char *buf, size_t len, struct scan *s, struct syslog_msg *m,
    struct syslog_out *out)
{
	if (mo->hlen == 0 || len <= mo->hlen || mo->rx_ms != src->rx_ms ||
	    mo->tz != src->tz || buf[mo->hlen] == ' ' ||
	    buf[mo->hlen] == '\t' || memcmp(buf, mo->hdr, mo->hlen) != 0)
		return 0;
	m->host = buf + mo->hostoff;
	m->hostlen = mo->hostlen;
	if (mo->has_ts) {
		out->base.ts_ms = mo->ts_ms;
		out->base.tsrc = mo->tsrc;
	}
	scan_init(s, buf, len);
	s->p = buf + mo->hlen;
	scan_tag(s, m);
	return 1;
}

/* Keep the RFC 3164 header just read (s at the tag) for memo_hit. */
static void
memo_keep(struct syslog_memo *mo, const struct cgn_src *src,
    const char *buf, const struct scan *s, const struct syslog_msg *m,
    const struct syslog_out *out, int has_ts)
{
	size_t n = (size_t)(s->p - buf);

	if (m->hostlen == 0 || s->p == s->end || n > sizeof(mo->hdr)) {
		mo->hlen = 0;
		return;
	}
	memcpy(mo->hdr, buf, n);
	mo->hlen = n;
	mo->hostoff = (size_t)(m->host - buf);
	mo->hostlen = m->hostlen;
	mo->tz = src->tz;
	mo->rx_ms = src->rx_ms;
	mo->has_ts = has_ts;
	mo->ts_ms = out->base.ts_ms;
	mo->tsrc = out->base.tsrc;
}

/* syslog_split, with a memo of the last RFC 3164 header (NULL: none). */
static int
split(const struct cgn_src *src, const char *buf, size_t len,
    struct syslog_msg *m, struct syslog_out *out, struct syslog_memo *mo)
{
	struct scan s;
	struct cgn_tm tm;
	int64_t ms;
	size_t n;
	int has_pri, zone, has_year, has_ts;

	memset(m, 0, sizeof(*m));
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == '\0'))
		len--;
	if (len == 0)
		return CGN_ETRUNC;
	if (mo != NULL && memo_hit(mo, src, buf, len, &s, m, out))
		goto body;
	scan_init(&s, buf, len);
	has_pri = scan_pri(&s) != 0;
	if (has_pri && scan_lit(&s, "1 ")) {
		int rc = parse_5424(&s, src, m, out);

		if (rc != CGN_OK)
			return rc;
	} else if ((n = tc_parse_rfc3339(s.p, scan_left(&s), &ms, &zone)) &&
	    (n == scan_left(&s) || s.p[n] == ' ')) {
		/* a line as rsyslog/syslog-ng store it, or an RFC 3339 3164 */
		s.p += n;
		if (zone) {
			out->base.ts_ms = ms;
			out->base.tsrc = CGN_TS_UTC;
		} else if (tz_local_to_utc(src->tz, ms, &ms) == CGN_OK) {
			out->base.ts_ms = ms;
			out->base.tsrc = CGN_TS_LOCAL;
		}
		parse_3164_rest(&s, m);
	} else if (scan_bsd_time(&s, &tm, &has_year)) {
		/* the guess gives the time in the year it picks */
		has_ts = 0;
		if ((has_year ? tc_to_ms(&tm, &ms) :
		    guess_year_ms(&tm, src->rx_ms, &tm.year, &ms)) == CGN_OK &&
		    tz_local_to_utc(src->tz, ms, &ms) == CGN_OK) {
			out->base.ts_ms = ms;
			out->base.tsrc = src->tz != NULL ? CGN_TS_LOCAL :
			    CGN_TS_UTC;
			has_ts = 1;
		}
		parse_3164_rest(&s, m);
		if (mo != NULL)
			memo_keep(mo, src, buf, &s, m, out, has_ts);
	}
body:
	m->body = s.p;
	m->bodylen = scan_left(&s);
	/* an RFC 5424 MSGID and SD precede the body in buf */
	m->all = m->msgid != NULL ? m->msgid : m->body;
	m->alllen = (size_t)(m->body + m->bodylen - m->all);
	m->tz = src->tz;
	m->rx_ms = src->rx_ms;
	return CGN_OK;
}

int
syslog_split(const struct cgn_src *src, const char *buf, size_t len,
    struct syslog_msg *m, struct syslog_out *out)
{
	return split(src, buf, len, m, out, NULL);
}

static void
set_device(const struct cgn_src *src, const struct syslog_msg *m,
    struct cgn_event *base)
{
	size_t n;

	if (src->device != NULL) {
		n = strlen(src->device);
		if (n >= sizeof(base->device))
			n = sizeof(base->device) - 1;
		memcpy(base->device, src->device, n);
		base->device[n] = '\0';
	} else if (!cgn_addr_is_zero(&src->exporter)) {
		cgn_addr_fmt(&src->exporter, base->device,
		    sizeof(base->device));
	} else if (m->hostlen > 0) {
		/* a file carries no sender: the header's host names the box */
		n = m->hostlen < sizeof(base->device) ? m->hostlen :
		    sizeof(base->device) - 1;
		memcpy(base->device, m->host, n);
		base->device[n] = '\0';
	} else {
		memcpy(base->device, "unknown", sizeof("unknown"));
	}
}

/*
 * The cheap first check: one of the vendor's literals is in the message.
 * A filter of the byte pairs the message holds (1024 bits, built in one
 * pass per message) rules out almost every absent mark in a few
 * instructions; a search runs only for a mark whose every pair is present.
 * Without it a line of the last vendor in the table paid for some 25 full
 * memmem scans (3 us); with it, dispatch costs about the same for every
 * row (make bench-lognorm: ours_lps_<format>).
 */
struct pairs {
	uint64_t w[16];
};

static inline unsigned
pair_bit(unsigned char a, unsigned char b)
{
	return ((unsigned)a << 3 ^ b) & 1023u;
}

static void
pairs_of(const char *p, size_t n, struct pairs *ps)
{
	size_t i;
	unsigned h;

	memset(ps, 0, sizeof(*ps));
	for (i = 1; i < n; i++) {
		h = pair_bit((unsigned char)p[i - 1], (unsigned char)p[i]);
		ps->w[h >> 6] |= 1ULL << (h & 63);
	}
}

/* 1 if every pair of mark is in the filter (the walk ends at its NUL:
 * no strlen per mark and message). */
static int
pairs_may_hold(const struct pairs *ps, const char *mark)
{
	size_t i;
	unsigned h;

	if (mark[0] == '\0')
		return 1;
	for (i = 1; mark[i] != '\0'; i++) {
		h = pair_bit((unsigned char)mark[i - 1],
		    (unsigned char)mark[i]);
		if (!(ps->w[h >> 6] & 1ULL << (h & 63)))
			return 0;
	}
	return 1;
}

/* ps NULL: no filter, each mark is searched for. A mark is found with
 * txt_find (memchr for its first byte), several times faster than
 * memmem, whose set-up alone cost some 50 ns per call. */
static int
vendor_marked(const struct syslog_vendor *v, const struct syslog_msg *m,
    const struct pairs *ps)
{
	size_t i;

	if (v->mark[0] == NULL)
		return 1;
	for (i = 0; v->mark[i] != NULL; i++) {
		if (ps != NULL && !pairs_may_hold(ps, v->mark[i]))
			continue;
		if (v->mark[i][0] == '\0' ||
		    txt_find(m->all, m->alllen, v->mark[i]) != NULL)
			return 1;
	}
	return 0;
}

static int
syslog_parse(struct cgn_pstate *st, const struct cgn_src *src,
    const uint8_t *buf, size_t len, cgn_emit_fn *emit, void *arg)
{
	struct syslog_out out;
	struct syslog_msg m;
	struct pairs ps;
	int i, rc = CGN_EUNKNOWN;

	memset(&out.base, 0, sizeof(out.base));
	out.n = 0;
	out.base.rx_ms = src->rx_ms;
	out.base.ts_ms = src->rx_ms;
	out.base.tsrc = CGN_TS_RX;
	if ((rc = split(src, (const char *)buf, len, &m, &out,
	    st != NULL ? &st->syslog : NULL)) != CGN_OK)
		return rc;
	set_device(src, &m, &out.base);
	rc = CGN_EUNKNOWN;
	/* The first row's marks are searched for directly and the filter is
	 * built only for the rows after it: for a line of the first row
	 * (Juniper) the filter cost more than the rest of the dispatch, and
	 * a line of another row pays a few memchr for it. */
	for (i = 0; vendors[i] != NULL; i++) {
		if (i == 1)
			pairs_of(m.all, m.alllen, &ps);
		if (!vendor_marked(vendors[i], &m, i > 0 ? &ps : NULL))
			continue;
		out.n = 0;
		if ((rc = vendors[i]->parse(&m, &out)) != CGN_EUNKNOWN)
			break;
	}
	if (rc != CGN_OK)
		return rc;
	/* "::" and "0.0.0.0" are addresses to a body that reads words as
	 * they come (Nokia's): an event with no public address answers no
	 * lookup and would pair under a key no device means, so the line is
	 * malformed, kept in the reject file like any other */
	for (i = 0; i < out.n; i++) {
		uint32_t v4;

		if (cgn_addr_is_zero(&out.ev[i].outside) ||
		    (cgn_addr_is_v4(&out.ev[i].outside, &v4) && v4 == 0))
			return CGN_EMALFORMED;
	}
	for (i = 0; i < out.n; i++)
		if ((rc = emit(arg, &out.ev[i])) != 0)
			return rc;
	return CGN_OK;
}

/* Anything printable that starts like a syslog message or a stored line. */
static int
syslog_detect(const uint8_t *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (buf[0] == '<')
		return 1;
	/* no PRI: a line from a file; text, not a binary header */
	return buf[0] >= 0x20 && buf[0] < 0x7f;
}

const struct cgn_parser syslog_parser = {
	.name = "syslog",
	.detect = syslog_detect,
	.parse = syslog_parse,
};
