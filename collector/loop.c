/*
 * loop.c - epoll-based event loop (see loop.h).
 *
 * Handlers are kept in a table indexed by fd, so dispatch is one lookup.
 * Timers are few (flush, stats, housekeeping): a linear scan each turn.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "cgn.h"
#include "loop.h"

#define LOOP_TIMERS 16

struct loop_fd {
	loop_fd_fn *fn;
	void *arg;
};

struct loop_timer {
	loop_timer_fn *fn;
	void *arg;
	int64_t every, next;
};

struct loop {
	int ep;
	struct loop_fd *fds;
	int nfds;
	struct loop_timer timers[LOOP_TIMERS];
	int ntimers;
	volatile int stop;
};

int64_t
loop_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
loop_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
loop_new(struct loop **out)
{
	struct loop *lp;

	if ((lp = calloc(1, sizeof(*lp))) == NULL)
		return CGN_ENOMEM;
	if ((lp->ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		free(lp);
		return CGN_EIO;
	}
	*out = lp;
	return CGN_OK;
}

void
loop_free(struct loop *lp)
{
	if (lp == NULL)
		return;
	close(lp->ep);
	free(lp->fds);
	free(lp);
}

int
loop_add(struct loop *lp, int fd, loop_fd_fn *fn, void *arg)
{
	struct epoll_event ev;
	struct loop_fd *nf;
	int n;

	if (fd >= lp->nfds) {
		n = fd + 64;
		if ((nf = realloc(lp->fds, (size_t)n * sizeof(*nf))) == NULL)
			return CGN_ENOMEM;
		memset(nf + lp->nfds, 0, (size_t)(n - lp->nfds) * sizeof(*nf));
		lp->fds = nf;
		lp->nfds = n;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	if (epoll_ctl(lp->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
		return CGN_EIO;
	lp->fds[fd].fn = fn;
	lp->fds[fd].arg = arg;
	return CGN_OK;
}

void
loop_del(struct loop *lp, int fd)
{
	if (fd < 0 || fd >= lp->nfds)
		return;
	epoll_ctl(lp->ep, EPOLL_CTL_DEL, fd, NULL);
	lp->fds[fd].fn = NULL;
	lp->fds[fd].arg = NULL;
}

int
loop_want_write(struct loop *lp, int fd, int on)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = on ? EPOLLOUT : EPOLLIN;
	ev.data.fd = fd;
	return epoll_ctl(lp->ep, EPOLL_CTL_MOD, fd, &ev) == 0 ? CGN_OK :
	    CGN_EIO;
}

int
loop_every(struct loop *lp, int64_t ms, loop_timer_fn *fn, void *arg)
{
	struct loop_timer *t;

	if (lp->ntimers == LOOP_TIMERS || ms <= 0)
		return CGN_EINVAL;
	t = &lp->timers[lp->ntimers++];
	t->fn = fn;
	t->arg = arg;
	t->every = ms;
	t->next = loop_mono_ms() + ms;
	return CGN_OK;
}

void
loop_stop(struct loop *lp)
{
	lp->stop = 1;
}

int
loop_run(struct loop *lp)
{
	struct epoll_event evs[64];
	int64_t now, wait;
	int i, n;

	while (!lp->stop) {
		now = loop_mono_ms();
		wait = 1000;
		for (i = 0; i < lp->ntimers; i++)
			if (lp->timers[i].next - now < wait)
				wait = lp->timers[i].next - now;
		if (wait < 0)
			wait = 0;
		n = epoll_wait(lp->ep, evs, 64, (int)wait);
		if (n < 0 && errno != EINTR)
			return CGN_EIO;
		for (i = 0; i < n && !lp->stop; i++) {
			int fd = evs[i].data.fd;

			if (fd < lp->nfds && lp->fds[fd].fn != NULL)
				lp->fds[fd].fn(lp, fd, lp->fds[fd].arg);
		}
		now = loop_mono_ms();
		for (i = 0; i < lp->ntimers && !lp->stop; i++) {
			if (now >= lp->timers[i].next) {
				lp->timers[i].next = now + lp->timers[i].every;
				lp->timers[i].fn(lp, lp->timers[i].arg);
			}
		}
	}
	return CGN_OK;
}
