/*
 * fuzz_codec.c - libFuzzer target for the store's block decoder: a shard
 * is the store's own file, but a damaged disk or a file copied in half
 * must give CGN_EMALFORMED, never a crash or rows that break the query's
 * filter. The first byte picks the call (decode all, select by public
 * address and ports, select by inside address) and the reader (libdeflate
 * or zlib); then 16 bytes of address and 4 of ports; the rest is the block.
 * Seeds: blocks of a store bench_store built (run.sh).
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

#define HDR 21

int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	static struct blk_ctx *ctx[2];
	static struct ival *rows;
	static size_t cap;
	struct cgn_addr a;
	uint16_t lo, hi;
	size_t n = 0, i;
	int mode, rc, lib;

	if (ctx[0] == NULL && (blk_ctx_new(1, 0, &ctx[0]) != CGN_OK ||
	    blk_ctx_new(1, 1, &ctx[1]) != CGN_OK))
		abort();
	if (len < HDR)
		return 0;
	mode = buf[0] % 3;
	lib = (buf[0] >> 2) & 1;
	memcpy(a.b, buf + 1, 16);
	lo = (uint16_t)(buf[17] << 8 | buf[18]);
	hi = (uint16_t)(buf[19] << 8 | buf[20]);
	if (mode == 0)
		rc = blk_decode(ctx[lib], buf + HDR, len - HDR, &rows, &n, &cap);
	else if (mode == 1)
		rc = blk_select(ctx[lib], buf + HDR, len - HDR, &a, lo, hi,
		    &rows, &n, &cap);
	else
		rc = blk_select_inside(ctx[lib], buf + HDR, len - HDR, &a,
		    &rows, &n, &cap);
	if (rc != CGN_OK && n != 0)
		abort();	/* a damaged block adds no rows */
	for (i = 0; i < n && mode == 1; i++) {
		/* every row given meets the filter asked */
		if ((!cgn_addr_is_zero(&a) && memcmp(rows[i].outside.b, a.b,
		    16) != 0) || rows[i].port_lo > hi || rows[i].port_hi < lo)
			abort();
	}
	for (i = 0; i < n && mode == 2; i++)
		if (memcmp(rows[i].inside.b, a.b, 16) != 0)
			abort();
	return 0;
}
