/*
 * spool.h - where batches go when the writer falls behind: a file, in
 * order, read back by the writer when it catches up. Receivers never wait
 * for a slow disk and never drop while the spool has room.
 *
 * Order is kept across the ring and the spool: once anything is spooled,
 * every batch goes to the spool until the writer has read it empty (the
 * ring's batches are older, and the writer takes them first). A spool left
 * by a crash, or by the previous version, is read back at the next start,
 * before anything new. The record format is in spool.c and spool_rec.c.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

struct spool;

/* Open path (created if missing; kept data is read back); max_bytes bounds
 * it (0: 1 GiB). err says why it cannot be used. */
int spool_open(const char *path, uint64_t max_bytes, struct spool **out,
    char *err, size_t errlen);
void spool_close(struct spool *sp);

/* 1 while batches must go to the spool (it holds something). */
int spool_active(struct spool *sp);
/* Append b. CGN_EIO when it is full or the write fails (the caller counts
 * the batch as lost). Thread-safe. */
int spool_put(struct spool *sp, const struct batch *b);
/* The oldest spooled batch into b (its arrays grown as needed);
 * CGN_ENOTFOUND when empty, which also ends spooling. CGN_ETRUNC: a
 * damaged record (its checksum fails, no record frames there, or an older
 * build's record does not decode; the log says which) was passed over:
 * logged, kept in path.damaged, b empty, and the next call goes on at the
 * next record. CGN_EIO, CGN_ENOMEM: try again. Writer only. */
int spool_get(struct spool *sp, struct batch *b);
/* What was read so far is durably stored: a restart resumes after it, and
 * a spool read to its end is emptied. Writer only, after a good flush. */
int spool_commit(struct spool *sp);
/* Bytes and batches waiting. */
uint64_t spool_bytes(struct spool *sp);
uint64_t spool_batches(struct spool *sp);

#endif /* SPOOL_H */
