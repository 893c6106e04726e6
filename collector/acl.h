/*
 * acl.h - which exporters a listener accepts: a list of address prefixes
 * ("192.0.2.0/24,2001:db8::/32,127.0.0.1"). A message from anywhere else
 * is counted (acl_drops) and stored nowhere. Pure; no I/O.
 */
#ifndef ACL_H
#define ACL_H

#include <stddef.h>

#include "cgn.h"

#define ACL_MAX 64

struct acl {
	struct cgn_addr net[ACL_MAX];
	int bits[ACL_MAX];	/* prefix length over the 128-bit form */
	int n;			/* 0: everyone is allowed */
};

/* Parse a comma-separated list; err says which entry is wrong. */
int acl_parse(const char *s, struct acl *a, char *err, size_t errlen);
/* 1 if addr is allowed (always, for an empty list). */
int acl_allows(const struct acl *a, const struct cgn_addr *addr);

#endif /* ACL_H */
