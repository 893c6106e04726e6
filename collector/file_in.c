/*
 * file_in.c - syslog-file://PATH: every line of a file, as if each had
 * arrived as a datagram now. For importing what another syslog server
 * stored; the sender is unknown, so a line's header host names the device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen.h"
#include "log.h"

int
file_read(struct listener *l, char *err, size_t errlen)
{
	struct cgn_src src;
	char *line = NULL;
	size_t cap = 0, lines = 0;
	ssize_t n;
	FILE *f;

	if ((f = fopen(l->url.path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", l->url.path, strerror(errno));
		return CGN_EIO;
	}
	memset(&src, 0, sizeof(src));
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		src.rx_ms = loop_wall_ms();
		ingest_msg(l->in, l, &src, (const uint8_t *)line, (size_t)n);
		lines++;
	}
	free(line);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", l->url.path, strerror(errno));
		fclose(f);
		return CGN_EIO;
	}
	fclose(f);
	ingest_push(l->in);
	log_info("%s: read %zu lines", l->url.path, lines);
	return CGN_OK;
}
