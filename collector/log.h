/*
 * log.h - the daemon's own messages, with OpenBSD log.c's vocabulary.
 * To stderr (journald takes it from there), one line each, with a level
 * prefix journald understands ("<3>" ...) when stderr is not a terminal.
 * All keep errno. Bad input is never logged per packet: see stats.h.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

/* verbose: 1 shows log_debug. */
void log_init(const char *progname, int verbose);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif /* LOG_H */
