/*
 * config.h - cgnlogd's settings: from an INI file (-f, parsed with inih),
 * from the embedded default when none is given, then the command line on
 * top. Documented in cgnlogd.conf.5.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdint.h>

#include "acl.h"
#include "cgn.h"
#include "url.h"

#define CFG_MAX_LISTEN 64

struct cgn_tz;

/* Per-device settings, matched on the exporter's address. */
struct cfg_device {
	struct cgn_addr addr;		/* exporter address */
	char name[CGN_NAMELEN];		/* stamped on its events */
	char tzname[64];		/* zone of its local times */
	struct cgn_tz *tz;		/* loaded from tzname */
	int natdict;			/* enum cgn_natdict: natevent = */
};

struct config {
	char store_root[400];
	int64_t period_ms;
	int64_t retention_ms;		/* 0: keep */
	int64_t flush_ms;
	int64_t max_age_ms;
	int64_t session_idle_ms;
	int evidence;
	char reject_path[512];		/* "": <store root>/reject.log */
	char port_file[512];		/* "": none */
	char metrics[300];		/* "": no endpoint; ADDRESS:PORT */
	struct src_url listen[CFG_MAX_LISTEN];
	int nlisten;
	struct cfg_device *dev;
	int ndev;
	int64_t tcp_max_frame;		/* bytes */
	int64_t tcp_idle_ms;
	int rcvbuf;			/* bytes asked for SO_RCVBUF */
	int udp_threads;		/* receive threads per UDP source */
	char user[64];			/* run as; "" or "root": stay root */
	char spool_path[512];		/* "": <store root>/spool */
	int64_t spool_max;		/* bytes */
	int user_explicit;		/* configured, not the default */
	struct acl acl;			/* exporters accepted by default */
	int ring_batches;
};

/* Defaults without any listener. */
void config_init(struct config *c);
/* Load an INI file over c. err: "FILE:LINE: problem". */
int config_load_file(const char *path, struct config *c, char *err,
    size_t errlen);
/* Load the embedded default (loopback listeners, ./var/store). */
int config_load_default(struct config *c, char *err, size_t errlen);
/* Load every device's time zone; err names the device and zone. */
int config_load_zones(struct config *c, char *err, size_t errlen);
void config_free(struct config *c);

/* "1500ms", "2s", "30m", "1h", "180d"; a bare number is seconds. */
int config_duration(const char *s, int64_t *ms);

/* The settings of the device at addr, or NULL. */
const struct cfg_device *config_device(const struct config *c,
    const struct cgn_addr *addr);

/* The embedded default, as text (cgnlogd -p prints it). */
extern const char config_default_text[];

#endif /* CONFIG_H */
