/*
 * fixtures.c - locate ../shared/fixtures/real and read files from it, for
 * the unit tests (see fixtures.h), and skip a test when it is absent.
 *
 * The tests run from the repository root (make test), from build/ or from
 * anywhere else by hand, so the folder is searched for rather than assumed.
 * Not here: any knowledge of what a fixture contains.
 */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixtures.h"

#define FX_SUFFIX "/fixtures/real"

static char fx_path[PATH_MAX];
static int fx_done;

static int
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* shared is a candidate shared directory; 1 if its fixtures exist. */
static int
try_shared(const char *shared)
{
	char cand[PATH_MAX];

	if (snprintf(cand, sizeof(cand), "%s" FX_SUFFIX, shared) >=
	    (int)sizeof(cand) || !is_dir(cand))
		return 0;
	if (realpath(cand, fx_path) == NULL)
		snprintf(fx_path, sizeof(fx_path), "%s", cand);
	return 1;
}

static int
try_exe_parents(void)
{
	char dir[PATH_MAX], cand[PATH_MAX + 16], *slash;
	ssize_t n;

	if ((n = readlink("/proc/self/exe", dir, sizeof(dir) - 1)) <= 0)
		return 0;
	dir[n] = '\0';
	/* the executable's directory, then each parent up to the root */
	while ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		snprintf(cand, sizeof(cand), "%s/../shared", dir);
		if (try_shared(cand))
			return 1;
	}
	return 0;
}

const char *
fx_dir(void)
{
	const char *env;

	if (fx_done)
		return fx_path[0] != '\0' ? fx_path : NULL;
	fx_done = 1;
	if (((env = getenv("CGN_SHARED")) != NULL && env[0] != '\0' &&
	    try_shared(env)) || try_shared("../shared") || try_exe_parents())
		return fx_path;
	fx_path[0] = '\0';
	return NULL;
}

char *
fx_read_path(const char *path, size_t *len)
{
	FILE *f;
	char *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *
fx_read(const char *rel, size_t *len)
{
	char path[PATH_MAX * 2];
	const char *dir;

	if ((dir = fx_dir()) == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return fx_read_path(path, len);
}

size_t
fx_lines(const char *buf, size_t len, struct fx_line **lines)
{
	struct fx_line *l;
	const char *p = buf, *end = buf + len, *nl;
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		if (buf[i] == '\n')
			n++;
	if (len > 0 && buf[len - 1] != '\n')
		n++;
	if ((l = calloc(n + 1, sizeof(*l))) == NULL)
		return (size_t)-1;
	for (i = 0; p < end; i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		l[i].p = p;
		l[i].len = (size_t)(nl - p);
		if (l[i].len > 0 && p[l[i].len - 1] == '\r')
			l[i].len--;
		p = nl < end ? nl + 1 : end;
	}
	*lines = l;
	return n;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
fx_names_free(char **names, size_t n)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

size_t
fx_list(const char *sub, char ***names)
{
	char path[PATH_MAX * 2], file[PATH_MAX * 3];
	const char *dir;
	struct dirent *de;
	struct stat sb;
	char **v = NULL, **nv;
	size_t n = 0, cap = 0;
	DIR *d;

	if ((dir = fx_dir()) == NULL)
		return (size_t)-1;
	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL)
		return (size_t)-1;
	while ((de = readdir(d)) != NULL) {
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if (de->d_name[0] == '.' || stat(file, &sb) != 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*nv))) == NULL)
				goto oom;
			v = nv;
		}
		if ((v[n] = strdup(de->d_name)) == NULL)
			goto oom;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), name_cmp);
	*names = v;
	return n;
oom:
	closedir(d);
	fx_names_free(v, n);
	return (size_t)-1;
}

void
need_fixtures(void)
{
	if (fx_dir() == NULL) {
		print_message("# ../shared/fixtures/real not found (set "
		    "CGN_SHARED to the shared directory): skipped\n");
		skip();
	}
}
