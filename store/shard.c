/*
 * shard.c - one shard file: naming (and finding the shard files of a
 * store directory), schema, prepared statements, the small tables
 * (devices, subscribers, coverage, counters). The format is drawn in
 * shard.h.
 *
 * Statements are prepared once per open and bound with sqlite3_bind_*; no
 * SQL is built from data. Not here: what goes into blocks (codec.c), when
 * to write (writer.c), how to search (reader.c).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shard.h"
#include "store.h"
#include "timeconv.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v);"
    "CREATE TABLE IF NOT EXISTS dev(id INTEGER PRIMARY KEY,"
    " name TEXT UNIQUE NOT NULL);"
    "CREATE TABLE IF NOT EXISTS sub(id INTEGER PRIMARY KEY,"
    " name TEXT UNIQUE NOT NULL);"
    "CREATE TABLE IF NOT EXISTS blk(id INTEGER PRIMARY KEY, run INTEGER,"
    " a_lo BLOB, a_hi BLOB, t_lo INTEGER, t_hi INTEGER, n INTEGER,"
    " ibloom BLOB, data BLOB);"
    "CREATE INDEX IF NOT EXISTS blk_ra ON blk(run, a_hi);"
    "CREATE TABLE IF NOT EXISTS run(id INTEGER PRIMARY KEY, level INTEGER,"
    " rows INTEGER);"
    "CREATE TABLE IF NOT EXISTS ev(id INTEGER PRIMARY KEY, r_lo INTEGER,"
    " r_hi INTEGER, n INTEGER, data BLOB);"
    "CREATE INDEX IF NOT EXISTS ev_r ON ev(r_hi);"
    "CREATE TABLE IF NOT EXISTS cov(dev INTEGER PRIMARY KEY, bits BLOB);"
    "CREATE TABLE IF NOT EXISTS devstat(dev INTEGER PRIMARY KEY,"
    " events INTEGER, first_rx INTEGER, last_rx INTEGER,"
    " skew_min INTEGER, skew_max INTEGER, skew_sum INTEGER,"
    " skew_n INTEGER);"
    "CREATE TABLE IF NOT EXISTS gap(dev INTEGER, from_ms INTEGER,"
    " to_ms INTEGER);";

void
shard_path(const char *root, int64_t start_ms, int64_t period_ms, char *buf,
    size_t len)
{
	struct cgn_tm tm;

	tc_from_ms(start_ms, &tm);
	snprintf(buf, len, "%s/%04d%02d%02dT%02d%02dZ-%lld.cgn", root,
	    tm.year, tm.mon, tm.day, tm.hour, tm.min,
	    (long long)(period_ms / 1000));
}

int
shard_name_parse(const char *name, int64_t *start_ms, int64_t *period_ms)
{
	struct cgn_tm tm = { 0 };
	long long per;
	int n = 0;

	if (sscanf(name, "%4d%2d%2dT%2d%2dZ-%lld%n", &tm.year, &tm.mon,
	    &tm.day, &tm.hour, &tm.min, &per, &n) != 6 || per <= 0)
		return 0;
	if (strcmp(name + n, ".cgn") != 0 || strlen(name) != (size_t)n + 4)
		return 0;
	if (tc_to_ms(&tm, start_ms) != CGN_OK)
		return 0;
	*period_ms = per * 1000;
	return 1;
}

int
shard_scan(const char *root, shard_scan_fn *fn, void *arg)
{
	struct dirent *de;
	int64_t start, per;
	int rc = CGN_OK;
	DIR *d;

	if ((d = opendir(root)) == NULL)
		return CGN_EIO;
	while (rc == CGN_OK && (de = readdir(d)) != NULL)
		if (shard_name_parse(de->d_name, &start, &per))
			rc = fn(arg, de->d_name, start, per);
	closedir(d);
	return rc;
}

const char *
shard_errmsg(const struct shard *sh)
{
	if (sh != NULL && sh->err[0] != '\0')
		return sh->err;
	return sh != NULL && sh->db != NULL ? sqlite3_errmsg(sh->db) :
	    "no database";
}

int64_t
shard_int(struct shard *sh, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	if (sqlite3_prepare_v2(sh->db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Keep why the transaction failed before ROLLBACK's own message (a full
 * disk rolls back by itself, and ROLLBACK then complains). */
