/*
 * config.c - INI settings through inih (see config.h).
 *
 *   [store]      root, period, retention, flush, max_age, session_idle,
 *                evidence
 *   [collector]  listen (repeatable), reject, port_file, tcp_max_frame,
 *                tcp_idle, rcvbuf, udp_threads, allow, ring_batches, user,
 *                spool, spool_max, metrics
 *   [device ADDRESS]  name, tz, natevent (IPFIX / v9 numbering)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config.h"
#include "tz.h"
#include "tzload.h"

const char config_default_text[] =
    "# cgnlogd's embedded default: listen on loopback, store under ./var\n"
    "[store]\n"
    "root = ./var/store\n"
    "period = 6h\n"
    "flush = 1000ms\n"
    "[collector]\n"
    "listen = syslog-udp://127.0.0.1:5514\n"
    "listen = syslog-tcp://127.0.0.1:5514\n"
    "listen = ipfix-udp://127.0.0.1:4739\n"
    "listen = nfv9-udp://127.0.0.1:2055\n";

struct cfg_ctx {
	struct config *c;
	char err[400];
};

void
config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->store_root, sizeof(c->store_root), "./var/store");
	c->period_ms = 6 * 3600000;
	c->flush_ms = 1000;
	c->max_age_ms = 24 * 3600000LL;
	c->session_idle_ms = 24 * 3600 * 1000LL;
	c->evidence = 1;
	c->tcp_max_frame = 64 * 1024;
	c->tcp_idle_ms = 3600000;
	c->rcvbuf = 32 * 1024 * 1024;
	c->udp_threads = 1;
	snprintf(c->user, sizeof(c->user), "cgnlog");
	c->spool_max = 1LL << 30;
	c->ring_batches = 64;
}

void
config_free(struct config *c)
{
	int i;

	for (i = 0; i < c->ndev; i++)
		tz_free(c->dev[i].tz);
	free(c->dev);
	c->dev = NULL;
	c->ndev = 0;
}

int
config_duration(const char *s, int64_t *ms)
{
	char *end;
	double v;
	int64_t mul = 1000;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0)
		return CGN_EINVAL;
	if (strcmp(end, "ms") == 0)
		mul = 1;
	else if (strcmp(end, "s") == 0 || *end == '\0')
		mul = 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mul = 60000;
	else if (strcmp(end, "h") == 0)
		mul = 3600000;
	else if (strcmp(end, "d") == 0)
		mul = 86400000;
	else
		return CGN_EINVAL;
	if (v * (double)mul > 9.0e15)
		return CGN_EINVAL;
	*ms = (int64_t)(v * (double)mul + 0.5);
	return CGN_OK;
}

static int
bad(struct cfg_ctx *x, const char *fmt, const char *a, const char *b)
{
	snprintf(x->err, sizeof(x->err), fmt, a, b);
	return 0;
}

static int
set_duration(struct cfg_ctx *x, const char *name, const char *value,
    int64_t *out)
{
	if (config_duration(value, out) != CGN_OK)
		return bad(x, "%s: not a duration: '%s' (e.g. 1h, 30s, 500ms)",
		    name, value);
	return 1;
}

static int
set_bool(struct cfg_ctx *x, const char *name, const char *value, int *out)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
	    strcmp(value, "1") == 0 || strcmp(value, "on") == 0)
		*out = 1;
	else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 ||
	    strcmp(value, "0") == 0 || strcmp(value, "off") == 0)
		*out = 0;
	else
		return bad(x, "%s: expected yes or no, not '%s'", name, value);
	return 1;
}

static int
set_size(struct cfg_ctx *x, const char *name, const char *value,
    int64_t *out)
{
	char *end;
	long long v = strtoll(value, &end, 10);

	if (end == value || v <= 0)
		return bad(x, "%s: not a size: '%s'", name, value);
	if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'M')
		v *= 1024 * 1024, end++;
	else if (*end == 'G')
		v *= 1024LL * 1024 * 1024, end++;
	if (*end != '\0')
		return bad(x, "%s: not a size: '%s'", name, value);
	*out = v;
	return 1;
}

static int
store_key(struct cfg_ctx *x, const char *name, const char *value)
{
	struct config *c = x->c;

	if (strcmp(name, "root") == 0) {
		if (strlen(value) >= sizeof(c->store_root))
			return bad(x, "%s: path too long%s", name, "");
		snprintf(c->store_root, sizeof(c->store_root), "%s", value);
		return 1;
	}
	if (strcmp(name, "period") == 0) {
		if (!set_duration(x, name, value, &c->period_ms))
			return 0;
		if (c->period_ms < 60000 || 86400000 % c->period_ms != 0)
			return bad(x, "%s: '%s' must divide a day (e.g. 1h,"
			    " 6h, 1d)", name, value);
		return 1;
	}
	if (strcmp(name, "retention") == 0)
		return set_duration(x, name, value, &c->retention_ms);
	if (strcmp(name, "flush") == 0)
		return set_duration(x, name, value, &c->flush_ms);
	if (strcmp(name, "max_age") == 0)
		return set_duration(x, name, value, &c->max_age_ms);
	if (strcmp(name, "session_idle") == 0)
		return set_duration(x, name, value, &c->session_idle_ms);
	if (strcmp(name, "evidence") == 0)
		return set_bool(x, name, value, &c->evidence);
	return bad(x, "[store] has no setting '%s'%s", name, "");
}

static int
collector_key(struct cfg_ctx *x, const char *name, const char *value)
{
	struct config *c = x->c;
	char err[300];
	int64_t v;

	if (strcmp(name, "listen") == 0) {
		if (c->nlisten == CFG_MAX_LISTEN)
			return bad(x, "%s: too many listeners%s", name, "");
		if (url_parse(value, &c->listen[c->nlisten], err,
		    sizeof(err)) != CGN_OK)
			return bad(x, "listen: %s%s", err, "");
		c->nlisten++;
		return 1;
	}
	if (strcmp(name, "reject") == 0) {
		snprintf(c->reject_path, sizeof(c->reject_path), "%s", value);
		return 1;
	}
	if (strcmp(name, "port_file") == 0) {
		snprintf(c->port_file, sizeof(c->port_file), "%s", value);
		return 1;
	}
	if (strcmp(name, "metrics") == 0) {
		if (strlen(value) >= sizeof(c->metrics))
			return bad(x, "%s: '%s' is too long", name, value);
		snprintf(c->metrics, sizeof(c->metrics), "%s", value);
		return 1;
	}
	if (strcmp(name, "tcp_max_frame") == 0)
		return set_size(x, name, value, &c->tcp_max_frame);
	if (strcmp(name, "tcp_idle") == 0)
		return set_duration(x, name, value, &c->tcp_idle_ms);
	if (strcmp(name, "rcvbuf") == 0) {
		if (!set_size(x, name, value, &v))
			return 0;
		c->rcvbuf = v > (1 << 30) ? 1 << 30 : (int)v;
		return 1;
	}
	if (strcmp(name, "user") == 0) {
		if (strlen(value) >= sizeof(c->user))
			return bad(x, "%s: '%s' is too long", name, value);
		snprintf(c->user, sizeof(c->user), "%s", value);
		c->user_explicit = 1;
		return 1;
	}
	if (strcmp(name, "spool") == 0) {
		snprintf(c->spool_path, sizeof(c->spool_path), "%s", value);
		return 1;
	}
	if (strcmp(name, "spool_max") == 0)
		return set_size(x, name, value, &c->spool_max);
	if (strcmp(name, "udp_threads") == 0) {
		if (!set_size(x, name, value, &v))
			return 0;
		if (v < 1 || v > 16)
			return bad(x, "%s: '%s' must be 1-16", name, value);
		c->udp_threads = (int)v;
		return 1;
	}
	if (strcmp(name, "allow") == 0) {
		if (acl_parse(value, &c->acl, err, sizeof(err)) != CGN_OK)
			return bad(x, "allow: %s%s", err, "");
		return 1;
	}
	if (strcmp(name, "ring_batches") == 0) {
		if (!set_size(x, name, value, &v))
			return 0;
		c->ring_batches = v > 65536 ? 65536 : (int)v;
		return 1;
	}
	return bad(x, "[collector] has no setting '%s'%s", name, "");
}

/* natevent = auto | iana | juniper | cisco (IPFIX / v9 numbering). */
static int
set_natdict(struct cfg_ctx *x, const char *value, int *out)
{
	static const char *const names[] = { "auto", "iana", "juniper",
	    "cisco" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(value, names[i]) == 0) {
			*out = (int)i;	/* enum cgn_natdict order */
			return 1;
		}
	}
	return bad(x, "natevent: '%s' is not auto, iana, juniper or"
	    " cisco%s", value, "");
}

