/*
 * audit.h - the record of who asked what: every lookup, batch, history
 * and arf run appends one line of JSON to the audit log (by default
 * STORE/audit.log): when, which user on which host, the command and its
 * arguments, the reason given (--reason), how many answers of each
 * verdict, and the exit status. Appended with O_APPEND and fsync'd, one
 * write per record, so concurrent runs do not interleave; this is the
 * only file cgnq writes. `cgnq audit` reads it back.
 * Not here: rotating or signing the log.
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <stdint.h>
#include <stdio.h>

#include "output.h"

/* Answer counts: the four verdicts (enum q_verdict) and bad input. */
#define Q_NCOUNT 5
#define Q_BAD_INPUT 4

struct q_audit {
	int fd;			/* the log, open for appending; -1: none */
	char path[1024];
	const char *cmd;	/* "lookup", "batch", ... */
	int argc;		/* the command's arguments, as typed */
	char **argv;
	const char *reason;	/* --reason, NULL if none */
	const char *store;	/* the store asked */
	uint64_t count[Q_NCOUNT];
	uint64_t intervals;	/* history: intervals listed */
};

/* Open path for appending (created 0640 if missing). On failure err says
 * why and CGN_EIO is returned: cgnq then refuses to answer. */
int q_audit_open(struct q_audit *au, const char *path, char *err,
    size_t errlen);

/* Append the record for this run with its exit status, fsync, close.
 * CGN_EIO with err on failure. */
int q_audit_close(struct q_audit *au, int status, char *err, size_t errlen);

/* Print the log at path: records whose time is within [from, to]. A
 * line that is not a record of ours is reported as such, never skipped.
 * CGN_EIO if the log cannot be read; *bad counts malformed lines. */
int q_audit_print(FILE *out, enum q_format fmt, const char *path,
    int64_t from_ms, int64_t to_ms, size_t *bad, char *err, size_t errlen);

#endif /* AUDIT_H */
