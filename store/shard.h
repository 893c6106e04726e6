/*
 * shard.h - one shard: an SQLite file holding every interval that overlaps
 * one time period. Private to store/; a format change starts here.
 *
 * Files: ROOT/YYYYMMDDTHHMMZ-<period seconds>.cgn, named by the period's
 * UTC start. SQLite in WAL mode; the writer commits once per flush.
 *
 *   meta(k TEXT PRIMARY KEY, v)      format=1, start_ms, end_ms, sealed
 *   dev(id INTEGER PRIMARY KEY, name TEXT UNIQUE)     device names
 *   sub(id INTEGER PRIMARY KEY, name TEXT UNIQUE)     subscriber ids
 *   blk(id INTEGER PRIMARY KEY, run, a_lo, a_hi, t_lo, t_hi, n, ibloom,
 *       data)
 *       a_lo/a_hi: keys of 18 bytes, the public address (IPv4-mapped)
 *       then a port, big-endian, so that memcmp orders them as rows are
 *       ordered. a_lo: the first row's address and first port. a_hi: the
 *       greatest (address, last port) of any row in this block or an
 *       earlier block of the run, so that a_hi grows with the blocks.
 *       t_lo: first start; t_hi: last end (open rows count as +inf);
 *       run: the sorted run it belongs to; n: rows; data: the block
 *       below. Index (run, a_hi): a lookup of (address, ports p..q)
 *       seeks once per run to the first a_hi >= (address, p) and stops
 *       at the first a_lo > (address, q): one or two blocks, however
 *       many blocks the address fills. Shards of earlier versions have
 *       the address alone (16 bytes); a reader tells them apart by
 *       length, run by run (a run is written whole by one writer).
 *       ibloom: the block's distinct inside addresses as a Bloom filter
 *       (bloom.h), before data so that a search by inside address reads
 *       filters without reading blocks. Shards of earlier versions have
 *       no such column, or gain it, after data, when written into again;
 *       a block whose ibloom is NULL is read.
 *   run(id INTEGER PRIMARY KEY, level, rows)   the runs present. A flush
 *       writes a level-0 run; eight runs of a level are merged into one
 *       of the next, so a shard being written has a few dozen runs at
 *       most; a sealed shard is one run.
 *   ev(id INTEGER PRIMARY KEY, r_lo, r_hi, n, data)   evidence
 *   cov(dev INTEGER PRIMARY KEY, bits BLOB)  one bit per minute: dev 0 is
 *       the collector running, dev N the device heard from
 *   devstat(dev INTEGER PRIMARY KEY, events, first_rx, last_rx,
 *       skew_min, skew_max, skew_sum, skew_n)     per device, clock skew
 *   gap(dev, from_ms, to_ms)          a device's stream lost messages
 *
 * A record in blk is an interval that is closed (start, end known) or open
 * (held from start through at least the end of this shard's period, or
 * through "now" while the shard is current). Invariant: every interval
 * overlapping a shard's period has a record in that shard, so a lookup
 * reads the shards its window meets and nothing else. The same allocation
 * may have an open record and a closed one in one shard; the closed one
 * wins (reader.c), and compaction drops the open one.
 *
 * Block (data of blk), all integers LEB128 varints unless said:
 *
 *   +---------+-------+---------+-------+--------+---------------------+
 *   | ver u8  | nrows | base ms | unit  | ncols  | column ... column   |
 *   | (1)     |       | zigzag  | ms    | u8     |                     |
 *   +---------+-------+---------+-------+--------+---------------------+
 *   column:
 *   +--------+----------+--------+--------+------------------------+
 *   | id u8  | codec u8 | rawlen | stored | stored bytes           |
 *   |        | 0 raw    |        | len    | (raw deflate if 1)     |
 *   |        | 1 deflate|        |        |                        |
 *   +--------+----------+--------+--------+------------------------+
 *
 *   Columns (codec.c enum col), one value per row unless said; a column
 *   whose values are all zero is left out and reads as zeros:
 *     out_hi, out_lo    public address as two 64-bit halves, zigzag delta
 *     plo, pspan        first port (zigzag delta), last - first
 *     proto             one byte per row
 *     kind              kind | flags << 2
 *     dev, vrf, sub     shard-local ids
 *     dict_hi, dict_lo  count, then the sorted distinct inside addresses
 *     inidx             index of the row's inside address in dict
 *     in4_hi, in4_lo    DS-Lite inner IPv4 (zigzag delta)
 *     inport            inside port (sessions)
 *     start             (start - base) / unit, zigzag delta
 *     dur               (end - start) / unit, 0 while open
 *     dst_hi, dst_lo, dport    destination (sessions, where logged)
 *     evs_t, evs_n      evidence ref of the start: its ms - start,
 *                       its low 16 bits + 1 (0: none)
 *     eve_t, eve_n      the same for the end
 *   Rows are sorted by (public address, first port, start).
 *
 * Evidence block (data of ev): count, then per message: ref - previous ref
 * (zigzag), device id, byte length, bytes; the whole packed by blk_pack
 * (codec.h: a codec byte, the raw length, then a zstd frame; deflate in
 * shards of earlier versions). A ref is
 * rx_ms << 16 | a 16-bit counter; the message lives in the shard of its
 * rx_ms, in the ev row whose [r_lo, r_hi] holds it.
 */
#ifndef SHARD_H
#define SHARD_H

#include <sqlite3.h>
#include <string.h>

#include "ival.h"

#define SHARD_FORMAT 1
/* Page size of a sealed shard: blocks are a few KiB, and 1 KiB pages
 * waste less of each BLOB's last overflow page (measured: 8.0 -> 7.7
 * bytes/event at 4 KiB). A shard being written has 16 KiB pages (fewer
 * calls per byte); the seal's copy (VACUUM INTO) takes the small ones. */
