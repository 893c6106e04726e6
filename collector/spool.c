/*
 * spool.c - the overload spool (see spool.h): one file, appended by the
 * receivers and read from the front by the writer; emptied (truncated)
 * each time the writer catches up.
 *
 * The file: a 64-byte header text ("cgnlog spool 4 names 64 seed
 * 1a2b3c4d"), the committed read offset (u64), then records:
 *
 *   "CGS4", u32 elen, u32 ndata, u32 dcrc, u32 hcrc (big-endian)
 *   elen bytes: the messages, gaps and events (spool_rec.c)
 *   ndata bytes: the raw bytes as they are
 *
 * dcrc is the CRC32C (spool_crc.c) of the elen and ndata bytes; hcrc that
 * of the seed (4 bytes) and the header's first 16 bytes. The seed is
 * drawn when the file is made, so a header planted in a message's raw
 * bytes, or left from another spool, does not pass for a record.
 *
 * A record is written with one pwritev, so a crash tears at most the last
 * one. The committed offset is where reading resumes after a crash. It
 * moves only after the store made what was read durable (spool_commit),
 * so a crash loses nothing and stores again at most what the last flush
 * had not yet made durable; the file is emptied at that point too, never
 * before. A file with another header is set aside (renamed .unreadable)
 * rather than misread.
 *
 * Damage: a record whose dcrc fails is never decoded; a spot where no
 * record frames (a changed length or magic: hcrc fails) is stepped over
 * to the next "CGS4" whose hcrc holds and that fits, so what follows the
 * damage is still read. Either is passed over by spool_get (an error, the
 * writer counts it), logged, and its bytes appended to path.damaged
 * after a text line (size, offset, why) for a person; a crash before the
 * next commit may append them there again. Only a tail that holds no
 * whole record (a write torn by a crash) is cut off at open, kept in
 * path.damaged the same way.
 *
 * Upgrade: spools of the previous builds are kept and read back: version
 * 3 ("cgnlog spool 3 names 64", records "CGS3": the above without the
 * two checksums) and version 2 ("cgnlog spool 2" and this build's struct
 * sizes, records "CGSP" and the arrays as in memory, possibly followed by
 * "CGS3" ones). New records go after theirs as "CGS4" with seed 0 (each
 * record says which it is), and the first time the writer empties the
 * file its header becomes version 4 with a drawn seed; until then the
 * header stays as it was, so a crash in between reopens the same mixture.
 * Their records have no checksum: damage there is found only if it does
 * not decode, and after a spot that does not frame only a "CGS4" record
 * is looked for (older ones after it are cut or set aside).
 *
 * The file is emptied only when everything in it was read, so through a
 * long overload it would grow past max (which bounds what waits, not the
 * file): what is committed is given back to the file system as it goes,
 * as a hole (fallocate PUNCH_HOLE, where the file system has it), so the
 * disk holds about what waits. Offsets stay as they are.
 *
 * Encoding happens in the caller's thread before the file's mutex is
 * taken, into one of a few scratch buffers (each grows to the encoding
 * bound of the largest batch seen: about 1 MB for 4096 events, mostly
 * never touched), so receivers wait for each other only for the write
 * itself; the writer decodes outside it too.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rd.h"
#include "spool.h"
#include "spool_crc.h"
#include "spool_rec.h"

#define TEXT_LEN 64		/* the header's text */
#define HDR_LEN 72		/* text, committed read offset */
#define REC_HDR 20		/* "CGS4", elen, ndata, payload crc, header crc */
#define V3_HDR 12		/* "CGS3", elen, ndata */
#define SCAN_BUF 16384		/* read at a time looking for a record */
/* Committed bytes given back at once, in whole blocks after the header's
 * page: a call per flush would be many small ones. */
#define HOLE_MIN (16u << 20)
#define HOLE_ALIGN 4096u
#define V2_MAGIC 0x50534743u	/* "CGSP" in host order: version 2 */
#define NSCRATCH 4		/* receivers encoding at once, unhindered */

/* a version 2 record's header, as the previous build wrote it */
struct v2_hdr {
	uint32_t magic, nmsg, ngap, nev;
	uint64_t ndata;
};

/* what a record's header says */
struct rec {
	int ver;		/* 2 (struct v2_hdr), 3 or 4 */
	struct v2_hdr old;
	uint32_t elen, ndata;	/* versions 3 and 4 */
	uint32_t crc;		/* version 4: of elen and ndata bytes */
	uint64_t len;		/* the whole record */
};