static struct cfg_device *
device_of(struct cfg_ctx *x, const char *section)
{
	struct config *c = x->c;
	struct cfg_device *nd;
	struct cgn_addr a;
	const char *addr = section + strlen("device");
	int i;

	while (*addr == ' ')
		addr++;
	if (cgn_addr_parse(addr, strlen(addr), &a) != CGN_OK) {
		bad(x, "[%s]: '%s' is not an IP address", section, addr);
		return NULL;
	}
	for (i = 0; i < c->ndev; i++)
		if (cgn_addr_cmp(&c->dev[i].addr, &a) == 0)
			return &c->dev[i];
	if ((nd = realloc(c->dev, (size_t)(c->ndev + 1) * sizeof(*nd))) ==
	    NULL) {
		bad(x, "out of memory%s%s", "", "");
		return NULL;
	}
	c->dev = nd;
	memset(&nd[c->ndev], 0, sizeof(nd[0]));
	nd[c->ndev].addr = a;
	return &nd[c->ndev++];
}

static int
handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct cfg_ctx *x = user;
	struct cfg_device *d;

	if (strcmp(section, "store") == 0)
		return store_key(x, name, value);
	if (strcmp(section, "collector") == 0)
		return collector_key(x, name, value);
	if (strncmp(section, "device", 6) == 0 &&
	    (section[6] == ' ' || section[6] == '\0')) {
		if ((d = device_of(x, section)) == NULL)
			return 0;
		if (strcmp(name, "name") == 0) {
			snprintf(d->name, sizeof(d->name), "%s", value);
			return 1;
		}
		if (strcmp(name, "tz") == 0) {
			snprintf(d->tzname, sizeof(d->tzname), "%s", value);
			return 1;
		}
		if (strcmp(name, "natevent") == 0)
			return set_natdict(x, value, &d->natdict);
		return bad(x, "[device]: no setting '%s'%s", name, "");
	}
	return bad(x, "unknown section [%s]%s", section, "");
}

