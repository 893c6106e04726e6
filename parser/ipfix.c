/*
 * ipfix.c - IPFIX (RFC 7011) messages to cgn_event.
 *
 * Template, options-template and data sets; withdrawals; the NAT IEs of
 * RFC 8158 and the vendor shapes of ../shared/formats.md 1.10 (through
 * nat_ie.c). Templates live in the caller's cgn_pstate, per exporter
 * stream (tmpl.c). A datagram may hold several messages back to back.
 *
 * A message whose set framing is broken emits nothing. Otherwise sets are
 * decoded in order and each data set is checked whole before its first
 * event: a damaged set stops the message with an error, after the events
 * of the complete sets before it.
 * Not here: sockets, SCTP, IPFIX files (RFC 5655), TCP framing.
 */
#include <string.h>

#include "nat_ie.h"
#include "pstate.h"
#include "rd.h"
#include "tmpl.h"

#define IPFIX_VERSION 10
#define IPFIX_HDR 16		/* RFC 7011 3.1 */
#define SET_TEMPLATE 2		/* RFC 7011 3.3.2 */
#define SET_OPTIONS 3
#define MAX_FIELDS 1024		/* per template; real ones have < 100 */

static int
all_zero(const uint8_t *p, size_t len)
{
	while (len > 0 && *p == 0)
		p++, len--;
	return len == 0;
}

/* Version 10, a length that fits, and a first set id that can be. */
static int
ipfix_detect(const uint8_t *buf, size_t len)
{
	size_t mlen, sid, slen;

	if (len < IPFIX_HDR || buf[0] != 0 || buf[1] != IPFIX_VERSION)
		return 0;
	mlen = (size_t)buf[2] << 8 | buf[3];
	if (mlen < IPFIX_HDR || mlen > len)
		return 0;
	if (mlen == IPFIX_HDR)
		return 1;
	if (mlen < IPFIX_HDR + 4)
		return 0;
	sid = (size_t)buf[16] << 8 | buf[17];
	slen = (size_t)buf[18] << 8 | buf[19];
	return (sid == SET_TEMPLATE || sid == SET_OPTIONS || sid >= 256) &&
	    slen >= 4 && slen <= mlen - IPFIX_HDR;
}

/* RFC 7011 3.4.1 / 3.4.2: the records of a (options) template set. */
static int
template_set(struct tmpl_ctx *x, const uint8_t *p, size_t len, int options)
{
	struct tmpl_field f[MAX_FIELDS];
	struct rd r;
	uint16_t tid, cnt, scope, i, fid, flen;
	uint32_t pen;
	int rc;

	rd_init(&r, p, len);
	while (rd_left(&r) >= 4) {
		tid = rd_u16(&r);
		cnt = rd_u16(&r);
		if (tid < 256) {
			/* RFC 7011 8.1: id 2 (3) with no fields withdraws
			 * all (options) templates */
			if (tid == (options ? SET_OPTIONS : SET_TEMPLATE) &&
			    cnt == 0) {
				tmpl_withdraw(x->st, x->d, 0xffff, options);
				continue;
			}
			if (tid == 0 && cnt == 0 && all_zero(r.p, rd_left(&r)))
				break;		/* padding */
			return CGN_EMALFORMED;
		}
		if (cnt == 0) {
			tmpl_withdraw(x->st, x->d, tid, options);
			continue;
		}
		scope = options ? rd_u16(&r) : 0;
		if (options && (scope == 0 || scope > cnt))
			return CGN_EMALFORMED;
		for (i = 0; i < cnt; i++) {
			fid = rd_u16(&r);
			flen = rd_u16(&r);
			pen = fid & 0x8000 ? rd_u32(&r) : 0;
			if (i < MAX_FIELDS) {
				f[i].id = fid & 0x7fff;
				f[i].len = flen;
				f[i].pen = pen;
			}
		}
		if (r.short_read)
			return CGN_EMALFORMED;
		if (cnt > MAX_FIELDS) {
			x->st->c.limits++;
			continue;
		}
		rc = tmpl_define(x->st, x->d, NAT_IPFIX, tid, f, cnt, options,
		    x->rx_ms);
		if (rc == CGN_EMALFORMED)
			return rc;
		if (rc == CGN_OK && x->d->nheld > 0 &&
		    (rc = tmpl_release_held(x, tid)) != CGN_OK)
			return rc;
	}
	/* fewer than 4 bytes left: padding (RFC 7011 3.3.1) */
	return CGN_OK;
}

