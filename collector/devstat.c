/*
 * devstat.c - per-device last-seen, counts and clock skew (see devstat.h).
 *
 * A sorted array and binary search: a CGN deployment has tens to a few
 * thousand boxes, and the table is touched once per burst per device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devstat.h"

int
devstat_new(struct devstat **out)
{
	struct devstat *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return CGN_ENOMEM;
	if (pthread_mutex_init(&t->mu, NULL) != 0) {
		free(t);
		return CGN_ENOMEM;
	}
	*out = t;
	return CGN_OK;
}

void
devstat_free(struct devstat *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t->ent);
	free(t);
}

/* The slot of device, or where it would go (*found 0). */
static size_t
find(const struct devstat *t, const char *device, int *found)
{
	size_t lo = 0, hi = t->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(t->ent[mid].device, device);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

/* Called with the lock held. */
static void
merge(struct devstat *t, const struct devstat_ent *a)
{
	struct devstat_ent *e, *ne;
	size_t i, nc;
	int found;

	i = find(t, a->device, &found);
	if (!found) {
		if (t->n == DEVSTAT_MAX) {
			t->untracked += a->msgs;
			return;
		}
		if (t->n == t->cap) {
			nc = t->cap ? t->cap * 2 : 16;
			if ((ne = realloc(t->ent, nc * sizeof(*ne))) == NULL) {
				t->untracked += a->msgs;
				return;
			}
			t->ent = ne;
			t->cap = nc;
		}
		memmove(&t->ent[i + 1], &t->ent[i],
		    (t->n - i) * sizeof(t->ent[0]));
		memset(&t->ent[i], 0, sizeof(t->ent[i]));
		memcpy(t->ent[i].device, a->device, sizeof(a->device));
		t->n++;
	}
	e = &t->ent[i];
	e->msgs += a->msgs;
	e->events += a->events;
	/* receivers flush in any order: the latest message wins */
	if (a->last_rx_ms >= e->last_rx_ms) {
		e->last_rx_ms = a->last_rx_ms;
		if (a->has_skew) {
			e->skew_ms = a->skew_ms;
			e->has_skew = 1;
		}
	} else if (!e->has_skew && a->has_skew) {
		e->skew_ms = a->skew_ms;
		e->has_skew = 1;
	}
}

void
devstat_flush(struct devstat *t, struct devstat_acc *acc)
{
	if (t == NULL || acc->e.msgs == 0)
		return;
	pthread_mutex_lock(&t->mu);
	merge(t, &acc->e);
	pthread_mutex_unlock(&t->mu);
	memset(&acc->e, 0, sizeof(acc->e));
}

void
devstat_note(struct devstat *t, struct devstat_acc *acc, const char *device,
    int64_t rx_ms, const struct cgn_event *ev, size_t nev)
{
	struct devstat_ent *e = &acc->e;
	int64_t newest = 0;
	size_t i;
	int have = 0;

	if (t == NULL)
		return;
	if (e->msgs > 0 && strncmp(e->device, device, sizeof(e->device)) != 0)
		devstat_flush(t, acc);
	if (e->msgs == 0)
		snprintf(e->device, sizeof(e->device), "%s", device);
	for (i = 0; i < nev; i++) {
		if (ev[i].tsrc == CGN_TS_RX)
			continue;	/* our own clock: says nothing */
		if (!have || ev[i].ts_ms > newest)
			newest = ev[i].ts_ms;
		have = 1;
	}
	e->msgs++;
	e->events += nev;
	if (rx_ms >= e->last_rx_ms) {
		e->last_rx_ms = rx_ms;
		if (have) {
			e->skew_ms = newest - rx_ms;
			e->has_skew = 1;
		}
	}
}

size_t
devstat_snapshot(struct devstat *t, struct devstat_ent *out, size_t max,
    uint64_t *untracked)
{
	size_t n;

	pthread_mutex_lock(&t->mu);
	n = t->n < max ? t->n : max;
	if (n > 0)
		memcpy(out, t->ent, n * sizeof(out[0]));
	*untracked = t->untracked;
	pthread_mutex_unlock(&t->mu);
	return n;
}
