/*
 * gen.h - how the simulated box writes its events: one row per output
 * format (cgnlog-gen --format NAME). A format turns one event into one
 * message (a syslog line now; datagrams when binary formats arrive).
 */
#ifndef GEN_H
#define GEN_H

#include <stddef.h>

#include "gensim.h"

struct gen_format {
	const char *name;
	const char *what;		/* one line for --help */
	int64_t resolution_ms;		/* the finest time it can carry */
	/* Write ev as a message into buf; returns its length (no newline),
	 * or 0 if it does not fit. */
	size_t (*write)(char *buf, size_t len, const struct gensim_ev *ev,
	    const char *device);
};

/* The format called name, or NULL. */
const struct gen_format *gen_format_find(const char *name);
/* All formats, NULL-terminated. */
extern const struct gen_format *const gen_formats[];

extern const struct gen_format gen_juniper_sd;
extern const struct gen_format gen_juniper_text;
extern const struct gen_format gen_jservices;
/* syslog vendors (gen_<vendor>.c) */
extern const struct gen_format gen_asa;
extern const struct gen_format gen_asa_xlate;
extern const struct gen_format gen_cisco_xr;
extern const struct gen_format gen_cisco_ios;
extern const struct gen_format gen_a10_cef;
extern const struct gen_format gen_a10;
extern const struct gen_format gen_f5;
extern const struct gen_format gen_nokia;
extern const struct gen_format gen_huawei;
extern const struct gen_format gen_h3c;
extern const struct gen_format gen_fortigate;
extern const struct gen_format gen_paloalto;
extern const struct gen_format gen_vpp;
extern const struct gen_format gen_vyatta;
extern const struct gen_format gen_netscreen;
extern const struct gen_format gen_nfware;
extern const struct gen_format gen_6wind;

#endif /* GEN_H */
