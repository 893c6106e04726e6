/*
 * spool.c - the overload spool (see spool.h): one file, appended by the
 * receivers and read from the front by the writer; emptied (truncated)
 * each time the writer catches up.
 *
 * Record: "CGSP", then nmsg, ngap, nev (u32), ndata (u64), then the
 * message, gap and event arrays and the raw bytes as they are in memory:
 * the spool is read back by the same program on the same machine. The file
 * starts with a header naming those struct sizes, so a spool from another
 * build is set aside rather than misread, then the committed read offset
 * (u64): where reading resumes after a crash. It moves only after the
 * store made what was read durable (spool_commit), so a crash loses
 * nothing and stores again at most what the last flush had not yet made
 * durable; the file is emptied at that point too, never before.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"

#define SPOOL_MAGIC 0x50534743u	/* "CGSP" */
#define TEXT_LEN 64		/* the header's text */
#define HDR_LEN 72		/* text, committed read offset */

struct rec_hdr {
	uint32_t magic, nmsg, ngap, nev;
	uint64_t ndata;
};

struct spool {
	pthread_mutex_t mtx;
	char path[512];
	int fd;
	uint64_t max;
	uint64_t rpos, wpos;	/* next record to read, end of file */
	uint64_t cpos;		/* committed: read and durably stored */
	uint64_t nbatches;	/* waiting */
	int active;
};

static void
header(char *h)
{
	uint64_t start = HDR_LEN;

	memset(h, ' ', TEXT_LEN);
	snprintf(h, TEXT_LEN, "cgnlog spool 2 %zu %zu %zu", sizeof(struct bmsg),
	    sizeof(struct bgap), sizeof(struct cgn_event));
	h[strlen(h)] = ' ';
	h[TEXT_LEN - 1] = '\n';
	memcpy(h + TEXT_LEN, &start, sizeof(start));
}

