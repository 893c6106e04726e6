/*
 * syslog_vutil.c - helpers several vendor bodies share: words, address and
 * port pairs, protocol names, port ranges, times written in the device's
 * local zone, epochs of unknown unit.
 *
 * Like syslog_fields.c, everything takes (pointer, length) slices of a
 * datagram. Not here: any one vendor's grammar.
 */
#include <string.h>

#include "syslog.h"
#include "timeconv.h"
#include "tz.h"

int
txt_eq(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len == n && memcmp(s, lit, n) == 0;
}

/* ASCII case-insensitive txt_eq. */
static int
txt_ieq(const char *s, size_t len, const char *lit)
{
	size_t i, n = strlen(lit);
	char a, b;

	if (len != n)
		return 0;
	for (i = 0; i < n; i++) {
		a = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
		b = lit[i] >= 'A' && lit[i] <= 'Z' ? (char)(lit[i] + 32) :
		    lit[i];
		if (a != b)
			return 0;
	}
	return 1;
}

/* c is one of seps (a short list: a loop beats a strchr call per byte). */
static inline int
is_sep(char c, const char *seps)
{
	for (; *seps != '\0'; seps++)
		if (c == *seps)
			return 1;
	return 0;
}

size_t
txt_word(const char **p, const char *end, const char *seps, const char **w)
{
	const char *q;

	while (*p < end && is_sep(**p, seps))
		(*p)++;
	for (q = *p; q < end && !is_sep(*q, seps); q++)
		;
	*w = *p;
	*p = q;
	return (size_t)(q - *w);
}

int
txt_proto(const char *s, size_t len, uint8_t *out)
{
	static const struct {
		const char *name;
		uint8_t num;
	} names[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
		{ "icmp6", 58 }, { "gre", 47 }, { "esp", 50 }, { "sctp", 132 },
		{ "ah", 51 },
	};
	uint64_t v;
	size_t i;

	if (txt_uint(s, len, 255, &v) == CGN_OK) {
		*out = (uint8_t)v;
		return CGN_OK;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (txt_ieq(s, len, names[i].name)) {
			*out = names[i].num;
			return CGN_OK;
		}
	}
	return CGN_EMALFORMED;
}

int
txt_range(const char *s, size_t len, uint16_t *lo, uint16_t *hi)
{
	const char *dash = memchr(s, '-', len);
	uint64_t a, b;

	if (dash == NULL ||
	    txt_uint(s, (size_t)(dash - s), 65535, &a) != CGN_OK ||
	    txt_uint(dash + 1, len - (size_t)(dash + 1 - s), 65535, &b) !=
	    CGN_OK || a > b)
		return CGN_EMALFORMED;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return CGN_OK;
}

int
txt_addr_port(const char *s, size_t len, char sep, struct cgn_addr *a,
    uint16_t *port)
{
	const char *q;
	uint64_t v;

	/* the last sep: IPv6 addresses have colons of their own */
	for (q = s + len; q > s && q[-1] != sep; q--)
		;
	if (q == s || txt_uint(q, len - (size_t)(q - s), 65535, &v) !=
	    CGN_OK)
		return CGN_EMALFORMED;
	len = (size_t)(q - 1 - s);
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (cgn_addr_parse(s, len, a) != CGN_OK)
		return CGN_EMALFORMED;
	*port = (uint16_t)v;
	return CGN_OK;
}

int
syslog_local_time(const struct syslog_msg *m, const struct cgn_tm *tm,
    int64_t *out)
{
	int64_t ms;

	if (tc_to_ms(tm, &ms) != CGN_OK ||
	    tz_local_to_utc(m->tz, ms, &ms) != CGN_OK)
		return CGN_EMALFORMED;
	*out = ms;
	return CGN_OK;
}

void
syslog_set_time(struct cgn_event *ev, int64_t ms, int utc,
    const struct syslog_msg *m)
{
	ev->ts_ms = ms;
	ev->tsrc = utc ? CGN_TS_UTC : m->tz != NULL ? CGN_TS_LOCAL :
	    CGN_TS_UTC;
}

/* Seconds of 9999-12-31T23:59:59Z: the last time timeconv.h knows. */
#define EPOCH_MAX_S 253402300799LL