struct scratch {
	pthread_mutex_t mtx;
	uint8_t *buf;
	size_t cap;
};

struct spool {
	pthread_mutex_t mtx;
	char path[512];
	int fd;
	uint64_t max;
	uint64_t rpos, wpos;	/* next record to read, end of file */
	uint64_t cpos;		/* committed: read and durably stored */
	uint64_t holed;		/* the disk blocks before this are given
				 * back (spool_commit) */
	uint64_t nbatches;	/* waiting */
	int active;
	int version;		/* the header's: 2 and 3 are older builds' */
	uint32_t seed;		/* of the header checksums (0 until 4) */
	uint64_t damaged;	/* records passed over (spool_get) */
	struct scratch put[NSCRATCH];	/* encoding (receivers) */
	uint8_t *rbuf;		/* decoding (the writer only) */
	size_t rcap;
};

static void
header(char *h, int version, uint32_t seed)
{
	uint64_t start = HDR_LEN;

	memset(h, ' ', TEXT_LEN);
	if (version == 2)
		snprintf(h, TEXT_LEN, "cgnlog spool 2 %zu %zu %zu",
		    sizeof(struct bmsg), sizeof(struct bgap),
		    sizeof(struct cgn_event));
	else if (version == 3)
		snprintf(h, TEXT_LEN, "cgnlog spool 3 names %d", CGN_NAMELEN);
	else
		snprintf(h, TEXT_LEN, "cgnlog spool 4 names %d seed %08x",
		    CGN_NAMELEN, seed);
	h[strlen(h)] = ' ';
	h[TEXT_LEN - 1] = '\n';
	memcpy(h + TEXT_LEN, &start, sizeof(start));
}

/* Which of our headers text is (2, 3, 4; its seed), else 0. */
static int
header_version(const char *text, uint32_t *seed)
{
	char h[HDR_LEN], t[TEXT_LEN + 1];
	unsigned s;
	int v;

	for (v = 2; v <= 3; v++) {
		header(h, v, 0);
		if (memcmp(text, h, TEXT_LEN) == 0)
			return v;
	}
	memcpy(t, text, TEXT_LEN);
	t[TEXT_LEN] = '\0';
	if (sscanf(t, "cgnlog spool 4 names %*d seed %8x", &s) != 1)
		return 0;
	header(h, 4, s);
	if (memcmp(text, h, TEXT_LEN) != 0)
		return 0;
	*seed = s;
	return 4;
}

/* A fresh seed for a version 4 file: a header checksum made for another
 * file (or planted in a message's raw bytes) does not hold in this one. */
static uint32_t
new_seed(void)
{
	uint32_t s;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
		s = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	return s;
}

/* v big-endian at p (rd_get32 reads it back) */
static void
put32(uint8_t *p, uint32_t v)
{
	uint32_t be = htobe32(v);

	memcpy(p, &be, sizeof(be));
}

/* A version 4 record header's own checksum: its first 16 bytes, seeded
 * with the file's seed. */
static uint32_t
hdr_crc(uint32_t seed, const uint8_t *h)
{
	uint8_t s[4];

	put32(s, seed);
	return spool_crc(spool_crc(0, s, sizeof(s)), h, REC_HDR - 4);
}

static int
grow_buf(uint8_t **p, size_t *cap, size_t need)
{
	uint8_t *np;

	if (need <= *cap)
		return 0;
	if ((np = realloc(*p, need)) == NULL)
		return -1;
	*p = np;
	*cap = need;
	return 0;
}

/* All of n iovecs at off, by pwritev or preadv; -1 (errno) if not. */
static int
io_all(ssize_t (*fn)(int, const struct iovec *, int, off_t), int fd,
    struct iovec *iov, int n, uint64_t off)
{
	ssize_t got;

	while (n > 0 && iov->iov_len == 0) {
		iov++;
		n--;
	}
	while (n > 0) {
		if ((got = fn(fd, iov, n, (off_t)off)) <= 0) {
			if (got < 0 && errno == EINTR)
				continue;
			if (got == 0)
				errno = EIO;	/* the file ends early */
			return -1;
		}
		off += (uint64_t)got;
		while (n > 0 && (size_t)got >= iov->iov_len) {
			got -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + got;
			iov->iov_len -= (size_t)got;
		}
	}
	return 0;
}