#define SHARD_SEALED_PAGE 1024
/* The seal's copy of a shard until it is renamed over it (a crash may
 * leave one: the next seal or retention removes it; readers skip it). */
#define SHARD_SEALING "-sealing"

struct shard {
	sqlite3 *db;
	char path[512];
	int64_t start_ms, end_ms;
	int readonly;
	int sealed;
	int in_txn;			/* BEGIN issued, COMMIT pending */
	char err[160];			/* why the last transaction failed
					 * (kept: the ROLLBACK after a full
					 * disk says only that none is open) */
	int64_t next_run;		/* highest run id so far */
	int64_t runs;			/* runs present (1: compacted) */
	sqlite3_stmt *ins_blk, *ins_ev, *get_dev, *ins_dev, *get_sub,
	    *ins_sub, *sel_ev, *upd_cov, *get_cov, *upd_stat, *ins_gap,
	    *ins_run, *runs_at;
};

/* Path of the shard starting at start_ms with period_ms, under root. */
void shard_path(const char *root, int64_t start_ms, int64_t period_ms,
    char *buf, size_t len);
/* Parse a shard file name; 1 and *start_ms, *period_ms if it is one. */
int shard_name_parse(const char *name, int64_t *start_ms,
    int64_t *period_ms);

/* What shard_scan() calls per shard file: name is the file name in root
 * (not a path). A return other than CGN_OK stops the scan. */
typedef int shard_scan_fn(void *arg, const char *name, int64_t start_ms,
    int64_t period_ms);
/* Call fn for each file in root whose name shard_name_parse() takes, in
 * directory order (unsorted: callers that want an order sort). Returns
 * CGN_OK, fn's first other return, or CGN_EIO if root does not open
 * (errno says why). */
int shard_scan(const char *root, shard_scan_fn *fn, void *arg);

/* Open a shard file read-write, creating it (and its schema) if missing;
 * or read-only (never creates). err gets SQLite's message on failure. */
int shard_open(const char *path, int64_t start_ms, int64_t end_ms,
    int readonly, struct shard **out, char *err, size_t errlen);
void shard_close(struct shard *sh);

int shard_begin(struct shard *sh);
int shard_commit(struct shard *sh);
void shard_rollback(struct shard *sh);

/* Intern a device / subscriber name; *id >= 1. */
int shard_dev_id(struct shard *sh, const char *name, uint32_t *id);
int shard_sub_id(struct shard *sh, const char *name, uint32_t *id);
/* Names of ids, for readers; "" if unknown. */
int shard_dev_name(struct shard *sh, uint32_t id, char *buf, size_t len);
int shard_sub_name(struct shard *sh, uint32_t id, char *buf, size_t len);

/* A block's index key (see blk above). */
#define SHARD_KEY_LEN 18
/* Shards of earlier versions: the address alone. */
#define SHARD_KEY_LEN_V1 16
static inline void
shard_key(uint8_t key[SHARD_KEY_LEN], const struct cgn_addr *a,
    uint16_t port)
{
	memcpy(key, a->b, 16);
	key[16] = (uint8_t)(port >> 8);
	key[17] = (uint8_t)port;
}

/* Store one encoded block of n rows with its index keys (SHARD_KEY_LEN
 * bytes each) and its inside addresses' filter (bloom.h; NULL: none). */
int shard_put_block(struct shard *sh, int64_t run, const uint8_t *key_lo,
    const uint8_t *key_hi, int64_t t_lo, int64_t t_hi, size_t n,
    const uint8_t *data, size_t len, const uint8_t *bloom, size_t bloomlen);
/* 1 if blk has the ibloom column (shards of earlier versions do not). */
int shard_has_bloom(struct shard *sh);

int shard_put_evidence(struct shard *sh, uint64_t r_lo, uint64_t r_hi,
    size_t n, const uint8_t *data, size_t len);

/* OR minute bits [from_ms, to_ms] into dev's coverage (dev 0: collector). */
int shard_cover(struct shard *sh, uint32_t dev, int64_t from_ms,
    int64_t to_ms);

/* Add to a device's counters. */
int shard_devstat(struct shard *sh, uint32_t dev, uint64_t events,
    int64_t first_rx, int64_t last_rx, int64_t skew_min, int64_t skew_max,
    int64_t skew_sum, uint64_t skew_n);

int shard_gap(struct shard *sh, uint32_t dev, int64_t from_ms,
    int64_t to_ms);

int shard_set_sealed(struct shard *sh, int sealed);

/* Runs: record one, list the ids at a level (oldest first), drop one
 * with its blocks. */
int shard_run_add(struct shard *sh, int64_t id, int level, uint64_t rows);
int shard_runs_at(struct shard *sh, int level, int64_t *ids, size_t max,
    size_t *n);
int shard_run_drop(struct shard *sh, int64_t id);
/* The ids of the runs blocks belong to, ascending (*ids: free() it), and
 * with keylen (may be NULL; free() it) each run's block key length:
 * SHARD_KEY_LEN, or SHARD_KEY_LEN_V1 in a run an earlier version wrote. */
int shard_run_ids(struct shard *sh, int64_t **ids, int **keylen,
    size_t *n);
/* Drop every run but id, with its blocks. */
int shard_runs_keep(struct shard *sh, int64_t id);

/* Run SQL with no result (a PRAGMA, DDL); CGN_EDB if it fails. */
int shard_exec(struct shard *sh, const char *sql);
/* The one number a query (a count, a PRAGMA) returns; 0 if it fails. */
int64_t shard_int(struct shard *sh, const char *sql);

const char *shard_errmsg(const struct shard *sh);

#endif /* SHARD_H */
