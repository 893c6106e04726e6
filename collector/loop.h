/*
 * loop.h - a small event loop (epoll), in the manner of redis ae.h:
 * explicit registration of file descriptors and periodic timers, run until
 * stopped. One loop per thread; nothing here is shared.
 */
#ifndef LOOP_H
#define LOOP_H

#include <stdint.h>

struct loop;

/* Called when fd is readable (or has an error/hangup). */
typedef void loop_fd_fn(struct loop *lp, int fd, void *arg);
/* Called every ms milliseconds (as close as the loop gets). */
typedef void loop_timer_fn(struct loop *lp, void *arg);

int loop_new(struct loop **out);
void loop_free(struct loop *lp);

int loop_add(struct loop *lp, int fd, loop_fd_fn *fn, void *arg);
void loop_del(struct loop *lp, int fd);
/* Call fd's handler when fd can be written instead of when it can be
 * read (on 1), or back (on 0): for a reply that did not fit the socket
 * buffer at once, without spinning on input nobody reads meanwhile. */
int loop_want_write(struct loop *lp, int fd, int on);
int loop_every(struct loop *lp, int64_t ms, loop_timer_fn *fn, void *arg);

/* Dispatch until loop_stop(). Returns CGN_OK, or CGN_EIO if epoll fails. */
int loop_run(struct loop *lp);
void loop_stop(struct loop *lp);

/* Monotonic and wall-clock milliseconds. */
int64_t loop_mono_ms(void);
int64_t loop_wall_ms(void);

#endif /* LOOP_H */
