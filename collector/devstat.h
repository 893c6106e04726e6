/*
 * devstat.h - what the collector knows about each device (CGN box) it
 * hears from: when it last sent a message that was accepted, how many
 * messages and events it sent, and how far its clock is from ours (the
 * newest event time in its latest message minus the time we received it).
 *
 * Receivers run in several threads, so the table is behind a mutex; to
 * keep the lock off the per-message path each receiver adds up into its
 * own struct devstat_acc and hands the sum over when the device changes
 * or the burst ends (devstat_flush). The table is bounded: devices past
 * DEVSTAT_MAX are counted in `untracked`, never allocated.
 * Not here: exporters outside the ACL (never noted), the store's view.
 */
#ifndef DEVSTAT_H
#define DEVSTAT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "cgn.h"

#define DEVSTAT_MAX 4096

/* One device's figures. */
struct devstat_ent {
	char device[CGN_NAMELEN];
	uint64_t msgs;			/* messages accepted */
	uint64_t events;		/* events parsed from them */
	int64_t last_rx_ms;		/* wall clock, when the last arrived */
	int64_t skew_ms;		/* device clock minus ours */
	int has_skew;			/* 0: it never sent its own time */
};

/* A receiver's running sum for one device, not yet in the table. */
struct devstat_acc {
	struct devstat_ent e;		/* msgs == 0: empty */
};

struct devstat {
	pthread_mutex_t mu;
	struct devstat_ent *ent;	/* sorted by device name */
	size_t n, cap;
	uint64_t untracked;		/* messages of devices past the bound */
};

int devstat_new(struct devstat **out);
void devstat_free(struct devstat *t);

/*
 * One accepted message of device, received at rx_ms, with its events.
 * The skew is taken from the newest event that carries the device's own
 * time (not CGN_TS_RX). Adds into acc; flushes acc first when it holds
 * another device. t NULL: nothing is tracked.
 */
void devstat_note(struct devstat *t, struct devstat_acc *acc,
    const char *device, int64_t rx_ms, const struct cgn_event *ev,
    size_t nev);
/* Move acc into the table and empty it. */
void devstat_flush(struct devstat *t, struct devstat_acc *acc);

/* A copy of the table (sorted by name) into out, at most max entries;
 * returns the number copied; *untracked gets the overflow count. */
size_t devstat_snapshot(struct devstat *t, struct devstat_ent *out,
    size_t max, uint64_t *untracked);

#endif /* DEVSTAT_H */
