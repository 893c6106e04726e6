/*
 * tzload.c - read /usr/share/zoneinfo/NAME (or $TZDIR/NAME) and decode it
 * with parser/tz.c. The I/O half of time zones; tz.c stays pure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgn.h"
#include "tz.h"
#include "tzload.h"

int
tzload(const char *name, struct cgn_tz **out, char *err, size_t errlen)
{
	char path[512];
	const char *dir = getenv("TZDIR");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;
	int rc;

	if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 ||
	    strcmp(name, "Etc/UTC") == 0 || strcmp(name, "GMT") == 0) {
		*out = NULL;
		return CGN_OK;
	}
	if (strstr(name, "..") != NULL || name[0] == '\0') {
		snprintf(err, errlen, "'%s' is not a zone name", name);
		return CGN_EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/usr/share/zoneinfo",
	    name);
	if ((f = fopen(path, "rb")) == NULL) {
		/* not a file: maybe a POSIX TZ string */
		if (tz_parse_posix(name, out) == CGN_OK)
			return CGN_OK;
		snprintf(err, errlen, "unknown time zone '%s' (%s: %s)", name,
		    path, strerror(errno));
		return CGN_EINVAL;
	}
	do {
		if (len == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 8192;
			if (cap > (1 << 20) ||
			    (nb = realloc(buf, cap)) == NULL) {
				fclose(f);
				free(buf);
				snprintf(err, errlen, "%s: too big", path);
				return CGN_EINVAL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	rc = tz_parse_tzif(buf, len, out);
	free(buf);
	if (rc != CGN_OK)
		snprintf(err, errlen, "%s: not a TZif file (%s)", path,
		    cgn_rc_str(rc));
	return rc;
}