int
txt_epoch_ms(const char *s, size_t len, int64_t *out)
{
	uint64_t v;

	if (txt_uint(s, len, UINT64_MAX, &v) != CGN_OK)
		return CGN_EMALFORMED;
	/* the unit from the size: seconds until 5138, then ms, us, ns */
	if (v >= 100000000000000000ULL)
		v /= 1000000;
	else if (v >= 100000000000000ULL)
		v /= 1000;
	else if (v < 100000000000ULL)
		v *= 1000;
	if (v > (uint64_t)EPOCH_MAX_S * 1000)
		return CGN_EMALFORMED;
	*out = (int64_t)v;
	return CGN_OK;
}

int
txt_datetime(const char *s, size_t len, char dsep, struct cgn_tm *tm)
{
	struct cgn_tm t;
	size_t i;
	int *f[6] = { &t.year, &t.mon, &t.day, &t.hour, &t.min, &t.sec };
	static const unsigned char w[6] = { 4, 2, 2, 2, 2, 2 };
	const char *p = s, *end = s + len;
	char want;

	/* "YYYY<dsep>MM<dsep>DD hh:mm:ss" exactly */
	for (i = 0; i < 6; i++) {
		size_t k;

		if ((size_t)(end - p) < w[i])
			return CGN_EMALFORMED;
		*f[i] = 0;
		for (k = 0; k < w[i]; k++) {
			if (p[k] < '0' || p[k] > '9')
				return CGN_EMALFORMED;
			*f[i] = *f[i] * 10 + (p[k] - '0');
		}
		p += w[i];
		if (i == 5)
			break;
		want = i < 2 ? dsep : i == 2 ? ' ' : ':';
		if (p >= end || (*p != want && !(i == 2 && *p == 'T')))
			return CGN_EMALFORMED;
		p++;
	}
	if (p != end)
		return CGN_EMALFORMED;
	t.ms = 0;
	*tm = t;
	return CGN_OK;
}

void
kvx_build(const char *p, size_t len, struct kvx *x)
{
	const char *end = p + len, *k, *q;

	x->n = 0;
	while (p < end && x->n < KVX_MAX) {
		/* a key: a run of [A-Za-z0-9_.-] ending at '=' */
		for (k = p; p < end && *p != '=' && *p != ' ' && *p != ',' &&
		    *p != '\t' && *p != '"'; p++)
			;
		if (p >= end || *p != '=' || p == k) {
			/* not a key: skip to the next separator */
			while (p < end && *p != ' ' && *p != ',' && *p != '\t')
				p++;
			while (p < end && (*p == ' ' || *p == ',' ||
			    *p == '\t'))
				p++;
			continue;
		}
		x->k[x->n] = k;
		x->kl[x->n] = (size_t)(p - k);
		p++;
		if (p < end && *p == '"') {
			for (q = ++p; q < end && *q != '"'; q++)
				;
			x->v[x->n] = p;
			x->vl[x->n] = (size_t)(q - p);
			p = q < end ? q + 1 : q;
		} else {
			for (q = p; q < end && *q != ' ' && *q != ',' &&
			    *q != '\t'; q++)
				;
			x->v[x->n] = p;
			x->vl[x->n] = (size_t)(q - p);
			p = q;
		}
		x->n++;
		while (p < end && (*p == ' ' || *p == ',' || *p == '\t'))
			p++;
	}
}

int
kvx_get(const struct kvx *x, const char *after, const char *key,
    const char **v, size_t *vl)
{
	size_t n = strlen(key);
	int i;

	for (i = 0; i < x->n; i++) {
		if ((after != NULL && x->k[i] < after) || x->kl[i] != n ||
		    memcmp(x->k[i], key, n) != 0)
			continue;
		*v = x->v[i];
		*vl = x->vl[i];
		return 1;
	}
	return 0;
}

int
kvx_addr(const struct kvx *x, const char *after, const char *key,
    struct cgn_addr *a)
{
	const char *v;
	size_t vl;

	if (!kvx_get(x, after, key, &v, &vl))
		return CGN_ENOTFOUND;
	return cgn_addr_parse(v, vl, a);
}

int
kvx_uint(const struct kvx *x, const char *after, const char *key,
    uint64_t max, uint64_t *n)
{
	const char *v;
	size_t vl;

	if (!kvx_get(x, after, key, &v, &vl))
		return CGN_ENOTFOUND;
	return txt_uint(v, vl, max, n);
}