/* The header of the record at off, which must end by size. -1 when there
 * is none: the end, a torn record, a damaged header, or not a record at
 * all. Versions 2 and 3 only in a file of theirs (not checksummed: their
 * header is believed if it fits). */
static int
rec_at(struct spool *sp, uint64_t off, uint64_t size, struct rec *r)
{
	uint8_t h[sizeof(struct v2_hdr)];
	ssize_t got;

	memset(r, 0, sizeof(*r));
	if ((got = pread(sp->fd, h, sizeof(h), (off_t)off)) < V3_HDR)
		return -1;
	if (got >= REC_HDR && memcmp(h, "CGS4", 4) == 0) {
		if (hdr_crc(sp->seed, h) != rd_get32(h + 16))
			return -1;
		r->ver = 4;
		r->elen = rd_get32(h + 4);
		r->ndata = rd_get32(h + 8);
		r->crc = rd_get32(h + 12);
		r->len = REC_HDR + (uint64_t)r->elen + r->ndata;
	} else if (sp->version <= 3 && memcmp(h, "CGS3", 4) == 0) {
		r->ver = 3;
		r->elen = rd_get32(h + 4);
		r->ndata = rd_get32(h + 8);
		r->len = V3_HDR + (uint64_t)r->elen + r->ndata;
	} else if (sp->version == 2 && got == (ssize_t)sizeof(h)) {
		memcpy(&r->old, h, sizeof(r->old));
		if (r->old.magic != V2_MAGIC || r->old.ndata > size)
			return -1;	/* (and the sum below cannot wrap) */
		r->ver = 2;
		r->len = sizeof(r->old) + r->old.nmsg * sizeof(struct bmsg) +
		    r->old.ngap * sizeof(struct bgap) + r->old.nev *
		    sizeof(struct cgn_event) + r->old.ndata;
	} else {
		return -1;
	}
	return r->len <= size && off <= size - r->len ? 0 : -1;
}

/*
 * After a damaged spot at off: the next version 4 record before size
 * (a "CGS4" whose header checksum holds and that fits) into *next, size
 * when there is none. -1 (errno) when the file cannot be read.
 */
static int
resync(struct spool *sp, uint64_t off, uint64_t size, uint64_t *next)
{
	uint8_t buf[SCAN_BUF];
	const uint8_t *m;
	struct rec r;
	uint64_t at = off + 1;
	ssize_t got;
	size_t n, i;

	while (at < size && size - at >= REC_HDR) {
		if ((got = pread(sp->fd, buf, sizeof(buf), (off_t)at)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		n = (size_t)got < size - at ? (size_t)got : size - at;
		if (n < 4)
			break;
		for (i = 0; (m = memmem(buf + i, n - i, "CGS4", 4)) != NULL;
		    i = (size_t)(m - buf) + 1)
			if (rec_at(sp, at + (size_t)(m - buf), size, &r) == 0)
				goto found;
		at += n - 3;	/* a magic across the edge is seen next */
	}
	*next = size;
	return 0;
found:
	*next = at + (size_t)(m - buf);
	return 0;
}

/* The n bytes at off into path.damaged after a line that says what they
 * are, for a person; a failure is logged and nothing else. */
static void
set_aside(struct spool *sp, uint64_t off, uint64_t n, const char *why)
{
	char path[600], line[200];
	uint8_t buf[SCAN_BUF];
	ssize_t got;
	size_t len;
	int fd, ok;

	snprintf(path, sizeof(path), "%s.damaged", sp->path);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640)) < 0) {
		log_warn("spool: %s", path);
		return;
	}
	len = (size_t)snprintf(line, sizeof(line), "cgnlog spool damaged:"
	    " %llu bytes from offset %llu (%s)\n", (unsigned long long)n,
	    (unsigned long long)off, why);
	ok = write(fd, line, len) == (ssize_t)len;
	while (ok && n > 0) {
		len = n < sizeof(buf) ? (size_t)n : sizeof(buf);
		if ((got = pread(sp->fd, buf, len, (off_t)off)) <= 0)
			break;		/* what is there is kept */
		ok = write(fd, buf, (size_t)got) == got;
		off += (uint64_t)got;
		n -= (uint64_t)got;
	}
	if (!ok)
		log_warn("spool: %s", path);
	close(fd);
}

