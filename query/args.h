/*
 * args.h - the other things people type into cgnq: public addresses,
 * ports, protocols and destinations. Each parser takes a NUL-terminated
 * string, writes its result only on success, and on failure fills err
 * with a message that names the bad value and says what was wanted
 * (cgnq prints it and exits 64, or a batch line answers bad_input).
 * Not here: times (timearg.h), files, the store.
 */
#ifndef ARGS_H
#define ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "cgn.h"

/* An IPv4 or IPv6 address (no prefix length, no port). */
int q_parse_ip(const char *s, struct cgn_addr *out, char *err,
    size_t errlen);

/* A port 0-65535, decimal, nothing else. */
int q_parse_port(const char *s, uint16_t *out, char *err, size_t errlen);

/* "tcp", "udp", "icmp", "any" or a protocol number 0-255. */
int q_parse_proto(const char *s, uint8_t *out, char *err, size_t errlen);

/* A destination: "IP", "IPv4:PORT", "[IPv6]:PORT". *port is 0 when none
 * was given (a destination port 0 cannot be asked for). */
int q_parse_dst(const char *s, struct cgn_addr *ip, uint16_t *port,
    char *err, size_t errlen);

struct cgn_tz;
struct q_request;

/*
 * One batch line, CSV: ip,port,time[,proto][,ref] (fields may be quoted
 * as in RFC 4180). The request gets the line's values over the defaults
 * already in *r (tolerance, protocol); ref (may be empty) gets the
 * caller's reference, also when the line is bad, so the answer can carry
 * it. CGN_EINVAL with err naming the bad field.
 */
int q_parse_batch_line(const char *line, const struct cgn_tz *tz,
    int have_tz, struct q_request *r, char *ref, size_t reflen, char *err,
    size_t errlen);

#endif /* ARGS_H */
