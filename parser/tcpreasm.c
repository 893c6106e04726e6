/*
 * tcpreasm.c - TCP stream reassembly for captures (see tcpreasm.h).
 *
 * Streams live in a fixed table with hash chains; each holds its
 * out-of-order segments in a list sorted by sequence number. Sequence
 * numbers wrap at 2^32, so every comparison is on the signed difference
 * (RFC 9293 3.4).
 */
#include <stdlib.h>
#include <string.h>

#include "tcpreasm.h"

#define NBUCKET (TCPR_STREAMS * 2)

/* A segment waiting for the hole before it. */
struct seg {
	struct seg *next;
	uint32_t seq;
	uint32_t len;
	uint8_t data[];
};

struct stream {
	struct tcpr_key k;
	struct seg *held;	/* sorted by seq */
	size_t held_bytes;
	void *user;		/* the consumer's */
	uint64_t used_at;	/* for eviction: least recently used goes */
	uint32_t next;		/* the next sequence number to deliver */
	uint32_t fin;		/* sequence number of the FIN */
	uint32_t chain;		/* bucket chain: index + 1 */
	uint8_t used;
	uint8_t have_next;	/* next is known (SYN or first data) */
	uint8_t have_fin;
};

struct tcpr {
	struct stream s[TCPR_STREAMS];
	uint32_t bucket[NBUCKET];	/* index + 1, 0: empty */
	uint32_t nused;
	size_t held;		/* bytes held, all streams */
	uint64_t clock;
	tcpr_data_fn *data;
	tcpr_end_fn *end;
	void *arg;
	struct tcpr_stats st;
};

static int32_t
sdiff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static uint32_t
key_bucket(const struct tcpr_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 16777619u;
	return h % NBUCKET;
}

int
tcpr_new(tcpr_data_fn *data, tcpr_end_fn *end, void *arg, struct tcpr **out)
{
	struct tcpr *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return CGN_ENOMEM;
	t->data = data;
	t->end = end;
	t->arg = arg;
	*out = t;
	return CGN_OK;
}

static void
free_held(struct tcpr *t, struct stream *s)
{
	struct seg *g, *n;

	t->held -= s->held_bytes;
	for (g = s->held; g != NULL; g = n) {
		n = g->next;
		free(g);
	}
	s->held = NULL;
	s->held_bytes = 0;
}

void
tcpr_free(struct tcpr *t)
{
	uint32_t i;

	if (t == NULL)
		return;
	for (i = 0; i < TCPR_STREAMS; i++)
		free_held(t, &t->s[i]);
	free(t);
}

void
tcpr_stats_get(const struct tcpr *t, struct tcpr_stats *out)
{
	*out = t->st;
}

/* Deliver bytes at seq, dropping what was delivered before. */
static void
deliver(struct tcpr *t, struct stream *s, uint32_t seq, const uint8_t *p,
    size_t len)
{
	int32_t d = sdiff(s->next, seq);	/* bytes already had */

	if (d > 0) {
		if ((size_t)d >= len) {
			t->st.dup_bytes += len;
			return;
		}
		t->st.dup_bytes += (size_t)d;
		p += d;
		len -= (size_t)d;
	}
	s->next += (uint32_t)len;
	t->st.bytes += len;
	t->data(t->arg, &s->k, &s->user, p, len);
}

/* Deliver held segments that now follow on; with skip, jump holes. */
static void
drain(struct tcpr *t, struct stream *s, int skip)
{
	struct seg *g;

	while ((g = s->held) != NULL) {
		if (sdiff(g->seq, s->next) > 0) {
			if (!skip)
				return;
			t->st.lost_bytes += (uint32_t)sdiff(g->seq, s->next);
			t->end(t->arg, &s->k, &s->user, TCPR_END_GAP);
			s->next = g->seq;
		}
		s->held = g->next;
		s->held_bytes -= g->len;
		t->held -= g->len;
		deliver(t, s, g->seq, g->data, g->len);
		free(g);
	}
}

static void
unlink_stream(struct tcpr *t, struct stream *s)
{
	uint32_t idx = (uint32_t)(s - t->s) + 1;
	uint32_t *pp = &t->bucket[key_bucket(&s->k)];

	while (*pp != 0 && *pp != idx)
		pp = &t->s[*pp - 1].chain;
	if (*pp != 0)
		*pp = s->chain;
}

