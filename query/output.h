/*
 * output.h - answers as a table for people, JSON or CSV for programs.
 * Table lines fit 80 columns (an IPv6 address of full length may push
 * one line past). JSON is one document per command; CSV has no quoting
 * surprises (RFC 4180: fields with , " or newline are quoted).
 * Not here: deciding anything (lookup.c), reading arguments.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdio.h>

#include "lookup.h"

enum q_format {
	Q_TABLE = 0,
	Q_JSON,
	Q_CSV,
};

/* Parse "table", "json", "csv"; -1 if none. */
int q_format_parse(const char *s);

/* One lookup: the request and its answer. ref: the caller's reference
 * (batch, arf), may be NULL. */
void q_print_lookup(FILE *f, enum q_format fmt, const struct q_request *r,
    const struct q_answer *a, const char *ref);

/* The CSV columns of q_print_lookup and q_print_bad, as a header line. */
void q_print_csv_header(FILE *f);

/* A request that could not be asked: verdict bad_input and why. line is
 * its line number in a batch (0: none). */
void q_print_bad(FILE *f, enum q_format fmt, const char *ref, size_t line,
    const char *input, const char *msg);

/* How an interval's ends are known, as tokens for programs ("logged",
 * "interim", "not_seen"; "open", "release_not_seen_reused", ...) and in
 * words for people. */
const char *q_start_how(uint16_t flags);
const char *q_end_how(uint16_t flags);
const char *q_start_words(uint16_t flags);
const char *q_end_words(uint16_t flags);
const char *q_proto_str(uint8_t proto, char *buf, size_t len);

/* A time for people: RFC 3339 UTC, without ".000" when whole seconds;
 * "open" for STORE_OPEN_END. buf needs 32 bytes. */
const char *q_tfmt(int64_t ms, char *buf, size_t len);
/* A gap's last ms as people read it: the minute after a whole minute. */
int64_t q_gap_end(int64_t to_ms);
/* A duration for people: "2s", "1.5s", "250ms", "3m20s", "2h". */
const char *q_dfmt(int64_t ms, char *buf, size_t len);

/* Write s as a JSON string (with quotes); bytes that are not printable
 * ASCII are escaped, so the output is valid whatever s holds. */
void q_json_str(FILE *f, const char *s);
/* Write s as one CSV field. */
void q_csv_field(FILE *f, const char *s);

#endif /* OUTPUT_H */
