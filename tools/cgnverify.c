/*
 * cgnverify.c - cgnlog-verify: check a store after a crash, a copy or a
 * disk error. Read-only. Prints one line per shard; exits 0 when every
 * shard is sound, 1 otherwise, 66 when there is no store.
 *
 *   cgnlog-verify [--quiet] STORE_DIR
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "store.h"

static int
line(void *arg, const char *path, int ok, const char *msg)
{
	int quiet = *(int *)arg;

	if (!ok || !quiet)
		printf("%s %s: %s\n", ok ? "ok  " : "BAD ", path, msg);
	return 0;
}

int
main(int argc, char **argv)
{
	struct store_verify_stats vs;
	int quiet = 0, a = 1;

	if (a < argc && strcmp(argv[a], "--quiet") == 0) {
		quiet = 1;
		a++;
	}
	if (argc - a != 1) {
		fprintf(stderr, "usage: cgnlog-verify [--quiet] STORE_DIR\n");
		return EX_USAGE;
	}
	if (store_verify(argv[a], &vs, line, &quiet) != CGN_OK) {
		fprintf(stderr, "cgnlog-verify: %s: cannot read the store\n",
		    argv[a]);
		return EX_NOINPUT;
	}
	printf("%llu shards, %llu bad, %llu blocks, %llu intervals\n",
	    (unsigned long long)vs.shards, (unsigned long long)vs.bad,
	    (unsigned long long)vs.blocks, (unsigned long long)vs.rows);
	return vs.bad == 0 ? 0 : 1;
}
