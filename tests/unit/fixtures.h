/*
 * fixtures.h - finding and reading the shared real-world fixtures
 * (../shared/fixtures/real) from the unit tests.
 *
 * The fixtures live outside the repository and are never copied into it;
 * a test that needs them calls need_fixtures(), which skips it when fx_dir()
 * returns NULL.
 * Not here: what the fixtures should parse to (the tests say that).
 */
#ifndef FIXTURES_H
#define FIXTURES_H

#include <stddef.h>

/*
 * The fixtures directory (".../shared/fixtures/real"), or NULL if it was not
 * found. Looked for, in order: $CGN_SHARED/fixtures/real ($CGN_SHARED is
 * the shared directory), ../shared/fixtures/real from the current
 * directory, then ../shared/fixtures/real from the executable's directory
 * and each of its parents. The answer is computed once.
 */
const char *fx_dir(void);

/* Read a whole file into a new buffer (free() it), NUL-terminated after
 * *len bytes; NULL if it cannot be read. */
char *fx_read_path(const char *path, size_t *len);

/* The same for a path relative to fx_dir() ("syslog/x.log"). */
char *fx_read(const char *rel, size_t *len);

/* One line of a buffer: no '\n', no trailing '\r'. Points into the buffer. */
struct fx_line {
	const char *p;
	size_t len;
};

/* Split buf into lines; a last line without '\n' counts, an empty tail
 * does not. *lines is a new array (free() it); returns the count, or
 * (size_t)-1 when out of memory. */
size_t fx_lines(const char *buf, size_t len, struct fx_line **lines);

/* Names of the regular files in fx_dir()/sub, sorted; *names is a new
 * array of new strings (fx_names_free()). Returns the count, (size_t)-1 if
 * the directory cannot be read. */
size_t fx_list(const char *sub, char ***names);
void fx_names_free(char **names, size_t n);

/* Skip the calling cmocka test (with a message) when fx_dir() is NULL. */
void need_fixtures(void);

#endif /* FIXTURES_H */