/* Check that the sets tile the message exactly. */
static int
sets_ok(const uint8_t *p, size_t len)
{
	size_t off = IPFIX_HDR, slen;

	while (off < len) {
		if (len - off < 4)
			return CGN_EMALFORMED;
		slen = (size_t)p[off + 2] << 8 | p[off + 3];
		if (slen < 4)
			return CGN_EMALFORMED;
		if (slen > len - off)
			return CGN_ETRUNC;
		off += slen;
	}
	return CGN_OK;
}

static int
message(struct cgn_pstate *st, const struct cgn_src *src, const uint8_t *p,
    size_t len, cgn_emit_fn *emit, void *arg)
{
	struct tmpl_ctx x;
	const struct tmpl *t;
	struct rd r;
	uint32_t seq, domain;
	uint16_t sid, slen;
	int rc = CGN_OK, exact = 1, missing = 0;

	if ((rc = sets_ok(p, len)) != CGN_OK)
		return rc;
	rd_init(&r, p + 4, len - 4);
	memset(&x, 0, sizeof(x));
	x.export_ms = (int64_t)rd_u32(&r) * 1000;
	seq = rd_u32(&r);
	domain = rd_u32(&r);
	if ((x.d = tmpl_domain(st, src, IPFIX_VERSION, domain)) == NULL)
		return CGN_ENOMEM;
	x.st = st;
	x.src = src;
	x.rx_ms = src->rx_ms;
	x.emit = emit;
	x.arg = arg;
	tmpl_seq(st, x.d, src, seq, x.export_ms);
	while (rd_left(&r) > 0 && rc == CGN_OK) {
		sid = rd_u16(&r);
		slen = rd_u16(&r);
		slen -= 4;
		if (sid == SET_TEMPLATE || sid == SET_OPTIONS) {
			rc = template_set(&x, r.p, slen, sid == SET_OPTIONS);
		} else if (sid >= 256) {
			if ((t = tmpl_find(st, x.d, sid, x.rx_ms)) != NULL) {
				rc = tmpl_data(&x, t, r.p, slen);
			} else {
				/* held, and decoded when the template comes;
				 * the raw message is kept by the caller */
				st->c.no_template++;
				(void)tmpl_hold(&x, sid, r.p, slen);
				exact = 0;
				missing = 1;
			}
		}
		/* ids 4-255 are reserved: skipped by length */
		rd_skip(&r, slen);
	}
	tmpl_seq_next(x.d, seq, x.nrec, exact && rc == CGN_OK, x.export_ms);
	if (rc != CGN_OK)
		return rc;
	return missing ? CGN_ENOTEMPLATE : CGN_OK;
}

static int
ipfix_parse(struct cgn_pstate *st, const struct cgn_src *src,
    const uint8_t *buf, size_t len, cgn_emit_fn *emit, void *arg)
{
	size_t off = 0, mlen;
	int rc, rcs = CGN_OK;

	if (st == NULL)
		return CGN_EINVAL;
	st->lines++;
	if (len < IPFIX_HDR)
		return CGN_ETRUNC;
	/* RFC 7011 10.3.3: one message per datagram; files and streams may
	 * hold several back to back */
	while (len - off >= IPFIX_HDR) {
		if (buf[off] != 0 || buf[off + 1] != IPFIX_VERSION)
			return CGN_EMALFORMED;
		mlen = (size_t)buf[off + 2] << 8 | buf[off + 3];
		if (mlen < IPFIX_HDR)
			return CGN_EMALFORMED;
		if (mlen > len - off)
			return CGN_ETRUNC;
		rc = message(st, src, buf + off, mlen, emit, arg);
		if (rc == CGN_ENOTEMPLATE)
			rcs = rc;	/* the later messages still count */
		else if (rc != CGN_OK)
			return rc;
		off += mlen;
	}
	if (off != len)
		return CGN_ETRUNC;
	return rcs;
}

const struct cgn_parser ipfix_parser = {
	"ipfix", ipfix_detect, ipfix_parse
};
