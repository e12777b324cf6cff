// SPDX-License-Identifier: GPL-2.0
/*
 * The classic UML COW format (<uml/cow.h>): headers and bitmaps,
 * pure logic with no I/O, used by the host half of ubd and by the unit
 * tests in tests/unit/.  Fields are decoded byte by byte so that the
 * code does not depend on structure packing or on the host's byte order.
 */
#include <string.h>
#include <uml/cow.h>

/* byte offsets of the fields */
#define V12_PATH	8
#define V3_MTIME	8
#define V3_SIZE		12
#define V3_SECTOR	20
#define V3_ALIGN	24
#define V3_FORMAT	28
#define V3_PATH		32

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | *p++;
	return v;
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

/* v1 and v2 were written in the byte order of the machine: little-endian */
static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

static void put_le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++, v >>= 8)
		p[i] = v & 0xff;
}

static uint64_t round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

int cow_is_cow(const void *buf, size_t len)
{
	return len >= 4 && (get_be(buf, 4) == COW_MAGIC ||
			    get_le(buf, 4) == COW_MAGIC);
}

uint64_t cow_bitmap_len(unsigned int version, uint64_t size,
			uint32_t sectorsize)
{
	uint64_t sectors = (size + sectorsize - 1) / sectorsize;

	(void)version;	/* one layout for all versions, kept for clarity */

	return (sectors + 7) / 8;
}

static void layout(struct cow_info *info, uint64_t bitmap_offset)
{
	info->bitmap_offset = bitmap_offset;
	info->bitmap_len = cow_bitmap_len(info->version, info->size,
					  info->sectorsize);
	info->data_offset = round_up(bitmap_offset + info->bitmap_len,
				     info->align);
}

static const char *copy_path(struct cow_info *info, const unsigned char *p,
			     size_t room)
{
	size_t n = strnlen((const char *)p, room);

	if (n == room)
		return "backing file name not terminated";
	if (!n)
		return "no backing file name";
	memcpy(info->backing, p, n);
	info->backing[n] = 0;
	return NULL;
}

const char *cow_parse(const void *buf, size_t len, struct cow_info *info)
{
	const unsigned char *b = buf;
	const char *err;
	uint32_t version;
	int be;

	memset(info, 0, sizeof(*info));
	if (len < 8 || !cow_is_cow(b, len))
		return "no COW header (bad magic)";
	be = get_be(b, 4) == COW_MAGIC;
	version = be ? get_be(b + 4, 4) : get_le(b + 4, 4);
	info->version = version;
	switch (version) {
	case 1:
	case 2: {
		size_t path = version == 1 ? COW_PATH_V1 : COW_PATH_V3;
		size_t hsize = version == 1 ? COW_HDR_V1_SIZE : COW_HDR_V2_SIZE;
		const unsigned char *t = b + V12_PATH + path;

		if (len < hsize)
			return "COW header truncated";
		if (be)
			return "COW header of version 1/2 in big-endian order";
		err = copy_path(info, b + V12_PATH, path);
		if (err)
			return err;
		info->mtime = get_le(t, 4);
		info->size = get_le(t + 4, 8);
		info->sectorsize = get_le(t + 12, 4);
		info->align = info->sectorsize;
		if (info->sectorsize != COW_SECTOR)
			return "COW header: sector size is not 512";
		layout(info, hsize);
		return NULL;
	}
	case 3:
		if (len < COW_HDR_V3_SIZE)
			return "COW header truncated";
		if (!be)
			return "COW header of version 3 in little-endian order";
		info->mtime = get_be(b + V3_MTIME, 4);
		info->size = get_be(b + V3_SIZE, 8);
		info->sectorsize = get_be(b + V3_SECTOR, 4);
		info->align = get_be(b + V3_ALIGN, 4);
		if (info->sectorsize != COW_SECTOR)
			return "COW header: sector size is not 512";
		if (!info->align || info->align > (1U << 20) ||
		    (info->align & (info->align - 1)))
			return "COW header: bad alignment";
		if (get_be(b + V3_FORMAT, 4) != 0)
			return "COW header: unknown COW format (not a bitmap)";
		err = copy_path(info, b + V3_PATH, COW_PATH_V3);
		if (err)
			return err;
		layout(info, round_up(COW_HDR_V3_SIZE, info->align));
		return NULL;
	default:
		return "COW header: unknown version";
	}
}

const char *cow_build(void *buf, const char *backing, uint64_t mtime,
		      uint64_t size, struct cow_info *info)
{
	unsigned char *b = buf;
	size_t n = strlen(backing);

	if (!n || n >= COW_PATH_V3)
		return "backing file name empty or too long";
	memset(b, 0, COW_HDR_V3_SIZE);
	put_be(b, COW_MAGIC, 4);
	put_be(b + 4, 3, 4);
	put_be(b + V3_MTIME, mtime, 4);
	put_be(b + V3_SIZE, size, 8);
	put_be(b + V3_SECTOR, COW_SECTOR, 4);
	put_be(b + V3_ALIGN, COW_ALIGN, 4);
	put_be(b + V3_FORMAT, 0, 4);
	memcpy(b + V3_PATH, backing, n);
	return cow_parse(b, COW_HDR_V3_SIZE, info);
}

const char *cow_set_backing(void *buf, const struct cow_info *info,
			    const char *backing)
{
	unsigned char *b = buf;
	size_t room = info->version == 1 ? COW_PATH_V1 : COW_PATH_V3;
	size_t off = info->version == 3 ? V3_PATH : V12_PATH;
	size_t n = strlen(backing);

	if (!n || n >= room)
		return "backing file name empty or too long for this COW file";
	memset(b + off, 0, room);
	memcpy(b + off, backing, n);
	return NULL;
}

void cow_set_stamp(void *buf, const struct cow_info *info, uint64_t mtime,
		   uint64_t size)
{
	unsigned char *b = buf;

	if (info->version == 3) {
		put_be(b + V3_MTIME, mtime, 4);
		put_be(b + V3_SIZE, size, 8);
	} else {
		unsigned char *t = b + V12_PATH +
			(info->version == 1 ? COW_PATH_V1 : COW_PATH_V3);

		put_le(t, mtime, 4);
		put_le(t + 4, size, 8);
	}
}

uint64_t cow_run(const unsigned char *bitmap, uint64_t s, uint64_t max,
		 int *in_cow)
{
	int v = cow_test(bitmap, s);
	uint64_t n = 1;

	*in_cow = v;
	while (n < max) {
		uint64_t t = s + n;

		/* whole bytes at a time where possible */
		if (!(t & 7) && max - n >= 8 &&
		    bitmap[t >> 3] == (v ? 0xff : 0)) {
			n += 8;
			continue;
		}
		if (cow_test(bitmap, t) != v)
			break;
		n++;
	}
	return n;
}

void cow_mark(unsigned char *bitmap, uint64_t s, uint64_t n,
	      uint64_t *first, uint64_t *last)
{
	uint64_t i, lo = 0, hi = 0;

	for (i = s; i < s + n; i++) {
		unsigned char bit = 1 << (i & 7);

		if (bitmap[i >> 3] & bit)
			continue;
		bitmap[i >> 3] |= bit;
		if (lo == hi)
			lo = i >> 3;
		hi = (i >> 3) + 1;
	}
	*first = lo;
	*last = hi;
}
