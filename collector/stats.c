/*
 * stats.c - see stats.h.
 */
#include "stats.h"

void
stats_bad(struct stats *s, int rc)
{
	stats_add(&s->msgs_rejected, 1);
	if (rc < 0 && rc >= CGN_ERC_MIN)
		stats_add(&s->bad[-rc], 1);
	else
		stats_add(&s->bad[0], 1);
}

void
stats_print(struct stats *s, FILE *f)
{
	int i;

#define P(name) fprintf(f, "cgnlogd_" #name " %llu\n", \
	(unsigned long long)stats_get(&s->name))
	P(rx_msgs);
	P(rx_bytes);
	P(msgs_events);
	P(msgs_no_event);
	P(msgs_rejected);
	P(events);
	P(reject_write_errors);
	P(ring_waits);
	P(kernel_drops);
	P(tcp_accepted);
	P(tcp_closed);
	P(tcp_oversize);
	P(acl_drops);
	P(seq_gaps);
	P(stored_msgs);
	P(stored_events);
	P(store_errors);
	P(flushes);
#undef P
	for (i = 1; i < STATS_NRC; i++)
		if (stats_get(&s->bad[i]) > 0)
			fprintf(f, "cgnlogd_rejected{reason=\"%s\"} %llu\n",
			    cgn_rc_str(-i),
			    (unsigned long long)stats_get(&s->bad[i]));
}
