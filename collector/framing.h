/*
 * framing.h - RFC 6587 syslog-over-TCP framing: cut a byte stream into
 * messages. Pure (no I/O), so the rules are unit-tested on their own.
 *
 * Per frame: "LEN SP MSG" (octet counting, 3.4.1) when it starts with a
 * length and a space, else a line up to LF (non-transparent, 3.4.2) with an
 * optional CR. A frame longer than max is reported as oversize (its first
 * max bytes) and skipped. At EOF an unterminated last line is a message.
 */
#ifndef FRAMING_H
#define FRAMING_H

#include <stddef.h>
#include <stdint.h>

/* What is carried between calls for one stream. */
struct framer {
	size_t skip;		/* bytes of an oversized frame still to drop */
	int skip_line;		/* drop up to the next LF */
};

typedef void framing_fn(void *arg, const uint8_t *p, size_t len);

/* Split buf; calls msg() per message and over() per oversized frame.
 * Returns the bytes consumed; the rest is an incomplete frame to keep. */
size_t framing_split(struct framer *fr, const uint8_t *buf, size_t len,
    size_t max, int at_eof, framing_fn *msg, framing_fn *over, void *arg);

#endif /* FRAMING_H */
