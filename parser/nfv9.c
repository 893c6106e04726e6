/*
 * nfv9.c - NetFlow v9 (RFC 3954) export packets to cgn_event: Cisco NEL,
 * Cisco ASA NSEL (old 40001-40005 ids too), Juniper v9 NAT logging.
 *
 * Template and options-template flowsets, data flowsets decoded with the
 * template cache (tmpl.c) shared with IPFIX. v9 has no enterprise bit and
 * no variable-length fields: ids above 32767 are plain vendor ids. The
 * sequence number counts packets, not records. The same rules as ipfix.c
 * for damage: broken flowset framing emits nothing; a damaged flowset
 * stops the packet after the events of the complete ones before it.
 * Not here: sysUpTime-relative flow times (NAT exporters send absolute
 * ones), sockets.
 */
#include <string.h>

#include "nat_ie.h"
#include "pstate.h"
#include "rd.h"
#include "tmpl.h"

#define V9_VERSION 9
#define V9_HDR 20		/* RFC 3954 5.1 */
#define FS_TEMPLATE 0		/* RFC 3954 5.2 */
#define FS_OPTIONS 1		/* RFC 3954 6.1 */
#define MAX_FIELDS 1024

static int
all_zero(const uint8_t *p, size_t len)
{
	while (len > 0 && *p == 0)
		p++, len--;
	return len == 0;
}

/* Version 9 and a first flowset that fits. */
static int
nfv9_detect(const uint8_t *buf, size_t len)
{
	size_t fid, flen;

	if (len < V9_HDR || buf[0] != 0 || buf[1] != V9_VERSION)
		return 0;
	if (len == V9_HDR)
		return 1;
	if (len < V9_HDR + 4)
		return 0;
	fid = (size_t)buf[20] << 8 | buf[21];
	flen = (size_t)buf[22] << 8 | buf[23];
	return (fid <= FS_OPTIONS || fid >= 256) && flen >= 4 &&
	    flen <= len - V9_HDR;
}

static int
define(struct tmpl_ctx *x, uint16_t tid, const struct tmpl_field *f,
    size_t n, int options)
{
	int rc = tmpl_define(x->st, x->d, NAT_V9, tid, f, n, options,
	    x->rx_ms);

	if (rc == CGN_EMALFORMED)
		return rc;
	if (rc == CGN_OK && x->d->nheld > 0)
		return tmpl_release_held(x, tid);
	return CGN_OK;
}

/* RFC 3954 5.2: template records. */
static int
template_fs(struct tmpl_ctx *x, const uint8_t *p, size_t len)
{
	struct tmpl_field f[MAX_FIELDS];
	struct rd r;
	uint16_t tid, cnt, i;
	int rc;

	rd_init(&r, p, len);
	while (rd_left(&r) >= 4) {
		tid = rd_u16(&r);
		cnt = rd_u16(&r);
		if (tid < 256 || cnt == 0) {
			if (tid == 0 && cnt == 0 && all_zero(r.p, rd_left(&r)))
				break;		/* padding */
			return CGN_EMALFORMED;
		}
		for (i = 0; i < cnt; i++) {
			uint16_t id = rd_u16(&r), flen = rd_u16(&r);

			if (i < MAX_FIELDS) {
				f[i].pen = 0;
				f[i].id = id;
				f[i].len = flen;
			}
			if (flen == TMPL_VARLEN)
				return CGN_EMALFORMED;	/* not in v9 */
		}
		if (r.short_read)
			return CGN_EMALFORMED;
		if (cnt > MAX_FIELDS) {
			x->st->c.limits++;
			continue;
		}
		if ((rc = define(x, tid, f, cnt, 0)) != CGN_OK)
			return rc;
	}
	return CGN_OK;
}

