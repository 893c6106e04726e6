/*
 * spool_crc.h - CRC32C (Castagnoli, as iSCSI and ext4 use it) for the
 * spool's records: the SSE4.2 crc32 instruction where the CPU has it,
 * else a table, same values either way.
 *
 * Not a defence against someone who writes the file: it finds damage.
 */
#ifndef SPOOL_CRC_H
#define SPOOL_CRC_H

#include <stddef.h>
#include <stdint.h>

/* crc of the n bytes at p, continuing crc (0 to start; the result of
 * one call continues into the next, as zlib's crc32() does). */
uint32_t spool_crc(uint32_t crc, const void *p, size_t n);
/* The same by the table, whatever the CPU (for the tests). */
uint32_t spool_crc_table(uint32_t crc, const void *p, size_t n);

#endif /* SPOOL_CRC_H */
