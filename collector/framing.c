/*
 * framing.c - see framing.h.
 */
#include <string.h>

#include "framing.h"

/* "LEN SP": 1 and the length if the frame starts so; 0 if it is not an
 * octet-counted frame; -1 if more bytes are needed to tell. */
static int
octet_count(const uint8_t *p, size_t len, size_t *flen, size_t *hlen)
{
	size_t i, v = 0;

	if (len == 0)
		return -1;
	if (p[0] < '1' || p[0] > '9')
		return 0;
	for (i = 0; i < len && i < 10; i++) {
		if (p[i] == ' ') {
			*flen = v;
			*hlen = i + 1;
			return 1;
		}
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (size_t)(p[i] - '0');
	}
	return i < 10 ? -1 : 0;
}

/* A line without its CR, or nothing if empty. */
static void
line(const uint8_t *p, size_t ll, framing_fn *msg, void *arg)
{
	while (ll > 0 && (p[ll - 1] == '\r' || p[ll - 1] == '\0'))
		ll--;
	if (ll > 0)
		msg(arg, p, ll);
}

size_t
framing_split(struct framer *fr, const uint8_t *buf, size_t len, size_t max,
    int at_eof, framing_fn *msg, framing_fn *over, void *arg)
{
	size_t off = 0, flen, hlen, n, k;
	const uint8_t *p, *lf;
	int oc;

	while (off < len) {
		p = buf + off;
		n = len - off;
		if (fr->skip > 0) {
			k = n < fr->skip ? n : fr->skip;
			fr->skip -= k;
			off += k;
			continue;
		}
		if (fr->skip_line) {
			if ((lf = memchr(p, '\n', n)) == NULL)
				return len;
			fr->skip_line = 0;
			off += (size_t)(lf - p) + 1;
			continue;
		}
		oc = octet_count(p, n, &flen, &hlen);
		if (oc < 0 && !at_eof)
			break;
		if (oc == 1) {
			if (flen > max) {
				over(arg, p + hlen, n - hlen < max ? n - hlen :
				    max);
				fr->skip = flen;
				off += hlen;
				continue;
			}
			if (n - hlen < flen && !at_eof)
				break;
			if (n - hlen < flen)
				flen = n - hlen;	/* cut short by EOF */
			if (flen > 0)
				msg(arg, p + hlen, flen);
			off += hlen + flen;
			continue;
		}
		if ((lf = memchr(p, '\n', n < max + 1 ? n : max + 1)) != NULL) {
			line(p, (size_t)(lf - p), msg, arg);
			off += (size_t)(lf - p) + 1;
			continue;
		}
		if (n > max) {
			over(arg, p, max);
			fr->skip_line = 1;
			off += max;
			continue;
		}
		if (at_eof) {
			line(p, n, msg, arg);
			off = len;
		}
		break;
	}
	return off;
}