static void
keep_err(struct shard *sh)
{
	snprintf(sh->err, sizeof(sh->err), "%s", sqlite3_errmsg(sh->db));
}

static int
prep(struct shard *sh, sqlite3_stmt **st, const char *sql)
{
	return sqlite3_prepare_v3(sh->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    st, NULL) == SQLITE_OK ? CGN_OK : CGN_EDB;
}

static int
shard_prepare(struct shard *sh)
{
	if (prep(sh, &sh->get_dev, "SELECT id FROM dev WHERE name=?") ||
	    prep(sh, &sh->get_sub, "SELECT id FROM sub WHERE name=?") ||
	    prep(sh, &sh->sel_ev, "SELECT r_lo, n, data FROM ev"
	    " WHERE r_hi >= ? AND r_lo <= ? ORDER BY r_hi LIMIT 4") ||
	    prep(sh, &sh->get_cov, "SELECT bits FROM cov WHERE dev=?"))
		return CGN_EDB;
	if (sh->readonly)
		return CGN_OK;
	if (prep(sh, &sh->ins_dev, "INSERT INTO dev(name) VALUES(?)") ||
	    prep(sh, &sh->ins_sub, "INSERT INTO sub(name) VALUES(?)") ||
	    prep(sh, &sh->ins_blk, "INSERT INTO blk(run, a_lo, a_hi, t_lo,"
	    " t_hi, n, data, ibloom) VALUES(?,?,?,?,?,?,?,?)") ||
	    prep(sh, &sh->ins_ev, "INSERT INTO ev(r_lo, r_hi, n, data)"
	    " VALUES(?,?,?,?)") ||
	    prep(sh, &sh->upd_cov, "INSERT OR REPLACE INTO cov(dev, bits)"
	    " VALUES(?,?)") ||
	    prep(sh, &sh->upd_stat, "INSERT INTO devstat(dev, events,"
	    " first_rx, last_rx, skew_min, skew_max, skew_sum, skew_n)"
	    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(dev) DO UPDATE SET"
	    " events=events+?2, first_rx=min(first_rx,?3),"
	    " last_rx=max(last_rx,?4), skew_min=min(skew_min,?5),"
	    " skew_max=max(skew_max,?6), skew_sum=skew_sum+?7,"
	    " skew_n=skew_n+?8") ||
	    prep(sh, &sh->ins_gap, "INSERT INTO gap(dev, from_ms, to_ms)"
	    " VALUES(?,?,?)") ||
	    prep(sh, &sh->ins_run, "INSERT OR REPLACE INTO run(id, level,"
	    " rows) VALUES(?,?,?)") ||
	    prep(sh, &sh->runs_at, "SELECT id FROM run WHERE level=?"
	    " ORDER BY id"))
		return CGN_EDB;
	return CGN_OK;
}

