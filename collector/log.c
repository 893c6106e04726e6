/*
 * log.c - see log.h. One mutex around the write, so lines from the
 * receiver and writer threads never interleave.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "cgnlogd";
static int log_verbose;
static int log_prefix;		/* sd-daemon(3) level prefixes */
static pthread_mutex_t log_mtx = PTHREAD_MUTEX_INITIALIZER;

void
log_init(const char *progname, int verbose)
{
	log_prog = progname;
	log_verbose = verbose;
	log_prefix = !isatty(STDERR_FILENO);
}

static void
vlog(int level, const char *emsg, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	pthread_mutex_lock(&log_mtx);
	if (log_prefix)
		fprintf(stderr, "<%d>", level);
	if (emsg != NULL)
		fprintf(stderr, "%s: %s: %s\n", log_prog, msg, emsg);
	else
		fprintf(stderr, "%s: %s\n", log_prog, msg);
	fflush(stderr);
	pthread_mutex_unlock(&log_mtx);
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(4, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(4, NULL, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_info(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(6, NULL, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_debug(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(7, NULL, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(2, strerror(saved), fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(2, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