int
spool_open(const char *path, uint64_t max_bytes, struct spool **out,
    char *err, size_t errlen)
{
	char want[HDR_LEN], got[HDR_LEN], aside[600];
	struct spool *sp;
	struct stat sb;
	struct rec_hdr rh;
	uint64_t pos, committed;

	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return CGN_ENOMEM;
	snprintf(sp->path, sizeof(sp->path), "%s", path);
	sp->max = max_bytes ? max_bytes : 1ULL << 30;
	pthread_mutex_init(&sp->mtx, NULL);
	header(want);
	if ((sp->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) < 0 ||
	    fstat(sp->fd, &sb) != 0)
		goto fail;
	if (sb.st_size > 0 && (pread(sp->fd, got, HDR_LEN, 0) != HDR_LEN ||
	    memcmp(got, want, TEXT_LEN) != 0)) {
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
	for (pos = committed; pos + sizeof(rh) <= (uint64_t)sb.st_size;) {
		uint64_t len;

		if (pread(sp->fd, &rh, sizeof(rh), (off_t)pos) !=
		    (ssize_t)sizeof(rh) || rh.magic != SPOOL_MAGIC)
			break;
		len = sizeof(rh) + rh.nmsg * sizeof(struct bmsg) +
		    rh.ngap * sizeof(struct bgap) + rh.nev *
		    sizeof(struct cgn_event) + rh.ndata;
		if (pos + len > (uint64_t)sb.st_size)
			break;
		pos += len;
		sp->nbatches++;
	}
	if (pos < (uint64_t)sb.st_size && ftruncate(sp->fd, (off_t)pos) != 0)
		goto fail;
	sp->rpos = sp->cpos = committed;
	sp->wpos = pos;
	sp->active = sp->nbatches > 0;
	*out = sp;
	return CGN_OK;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	if (sp->fd >= 0)
		close(sp->fd);
	free(sp);
	return CGN_EIO;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	close(sp->fd);
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

static int
write_all(int fd, const void *p, size_t n, uint64_t off)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = pwrite(fd, c, n, (off_t)off)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

int
spool_put(struct spool *sp, const struct batch *b)
{
	struct rec_hdr rh = { SPOOL_MAGIC, (uint32_t)b->nmsg,
	    (uint32_t)b->ngap, (uint32_t)b->nev, b->ndata };
	uint64_t len = sizeof(rh) + b->nmsg * sizeof(struct bmsg) +
	    b->ngap * sizeof(struct bgap) + b->nev * sizeof(struct cgn_event) +
	    b->ndata, at;
	int rc = CGN_EIO;

	pthread_mutex_lock(&sp->mtx);
	at = sp->wpos;
	if (at - sp->rpos + len > sp->max)
		goto out;
	if (write_all(sp->fd, &rh, sizeof(rh), at) != 0 ||
	    write_all(sp->fd, b->msg, b->nmsg * sizeof(struct bmsg),
	    at + sizeof(rh)) != 0 ||
	    write_all(sp->fd, b->gap, b->ngap * sizeof(struct bgap), at +
	    sizeof(rh) + b->nmsg * sizeof(struct bmsg)) != 0 ||
	    write_all(sp->fd, b->ev, b->nev * sizeof(struct cgn_event), at +
	    sizeof(rh) + b->nmsg * sizeof(struct bmsg) + b->ngap *
	    sizeof(struct bgap)) != 0 ||
	    write_all(sp->fd, b->data, b->ndata, at + len - b->ndata) != 0) {
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
	return rc;
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	void *np;

	if (need <= *cap)
		return 0;
	if ((np = realloc(*p, need * size)) == NULL)
		return -1;
	*p = np;
	*cap = need;
	return 0;
}

int
spool_get(struct spool *sp, struct batch *b)
{
	struct rec_hdr rh;
	uint64_t at;
	int rc = CGN_EIO;

	pthread_mutex_lock(&sp->mtx);
	if (sp->rpos >= sp->wpos) {
		/* caught up: receivers use the ring again; the file is
		 * emptied once what was read is stored (spool_commit) */
		sp->active = 0;
		sp->nbatches = 0;
		rc = CGN_ENOTFOUND;
		goto out;
	}
	at = sp->rpos;
	if (pread(sp->fd, &rh, sizeof(rh), (off_t)at) != (ssize_t)sizeof(rh) ||
	    rh.magic != SPOOL_MAGIC)
		goto out;
	batch_clear(b);
	if (grow((void **)&b->msg, &b->capmsg, rh.nmsg, sizeof(*b->msg)) ||
	    grow((void **)&b->gap, &b->capgap, rh.ngap, sizeof(*b->gap)) ||
	    grow((void **)&b->ev, &b->capev, rh.nev, sizeof(*b->ev)) ||
	    grow((void **)&b->data, &b->capdata, rh.ndata, 1))
		goto out;
	at += sizeof(rh);
	if (pread(sp->fd, b->msg, rh.nmsg * sizeof(*b->msg), (off_t)at) !=
	    (ssize_t)(rh.nmsg * sizeof(*b->msg)))
		goto out;
	at += rh.nmsg * sizeof(*b->msg);
	if (pread(sp->fd, b->gap, rh.ngap * sizeof(*b->gap), (off_t)at) !=
	    (ssize_t)(rh.ngap * sizeof(*b->gap)))
		goto out;
	at += rh.ngap * sizeof(*b->gap);
	if (pread(sp->fd, b->ev, rh.nev * sizeof(*b->ev), (off_t)at) !=
	    (ssize_t)(rh.nev * sizeof(*b->ev)))
		goto out;
	at += rh.nev * sizeof(*b->ev);
	if (pread(sp->fd, b->data, rh.ndata, (off_t)at) != (ssize_t)rh.ndata)
		goto out;
	b->nmsg = rh.nmsg;
	b->ngap = rh.ngap;
	b->nev = rh.nev;
	b->ndata = rh.ndata;
	sp->rpos = at + rh.ndata;
	sp->nbatches--;
	rc = CGN_OK;
out:
	pthread_mutex_unlock(&sp->mtx);
	return rc;
}

int
spool_commit(struct spool *sp)
{
	uint64_t start = HDR_LEN;
	int rc = CGN_OK;

	pthread_mutex_lock(&sp->mtx);
	if (sp->rpos >= sp->wpos && !sp->active && sp->wpos > HDR_LEN) {
		/* everything read and stored, nothing new: empty it */
		if (pwrite(sp->fd, &start, sizeof(start), TEXT_LEN) !=
		    (ssize_t)sizeof(start) || ftruncate(sp->fd, HDR_LEN) != 0) {
			rc = CGN_EIO;
			goto out;
		}
		sp->rpos = sp->wpos = sp->cpos = HDR_LEN;
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
