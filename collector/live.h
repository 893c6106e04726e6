/*
 * live.h - the settings SIGHUP can change while cgnlogd runs: per-device
 * settings (name, zone, natEvent numbering), the default exporter ACL and
 * the retention. Receivers read them on every message from any thread, so
 * they are published as immutable snapshots through atomic pointers; a
 * reload builds a new snapshot and swaps it in, nothing waits. Snapshots
 * that were replaced are kept until exit (a reload is rare and small).
 * Sockets and the store root are not here: changing them needs a restart.
 */
#ifndef LIVE_H
#define LIVE_H

#include <stdatomic.h>
#include <stdint.h>

#include "acl.h"
#include "config.h"

/* One published set of reloadable settings. */
struct live_set {
	const struct config *cfg;	/* the config it came from: devices */
	struct acl acl;			/* default exporter ACL */
	int64_t retention_ms;
};

struct live {
	_Atomic(const struct live_set *) cur;
	struct config **kept;		/* configs behind old snapshots */
	struct live_set **sets;
	int nkept;
};

/* Publish the reloadable parts of c (which must outlive the live). */
int live_publish(struct live *lv, struct config *c);
void live_free(struct live *lv);

/* The current snapshot: valid until live_free. */
static inline const struct live_set *
live_get(const struct live *lv)
{
	return atomic_load_explicit((_Atomic(const struct live_set *) *)
	    &lv->cur, memory_order_acquire);
}

/* The settings of the device at addr in snapshot s, or NULL. */
const struct cfg_device *live_device(const struct live_set *s,
    const struct cgn_addr *addr);

#endif /* LIVE_H */
