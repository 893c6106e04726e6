/*
 * spool.c - the overload spool (see spool.h): one file, appended by the
 * receivers and read from the front by the writer; emptied (truncated)
 * each time the writer catches up.
 *
 * The file: a 64-byte header text ("cgnlog spool 3 ..."), the committed
 * read offset (u64), then records:
 *
 *   "CGS3", u32 elen, u32 ndata (big-endian)
 *   elen bytes: the messages, gaps and events (spool_rec.c)
 *   ndata bytes: the raw bytes as they are
 *
 * A record is written with one pwritev, so a crash tears at most the last
 * one, which the next open cuts off. The committed offset is where
 * reading resumes after a crash. It moves only after the store made what
 * was read durable (spool_commit), so a crash loses nothing and stores
 * again at most what the last flush had not yet made durable; the file is
 * emptied at that point too, never before. A file with another header is
 * set aside (renamed .unreadable) rather than misread. A record that frames
 * but does not decode is logged and passed over; there is no checksum, so
 * damage that still decodes (an address byte changed) is not noticed.
 *
 * Upgrade: a spool left by the previous build ("cgnlog spool 2" and this
 * build's struct sizes, records "CGSP" and the arrays as in memory) is
 * kept: its records are read back as they are, new ones are appended in
 * the compact form after them (each record says which it is), and the
 * first time the writer empties it the header becomes version 3. Until
 * then the header stays version 2, so a crash in between reopens the same
 * mixture.
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
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "log.h"
#include "rd.h"
#include "spool.h"
#include "spool_rec.h"

#define TEXT_LEN 64		/* the header's text */
#define HDR_LEN 72		/* text, committed read offset */
#define REC_HDR 12		/* "CGS3", elen, ndata */
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
	int v2;			/* the old layout (struct v2_hdr) */
	struct v2_hdr old;
	uint32_t elen, ndata;	/* version 3 */
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
	int legacy;		/* the header is still version 2 */
	uint64_t damaged;	/* records passed over (spool_get) */
	struct scratch put[NSCRATCH];	/* encoding (receivers) */
	uint8_t *rbuf;		/* decoding (the writer only) */
	size_t rcap;
};

