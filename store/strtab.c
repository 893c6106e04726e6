/*
 * strtab.c - string interning: an array of copies and an open-addressing
 * index over it. Strings are never removed; a writer sees as many devices
 * and subscribers as the network has.
 */
#include <stdlib.h>
#include <string.h>

#include "cgn.h"
#include "strtab.h"

struct strtab {
	char **s;		/* s[id - 1] */
	uint32_t n, cap;
	uint32_t *slot;		/* id, 0: empty */
	uint32_t mask;
	uint32_t last;		/* last id found: devices repeat */
};

static uint32_t
str_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

int
strtab_new(struct strtab **out)
{
	struct strtab *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return CGN_ENOMEM;
	*out = t;
	return CGN_OK;
}

void
strtab_free(struct strtab *t)
{
	uint32_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->slot);
	free(t);
}

static int
grow(struct strtab *t)
{
	uint32_t ncap = t->cap ? t->cap * 2 : 16, i, j, *ns;
	char **nsv;

	if ((nsv = realloc(t->s, ncap * sizeof(*nsv))) == NULL)
		return CGN_ENOMEM;
	t->s = nsv;
	if ((ns = calloc((size_t)ncap * 2, sizeof(*ns))) == NULL)
		return CGN_ENOMEM;
	free(t->slot);
	t->slot = ns;
	t->cap = ncap;
	t->mask = ncap * 2 - 1;
	for (i = 0; i < t->n; i++) {
		for (j = str_hash(t->s[i]) & t->mask; t->slot[j];
		    j = (j + 1) & t->mask)
			;
		t->slot[j] = i + 1;
	}
	return CGN_OK;
}

/* Names are a few bytes: a plain loop beats strcmp's call and its
 * set-up for long strings (4% of the writer's time in bench-store, which
 * asks for the same device three times an event). */
static inline int
same(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (*a == '\0')
			return 1;
	return 0;
}

int
strtab_id(struct strtab *t, const char *s, uint32_t *id)
{
	uint32_t j;
	char *copy;

	if (t->last != 0 && same(t->s[t->last - 1], s)) {
		*id = t->last;
		return CGN_OK;
	}
	if (t->cap != 0) {
		for (j = str_hash(s) & t->mask; t->slot[j];
		    j = (j + 1) & t->mask) {
			if (same(t->s[t->slot[j] - 1], s)) {
				*id = t->last = t->slot[j];
				return CGN_OK;
			}
		}
	}
	if (t->n == t->cap && grow(t) != CGN_OK)
		return CGN_ENOMEM;
	if ((copy = strdup(s)) == NULL)
		return CGN_ENOMEM;
	t->s[t->n] = copy;
	for (j = str_hash(s) & t->mask; t->slot[j]; j = (j + 1) & t->mask)
		;
	t->slot[j] = ++t->n;
	*id = t->last = t->n;
	return CGN_OK;
}

const char *
strtab_str(const struct strtab *t, uint32_t id)
{
	return id >= 1 && id <= t->n ? t->s[id - 1] : NULL;
}

size_t
strtab_count(const struct strtab *t)
{
	return t->n;
}
