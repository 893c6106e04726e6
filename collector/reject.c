/*
 * reject.c - see reject.h. Appends with one write per message and no
 * buffering in between, so a crash right after keeps what was written.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cgn.h"
#include "reject.h"
#include "timeconv.h"

struct reject {
	char path[512];
	int fd;
	pthread_mutex_t mtx;
};

int
reject_open(const char *path, struct reject **out)
{
	struct reject *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return CGN_ENOMEM;
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (r->fd < 0) {
		free(r);
		return CGN_EIO;
	}
	pthread_mutex_init(&r->mtx, NULL);
	*out = r;
	return CGN_OK;
}

void
reject_close(struct reject *r)
{
	if (r == NULL)
		return;
	close(r->fd);
	pthread_mutex_destroy(&r->mtx);
	free(r);
}

const char *
reject_path(const struct reject *r)
{
	return r->path;
}

int
reject_reopen(struct reject *r)
{
	int fd, rc = CGN_OK;

	pthread_mutex_lock(&r->mtx);
	fd = open(r->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd >= 0) {
		close(r->fd);
		r->fd = fd;
	} else {
		rc = CGN_EIO;	/* keep writing to the old one */
	}
	pthread_mutex_unlock(&r->mtx);
	return rc;
}

int
reject_keep(struct reject *r, int64_t rx_ms, const char *source,
    const char *sender, const char *parser, int rc, const uint8_t *buf,
    size_t len)
{
	char head[1024], t[32];
	struct iovec iov[3];
	ssize_t n, want;
	int hl, ret = CGN_OK;

	hl = snprintf(head, sizeof(head), "# %s %s from %s %s %s %zu\n",
	    tc_fmt(rx_ms, t, sizeof(t)), source, sender,
	    parser != NULL ? parser : "none", cgn_rc_str(rc), len);
	if (hl < 0 || (size_t)hl >= sizeof(head))
		hl = (int)sizeof(head) - 1;
	iov[0].iov_base = head;
	iov[0].iov_len = (size_t)hl;
	iov[1].iov_base = (void *)(uintptr_t)buf;
	iov[1].iov_len = len;
	iov[2].iov_base = "\n";
	iov[2].iov_len = 1;
	want = (ssize_t)(hl + len + 1);
	pthread_mutex_lock(&r->mtx);
	do {
		n = writev(r->fd, iov, 3);
	} while (n < 0 && errno == EINTR);
	if (n != want)
		ret = CGN_EIO;
	pthread_mutex_unlock(&r->mtx);
	return ret;
}
