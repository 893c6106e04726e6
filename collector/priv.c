/*
 * priv.c - root to the configured user (see priv.h).
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgn.h"
#include "priv.h"
#include "store.h"

int
priv_plan(const char *user, int explicit, struct priv *p, char *warn,
    size_t warnlen, char *err, size_t errlen)
{
	struct passwd *pw;

	memset(p, 0, sizeof(*p));
	warn[0] = '\0';
	if (geteuid() != 0 || user == NULL || user[0] == '\0' ||
	    strcmp(user, "root") == 0)
		return CGN_OK;
	if ((pw = getpwnam(user)) == NULL) {
		if (explicit) {
			snprintf(err, errlen, "user '%s' does not exist", user);
			return CGN_EINVAL;
		}
		snprintf(warn, warnlen, "user '%s' does not exist (make"
		    " install creates it): running as root", user);
		return CGN_OK;
	}
	p->drop = 1;
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	snprintf(p->user, sizeof(p->user), "%s", user);
	return CGN_OK;
}

int
priv_prepare_dir(const struct priv *p, const char *dir, char *err,
    size_t errlen)
{
	char path[1024];
	struct dirent *de;
	DIR *d;

	if (store_mkdirs(dir) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return CGN_EIO;
	}
	if (!p->drop)
		return CGN_OK;
	if (chown(dir, p->uid, p->gid) != 0 || chmod(dir, 0750) != 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return CGN_EIO;
	}
	/* shards, WAL files, the reject file, cgnq's audit log */
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return CGN_EIO;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (chown(path, p->uid, p->gid) != 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			closedir(d);
			return CGN_EIO;
		}
	}
	closedir(d);
	return CGN_OK;
}

int
priv_drop(const struct priv *p, char *err, size_t errlen)
{
	if (!p->drop)
		return CGN_OK;
	if (setgroups(1, &p->gid) != 0 || setresgid(p->gid, p->gid, p->gid) !=
	    0 || setresuid(p->uid, p->uid, p->uid) != 0) {
		snprintf(err, errlen, "becoming %s: %s", p->user,
		    strerror(errno));
		return CGN_EIO;
	}
	/* there must be no way back */
	if (setuid(0) == 0 || geteuid() != p->uid || getegid() != p->gid) {
		snprintf(err, errlen, "becoming %s: root could be regained",
		    p->user);
		return CGN_EIO;
	}
	return CGN_OK;
}
