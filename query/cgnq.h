/*
 * cgnq.h - what cgnq's commands share: the options every command takes,
 * the store reader, the audit record, and how they fail. Each command is
 * a function cmd_NAME(q, argc, argv) returning the exit status; argv[0] is
 * the command's name.
 * Not here: verdicts (lookup.h), printing (output.h), the audit log's
 * format (audit.h).
 */
#ifndef CGNQ_H
#define CGNQ_H

#include <getopt.h>

#include "audit.h"
#include "lookup.h"
#include "output.h"
#include "store.h"

/* Exit statuses besides the verdicts (sysexits.h). */
#define Q_EX_USAGE	64	/* a malformed argument or input */
#define Q_EX_DATAERR	65	/* the audit log has lines not ours */
#define Q_EX_NOINPUT	66	/* no store, or an input file unreadable */
#define Q_EX_SOFTWARE	70	/* the store failed */
#define Q_EX_CANTCREAT	73	/* the audit log cannot be opened */
#define Q_EX_IOERR	74	/* the audit log cannot be written */

struct cgn_tz;

struct cgnq {
	const char *store;	/* --store, $CGNQ_STORE, ./var/store */
	enum q_format fmt;
	int fmt_set;		/* --format given */
	const char *reason;	/* --reason */
	const char *audit_log;	/* --audit-log; NULL: STORE/audit.log */
	struct cgn_tz *tz;	/* --tz, for zoneless times */
	int have_tz;
	int argc;		/* the whole command line, for the audit */
	char **argv;
	struct store_reader *rd;
	struct q_audit au;
};

/* The options every command takes (ids >= 0x100, so they never clash
 * with a command's own letters); end a command's table with these. */
#define Q_OPT_STORE	0x100
#define Q_OPT_FORMAT	0x101
#define Q_OPT_REASON	0x102
#define Q_OPT_AUDIT	0x103
#define Q_OPT_TZ	0x104
#define Q_COMMON_OPTS \
	{ "store", required_argument, NULL, Q_OPT_STORE }, \
	{ "format", required_argument, NULL, Q_OPT_FORMAT }, \
	{ "reason", required_argument, NULL, Q_OPT_REASON }, \
	{ "audit-log", required_argument, NULL, Q_OPT_AUDIT }, \
	{ "tz", required_argument, NULL, Q_OPT_TZ }, \
	{ NULL, 0, NULL, 0 }

/* Handle a common option; 1 if c was one. Exits 64 on a bad value. */
int q_common_opt(struct cgnq *q, int c, const char *arg);

/* Print "cgnq: MESSAGE" and exit 64. */
void q_usage_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
/* An unknown option or a wrong argument count: the usage, exit 64. */
void q_usage_exit(void) __attribute__((noreturn));

/* Open the store read-only (exit 66 if missing), then the audit log for
 * this command (exit 73 if it cannot be written: nothing is answered
 * unrecorded). */
void q_begin(struct cgnq *q, const char *cmd);

/* Record the run in the audit log; returns status, or 74 if the record
 * could not be written. */
int q_end(struct cgnq *q, int status);

/* Parse a time argument as the user meant it (--tz for zoneless ones);
 * exit 64 with the reason when it is not a time. */
int64_t q_time_arg(struct cgnq *q, const char *what, const char *s);

/* The same for --tolerance (a duration: "2s", "500ms", "1m") and --proto
 * (q_parse_proto()). */
int64_t q_tolerance_arg(const char *s);
uint8_t q_proto_arg(const char *s);

int cmd_lookup(struct cgnq *q, int argc, char **argv);
int cmd_batch(struct cgnq *q, int argc, char **argv);
int cmd_history(struct cgnq *q, int argc, char **argv);
int cmd_stats(struct cgnq *q, int argc, char **argv);
int cmd_arf(struct cgnq *q, int argc, char **argv);
int cmd_audit(struct cgnq *q, int argc, char **argv);

/* Answer one request as lookup does (print, count for the audit) and
 * print the evidence if asked; returns the verdict's exit status. */
int q_answer(struct cgnq *q, const struct q_request *r, const char *ref,
    int evidence);

#endif /* CGNQ_H */
