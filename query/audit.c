/*
 * audit.c - append and read the audit log (see audit.h).
 *
 * Reading needs only our own records back, so the JSON reader here is
 * small: objects, arrays, strings, numbers, true/false/null; anything it
 * cannot read makes the line "malformed", which is shown, not hidden.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "timeconv.h"

static const char *const count_names[Q_NCOUNT] = {
	"unique", "not_found", "ambiguous", "no_coverage", "bad_input",
};

int
q_audit_open(struct q_audit *au, const char *path, char *err, size_t errlen)
{
	au->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (au->fd < 0) {
		snprintf(err, errlen, "cannot open the audit log %s: %s", path,
		    strerror(errno));
		return CGN_EIO;
	}
	snprintf(au->path, sizeof(au->path), "%s", path);
	return CGN_OK;
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
record(FILE *f, const struct q_audit *au, int status)
{
	struct passwd *pw = getpwuid(getuid());
	char t[32], host[256];
	const char *sudo = getenv("SUDO_USER");
	int i;

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	fprintf(f, "{\"time\":\"%s\",\"user\":", tc_fmt(wall_ms(), t,
	    sizeof(t)));
	q_json_str(f, pw != NULL ? pw->pw_name : "?");
	fprintf(f, ",\"uid\":%u,", (unsigned)getuid());
	if (sudo != NULL) {
		fprintf(f, "\"sudo_user\":");
		q_json_str(f, sudo);
		fputc(',', f);
	}
	fprintf(f, "\"host\":");
	q_json_str(f, host);
	fprintf(f, ",\"pid\":%ld,\"cmd\":", (long)getpid());
	q_json_str(f, au->cmd);
	fprintf(f, ",\"args\":[");
	for (i = 0; i < au->argc; i++) {
		if (i)
			fputc(',', f);
		q_json_str(f, au->argv[i]);
	}
	fprintf(f, "],\"reason\":");
	if (au->reason != NULL)
		q_json_str(f, au->reason);
	else
		fprintf(f, "null");
	fprintf(f, ",\"store\":");
	q_json_str(f, au->store != NULL ? au->store : "");
	fprintf(f, ",\"counts\":{");
	for (i = 0; i < Q_NCOUNT; i++)
		fprintf(f, "%s\"%s\":%" PRIu64, i ? "," : "", count_names[i],
		    au->count[i]);
	fprintf(f, "},\"intervals\":%" PRIu64 ",\"exit\":%d}\n",
	    au->intervals, status);
}

int
q_audit_close(struct q_audit *au, int status, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0, off = 0;
	ssize_t n;
	FILE *f;
	int rc = CGN_OK;

	if (au->fd < 0)
		return CGN_OK;
	if ((f = open_memstream(&buf, &len)) == NULL) {
		snprintf(err, errlen, "audit log: %s", strerror(errno));
		close(au->fd);
		au->fd = -1;
		return CGN_EIO;
	}
	record(f, au, status);
	fclose(f);
	/* one write: O_APPEND keeps concurrent records whole */
	while (off < len) {
		if ((n = write(au->fd, buf + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	if (off < len || fsync(au->fd) != 0) {
		snprintf(err, errlen, "cannot write the audit log %s: %s",
		    au->path, strerror(errno));
		rc = CGN_EIO;
	}
	if (close(au->fd) != 0 && rc == CGN_OK) {
		snprintf(err, errlen, "audit log %s: %s", au->path,
		    strerror(errno));
		rc = CGN_EIO;
	}
	au->fd = -1;
	free(buf);
	return rc;
}

/* ---- reading ----------------------------------------------------------- */

/* What a table or CSV row shows of one record. */
struct arec {
	char time[40], user[64], sudo[64], host[128], cmd[32];
	char args[1024], reason[512], counts[160];
	long exit;
	int64_t t_ms;
};

struct jr {
	const char *p, *end;
	int bad;
};

static void
jr_ws(struct jr *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static int
jr_char(struct jr *j, char c)
{
	jr_ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return 1;
	}
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A string into buf (cut to fit; \u escapes above 0x7f become '?'). */
static void
jr_str(struct jr *j, char *buf, size_t len)
{
	size_t n = 0;
	int v, k, h;
	char c;

	if (!jr_char(j, '"')) {
		j->bad = 1;
		return;
	}
	while (j->p < j->end && *j->p != '"') {
		c = *j->p++;
		if (c == '\\') {
			if (j->p >= j->end)
				break;
			c = *j->p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				for (v = 0, k = 0; k < 4; k++) {
					if (j->p >= j->end ||
					    (h = hexval(*j->p++)) < 0) {
						j->bad = 1;
						return;
					}
					v = v * 16 + h;
				}
				c = v < 0x80 ? (char)v : '?';
				break;
			default:
				break;	/* " \ / stand for themselves */
			}
		}
		if (n + 1 < len)
			buf[n++] = c;
	}
	if (!jr_char(j, '"'))
		j->bad = 1;
	if (len > 0)
		buf[n] = '\0';
}

static void jr_skip(struct jr *j);

/* An array of strings, joined by spaces (each quoted if it has one). */
static void
jr_args(struct jr *j, char *buf, size_t len)
{
	char one[512];
	size_t n = 0;

	buf[0] = '\0';
	if (!jr_char(j, '[')) {
		j->bad = 1;
		return;
	}
	if (jr_char(j, ']'))
		return;
	do {
		jr_str(j, one, sizeof(one));
		if (j->bad)
			return;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
		    strchr(one, ' ') || one[0] == '\0' ? "%s'%s'" : "%s%s",
		    n ? " " : "", one);
	} while (jr_char(j, ','));
	if (!jr_char(j, ']'))
		j->bad = 1;
}

/* {"unique":1,...} as "unique=1 not_found=0 ...", zeros left out. */
static void
jr_counts(struct jr *j, char *buf, size_t len)
{
	char key[32];
	long long v;
	char *endp;
	size_t n = 0;

	buf[0] = '\0';
	if (!jr_char(j, '{')) {
		j->bad = 1;
		return;
	}
	if (jr_char(j, '}'))
		return;
	do {
		jr_str(j, key, sizeof(key));
		if (j->bad || !jr_char(j, ':')) {
			j->bad = 1;
			return;
		}
		jr_ws(j);
		v = strtoll(j->p, &endp, 10);
		if (endp == j->p || endp > j->end) {
			j->bad = 1;
			return;
		}
		j->p = endp;
		if (v != 0)
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
			    "%s%s=%lld", n ? " " : "", key, v);
	} while (jr_char(j, ','));
	if (!jr_char(j, '}'))
		j->bad = 1;
}

static void
jr_skip(struct jr *j)
{
	char tmp[8];

	jr_ws(j);
	if (j->p >= j->end) {
		j->bad = 1;
		return;
	}
	if (*j->p == '"') {
		jr_str(j, tmp, sizeof(tmp));
	} else if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';

		j->p++;
		if (jr_char(j, close))
			return;
		do {
			if (close == '}') {
				jr_str(j, tmp, sizeof(tmp));
				if (!jr_char(j, ':'))
					j->bad = 1;
			}
			jr_skip(j);
		} while (!j->bad && jr_char(j, ','));
		if (!jr_char(j, close))
			j->bad = 1;
	} else {
		/* number, true, false, null */
		while (j->p < j->end && strchr(",}] \t\r\n", *j->p) == NULL)
			j->p++;
	}
}