/* RFC 3954 6.1: options templates: scope and option lengths in bytes. */
static int
options_fs(struct tmpl_ctx *x, const uint8_t *p, size_t len)
{
	struct tmpl_field f[MAX_FIELDS];
	struct rd r;
	uint16_t tid, slen, olen;
	size_t n, i;
	int rc;

	rd_init(&r, p, len);
	while (rd_left(&r) >= 6) {
		tid = rd_u16(&r);
		slen = rd_u16(&r);
		olen = rd_u16(&r);
		if (tid < 256) {
			if (tid == 0 && slen == 0 && olen == 0 &&
			    all_zero(r.p, rd_left(&r)))
				break;		/* padding */
			return CGN_EMALFORMED;
		}
		if (slen % 4 != 0 || olen % 4 != 0 || slen + olen == 0 ||
		    rd_left(&r) < (size_t)slen + olen)
			return CGN_EMALFORMED;
		n = ((size_t)slen + olen) / 4;
		for (i = 0; i < n; i++) {
			uint16_t id = rd_u16(&r), flen = rd_u16(&r);

			if (i < MAX_FIELDS) {
				f[i].pen = 0;
				f[i].id = id;
				f[i].len = flen;
			}
			if (flen == TMPL_VARLEN)
				return CGN_EMALFORMED;
		}
		if (n > MAX_FIELDS) {
			x->st->c.limits++;
			continue;
		}
		if ((rc = define(x, tid, f, n, 1)) != CGN_OK)
			return rc;
	}
	return CGN_OK;
}

/* Check that the flowsets tile the packet. */
static int
flowsets_ok(const uint8_t *p, size_t len)
{
	size_t off = V9_HDR, flen;

	while (off < len) {
		if (len - off < 4)
			/* some exporters pad the packet itself */
			return all_zero(p + off, len - off) ? CGN_OK :
			    CGN_EMALFORMED;
		flen = (size_t)p[off + 2] << 8 | p[off + 3];
		if (flen < 4)
			return CGN_EMALFORMED;
		if (flen > len - off)
			return CGN_ETRUNC;
		off += flen;
	}
	return CGN_OK;
}

static int
nfv9_parse(struct cgn_pstate *st, const struct cgn_src *src,
    const uint8_t *buf, size_t len, cgn_emit_fn *emit, void *arg)
{
	struct tmpl_ctx x;
	const struct tmpl *t;
	struct rd r;
	uint32_t seq, srcid;
	uint16_t fid, flen;
	int rc = CGN_OK, missing = 0;

	if (st == NULL)
		return CGN_EINVAL;
	st->lines++;
	if (len < V9_HDR)
		return CGN_ETRUNC;
	if (buf[0] != 0 || buf[1] != V9_VERSION)
		return CGN_EMALFORMED;
	if ((rc = flowsets_ok(buf, len)) != CGN_OK)
		return rc;
	rd_init(&r, buf + 8, len - 8);	/* after version, count, uptime */
	memset(&x, 0, sizeof(x));
	x.export_ms = (int64_t)rd_u32(&r) * 1000;
	seq = rd_u32(&r);
	srcid = rd_u32(&r);
	if ((x.d = tmpl_domain(st, src, V9_VERSION, srcid)) == NULL)
		return CGN_ENOMEM;
	x.st = st;
	x.src = src;
	x.rx_ms = src->rx_ms;
	x.emit = emit;
	x.arg = arg;
	tmpl_seq(st, x.d, src, seq, x.export_ms);
	while (rd_left(&r) >= 4 && rc == CGN_OK) {
		fid = rd_u16(&r);
		flen = (uint16_t)(rd_u16(&r) - 4);
		if (fid == FS_TEMPLATE) {
			rc = template_fs(&x, r.p, flen);
		} else if (fid == FS_OPTIONS) {
			rc = options_fs(&x, r.p, flen);
		} else if (fid >= 256) {
			if ((t = tmpl_find(st, x.d, fid, x.rx_ms)) != NULL) {
				rc = tmpl_data(&x, t, r.p, flen);
			} else {
				st->c.no_template++;
				(void)tmpl_hold(&x, fid, r.p, flen);
				missing = 1;
			}
		}
		rd_skip(&r, flen);
	}
	/* v9 counts export packets, whatever they held */
	tmpl_seq_next(x.d, seq, 1, 1, x.export_ms);
	if (rc != CGN_OK)
		return rc;
	return missing ? CGN_ENOTEMPLATE : CGN_OK;
}

const struct cgn_parser nfv9_parser = {
	"nfv9", nfv9_detect, nfv9_parse
};
