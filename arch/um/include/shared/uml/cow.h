/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The classic UML copy-on-write (COW) file format, and the pure logic
 * that reads and writes it (arch/um/drivers/block/cow.c).
 *
 * A COW file is a header, a bitmap with one bit per sector of the disk
 * (bit set: the sector's data is in the COW file; clear: read it from the
 * backing file) and the data area, where sector S lives at
 * data_offset + S * sectorsize.  Bit S is bit (S % 8), counted from the
 * least significant, of bitmap byte S / 8.
 *
 * Headers (all packed, the magic first):
 *   v1: magic, version (host order, 32 bits each), backing path (256
 *       bytes), mtime (u32), size (u64), sectorsize (s32), all host order;
 *   v2: the same with a 4096-byte path;
 *   v3: magic, version, mtime (u32), size (u64), sectorsize (u32),
 *       alignment (u32), format (u32, 0 = bitmap), path (4096 bytes),
 *       all numbers big-endian.
 * v1/v2: the bitmap follows the header and the data starts at the next
 * sector boundary.  v3: the bitmap starts at the header size rounded up
 * to the alignment, and the data at the bitmap's end rounded up likewise.
 * New files are v3 with 512-byte sectors and 4096-byte alignment, the
 * file's length being data_offset + size (sparse), as the classic tools
 * make them.
 *
 * This header is plain C: it is used by the kernel's host half and by the
 * host-compiled unit tests (tests/unit/).
 */
#ifndef __UML_COW_H
#define __UML_COW_H

#include <stddef.h>
#include <stdint.h>

#define COW_MAGIC		0x4f4f4f4dU	/* "OOOM" read big-endian */
#define COW_PATH_V1		256
#define COW_PATH_V3		4096
#define COW_HDR_V1_SIZE		(4 + 4 + COW_PATH_V1 + 4 + 8 + 4)
#define COW_HDR_V2_SIZE		(4 + 4 + COW_PATH_V3 + 4 + 8 + 4)
#define COW_HDR_V3_SIZE		(4 + 4 + 4 + 8 + 4 + 4 + 4 + COW_PATH_V3)
#define COW_HDR_MAX		COW_HDR_V3_SIZE	/* the largest */
#define COW_SECTOR		512
#define COW_ALIGN		4096

/**
 * struct cow_info - a COW file's header, decoded, and its layout
 * @version:       1, 2 or 3
 * @backing:       the backing file's path, NUL-terminated
 * @mtime:         the backing file's mtime when the COW file was made
 * @size:          the disk's size in bytes (the backing file's size)
 * @sectorsize:    bytes per bitmap bit
 * @align:         v3 alignment of bitmap and data (sectorsize for v1/v2)
 * @bitmap_offset: where the bitmap starts in the file
 * @bitmap_len:    its length in bytes
 * @data_offset:   where sector 0's data is
 */
struct cow_info {
	unsigned int version;
	char backing[COW_PATH_V3 + 1];
	uint64_t mtime;
	uint64_t size;
	uint32_t sectorsize;
	uint32_t align;
	uint64_t bitmap_offset;
	uint64_t bitmap_len;
	uint64_t data_offset;
};

/**
 * cow_is_cow() - does @buf (@len bytes from the file's start) begin with
 * a COW magic number, in either byte order?
 */
int cow_is_cow(const void *buf, size_t len);

/**
 * cow_parse() - decode a header
 * @buf:  the file's first bytes
 * @len:  how many (at most the file's length)
 * @info: filled in, layout included
 * Return: NULL, or a message saying what is wrong (truncated header,
 * unknown version, bad sector size or alignment, path not terminated).
 */
const char *cow_parse(const void *buf, size_t len, struct cow_info *info);

/**
 * cow_build() - make a version 3 header and its layout
 * @buf:     at least COW_HDR_V3_SIZE bytes, filled with the header
 * @backing: the backing file's path (at most COW_PATH_V3 - 1 bytes)
 * @mtime:   its mtime (seconds)
 * @size:    its size in bytes
 * @info:    filled in as cow_parse() would
 * Return: NULL, or a message (path too long).
 */
const char *cow_build(void *buf, const char *backing, uint64_t mtime,
		      uint64_t size, struct cow_info *info);

/**
 * cow_set_backing() - rewrite the path of the header in @buf (as read
 * from a file of @info's version) to @backing
 * Return: NULL, or a message (path too long for this version).
 */
const char *cow_set_backing(void *buf, const struct cow_info *info,
			    const char *backing);

/** cow_set_stamp() - rewrite mtime and size in the header in @buf */
void cow_set_stamp(void *buf, const struct cow_info *info, uint64_t mtime,
		   uint64_t size);

/** cow_bitmap_len() - bitmap bytes for @size bytes in @version's layout */
uint64_t cow_bitmap_len(unsigned int version, uint64_t size,
			uint32_t sectorsize);

/** cow_test() - is sector @s in the COW file? */
static inline int cow_test(const unsigned char *bitmap, uint64_t s)
{
	return (bitmap[s >> 3] >> (s & 7)) & 1;
}

/**
 * cow_run() - length of the run of sectors starting at @s, at most @max,
 * that all have the bit value of sector @s (stored in *@in_cow)
 */
uint64_t cow_run(const unsigned char *bitmap, uint64_t s, uint64_t max,
		 int *in_cow);

/**
 * cow_mark() - set the bits of @n sectors from @s
 * @first, @last: set to the first and one past the last bitmap byte that
 *                changed; equal when nothing changed
 */
void cow_mark(unsigned char *bitmap, uint64_t s, uint64_t n,
	      uint64_t *first, uint64_t *last);

#endif
