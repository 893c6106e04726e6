/*
 * addr.h - the parser's fast reading of dotted IPv4 text (addr.c), for
 * vendor bodies that know where an address starts but not where it ends.
 * The rest of the address helpers are in cgn.h.
 */
#ifndef ADDR_H
#define ADDR_H

#include <stddef.h>

#include "cgn.h"

/* A dotted IPv4 address (as inet_pton(AF_INET) takes it) at the start of
 * s[0..len), ended by the first byte that is not a digit or a dot: the
 * bytes it took and *out set, or 0 (*out untouched) if there is none. */
size_t cgn_addr_v4_prefix(const char *s, size_t len, struct cgn_addr *out);

#endif /* ADDR_H */
