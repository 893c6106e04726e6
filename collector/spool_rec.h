/*
 * spool_rec.h - a batch's messages, gaps and events as the compact bytes
 * of a spool record (the encoding is drawn in spool_rec.c), and back.
 *
 * Only the arrays: the raw bytes are written and read as they are by the
 * caller (collector/spool.c), which also frames the record. Decoding
 * checks every length and value against the bytes it was given and the
 * batch it builds: a damaged record is an error, never a read out of
 * bounds or a message pointing outside its batch.
 */
#ifndef SPOOL_REC_H
#define SPOOL_REC_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

/* At least as many bytes as spool_rec_encode writes for b. */
size_t spool_rec_bound(const struct batch *b);
/* b's messages, gaps and events into out (spool_rec_bound(b) bytes);
 * returns how many bytes were written. */
size_t spool_rec_encode(const struct batch *b, uint8_t *out);
/* len bytes from spool_rec_encode into b (cleared first, its arrays grown
 * as needed). Its raw bytes, ndata of them, are the caller's to read into
 * b->data, before or after: it is grown to ndata here and its contents
 * kept. CGN_ETRUNC or CGN_EMALFORMED when the bytes are not a whole,
 * consistent record (b is left empty); CGN_ENOMEM. */
int spool_rec_decode(const uint8_t *p, size_t len, size_t ndata,
    struct batch *b);
/* CGN_OK when every message's raw bytes and events lie inside b;
 * else CGN_EMALFORMED. */
int spool_rec_check(const struct batch *b);

#endif /* SPOOL_REC_H */