static int
parse_rec(const char *line, size_t len, struct arec *r)
{
	struct jr j = { line, line + len, 0 };
	char key[32], *endp;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->exit = -1;
	if (!jr_char(&j, '{'))
		return -1;
	do {
		jr_str(&j, key, sizeof(key));
		if (j.bad || !jr_char(&j, ':'))
			return -1;
		jr_ws(&j);
		if (strcmp(key, "time") == 0)
			jr_str(&j, r->time, sizeof(r->time));
		else if (strcmp(key, "user") == 0)
			jr_str(&j, r->user, sizeof(r->user));
		else if (strcmp(key, "sudo_user") == 0)
			jr_str(&j, r->sudo, sizeof(r->sudo));
		else if (strcmp(key, "host") == 0)
			jr_str(&j, r->host, sizeof(r->host));
		else if (strcmp(key, "cmd") == 0)
			jr_str(&j, r->cmd, sizeof(r->cmd));
		else if (strcmp(key, "args") == 0)
			jr_args(&j, r->args, sizeof(r->args));
		else if (strcmp(key, "reason") == 0 && j.p < j.end &&
		    *j.p == '"')
			jr_str(&j, r->reason, sizeof(r->reason));
		else if (strcmp(key, "counts") == 0)
			jr_counts(&j, r->counts, sizeof(r->counts));
		else if (strcmp(key, "exit") == 0) {
			r->exit = strtol(j.p, &endp, 10);
			if (endp == j.p || endp > j.end)
				return -1;
			j.p = endp;
		} else
			jr_skip(&j);
		if (j.bad)
			return -1;
	} while (jr_char(&j, ','));
	if (!jr_char(&j, '}'))
		return -1;
	jr_ws(&j);
	n = strlen(r->time);
	if (j.p != j.end || r->cmd[0] == '\0' ||
	    tc_parse_rfc3339(r->time, n, &r->t_ms, &(int){ 0 }) != n)
		return -1;
	return 0;
}

