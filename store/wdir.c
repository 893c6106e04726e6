/*
 * wdir.c - the store directory as the writer sees it: made at open, made
 * again if it vanishes under a running collector, pruned by retention
 * (whole shard files, with their -wal, -shm and a seal's left-over
 * copy).
 * Not here: what goes into a shard (wshard.c, shard.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shard.h"
#include "wshard.h"
#include "writer.h"

int
store_mkdirs(const char *path)
{
	char tmp[512], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * The store directory must still be the one we write into. If it was
 * removed (or replaced), the shard files we hold are gone with it: say so,
 * make it again, and write the queued rows into new files.
 */
int
wr_check_root(struct store *st)
{
	struct stat sb;
	int i;

	if (stat(st->root, &sb) == 0 && sb.st_dev == st->root_st.st_dev &&
	    sb.st_ino == st->root_st.st_ino)
		return CGN_OK;
	if (store_mkdirs(st->root) != 0 || stat(st->root, &sb) != 0)
		return wr_fail(st, CGN_EIO, "store directory %s is gone and"
		    " cannot be made again: %s", st->root, strerror(errno));
	wr_notice(st, "store directory %s vanished: made it again; what was"
	    " written there before is lost, what is queued is written now",
	    st->root);
	st->root_st = sb;
	for (i = 0; i < st->nws; i++)
		wshard_release_file(st->ws[i]);
	return CGN_OK;
}

/* wr_retention()'s scan: shards ending before limit go (shard_scan_fn). */
struct prune {
	struct store *st;
	int64_t limit;
};

static int
prune_shard(void *arg, const char *name, int64_t start, int64_t per)
{
	struct prune *pr = arg;
	struct store *st = pr->st;
	char path[1024];

	if (start + per > pr->limit)
		return CGN_OK;
	snprintf(path, sizeof(path), "%s/%s", st->root, name);
	if (unlink(path) == 0)
		wr_notice(st, "retention: deleted %s (older than %lld s)",
		    path, (long long)(st->o.retention_ms / 1000));
	snprintf(path, sizeof(path), "%s/%s-wal", st->root, name);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s-shm", st->root, name);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s" SHARD_SEALING, st->root, name);
	unlink(path);
	return CGN_OK;
}

void
wr_retention(struct store *st)
{
	struct prune pr;

	if (st->o.retention_ms <= 0 ||
	    st->clock - st->last_retention < 60000)
		return;
	st->last_retention = st->clock;
	pr.st = st;
	pr.limit = st->clock - st->o.retention_ms;
	/* a root that does not open has nothing to prune */
	(void)shard_scan(st->root, prune_shard, &pr);
}
