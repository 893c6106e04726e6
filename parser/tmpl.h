/*
 * tmpl.h - the IPFIX / NetFlow v9 template cache and the data-set decoder
 * both protocols share.
 *
 * Templates are kept per exporter stream: (exporter address, exporter port
 * for TCP, observation domain / source id, protocol version), in the
 * caller's struct cgn_pstate. Each stream also holds its sequence-number
 * expectation and the data sets that arrived before their template
 * (bounded, decoded when the template comes). Everything is bounded: a
 * stream of garbage costs counters, not memory.
 * Not here: message and set framing (ipfix.c, nfv9.c), the meaning of a
 * field (nat_ie.c).
 */
#ifndef TMPL_H
#define TMPL_H

#include <stddef.h>
#include <stdint.h>

#include "parser.h"

#define TMPL_VARLEN 65535	/* field length: variable (RFC 7011 7) */

#define TMPL_MAX_DOMAINS 4096	/* exporter streams per state */
#define TMPL_MAX_PER_DOM 1024	/* templates per stream */
#define TMPL_HELD_SETS 64	/* data sets held per stream ... */
#define TMPL_HELD_BYTES (256 * 1024)	/* ... and their bytes */
#define TMPL_HELD_TOTAL (16 * 1024 * 1024)	/* all streams */
#define TMPL_LIFETIME_MS (30 * 60 * 1000)	/* UDP template lifetime */

/* A field specifier as the template gives it. */
struct tmpl_field {
	uint32_t pen;		/* enterprise number, 0: IANA */
	uint16_t id;
	uint16_t len;		/* TMPL_VARLEN: variable */
};

/* How a compiled field is stored: the common exact lengths are copied
 * straight into struct natrec, the rest go through nat_field(). */
enum tmpl_kind {
	TK_FIELD = 0,		/* nat_field(): any length, any element */
	TK_V4,			/* 4-byte IPv4 address */
	TK_U8,			/* 1-byte integer */
	TK_U16,			/* 2-byte integer */
	TK_U64,			/* 8-byte dateTimeMilliseconds */
};

/* A compiled field: its length and where its value goes. */
struct tmpl_op {
	uint16_t len;		/* TMPL_VARLEN: variable */
	uint16_t off;		/* offset in a fixed-length record */
	uint8_t dest;		/* enum nat_dest */
	uint8_t kind;		/* enum tmpl_kind */
	uint16_t at;		/* TK_*: offset of the value in natrec */
};

struct tmpl {
	uint16_t id;
	uint16_t nops;		/* only the fields we read, plus lengths */
	uint32_t reclen;	/* fixed length; with varlen, the minimum */
	uint8_t varlen;		/* some field has a variable length */
	uint8_t options;	/* options template: data is never NAT */
	uint8_t nat;		/* carries a field we read */
	uint32_t have;		/* natrec.have bits the TK_* ops set */
	int64_t seen_ms;	/* last (re)definition, receive time */
	struct tmpl_op *ops;	/* fixed: fields we read; varlen: all */
};

/* A data set waiting for its template. */
struct tmpl_held {
	uint16_t tid;
	int64_t rx_ms, export_ms;
	uint32_t len;
	uint8_t *data;
};

struct tmpl_dom {
	struct cgn_addr exporter;
	uint16_t port;		/* TCP only, else 0 */
	uint8_t version;	/* 9 or 10 */
	uint8_t stream;		/* TCP: templates do not expire */
	uint32_t domain;	/* observation domain / source id */
	uint8_t dict;		/* natEvent numbering learned (AUTO: none) */
	uint8_t seq_known;	/* next_seq is meaningful */
	uint32_t next_seq;
	int64_t last_export_ms;
	struct tmpl *t;		/* sorted by id */
	uint32_t nt, capt;
	struct tmpl_held held[TMPL_HELD_SETS];
	uint32_t nheld;
	size_t held_bytes;
};

/* The stream of (src, version, domain), created on first use; NULL when
 * the state holds TMPL_MAX_DOMAINS already (counted in limits). */
struct tmpl_dom *tmpl_domain(struct cgn_pstate *st, const struct cgn_src *src,
    int version, uint32_t domain);

/* The live template id of d, or NULL (none, withdrawn or expired). */
const struct tmpl *tmpl_find(struct cgn_pstate *st, struct tmpl_dom *d,
    uint16_t id, int64_t now_ms);

/* Define (or redefine) template id from n field specifiers, the first
 * scope of them scope fields (options). proto: NAT_V9 or NAT_IPFIX.
 * CGN_EMALFORMED if the record length would be 0 or over 65535,
 * CGN_ENOMEM over the bounds. */
int tmpl_define(struct cgn_pstate *st, struct tmpl_dom *d, int proto,
    uint16_t id, const struct tmpl_field *f, size_t n, int options,
    int64_t now_ms);

/* Forget template id; id 0xffff: all templates (options: all options
 * templates only). */
void tmpl_withdraw(struct cgn_pstate *st, struct tmpl_dom *d, uint32_t id,
    int options);

/* Sequence check at the start of a message; reports a gap to src->gap. */
void tmpl_seq(struct cgn_pstate *st, struct tmpl_dom *d,
    const struct cgn_src *src, uint32_t seq, int64_t export_ms);
/* At the end of a message: it carried nrec data records (v9: counts 1);
 * exact 0 when some set could not be counted (no template). */
void tmpl_seq_next(struct tmpl_dom *d, uint32_t seq, uint32_t nrec,
    int exact, int64_t export_ms);

/* Everything one message decode needs to emit events. */
struct tmpl_ctx {
	struct cgn_pstate *st;
	struct tmpl_dom *d;
	const struct cgn_src *src;
	int64_t export_ms;	/* export time of the message */
	int64_t rx_ms;
	cgn_emit_fn *emit;
	void *arg;
	uint32_t nrec;		/* data records decoded in this message */
};

/*
 * Decode a data set's records (after the set header) with template t and
 * emit their events. The records are checked before the first event is
 * emitted: a malformed set emits nothing (CGN_EMALFORMED). Trailing bytes
 * too short for a record are padding. Returns CGN_OK or emit()'s non-zero.
 */
int tmpl_data(struct tmpl_ctx *x, const struct tmpl *t, const uint8_t *p,
    size_t len);

/* Keep a data set whose template is unknown (copied). 0 if held, else
 * CGN_ENOMEM (over the bounds: counted as lost). */
int tmpl_hold(struct tmpl_ctx *x, uint16_t tid, const uint8_t *p,
    size_t len);
/* Decode and drop the held sets of template id, now that it is known. */
int tmpl_release_held(struct tmpl_ctx *x, uint16_t id);

/* Free every stream of st (pstate_free). */
void tmpl_free_all(struct cgn_pstate *st);

/* The device name events of src get: src->device, else the exporter. */
void tmpl_device(const struct cgn_src *src, char *buf, size_t len);

#endif /* TMPL_H */
