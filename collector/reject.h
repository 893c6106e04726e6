/*
 * reject.h - the reject file: every message that failed to parse, kept
 * byte for byte with where and when it came from and why it failed, so
 * nothing is silently lost and an engineer can see what a box sends.
 *
 * Format, per message:
 *   "# <rx time RFC 3339> <source URL> from <sender> <parser> <reason>
 *    <length>\n" then exactly <length> raw bytes, then "\n".
 * Safe to call from several threads.
 */
#ifndef REJECT_H
#define REJECT_H

#include <stddef.h>
#include <stdint.h>

struct reject;

int reject_open(const char *path, struct reject **out);
void reject_close(struct reject *r);
/* Reopen the file (after rotation: SIGHUP). */
int reject_reopen(struct reject *r);
const char *reject_path(const struct reject *r);

/* Keep one message; returns CGN_OK or CGN_EIO. */
int reject_keep(struct reject *r, int64_t rx_ms, const char *source,
    const char *sender, const char *parser, int rc, const uint8_t *buf,
    size_t len);

#endif /* REJECT_H */
