/*
 * parser.c - the table of input formats, lookup by name and by content,
 * and the per-listener parser state.
 *
 * detect() is tried top to bottom, most specific first: binary formats
 * announce themselves in their first bytes, syslog is the catch-all text.
 */
#include <stdlib.h>
#include <string.h>

#include "nflog.h"
#include "parser.h"
#include "pstate.h"
#include "tmpl.h"

static const struct cgn_parser *const parsers[] = {
	&ipfix_parser,		/* version 10 and a plausible length */
	&nfv9_parser,		/* version 9 and a plausible count */
	&nfl_log_parser,	/* family 2/10, version 0, NFULA_* */
	&nfl_ct_parser,		/* a ctnetlink message, length = size */
	&syslog_parser,		/* "<PRI>", an RFC 6587 octet count, text */
	NULL
};

const struct cgn_parser *
parser_find(const char *name)
{
	size_t i;

	for (i = 0; parsers[i] != NULL; i++)
		if (strcmp(parsers[i]->name, name) == 0)
			return parsers[i];
	return NULL;
}

const struct cgn_parser *
parser_detect(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; parsers[i] != NULL; i++)
		if (parsers[i]->detect(buf, len))
			return parsers[i];
	return NULL;
}

int
pstate_new(struct cgn_pstate **out)
{
	struct cgn_pstate *st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return CGN_ENOMEM;
	st->lifetime_ms = TMPL_LIFETIME_MS;
	*out = st;
	return CGN_OK;
}

void
pstate_free(struct cgn_pstate *st)
{
	if (st == NULL)
		return;
	tmpl_free_all(st);
	nfl_pstate_free(st);
	free(st);
}

void
pstate_counters(const struct cgn_pstate *st, struct cgn_pcounters *out)
{
	*out = st->c;
}

void
pstate_set_lifetime(struct cgn_pstate *st, int64_t ms)
{
	st->lifetime_ms = ms;
}
