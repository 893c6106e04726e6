/*
 * stats.h - the daemon's counters. Every message is counted once on the
 * way in and once by its fate (events, no NAT event, rejected by reason,
 * dropped by reason), so received = the sum of the fates and a loss always
 * has a name. Atomic: receivers and the writer update them without locks.
 */
#ifndef STATS_H
#define STATS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cgn.h"

#define STATS_NRC (-CGN_ERC_MIN + 1)

struct stats {
	atomic_uint_fast64_t rx_msgs;		/* messages received */
	atomic_uint_fast64_t rx_bytes;
	atomic_uint_fast64_t msgs_events;	/* gave at least one event */
	atomic_uint_fast64_t msgs_no_event;	/* valid, nothing NAT in it */
	atomic_uint_fast64_t msgs_rejected;	/* parse failed: kept */
	atomic_uint_fast64_t bad[STATS_NRC];	/* ... by cgn_rc */
	atomic_uint_fast64_t events;		/* events parsed */
	atomic_uint_fast64_t reject_write_errors;
	atomic_uint_fast64_t ring_waits;	/* receiver waited for the
						 * writer */
	atomic_uint_fast64_t spooled_batches;	/* went to the spool */
	atomic_uint_fast64_t spool_drops;	/* messages lost: spool full */
	atomic_uint_fast64_t spool_damaged;	/* spool records that did not
						 * decode: their messages lost */
	atomic_uint_fast64_t lost_msgs;		/* received, never stored */
	atomic_uint_fast64_t spool_bytes;	/* gauge: waiting in the spool */
	atomic_uint_fast64_t spool_waiting;	/* gauge: batches there */
	atomic_uint_fast64_t kernel_drops;	/* SO_RXQ_OVFL */
	atomic_uint_fast64_t tcp_accepted;
	atomic_uint_fast64_t tcp_closed;
	atomic_uint_fast64_t tcp_oversize;	/* frames over the limit */
	atomic_uint_fast64_t acl_drops;
	atomic_uint_fast64_t seq_gaps;		/* IPFIX/v9 sequence holes */
	/* what the parsers' own states counted (listener_publish) */
	atomic_uint_fast64_t p_records;		/* IPFIX/v9 data records */
	atomic_uint_fast64_t p_ignored;		/* ... with no NAT meaning */
	atomic_uint_fast64_t p_nat_other;	/* ... NAT, but no mapping */
	atomic_uint_fast64_t p_templates;
	atomic_uint_fast64_t p_withdrawn;
	atomic_uint_fast64_t p_expired;
	atomic_uint_fast64_t p_no_template;	/* data before template */
	atomic_uint_fast64_t p_held_decoded;
	atomic_uint_fast64_t p_held_lost;	/* never decoded: lost */
	atomic_uint_fast64_t p_seq_lost;	/* in sequence holes */
	atomic_uint_fast64_t p_limits;		/* over the state's bounds */
	atomic_uint_fast64_t nfl_paired;	/* NFLOG two-rule pairs */
	atomic_uint_fast64_t nfl_unpaired;	/* halves with no partner */
	atomic_uint_fast64_t nfl_ambiguous;	/* halves with two */
	atomic_uint_fast64_t nfl_no_nat;
	atomic_uint_fast64_t stored_msgs;	/* handed to the store */
	atomic_uint_fast64_t stored_events;
	atomic_uint_fast64_t store_errors;
	atomic_uint_fast64_t flushes;
	uint64_t reported_rejects;		/* last periodic report */
};

static inline void
stats_add(atomic_uint_fast64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static inline uint64_t
stats_get(const atomic_uint_fast64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

/* One member of struct stats as the outside world sees it: SIGUSR1 and
 * the metrics endpoint print the same names from this table. */
struct stats_desc {
	const char *name;	/* after "cgnlogd_": "acl_drops_total" */
	const char *help;	/* one line, for HELP */
	size_t off;		/* offsetof(struct stats, member) */
	int gauge;		/* 0: a counter (only grows) */
};

extern const struct stats_desc stats_descs[];
extern const size_t stats_ndescs;

/* Count a message that failed to parse with rc. */
void stats_bad(struct stats *s, int rc);
/* The reason label of bad[i] ("truncated"; bad[0]: "other"). */
const char *stats_reason(int i);
/* Every counter as "name value" lines, rejects as
 * cgnlogd_messages_rejected_total{reason="..."}: the endpoint's names. */
void stats_print(struct stats *s, FILE *f);
/* The same in the Prometheus text format, with HELP and TYPE lines. */
void stats_expose(struct stats *s, FILE *f);

#endif /* STATS_H */
