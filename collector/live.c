/*
 * live.c - reloadable settings (see live.h).
 */
#include <stdlib.h>
#include <string.h>

#include "live.h"

int
live_publish(struct live *lv, struct config *c)
{
	struct live_set *s, **ns;
	struct config **nk;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return CGN_ENOMEM;
	if ((nk = realloc(lv->kept, (size_t)(lv->nkept + 1) *
	    sizeof(*nk))) == NULL) {
		free(s);
		return CGN_ENOMEM;
	}
	lv->kept = nk;
	if ((ns = realloc(lv->sets, (size_t)(lv->nkept + 1) *
	    sizeof(*ns))) == NULL) {
		free(s);
		return CGN_ENOMEM;
	}
	lv->sets = ns;
	s->cfg = c;
	s->acl = c->acl;
	s->retention_ms = c->retention_ms;
	lv->kept[lv->nkept] = c;
	lv->sets[lv->nkept] = s;
	lv->nkept++;
	atomic_store_explicit(&lv->cur, s, memory_order_release);
	return CGN_OK;
}

void
live_free(struct live *lv)
{
	int i;

	/* the first config is the daemon's own; later ones were allocated
	 * by reloads */
	for (i = 0; i < lv->nkept; i++) {
		if (i > 0) {
			config_free(lv->kept[i]);
			free(lv->kept[i]);
		}
		free(lv->sets[i]);
	}
	free(lv->kept);
	free(lv->sets);
	memset(lv, 0, sizeof(*lv));
}

const struct cfg_device *
live_device(const struct live_set *s, const struct cgn_addr *addr)
{
	return config_device(s->cfg, addr);
}
