/*
 * tcpreasm.h - TCP streams out of captured segments: each direction of
 * each connection as its bytes in order, for syslog (RFC 6587) and IPFIX
 * (RFC 7011 10.4) exported over TCP and captured with tcpdump.
 *
 * Segments may come out of order, twice, or overlapping (retransmits):
 * bytes already delivered are dropped, later ones are held until the hole
 * before them fills. A hole that does not fill (the capture lost a
 * segment) is skipped once more than TCPR_HOLD bytes wait behind it (or
 * TCPR_HOLD_ALL in all streams), or at the end; the consumer is told
 * (TCPR_END_GAP) so it can resynchronise its framing. A stream seen
 * without its SYN starts at its first segment.
 * Pure: no I/O; the caller feeds segments (parser/pkt.h decodes them).
 * Not here: framing of the bytes (collector/pcap_in.c).
 */
#ifndef TCPREASM_H
#define TCPREASM_H

#include <stddef.h>
#include <stdint.h>

#include "cgn.h"

#define TCPR_HOLD (1u << 20)	/* out-of-order bytes held per stream */
#define TCPR_HOLD_ALL (64u << 20)	/* ... and in all: past it, the stream
				 * that grows skips its holes */
#define TCPR_STREAMS 4096	/* streams followed at once */

#define TCPR_SYN 0x02		/* TCP flags (RFC 9293 3.1) */
#define TCPR_FIN 0x01
#define TCPR_RST 0x04

/* One direction of one connection. */
struct tcpr_key {
	struct cgn_addr src, dst;
	uint16_t sport, dport;
};

/* Why a stream's bytes stop. */
enum tcpr_end {
	TCPR_END_GAP = 1,	/* bytes were lost: what follows is not
				 * contiguous with what came before */
	TCPR_END_CLOSE,		/* FIN or RST: the stream is over */
	TCPR_END_EVICT,		/* too many streams: the oldest goes */
	TCPR_END_FLUSH,		/* end of input */
};

/* In-order bytes of stream k. *user is the consumer's slot for this
 * stream (NULL at first); it is kept until the end callback. */
typedef void tcpr_data_fn(void *arg, const struct tcpr_key *k, void **user,
    const uint8_t *p, size_t len);
/* The stream's bytes stop (or, for a gap, jump); with TCPR_END_GAP the
 * stream goes on and *user is kept, otherwise the consumer frees it. */
typedef void tcpr_end_fn(void *arg, const struct tcpr_key *k, void **user,
    int why);

struct tcpr_stats {
	uint64_t segments;	/* with data */
	uint64_t bytes;		/* delivered in order */
	uint64_t dup_bytes;	/* seen before: dropped */
	uint64_t lost_bytes;	/* in holes that were skipped */
	uint64_t streams;	/* opened */
	uint64_t evicted;
};

struct tcpr;

int tcpr_new(tcpr_data_fn *data, tcpr_end_fn *end, void *arg,
    struct tcpr **out);
/* Flushes nothing: call tcpr_flush() first to deliver what is held. */
void tcpr_free(struct tcpr *t);

/* One segment: seq is its first sequence number, flags its TCP flags,
 * data/len its payload (len may be 0). Copies what it must hold. */
int tcpr_segment(struct tcpr *t, const struct tcpr_key *k, uint32_t seq,
    uint8_t flags, const uint8_t *data, size_t len);

/* Deliver what is held (skipping holes) and end every stream. */
void tcpr_flush(struct tcpr *t);

void tcpr_stats_get(const struct tcpr *t, struct tcpr_stats *out);

#endif /* TCPREASM_H */
