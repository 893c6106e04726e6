/*
 * priv.h - giving up root. cgnlogd opens its sockets (ports below 1024,
 * NFLOG groups, capture interfaces) as root, makes the store directory its
 * user's, and then becomes that user before it reads a single message.
 */
#ifndef PRIV_H
#define PRIV_H

#include <stddef.h>
#include <sys/types.h>

struct priv {
	int drop;		/* 1: switch to uid/gid */
	uid_t uid;
	gid_t gid;
	char user[64];
};

/*
 * Decide what to become. Not root: nothing to do. Root and user names an
 * account: drop to it. Root and the account does not exist: an error if
 * the user was configured explicitly (explicit); else keep root with a
 * warning in *warn (the default "cgnlog" before make install created it).
 * user "root" or "" keeps root.
 */
int priv_plan(const char *user, int explicit, struct priv *p, char *warn,
    size_t warnlen, char *err, size_t errlen);

/* Create dir (and parents) if missing and give dir and the files in it to
 * the user (0750 for the directory). */
int priv_prepare_dir(const struct priv *p, const char *dir, char *err,
    size_t errlen);

/* Become the user: supplementary groups, gid, uid; verified. */
int priv_drop(const struct priv *p, char *err, size_t errlen);

#endif /* PRIV_H */