int
shard_exec(struct shard *sh, const char *sql)
{
	return sqlite3_exec(sh->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
	    CGN_OK : CGN_EDB;
}

static int
meta_get(struct shard *sh, const char *k, int64_t *v)
{
	sqlite3_stmt *st;
	int rc = CGN_ENOTFOUND;

	if (sqlite3_prepare_v2(sh->db, "SELECT v FROM meta WHERE k=?", -1,
	    &st, NULL) != SQLITE_OK)
		return CGN_EDB;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = CGN_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
meta_set(struct shard *sh, const char *k, int64_t v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(sh->db, "INSERT OR REPLACE INTO meta(k, v)"
	    " VALUES(?,?)", -1, &st, NULL) != SQLITE_OK)
		return CGN_EDB;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	rc = sqlite3_step(st) == SQLITE_DONE ? CGN_OK : CGN_EDB;
	sqlite3_finalize(st);
	return rc;
}

int
shard_has_bloom(struct shard *sh)
{
	return shard_int(sh, "SELECT count(*) FROM pragma_table_info('blk')"
	    " WHERE name = 'ibloom'") > 0;
}

static int
shard_init_rw(struct shard *sh, int64_t start_ms, int64_t end_ms)
{
	int64_t v;

	/* WAL: readers run beside the writer; NORMAL: a commit survives a
	 * killed process (the OS has it), fsync happens at checkpoints */
	/* a shard being written has 16 KiB pages: SQLite reads and writes
	 * a page a call, and the runs of a busy shard are written, merged
	 * and dropped at a hundred bytes of I/O per event (bench-store,
	 * writer CPU per event: 4 KiB -> 16 KiB pages 12-16% less, 64 KiB
	 * no better and more bytes written); the seal makes them 1 KiB
	 * (SHARD_SEALED_PAGE). The WAL is checkpointed every 1024 pages,
	 * 16 MiB, as it was with 4096 pages of 4 KiB. */
	/* mmap: merges read the runs back without a call per page */
	/* secure_delete off: Debian's SQLite zeroes every freed page, so a
	 * run dropped after a merge was written a second time, as zeros,
	 * to the WAL and the file (measured: 120 -> 81 bytes written and
	 * 91 -> 36 read per event). The freed pages held rows that the
	 * merged run holds too, and the seal's copy leaves them behind. */
	if (shard_exec(sh, "PRAGMA page_size=16384") ||
	    shard_exec(sh, "PRAGMA journal_mode=WAL") ||
	    shard_exec(sh, "PRAGMA secure_delete=OFF") ||
	    shard_exec(sh, "PRAGMA synchronous=NORMAL") ||
	    shard_exec(sh, "PRAGMA wal_autocheckpoint=1024") ||
	    shard_exec(sh, "PRAGMA mmap_size=268435456") ||
	    shard_exec(sh, "PRAGMA cache_size=-8192") || shard_exec(sh, schema))
		return CGN_EDB;
	/* a shard of an earlier version, written into again: its blocks
	 * from now on have filters (after data, where ADD COLUMN puts it) */
	if (!shard_has_bloom(sh) &&
	    shard_exec(sh, "ALTER TABLE blk ADD COLUMN ibloom BLOB"))
		return CGN_EDB;
	if (meta_get(sh, "format", &v) == CGN_ENOTFOUND) {
		if (shard_exec(sh, "BEGIN") ||
		    meta_set(sh, "format", SHARD_FORMAT) ||
		    meta_set(sh, "start_ms", start_ms) ||
		    meta_set(sh, "end_ms", end_ms) ||
		    meta_set(sh, "sealed", 0) || shard_exec(sh, "COMMIT"))
			return CGN_EDB;
	} else if (v != SHARD_FORMAT) {
		return CGN_EMALFORMED;
	}
	return CGN_OK;
}

int
shard_open(const char *path, int64_t start_ms, int64_t end_ms, int readonly,
    struct shard **out, char *err, size_t errlen)
{
	struct shard *sh;
	sqlite3_stmt *st;
	int64_t v;
	int rc = CGN_EDB, flags;

	if ((sh = calloc(1, sizeof(*sh))) == NULL)
		return CGN_ENOMEM;
	snprintf(sh->path, sizeof(sh->path), "%s", path);
	sh->readonly = readonly;
	sh->start_ms = start_ms;
	sh->end_ms = end_ms;
	flags = readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	/* sqlite3_open_v2 returns a handle even when it fails; close frees */
	if (sqlite3_open_v2(path, &sh->db, flags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(sh->db, 5000);
	if (!readonly && (rc = shard_init_rw(sh, start_ms, end_ms)) != CGN_OK)
		goto fail;
	rc = CGN_EDB;
	if (meta_get(sh, "format", &v) != CGN_OK || v != SHARD_FORMAT) {
		rc = CGN_EMALFORMED;
		goto fail;
	}
	if (meta_get(sh, "sealed", &v) == CGN_OK)
		sh->sealed = (int)v;
	if (meta_get(sh, "start_ms", &v) == CGN_OK)
		sh->start_ms = v;
	if (meta_get(sh, "end_ms", &v) == CGN_OK)
		sh->end_ms = v;
	if (sqlite3_prepare_v2(sh->db, "SELECT coalesce(max(run), 0),"
	    " count(DISTINCT run) FROM blk", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW) {
		sh->next_run = sqlite3_column_int64(st, 0);
		sh->runs = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if ((rc = shard_prepare(sh)) != CGN_OK)
		goto fail;
	*out = sh;
	return CGN_OK;
fail:
	if (err != NULL)
		snprintf(err, errlen, "%s: %s", path, rc == CGN_EMALFORMED ?
		    "not a cgnlog shard of this format" :
		    sqlite3_errmsg(sh->db));
	shard_close(sh);
	return rc;
}

void
shard_close(struct shard *sh)
{
	sqlite3_stmt *all[13];
	size_t i;

	if (sh == NULL)
		return;
	all[0] = sh->ins_blk;
	all[1] = sh->ins_ev;
	all[2] = sh->get_dev;
	all[3] = sh->ins_dev;
	all[4] = sh->get_sub;
	all[5] = sh->ins_sub;
	all[6] = sh->sel_ev;
	all[7] = sh->upd_cov;
	all[8] = sh->get_cov;
	all[9] = sh->upd_stat;
	all[10] = sh->ins_gap;
	all[11] = sh->ins_run;
	all[12] = sh->runs_at;
	if (sh->in_txn)
		sqlite3_exec(sh->db, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		sqlite3_finalize(all[i]);
	sqlite3_close(sh->db);
	free(sh);
}

int
shard_begin(struct shard *sh)
{
	if (sh->in_txn)
		return CGN_OK;
	sh->err[0] = '\0';
	if (shard_exec(sh, "BEGIN") != CGN_OK)
		return CGN_EDB;
	sh->in_txn = 1;
	return CGN_OK;
}

int
shard_commit(struct shard *sh)
{
	if (!sh->in_txn)
		return CGN_OK;
	sh->in_txn = 0;
	if (shard_exec(sh, "COMMIT") != CGN_OK) {
		keep_err(sh);
		sqlite3_exec(sh->db, "ROLLBACK", NULL, NULL, NULL);
		return CGN_EDB;
	}
	return CGN_OK;
}

void
shard_rollback(struct shard *sh)
{
	if (!sh->in_txn)
		return;
	sh->in_txn = 0;
	keep_err(sh);
	sqlite3_exec(sh->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
intern(struct shard *sh, sqlite3_stmt *get, sqlite3_stmt *ins,
    const char *name, uint32_t *id)
{
	int rc;

	sqlite3_reset(get);
	sqlite3_bind_text(get, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(get)) == SQLITE_ROW) {
		*id = (uint32_t)sqlite3_column_int64(get, 0);
		sqlite3_reset(get);
		return CGN_OK;
	}
	sqlite3_reset(get);
	if (rc != SQLITE_DONE || ins == NULL)
		return rc == SQLITE_DONE ? CGN_ENOTFOUND : CGN_EDB;
	sqlite3_reset(ins);
	sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE)
		return CGN_EDB;
	*id = (uint32_t)sqlite3_last_insert_rowid(sh->db);
	return CGN_OK;
}

int
shard_dev_id(struct shard *sh, const char *name, uint32_t *id)
{
	return intern(sh, sh->get_dev, sh->ins_dev, name, id);
}

int
shard_sub_id(struct shard *sh, const char *name, uint32_t *id)
{
	return intern(sh, sh->get_sub, sh->ins_sub, name, id);
}

static int
name_of(struct shard *sh, const char *sql, uint32_t id, char *buf,
    size_t len)
{
	sqlite3_stmt *st;
	const unsigned char *t;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(sh->db, sql, -1, &st, NULL) != SQLITE_OK)
		return CGN_EDB;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (t = sqlite3_column_text(st, 0)) != NULL)
		snprintf(buf, len, "%s", (const char *)t);
	sqlite3_finalize(st);
	return CGN_OK;
}

int
shard_dev_name(struct shard *sh, uint32_t id, char *buf, size_t len)
{
	return name_of(sh, "SELECT name FROM dev WHERE id=?", id, buf, len);
}

int
shard_sub_name(struct shard *sh, uint32_t id, char *buf, size_t len)
{
	return name_of(sh, "SELECT name FROM sub WHERE id=?", id, buf, len);
}

int
shard_put_block(struct shard *sh, int64_t run, const uint8_t *key_lo,
    const uint8_t *key_hi, int64_t t_lo, int64_t t_hi, size_t n,
    const uint8_t *data, size_t len, const uint8_t *bloom, size_t bloomlen)
{
	sqlite3_stmt *st = sh->ins_blk;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_blob(st, 2, key_lo, SHARD_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, key_hi, SHARD_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, t_lo);
	sqlite3_bind_int64(st, 5, t_hi);
	sqlite3_bind_int64(st, 6, (int64_t)n);
	sqlite3_bind_blob(st, 7, data, (int)len, SQLITE_STATIC);
	if (bloom != NULL)
		sqlite3_bind_blob(st, 8, bloom, (int)bloomlen, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CGN_OK : CGN_EDB;
}

int
shard_put_evidence(struct shard *sh, uint64_t r_lo, uint64_t r_hi, size_t n,
    const uint8_t *data, size_t len)
{
	sqlite3_stmt *st = sh->ins_ev;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (int64_t)r_lo);
	sqlite3_bind_int64(st, 2, (int64_t)r_hi);
	sqlite3_bind_int64(st, 3, (int64_t)n);
	sqlite3_bind_blob(st, 4, data, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CGN_OK : CGN_EDB;
}

int
shard_cover(struct shard *sh, uint32_t dev, int64_t from_ms, int64_t to_ms)
{
	uint8_t bits[(86400 / 60 + 7) / 8 * 8];
	size_t nmin, nbytes;
	int64_t m, m0, m1;
	const void *old;
	int rc, oldlen;

	nmin = (size_t)((sh->end_ms - sh->start_ms + 59999) / 60000);
	nbytes = (nmin + 7) / 8;
	if (nbytes > sizeof(bits) || from_ms > to_ms)
		return CGN_EINVAL;
	if (from_ms < sh->start_ms)
		from_ms = sh->start_ms;
	if (to_ms >= sh->end_ms)
		to_ms = sh->end_ms - 1;
	if (from_ms > to_ms)
		return CGN_OK;
	memset(bits, 0, nbytes);
	sqlite3_reset(sh->get_cov);
	sqlite3_bind_int64(sh->get_cov, 1, dev);
	if (sqlite3_step(sh->get_cov) == SQLITE_ROW) {
		old = sqlite3_column_blob(sh->get_cov, 0);
		oldlen = sqlite3_column_bytes(sh->get_cov, 0);
		if (old != NULL && oldlen > 0)
			memcpy(bits, old, (size_t)oldlen < nbytes ?
			    (size_t)oldlen : nbytes);
	}
	sqlite3_reset(sh->get_cov);
	m0 = (from_ms - sh->start_ms) / 60000;
	m1 = (to_ms - sh->start_ms) / 60000;
	for (m = m0; m <= m1; m++)
		bits[m / 8] |= (uint8_t)(1u << (m % 8));
	sqlite3_reset(sh->upd_cov);
	sqlite3_bind_int64(sh->upd_cov, 1, dev);
	sqlite3_bind_blob(sh->upd_cov, 2, bits, (int)nbytes, SQLITE_STATIC);
	rc = sqlite3_step(sh->upd_cov);
	sqlite3_reset(sh->upd_cov);
	return rc == SQLITE_DONE ? CGN_OK : CGN_EDB;
}

int
shard_devstat(struct shard *sh, uint32_t dev, uint64_t events,
    int64_t first_rx, int64_t last_rx, int64_t skew_min, int64_t skew_max,
    int64_t skew_sum, uint64_t skew_n)
{
	sqlite3_stmt *st = sh->upd_stat;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, dev);
	sqlite3_bind_int64(st, 2, (int64_t)events);
	sqlite3_bind_int64(st, 3, first_rx);
	sqlite3_bind_int64(st, 4, last_rx);
	sqlite3_bind_int64(st, 5, skew_min);
	sqlite3_bind_int64(st, 6, skew_max);
	sqlite3_bind_int64(st, 7, skew_sum);
	sqlite3_bind_int64(st, 8, (int64_t)skew_n);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CGN_OK : CGN_EDB;
}

int
shard_gap(struct shard *sh, uint32_t dev, int64_t from_ms, int64_t to_ms)
{
	sqlite3_stmt *st = sh->ins_gap;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, dev);
	sqlite3_bind_int64(st, 2, from_ms);
	sqlite3_bind_int64(st, 3, to_ms);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? CGN_OK : CGN_EDB;
}

int
shard_set_sealed(struct shard *sh, int sealed)
{
	if (meta_set(sh, "sealed", sealed) != CGN_OK)
		return CGN_EDB;
	sh->sealed = sealed;
	return CGN_OK;
}

int
shard_run_add(struct shard *sh, int64_t id, int level, uint64_t rows)
{
	sqlite3_stmt *st = sh->ins_run;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, level);
	sqlite3_bind_int64(st, 3, (int64_t)rows);
	rc = sqlite3_step(st) == SQLITE_DONE ? CGN_OK : CGN_EDB;
	sqlite3_reset(st);
	return rc;
}

int
shard_runs_at(struct shard *sh, int level, int64_t *ids, size_t max,
    size_t *n)
{
	sqlite3_stmt *st = sh->runs_at;

	*n = 0;
	sqlite3_reset(st);
	sqlite3_bind_int(st, 1, level);
	while (sqlite3_step(st) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	/* reset: a statement left mid-step would hold the read open */
	sqlite3_reset(st);
	return CGN_OK;
}

int
shard_run_ids(struct shard *sh, int64_t **ids, int **keylen, size_t *n)
{
	sqlite3_stmt *st;
	int64_t *v = NULL, *nv;
	int *kl = NULL, *nk;
	size_t cap = 0;
	int s, rc = CGN_EDB;

	*n = 0;
	/* from the blocks, so that no block is left out of a compaction;
	 * one scan of the (run, a_hi) index gives the key lengths too */
	if (sqlite3_prepare_v2(sh->db, "SELECT run, max(length(a_hi)) FROM blk"
	    " GROUP BY run ORDER BY run", -1, &st, NULL) != SQLITE_OK)
		return CGN_EDB;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			rc = CGN_ENOMEM;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto fail;
			v = nv;
			if (keylen != NULL) {
				if ((nk = realloc(kl, cap * sizeof(*kl))) ==
				    NULL)
					goto fail;
				kl = nk;
			}
		}
		v[*n] = sqlite3_column_int64(st, 0);
		if (keylen != NULL)
			kl[*n] = sqlite3_column_int(st, 1);
		(*n)++;
	}
	rc = CGN_EDB;
	if (s != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	*ids = v;
	if (keylen != NULL)
		*keylen = kl;
	return CGN_OK;
fail:
	sqlite3_finalize(st);
	free(v);
	free(kl);
	*n = 0;
	return rc;
}

/* Run both statements with id bound, the blocks first. */
static int
run_delete(struct shard *sh, const char *const sql[2], int64_t id)
{
	sqlite3_stmt *st;
	int rc = CGN_OK, i;

	for (i = 0; i < 2 && rc == CGN_OK; i++) {
		if (sqlite3_prepare_v2(sh->db, sql[i], -1, &st, NULL) !=
		    SQLITE_OK)
			return CGN_EDB;
		sqlite3_bind_int64(st, 1, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? CGN_OK : CGN_EDB;
		sqlite3_finalize(st);
	}
	return rc;
}

int
shard_runs_keep(struct shard *sh, int64_t id)
{
	static const char *const sql[] = { "DELETE FROM blk WHERE run<>?",
	    "DELETE FROM run WHERE id<>?" };

	return run_delete(sh, sql, id);
}

int
shard_run_drop(struct shard *sh, int64_t id)
{
	static const char *const sql[] = { "DELETE FROM blk WHERE run=?",
	    "DELETE FROM run WHERE id=?" };

	return run_delete(sh, sql, id);
}
