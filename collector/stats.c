/*
 * stats.c - see stats.h.
 *
 * The table below is the one list of what the daemon counts and what each
 * figure is called outside: a new member of struct stats gets a row here
 * and then appears in SIGUSR1's dump and on the metrics endpoint alike.
 */
#include "stats.h"

#define C(member, name, help) \
	{ name, help, offsetof(struct stats, member), 0 }
#define G(member, name, help) \
	{ name, help, offsetof(struct stats, member), 1 }

const struct stats_desc stats_descs[] = {
	C(rx_msgs, "messages_received_total", "Messages received from every"
	    " source (datagrams, TCP frames, file lines, packets), ACL drops"
	    " included."),
	C(rx_bytes, "received_bytes_total", "Bytes of the messages"
	    " received."),
	C(msgs_events, "messages_with_events_total", "Messages that gave at"
	    " least one NAT event."),
	C(msgs_no_event, "messages_without_events_total", "Valid messages"
	    " with nothing NAT in them."),
	C(events, "events_parsed_total", "NAT events parsed from the"
	    " messages."),
	C(reject_write_errors, "reject_write_errors_total", "Rejected"
	    " messages that could not be written to the reject file."),
	C(acl_drops, "acl_drops_total", "Messages from exporters outside"
	    " the source's allow list: counted, stored nowhere."),
	C(kernel_drops, "kernel_drops_total", "Messages the kernel dropped"
	    " before cgnlogd could read them (socket buffer, NFLOG, capture)."),
	C(ring_waits, "ring_waits_total", "Times a receiver found no free"
	    " batch and waited for the store writer."),
	C(tcp_accepted, "tcp_connections_accepted_total", "TCP connections"
	    " accepted from exporters."),
	C(tcp_closed, "tcp_connections_closed_total", "TCP connections"
	    " closed (by the exporter, or idle)."),
	C(tcp_oversize, "tcp_frames_oversize_total", "TCP frames longer than"
	    " tcp_max_frame, skipped."),
	C(seq_gaps, "sequence_gaps_total", "IPFIX and NetFlow v9 sequence"
	    " number gaps, stored as coverage holes."),
	C(p_records, "records_decoded_total", "IPFIX and NetFlow v9 data"
	    " records decoded."),
	C(p_ignored, "records_ignored_total", "IPFIX and NetFlow v9 records"
	    " with no NAT meaning (plain flows, identity NAT, options data):"
	    " no event, by design."),
	C(p_nat_other, "records_nat_other_total", "NAT records that are no"
	    " mapping (pool or ports exhausted, quota, threshold): no"
	    " event."),
	C(p_templates, "templates_defined_total", "IPFIX and NetFlow v9"
	    " (options) templates defined or redefined."),
	C(p_withdrawn, "templates_withdrawn_total", "IPFIX templates"
	    " withdrawn by their exporter."),
	C(p_expired, "templates_expired_total", "Templates of datagram"
	    " exporters forgotten after their lifetime without a refresh."),
	C(p_no_template, "data_sets_without_template_total", "Data sets that"
	    " arrived before their template and were held."),
	C(p_held_decoded, "data_sets_held_decoded_total", "Held data sets"
	    " decoded once their template came."),
	C(p_held_lost, "data_sets_held_lost_total", "Held data sets whose"
	    " template never came (or that were over the bound): their"
	    " records are lost."),
	C(p_seq_lost, "sequence_lost_records_total", "Records (NetFlow v9:"
	    " packets) missing in IPFIX and NetFlow v9 sequence gaps."),
	C(p_limits, "exporter_limits_total", "Exporters, domains or"
	    " templates refused because the parser state was full."),
	C(nfl_paired, "nflog_pairs_total", "NFLOG two-rule mode: pre- and"
	    " post-NAT halves paired into one event."),
	C(nfl_unpaired, "nflog_unpaired_total", "NFLOG two-rule mode: halves"
	    " whose other half never came within the window: no event."),
	C(nfl_ambiguous, "nflog_ambiguous_total", "NFLOG two-rule mode:"
	    " halves that matched more than one candidate: no event rather"
	    " than a guess."),
	C(nfl_no_nat, "nflog_no_nat_total", "NFLOG messages whose two sides"
	    " are equal (not translated): no event."),
	C(stored_msgs, "messages_stored_total", "Messages the store writer"
	    " put into the store."),
	C(stored_events, "events_stored_total", "NAT events the store writer"
	    " put into the store."),
	C(store_errors, "store_errors_total", "Store operations that failed"
	    " (see the daemon log)."),
	C(flushes, "store_flushes_total", "Store flushes: each makes what"
	    " was received so far durable."),
	C(spooled_batches, "spooled_batches_total", "Batches written to the"
	    " overload spool because the store writer was behind."),
	C(spool_drops, "spool_dropped_messages_total", "Messages lost because"
	    " the spool was full or could not be written."),
	C(spool_damaged, "spool_damaged_records_total", "Spool records that"
	    " were damaged (checksum failed, did not frame or decode), passed"
	    " over with their messages and kept in the spool's .damaged file;"
	    " cgnlogd exits 1 if this is not 0."),
	C(lost_msgs, "messages_lost_total", "Messages received but never"
	    " stored, for any reason (spool full, out of memory, refused by"
	    " the store); cgnlogd exits 1 if this is not 0."),
	G(spool_bytes, "spool_bytes", "Bytes waiting in the overload spool."),
	G(spool_waiting, "spool_batches", "Batches waiting in the overload"
	    " spool."),
};

#undef C
#undef G

const size_t stats_ndescs = sizeof(stats_descs) / sizeof(stats_descs[0]);

void
stats_bad(struct stats *s, int rc)
{
	stats_add(&s->msgs_rejected, 1);
	if (rc < 0 && rc >= CGN_ERC_MIN)
		stats_add(&s->bad[-rc], 1);
	else
		stats_add(&s->bad[0], 1);
}

const char *
stats_reason(int i)
{
	return i == 0 ? "other" : cgn_rc_str(-i);
}

static uint64_t
value(struct stats *s, const struct stats_desc *d)
{
	return stats_get((const atomic_uint_fast64_t *)(const void *)
	    ((const char *)s + d->off));
}

static void
print(struct stats *s, FILE *f, int help)
{
	size_t i;
	int r;

	for (i = 0; i < stats_ndescs; i++) {
		if (help)
			fprintf(f, "# HELP cgnlogd_%s %s\n# TYPE cgnlogd_%s"
			    " %s\n", stats_descs[i].name, stats_descs[i].help,
			    stats_descs[i].name,
			    stats_descs[i].gauge ? "gauge" : "counter");
		fprintf(f, "cgnlogd_%s %llu\n", stats_descs[i].name,
		    (unsigned long long)value(s, &stats_descs[i]));
	}
	/* every reason, zeros too: a series that appears late breaks
	 * rate() over its first minutes */
	if (help)
		fprintf(f, "# HELP cgnlogd_messages_rejected_total Messages no"
		    " parser could read, by reason: counted and kept in the"
		    " reject file.\n# TYPE cgnlogd_messages_rejected_total"
		    " counter\n");
	for (r = 0; r < STATS_NRC; r++)
		fprintf(f, "cgnlogd_messages_rejected_total{reason=\"%s\"}"
		    " %llu\n", stats_reason(r),
		    (unsigned long long)stats_get(&s->bad[r]));
}

void
stats_print(struct stats *s, FILE *f)
{
	print(s, f, 0);
}

void
stats_expose(struct stats *s, FILE *f)
{
	print(s, f, 1);
}