static void
header(char *h, int version)
{
	uint64_t start = HDR_LEN;

	memset(h, ' ', TEXT_LEN);
	if (version == 2)
		snprintf(h, TEXT_LEN, "cgnlog spool 2 %zu %zu %zu",
		    sizeof(struct bmsg), sizeof(struct bgap),
		    sizeof(struct cgn_event));
	else
		snprintf(h, TEXT_LEN, "cgnlog spool 3 names %d", CGN_NAMELEN);
	h[strlen(h)] = ' ';
	h[TEXT_LEN - 1] = '\n';
	memcpy(h + TEXT_LEN, &start, sizeof(start));
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
 * is none: the end, a torn record, or not a record at all. */
static int
rec_at(struct spool *sp, uint64_t off, uint64_t size, struct rec *r)
{
	uint8_t h[sizeof(struct v2_hdr)];
	ssize_t got;

	memset(r, 0, sizeof(*r));
	if ((got = pread(sp->fd, h, sizeof(h), (off_t)off)) < REC_HDR)
		return -1;
	if (memcmp(h, "CGS3", 4) == 0) {
		r->elen = rd_get32(h + 4);
		r->ndata = rd_get32(h + 8);
		r->len = REC_HDR + (uint64_t)r->elen + r->ndata;
	} else if (sp->legacy && got == (ssize_t)sizeof(h)) {
		memcpy(&r->old, h, sizeof(r->old));
		if (r->old.magic != V2_MAGIC || r->old.ndata > size)
			return -1;	/* (and the sum below cannot wrap) */
		r->v2 = 1;
		r->len = sizeof(r->old) + r->old.nmsg * sizeof(struct bmsg) +
		    r->old.ngap * sizeof(struct bgap) + r->old.nev *
		    sizeof(struct cgn_event) + r->old.ndata;
	} else {
		return -1;
	}
	return r->len <= size && off <= size - r->len ? 0 : -1;
}

int
spool_open(const char *path, uint64_t max_bytes, struct spool **out,
    char *err, size_t errlen)
{
	char want[HDR_LEN], old[HDR_LEN], got[HDR_LEN] = "", aside[600];
	struct spool *sp;
	struct stat sb;
	struct rec r;
	uint64_t pos, committed;
	int i;

	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return CGN_ENOMEM;
	snprintf(sp->path, sizeof(sp->path), "%s", path);
	sp->max = max_bytes ? max_bytes : 1ULL << 30;
	pthread_mutex_init(&sp->mtx, NULL);
	for (i = 0; i < NSCRATCH; i++)
		pthread_mutex_init(&sp->put[i].mtx, NULL);
	header(want, 3);
	header(old, 2);
	if ((sp->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) < 0 ||
	    fstat(sp->fd, &sb) != 0)
		goto fail;
	if (sb.st_size > 0 && pread(sp->fd, got, HDR_LEN, 0) == HDR_LEN &&
	    memcmp(got, old, TEXT_LEN) == 0)
		sp->legacy = 1;		/* the previous build's: read it */
	else if (sb.st_size > 0 && memcmp(got, want, TEXT_LEN) != 0) {
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
	}
	memcpy(&committed, got + TEXT_LEN, sizeof(committed));
	if (committed < HDR_LEN || committed > (uint64_t)sb.st_size)
		committed = HDR_LEN;
	/* count what a crash left after the committed offset, up to the
	 * first torn record */
	for (pos = committed; rec_at(sp, pos, (uint64_t)sb.st_size, &r) == 0;
	    pos += r.len)
		sp->nbatches++;
	if (pos < (uint64_t)sb.st_size && ftruncate(sp->fd, (off_t)pos) != 0)
		goto fail;
	sp->rpos = sp->cpos = committed;
	sp->wpos = pos;
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
	memcpy(s->buf, "CGS3", 4);
	s->buf[4] = (uint8_t)(elen >> 24);
	s->buf[5] = (uint8_t)(elen >> 16);
	s->buf[6] = (uint8_t)(elen >> 8);
	s->buf[7] = (uint8_t)elen;
	s->buf[8] = (uint8_t)(b->ndata >> 24);
	s->buf[9] = (uint8_t)(b->ndata >> 16);
	s->buf[10] = (uint8_t)(b->ndata >> 8);
	s->buf[11] = (uint8_t)b->ndata;
	iov[0].iov_base = s->buf;
	iov[0].iov_len = REC_HDR + elen;
	iov[1].iov_base = b->data;
	iov[1].iov_len = b->ndata;
	len = REC_HDR + elen + b->ndata;
	pthread_mutex_lock(&sp->mtx);
	at = sp->wpos;
	if (at - sp->rpos + len > sp->max)
		goto out;
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

static int
get_v3(struct spool *sp, const struct rec *r, uint64_t at, struct batch *b)
{
	struct iovec iov[2];

	if (grow_buf(&sp->rbuf, &sp->rcap, r->elen) != 0 ||
	    batch_size(b, 0, 0, 0, r->ndata) != CGN_OK)
		return CGN_ENOMEM;
	iov[0].iov_base = sp->rbuf;
	iov[0].iov_len = r->elen;
	iov[1].iov_base = b->data;
	iov[1].iov_len = r->ndata;
	if (io_all(preadv, sp->fd, iov, 2, at + REC_HDR) != 0)
		return CGN_EIO;
	return spool_rec_decode(sp->rbuf, r->elen, r->ndata, b);
}

int
spool_get(struct spool *sp, struct batch *b)
{
	struct rec r;
	uint64_t at, end;
	int rc;

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
		/* not a record where one must be: what follows up to the
		 * end cannot be framed, so it is given up, and said */
		r.len = end - at;
		rc = CGN_EMALFORMED;
	} else {
		rc = r.v2 ? get_v2(sp, &r, at, b) : get_v3(sp, &r, at, b);
		if (rc == CGN_EIO || rc == CGN_ENOMEM)
			return rc;	/* may work next time: stay */
	}
	if (rc != CGN_OK) {
		/* passed over, so the rest still comes; said at the 1st,
		 * 2nd, 4th, ... so that a ruined file cannot flood the log */
		batch_clear(b);
		sp->damaged++;
		if ((sp->damaged & (sp->damaged - 1)) == 0)
			log_warnx("spool %s: a damaged record (%llu bytes at"
			    " %llu: %s) is passed over, its messages lost;"
			    " %llu so far", sp->path,
			    (unsigned long long)r.len,
			    (unsigned long long)at, cgn_rc_str(rc),
			    (unsigned long long)sp->damaged);
	}
	pthread_mutex_lock(&sp->mtx);
	sp->rpos = at + r.len;
	if (sp->nbatches > 0)
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
	    sp->legacy)) {
		/* everything read and stored, nothing new: empty it (and
		 * a version 2 file becomes version 3 here) */
		header(h, 3);
		if (pwrite(sp->fd, h, HDR_LEN, 0) != HDR_LEN ||
		    ftruncate(sp->fd, HDR_LEN) != 0) {
			rc = CGN_EIO;
			goto out;
		}
		sp->rpos = sp->wpos = sp->cpos = HDR_LEN;
		sp->holed = 0;
		sp->legacy = 0;
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