/* The stream ends: what is held goes out (holes skipped), then end(). */
static void
close_stream(struct tcpr *t, struct stream *s, int why)
{
	drain(t, s, 1);
	t->end(t->arg, &s->k, &s->user, why);
	unlink_stream(t, s);
	free_held(t, s);
	memset(s, 0, sizeof(*s));
	t->nused--;
}

static struct stream *
find(struct tcpr *t, const struct tcpr_key *k, int create)
{
	uint32_t b = key_bucket(k), i, old = 0;
	struct stream *s;

	for (i = t->bucket[b]; i != 0; i = t->s[i - 1].chain)
		if (memcmp(&t->s[i - 1].k, k, sizeof(*k)) == 0)
			return &t->s[i - 1];
	if (!create)
		return NULL;
	if (t->nused == TCPR_STREAMS) {
		for (i = 1; i < TCPR_STREAMS; i++)
			if (t->s[i].used_at < t->s[old].used_at)
				old = i;
		t->st.evicted++;
		close_stream(t, &t->s[old], TCPR_END_EVICT);
	}
	for (i = 0; t->s[i].used; i++)
		;
	s = &t->s[i];
	memset(s, 0, sizeof(*s));
	s->k = *k;
	s->used = 1;
	s->chain = t->bucket[b];
	t->bucket[b] = i + 1;
	t->nused++;
	t->st.streams++;
	return s;
}

/* Hold a segment that starts after a hole, in order. */
static int
hold(struct tcpr *t, struct stream *s, uint32_t seq, const uint8_t *p,
    size_t len)
{
	struct seg *g, **pp;

	if ((g = malloc(sizeof(*g) + len)) == NULL)
		return CGN_ENOMEM;
	g->seq = seq;
	g->len = (uint32_t)len;
	memcpy(g->data, p, len);
	for (pp = &s->held; *pp != NULL && sdiff((*pp)->seq, seq) <= 0;
	    pp = &(*pp)->next)
		;
	g->next = *pp;
	*pp = g;
	s->held_bytes += len;
	t->held += len;
	return CGN_OK;
}

int
tcpr_segment(struct tcpr *t, const struct tcpr_key *k, uint32_t seq,
    uint8_t flags, const uint8_t *data, size_t len)
{
	struct stream *s;
	int rc = CGN_OK;

	if (len > 0xffff)	/* no IP datagram carries more */
		return CGN_EMALFORMED;
	if ((s = find(t, k, len > 0 || (flags & TCPR_SYN))) == NULL)
		return CGN_OK;	/* a bare ACK/FIN of an unknown stream */
	s->used_at = ++t->clock;
	if (flags & TCPR_RST) {
		close_stream(t, s, TCPR_END_CLOSE);
		return CGN_OK;
	}
	if (flags & TCPR_SYN) {
		if (s->have_next && s->next != seq + 1 &&
		    (s->held != NULL || s->have_fin)) {
			/* a new connection on the same ports */
			close_stream(t, s, TCPR_END_CLOSE);
			s = find(t, k, 1);
			s->used_at = t->clock;
		}
		s->next = seq + 1;
		s->have_next = 1;
		seq++;		/* the SYN takes one sequence number */
	}
	if (len > 0) {
		t->st.segments++;
		if (!s->have_next) {	/* the capture began mid-stream */
			s->next = seq;
			s->have_next = 1;
		}
		if (sdiff(seq, s->next) <= 0)
			deliver(t, s, seq, data, len);
		else
			rc = hold(t, s, seq, data, len);
		drain(t, s, s->held_bytes > TCPR_HOLD ||
		    t->held > TCPR_HOLD_ALL);
	}
	if (flags & TCPR_FIN) {
		s->fin = seq + (uint32_t)len;
		s->have_fin = 1;
	}
	if (s->have_fin && s->held == NULL && sdiff(s->next, s->fin) >= 0)
		close_stream(t, s, TCPR_END_CLOSE);
	return rc;
}

void
tcpr_flush(struct tcpr *t)
{
	uint32_t i;

	for (i = 0; i < TCPR_STREAMS; i++)
		if (t->s[i].used)
			close_stream(t, &t->s[i], TCPR_END_FLUSH);
}
