/*
 * output.h - answers as a table for people, JSON or CSV for programs.
 * Table lines fit 80 columns.
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
 * (batch), may be NULL. */
void q_print_lookup(FILE *f, enum q_format fmt, const struct q_request *r,
    const struct q_answer *a, const char *ref);

/* How an interval's ends are known, in words ("logged", "interim", ...). */
const char *q_start_how(uint16_t flags);
const char *q_end_how(uint16_t flags);
const char *q_proto_str(uint8_t proto, char *buf, size_t len);

/* Write s as a JSON string (with quotes). */
void q_json_str(FILE *f, const char *s);

#endif /* OUTPUT_H */