static void
print_rec(FILE *out, enum q_format fmt, const struct arec *r,
    const char *line, size_t len, int *first)
{
	char who[300], head[400];

	switch (fmt) {
	case Q_JSON:
		fprintf(out, "%s%.*s", *first ? "" : ",\n", (int)len, line);
		break;
	case Q_CSV:
		q_csv_field(out, r->time);
		fputc(',', out);
		q_csv_field(out, r->user);
		fputc(',', out);
		q_csv_field(out, r->host);
		fputc(',', out);
		q_csv_field(out, r->cmd);
		fputc(',', out);
		q_csv_field(out, r->args);
		fputc(',', out);
		q_csv_field(out, r->reason);
		fputc(',', out);
		q_csv_field(out, r->counts);
		fprintf(out, ",%ld\n", r->exit);
		break;
	default:
		snprintf(who, sizeof(who), "%.63s%s%.63s@%.127s", r->user,
		    r->sudo[0] ? " via sudo by " : "", r->sudo, r->host);
		snprintf(head, sizeof(head), "%.19sZ %.100s: %.250s", r->time,
		    who, r->args);
		if (strlen(head) > 79)
			memcpy(head + 76, "...", 4);
		fprintf(out, "%s\n    exit %ld%s%s%s%s\n", head, r->exit,
		    r->counts[0] ? ", " : "", r->counts, r->reason[0] ?
		    ", reason: " : "", r->reason);
		break;
	}
	*first = 0;
}

int
q_audit_print(FILE *out, enum q_format fmt, const char *path,
    int64_t from_ms, int64_t to_ms, size_t *bad, char *err, size_t errlen)
{
	struct arec r;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	FILE *f;
	int first = 1;

	*bad = 0;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read the audit log %s: %s", path,
		    strerror(errno));
		return CGN_EIO;
	}
	if (fmt == Q_JSON)
		fprintf(out, "[\n");
	else if (fmt == Q_CSV)
		fprintf(out, "time,user,host,cmd,args,reason,counts,exit\n");
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if (parse_rec(line, (size_t)n, &r) != 0) {
			(*bad)++;
			fprintf(stderr, "cgnq: %s:%zu: not an audit record:"
			    " %.*s\n", path, lineno, (int)(n > 200 ? 200 : n),
			    line);
			continue;
		}
		if (r.t_ms < from_ms || r.t_ms > to_ms)
			continue;
		print_rec(out, fmt, &r, line, (size_t)n, &first);
	}
	if (fmt == Q_JSON)
		fprintf(out, "%s]\n", first ? "" : "\n");
	free(line);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		return CGN_EIO;
	}
	fclose(f);
	return CGN_OK;
}