int
spool_open(const char *path, uint64_t max_bytes, struct spool **out,
    char *err, size_t errlen)
{
	char want[HDR_LEN], got[HDR_LEN] = "", aside[600];
	struct spool *sp;
	struct stat sb;
	struct rec r;
	uint64_t pos, end, size, committed;
	int i;

	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return CGN_ENOMEM;
	snprintf(sp->path, sizeof(sp->path), "%s", path);
	sp->max = max_bytes ? max_bytes : 1ULL << 30;
	pthread_mutex_init(&sp->mtx, NULL);
	for (i = 0; i < NSCRATCH; i++)
		pthread_mutex_init(&sp->put[i].mtx, NULL);
	header(want, 4, new_seed());
	if ((sp->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) < 0 ||
	    fstat(sp->fd, &sb) != 0)
		goto fail;
	if (sb.st_size > 0 && pread(sp->fd, got, HDR_LEN, 0) == HDR_LEN &&
	    (sp->version = header_version(got, &sp->seed)) != 0)
		;	/* ours, or an older build's (then seed 0): read it */
	else if (sb.st_size > 0) {
		/* not ours to read: keep it for a person, start afresh */
		snprintf(aside, sizeof(aside), "%s.unreadable", path);
		close(sp->fd);
		if (rename(path, aside) != 0 || (sp->fd = open(path, O_RDWR |
		    O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) < 0)
			goto fail;
		sb.st_size = 0;
	}
	if (sb.st_size == 0) {
		if (pwrite(sp->fd, want, HDR_LEN, 0) != HDR_LEN)
			goto fail;
		sb.st_size = HDR_LEN;
		memcpy(got, want, HDR_LEN);
		sp->version = header_version(want, &sp->seed);
	}
	size = (uint64_t)sb.st_size;
	memcpy(&committed, got + TEXT_LEN, sizeof(committed));
	if (committed < HDR_LEN || committed > size)
		committed = HDR_LEN;
	/* count what a crash left after the committed offset; damage is
	 * stepped over to the next record (spool_get sets it aside), and
	 * only a tail without one is cut: a write torn by the crash */
	for (pos = end = committed; pos < size; ) {
		if (rec_at(sp, pos, size, &r) == 0) {
			sp->nbatches++;
			end = pos += r.len;
		} else if (resync(sp, pos, size, &pos) != 0)
			goto fail;
	}
	if (end < size) {
		log_warnx("spool %s: the last %llu bytes hold no whole record"
		    " (a write torn by a crash): cut off, kept in %s.damaged",
		    path, (unsigned long long)(size - end), path);
		set_aside(sp, end, size - end, "no whole record at the end");
		if (ftruncate(sp->fd, (off_t)end) != 0)
			goto fail;
	}
	sp->rpos = sp->cpos = committed;
	sp->wpos = end;
	sp->active = sp->nbatches > 0;
	*out = sp;
	return CGN_OK;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	spool_close(sp);
	return CGN_EIO;
}

void
spool_close(struct spool *sp)
{
	int i;

	if (sp == NULL)
		return;
	if (sp->fd >= 0)
		close(sp->fd);
	for (i = 0; i < NSCRATCH; i++) {
		pthread_mutex_destroy(&sp->put[i].mtx);
		free(sp->put[i].buf);
	}
	free(sp->rbuf);
	pthread_mutex_destroy(&sp->mtx);
	free(sp);
}

int
spool_active(struct spool *sp)
{
	int a;

	pthread_mutex_lock(&sp->mtx);
	a = sp->active;
	pthread_mutex_unlock(&sp->mtx);
	return a;
}

/* A free scratch buffer, else wait for the first. */
static struct scratch *
scratch_take(struct spool *sp)
{
	int i;

	for (i = 0; i < NSCRATCH; i++)
		if (pthread_mutex_trylock(&sp->put[i].mtx) == 0)
			return &sp->put[i];
	pthread_mutex_lock(&sp->put[0].mtx);
	return &sp->put[0];
}

int
spool_put(struct spool *sp, const struct batch *b)
{
	struct scratch *s;
	struct iovec iov[2];
	size_t elen;
	uint64_t len, at;
	int rc = CGN_EIO;

	if (b->ndata > UINT32_MAX)
		return CGN_EIO;		/* a batch is at most 256 KiB */
	s = scratch_take(sp);
	if (grow_buf(&s->buf, &s->cap, REC_HDR + spool_rec_bound(b)) != 0) {
		pthread_mutex_unlock(&s->mtx);
		return CGN_EIO;
	}
	if ((elen = spool_rec_encode(b, s->buf + REC_HDR)) > UINT32_MAX) {
		pthread_mutex_unlock(&s->mtx);
		return CGN_EIO;
	}
	memcpy(s->buf, "CGS4", 4);
	put32(s->buf + 4, (uint32_t)elen);
	put32(s->buf + 8, (uint32_t)b->ndata);
	put32(s->buf + 12, spool_crc(spool_crc(0, s->buf + REC_HDR, elen),
	    b->data, b->ndata));
	iov[0].iov_base = s->buf;
	iov[0].iov_len = REC_HDR + elen;
	iov[1].iov_base = b->data;
	iov[1].iov_len = b->ndata;
	len = REC_HDR + elen + b->ndata;
	pthread_mutex_lock(&sp->mtx);
	at = sp->wpos;
	if (at - sp->rpos + len > sp->max)
		goto out;
	/* the seed changes when the file is emptied (spool_commit) */
	put32(s->buf + 16, hdr_crc(sp->seed, s->buf));
	if (io_all(pwritev, sp->fd, iov, 2, at) != 0) {
		/* a partial record is cut off so the file stays readable;
		 * if even that fails, the next open stops at the torn one */
		if (ftruncate(sp->fd, (off_t)at) != 0)
			rc = CGN_EIO;
		goto out;
	}
	sp->wpos = at + len;
	sp->nbatches++;
	sp->active = 1;
	rc = CGN_OK;
out:
	pthread_mutex_unlock(&sp->mtx);
	pthread_mutex_unlock(&s->mtx);
	return rc;
}

/* A version 2 record: the arrays as they were in memory. */
static int
get_v2(struct spool *sp, const struct rec *r, uint64_t at, struct batch *b)
{
	struct iovec iov[4];

	if (batch_size(b, r->old.nmsg, r->old.ngap, r->old.nev,
	    r->old.ndata) != CGN_OK)
		return CGN_ENOMEM;
	iov[0].iov_base = b->msg;
	iov[0].iov_len = b->nmsg * sizeof(*b->msg);
	iov[1].iov_base = b->gap;
	iov[1].iov_len = b->ngap * sizeof(*b->gap);
	iov[2].iov_base = b->ev;
	iov[2].iov_len = b->nev * sizeof(*b->ev);
	iov[3].iov_base = b->data;
	iov[3].iov_len = b->ndata;
	if (io_all(preadv, sp->fd, iov, 4, at + sizeof(r->old)) != 0)
		return CGN_EIO;
	return spool_rec_check(b);
}

/* Versions 3 and 4: the compact record; version 4's checksum is checked
 * before anything is decoded. */
static int
get_v34(struct spool *sp, const struct rec *r, uint64_t at, struct batch *b,
    const char **why)
{
	struct iovec iov[2];

	if (grow_buf(&sp->rbuf, &sp->rcap, r->elen) != 0 ||
	    batch_size(b, 0, 0, 0, r->ndata) != CGN_OK)
		return CGN_ENOMEM;
	iov[0].iov_base = sp->rbuf;
	iov[0].iov_len = r->elen;
	iov[1].iov_base = b->data;
	iov[1].iov_len = r->ndata;
	if (io_all(preadv, sp->fd, iov, 2, at + (r->ver == 4 ? REC_HDR :
	    V3_HDR)) != 0)
		return CGN_EIO;
	if (r->ver == 4 && spool_crc(spool_crc(0, sp->rbuf, r->elen), b->data,
	    r->ndata) != r->crc) {
		*why = "its checksum fails";
		return CGN_EMALFORMED;
	}
	return spool_rec_decode(sp->rbuf, r->elen, r->ndata, b);
}

int
spool_get(struct spool *sp, struct batch *b)
{
	struct rec r;
	uint64_t at, end, next;
	const char *why = NULL;
	int rc, framed = 1;

	pthread_mutex_lock(&sp->mtx);
	if (sp->rpos >= sp->wpos) {
		/* caught up: receivers use the ring again; the file is
		 * emptied once what was read is stored (spool_commit) */
		sp->active = 0;
		sp->nbatches = 0;
		pthread_mutex_unlock(&sp->mtx);
		return CGN_ENOTFOUND;
	}
	at = sp->rpos;
	end = sp->wpos;
	pthread_mutex_unlock(&sp->mtx);
	/* [at, end) is whole records that only this thread changes: read
	 * and decode them without holding the receivers up */
	batch_clear(b);
	if (rec_at(sp, at, end, &r) != 0) {
		/* not a record where one must be (a damaged header): the
		 * bytes up to the next record that is one are given up */
		if (resync(sp, at, end, &next) != 0)
			return CGN_EIO;
		r.len = next - at;
		rc = CGN_EMALFORMED;
		why = "no record frames here";
		framed = 0;	/* not counted in nbatches (spool_open) */
	} else {
		rc = r.ver == 2 ? get_v2(sp, &r, at, b) : get_v34(sp, &r, at,
		    b, &why);
		if (rc == CGN_EIO || rc == CGN_ENOMEM)
			return rc;	/* may work next time: stay */
	}
	if (rc != CGN_OK) {
		/* passed over, so the rest still comes, and kept for a
		 * person; said at the 1st, 2nd, 4th, ... so that a ruined
		 * file cannot flood the log */
		if (why == NULL)
			why = cgn_rc_str(rc);
		batch_clear(b);
		set_aside(sp, at, r.len, why);
		sp->damaged++;
		if ((sp->damaged & (sp->damaged - 1)) == 0)
			log_warnx("spool %s: a damaged record (%llu bytes at"
			    " %llu: %s) is passed over, its messages lost"
			    " and its bytes kept in %s.damaged; %llu so far",
			    sp->path, (unsigned long long)r.len,
			    (unsigned long long)at, why, sp->path,
			    (unsigned long long)sp->damaged);
		rc = CGN_ETRUNC;	/* one code for "passed over" */
	}
	pthread_mutex_lock(&sp->mtx);
	sp->rpos = at + r.len;
	if (framed && sp->nbatches > 0)
		sp->nbatches--;
	pthread_mutex_unlock(&sp->mtx);
	return rc;
}

/* Give the disk blocks of what is committed back (see the top); a file
 * system without holes keeps them, as before. */
static void
give_back(struct spool *sp)
{
	uint64_t from = sp->holed > HOLE_ALIGN ? sp->holed : HOLE_ALIGN;
	uint64_t to = sp->cpos / HOLE_ALIGN * HOLE_ALIGN;

	if (to < from || to - from < HOLE_MIN)
		return;
	if (fallocate(sp->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	    (off_t)from, (off_t)(to - from)) == 0)
		sp->holed = to;
	else
		sp->holed = UINT64_MAX;	/* not here: do not ask again */
}

int
spool_commit(struct spool *sp)
{
	char h[HDR_LEN];
	int rc = CGN_OK;

	pthread_mutex_lock(&sp->mtx);
	if (sp->rpos >= sp->wpos && !sp->active && (sp->wpos > HDR_LEN ||
	    sp->version != 4)) {
		/* everything read and stored, nothing new: empty it (and
		 * an older build's file becomes version 4 here, seeded) */
		if (sp->version != 4)
			sp->seed = new_seed();
		header(h, 4, sp->seed);
		if (pwrite(sp->fd, h, HDR_LEN, 0) != HDR_LEN ||
		    ftruncate(sp->fd, HDR_LEN) != 0) {
			rc = CGN_EIO;
			goto out;
		}
		sp->rpos = sp->wpos = sp->cpos = HDR_LEN;
		sp->holed = 0;
		sp->version = 4;
		goto out;
	}
	if (sp->rpos == sp->cpos)
		goto out;
	if (pwrite(sp->fd, &sp->rpos, sizeof(sp->rpos), TEXT_LEN) !=
	    (ssize_t)sizeof(sp->rpos)) {
		rc = CGN_EIO;
		goto out;
	}
	sp->cpos = sp->rpos;
	give_back(sp);
out:
	pthread_mutex_unlock(&sp->mtx);
	return rc;
}

uint64_t
spool_bytes(struct spool *sp)
{
	uint64_t n;

	pthread_mutex_lock(&sp->mtx);
	n = sp->wpos - sp->rpos;
	pthread_mutex_unlock(&sp->mtx);
	return n;
}

uint64_t
spool_batches(struct spool *sp)
{
	uint64_t n;

	pthread_mutex_lock(&sp->mtx);
	n = sp->nbatches;
	pthread_mutex_unlock(&sp->mtx);
	return n;
}
