/*
 * strtab.h - interning of short strings (device names, subscriber ids) to
 * small integers, ids from 1. Private to store/.
 */
#ifndef STRTAB_H
#define STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct strtab;

int strtab_new(struct strtab **out);
void strtab_free(struct strtab *t);
/* The id of s (added if new); CGN_ENOMEM. */
int strtab_id(struct strtab *t, const char *s, uint32_t *id);
/* The string of id, or NULL. */
const char *strtab_str(const struct strtab *t, uint32_t id);
size_t strtab_count(const struct strtab *t);

#endif /* STRTAB_H */
