/*
 * wresume.c - restart: the open allocations of the newest shards are taken
 * up into the pairing table, so a release after a restart closes what was
 * open before it.
 *
 * Shards are read newest first; a record (open or closed) in a newer shard
 * wins over an open one in an older shard. Not here: pairing (pair.c),
 * what the shards hold (shard.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "pair.h"
#include "shard.h"
#include "strtab.h"
#include "wshard.h"
#include "writer.h"

/* A closed allocation seen in a newer shard: the same key (with a
 * session's destination) and start still open in an older one is not to
 * be taken up. */
static uint64_t
closed_key(const struct ival *iv, uint32_t dev)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)iv->start_ms;
	size_t i;

	for (i = 0; i < sizeof(iv->outside.b); i++)
		h = (h ^ iv->outside.b[i]) * 0x100000001b3ULL;
	/* a session's destination: sessions differing in it are two */
	for (i = 0; i < sizeof(iv->dst.b); i++)
		h = (h ^ iv->dst.b[i]) * 0x100000001b3ULL;
	h = (h ^ iv->dst_port) * 0x100000001b3ULL;
	h = (h ^ ((uint64_t)dev << 32 | (uint64_t)iv->port_lo << 16 |
	    (uint64_t)iv->kind << 8 | iv->proto)) * 0xff51afd7ed558ccdULL;
	return h ^ h >> 29;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct resume_ctx {
	uint64_t *closed;	/* closed_key of closed rows, newer shards */
	size_t nclosed, capclosed;
	size_t sorted;		/* closed[0..sorted) is sorted */
	struct ival *rows;
	size_t cap;
};

/* Take up the open allocations of one shard (period p); newer shards were
 * read before, so what they hold (open or closed) wins. */
static int
resume_shard(struct store *st, struct resume_ctx *rc_, const char *path,
    int64_t start, int64_t per, uint32_t p)
{
	char err[512], name[CGN_NAMELEN];
	struct shard *sh = NULL;
	size_t n = 0, i, k;
	uint32_t dev, sub;
	uint64_t key, *nk;
	int rc;

	if ((rc = shard_open(path, start, start + per, 0, &sh, err,
	    sizeof(err))) != CGN_OK)
		return wr_fail(st, rc, "%s", err);
	if ((rc = wshard_read_all(sh, st->ctx, &rc_->rows, &n, &rc_->cap)) !=
	    CGN_OK) {
		wr_fail(st, rc, "%s: reading blocks: %s", path,
		    shard_errmsg(sh));
		goto out;
	}
	n = ival_merge(rc_->rows, n);
	k = rc_->nclosed;
	for (i = 0; i < n; i++) {
		struct ival *iv = &rc_->rows[i];

		shard_dev_name(sh, iv->dev, name, sizeof(name));
		if ((rc = strtab_id(st->devs, name[0] ? name : "unknown",
		    &dev)) != CGN_OK)
			goto out;
		key = closed_key(iv, dev);
		if (!(iv->flags & STORE_F_OPEN)) {
			if (k == rc_->capclosed) {
				rc_->capclosed = k ? k * 2 : 1024;
				nk = realloc(rc_->closed, rc_->capclosed *
				    sizeof(*nk));
				if (nk == NULL) {
					rc = wr_fail(st, CGN_ENOMEM,
					    "out of memory");
					goto out;
				}
				rc_->closed = nk;
			}
			rc_->closed[k++] = key;
			continue;
		}
		if (rc_->sorted > 0 && bsearch(&key, rc_->closed, rc_->sorted,
		    sizeof(key), cmp_u64) != NULL)
			continue;	/* closed in a newer period */
		sub = 0;
		if (iv->sub != 0) {
			shard_sub_name(sh, iv->sub, name, sizeof(name));
			if (name[0] && (rc = strtab_id(st->subs, name,
			    &sub)) != CGN_OK)
				goto out;
		}
		iv->dev = dev;
		iv->sub = sub;
		if ((rc = pair_resume(st->pair, iv, p)) != CGN_OK)
			goto out;
	}
	rc_->nclosed = k;
	if (k > 0)	/* closed is NULL until the first closed row */
		qsort(rc_->closed, k, sizeof(*rc_->closed), cmp_u64);
	rc_->sorted = k;
	rc = CGN_OK;
out:
	shard_close(sh);
	return rc;
}

struct shard_ent {
	int64_t start, per;
	char name[256];
};

/* wr_resume()'s scan: the shards found so far (shard_scan_fn). */
struct resume_shards {
	struct shard_ent *v;
	size_t n, cap;
};

static int
resume_found(void *arg, const char *name, int64_t start, int64_t per)
{
	struct resume_shards *l = arg;
	struct shard_ent *nv;

	if (strlen(name) >= sizeof(l->v->name))
		return CGN_OK;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((nv = realloc(l->v, l->cap * sizeof(*nv))) == NULL)
			return CGN_ENOMEM;
		l->v = nv;
	}
	l->v[l->n].start = start;
	l->v[l->n].per = per;
	snprintf(l->v[l->n].name, sizeof(l->v[l->n].name), "%s", name);
	l->n++;
	return CGN_OK;
}

static int
cmp_shard_newest(const void *a, const void *b)
{
	const struct shard_ent *x = a, *y = b;

	return x->start < y->start ? 1 : x->start > y->start ? -1 : 0;
}

/*
 * Take up the open allocations of the newest shards: the newest, and the
 * older ones within the longest age an allocation may keep without news,
 * because a device whose clock lags (a backfill, a delayed relay) has its
 * open allocations in the period of its own clock.
 */
int
wr_resume(struct store *st)
{
	struct resume_ctx c;
	struct resume_shards sl = { NULL, 0, 0 };
	struct shard_ent *sv;
	size_t ns, i;
	int64_t window, oldest;
	char path[1024];
	uint32_t p, p0 = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = shard_scan(st->root, resume_found, &sl)) == CGN_EIO)
		rc = wr_fail(st, rc, "%s: %s", st->root, strerror(errno));
	else if (rc != CGN_OK)
		rc = wr_fail(st, rc, "out of memory");
	sv = sl.v;
	ns = sl.n;
	if (rc != CGN_OK || ns == 0)
		goto out;
	qsort(sv, ns, sizeof(*sv), cmp_shard_newest);
	window = st->o.max_age_ms > st->o.session_idle_ms ?
	    st->o.max_age_ms : st->o.session_idle_ms;
	oldest = sv[0].start - window;
	for (i = 0; i < ns && rc == CGN_OK; i++) {
		if (i > 0 && sv[i].start + sv[i].per <= oldest)
			break;
		/* a compacted day shard counts as its last period */
		p = sv[i].per == st->o.period_ms ?
		    wr_period(st, sv[i].start) :
		    wr_period(st, sv[i].start + sv[i].per - 1);
		if (i == 0)
			p0 = p;
		snprintf(path, sizeof(path), "%s/%s", st->root, sv[i].name);
		rc = resume_shard(st, &c, path, sv[i].start, sv[i].per, p);
	}
	if (rc != CGN_OK)
		goto out;
	st->cur = p0;
	st->resumed = 1;
	wr_notice(st, "resumed %zu open allocations from %s/%s and %zu older"
	    " shards", pair_count(st->pair), st->root, sv[0].name, i - 1);
out:
	free(c.closed);
	free(c.rows);
	free(sv);
	return rc;
}