static int
finish(struct cfg_ctx *x, int line, const char *file, char *err,
    size_t errlen)
{
	if (line == 0)
		return CGN_OK;
	if (line < 0)
		snprintf(err, errlen, "%s: cannot read: %s", file,
		    strerror(errno));
	else
		snprintf(err, errlen, "%s:%d: %s", file, line,
		    x->err[0] ? x->err : "syntax error");
	return CGN_EINVAL;
}

int
config_load_file(const char *path, struct config *c, char *err,
    size_t errlen)
{
	struct cfg_ctx x = { c, "" };

	return finish(&x, ini_parse(path, handler, &x), path, err, errlen);
}

int
config_load_default(struct config *c, char *err, size_t errlen)
{
	struct cfg_ctx x = { c, "" };

	return finish(&x, ini_parse_string(config_default_text, handler, &x),
	    "(embedded default)", err, errlen);
}

int
config_load_zones(struct config *c, char *err, size_t errlen)
{
	char e[300];
	int i;

	for (i = 0; i < c->ndev; i++) {
		if (c->dev[i].tzname[0] == '\0' || c->dev[i].tz != NULL)
			continue;
		if (tzload(c->dev[i].tzname, &c->dev[i].tz, e, sizeof(e)) !=
		    CGN_OK) {
			snprintf(err, errlen, "device %s: %s",
			    c->dev[i].name[0] ? c->dev[i].name : "?", e);
			return CGN_EINVAL;
		}
	}
	return CGN_OK;
}

const struct cfg_device *
config_device(const struct config *c, const struct cgn_addr *addr)
{
	int i;

	for (i = 0; i < c->ndev; i++)
		if (cgn_addr_cmp(&c->dev[i].addr, addr) == 0)
			return &c->dev[i];
	return NULL;
}
