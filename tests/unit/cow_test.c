// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the COW format logic (arch/um/drivers/block/cow.c), built
 * for the host by tests/test_block.py:test_cow_format_unit.  Prints one
 * line a check and "N passed, N failed" at the end; exits non-zero when
 * any failed.
 */
#include <stdio.h>
#include <string.h>
#include <uml/cow.h>

static int passed, failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
	}								\
} while (0)

static unsigned char buf[8192];

/* the bytes uml_mkcow writes for a 64 MiB backing file (checked by hand) */
static void test_v3_layout(void)
{
	struct cow_info ci;
	static const unsigned char head[] = {
		0x4f, 0x4f, 0x4f, 0x4d, 0, 0, 0, 3,	/* magic, version */
		0x6b, 0x06, 0xf3, 0x8f,			/* mtime */
		0, 0, 0, 0, 0x04, 0, 0, 0,		/* size 64 MiB */
		0, 0, 0x02, 0,				/* sector 512 */
		0, 0, 0x10, 0,				/* align 4096 */
		0, 0, 0, 0,				/* format 0 */
		'/', 'b', '.', 'i', 'm', 'g', 0,
	};

	CHECK(cow_build(buf, "/b.img", 0x6b06f38f, 64 << 20, &ci) == NULL);
	CHECK(memcmp(buf, head, sizeof(head)) == 0);
	CHECK(ci.version == 3);
	CHECK(ci.bitmap_offset == 8192);
	CHECK(ci.bitmap_len == 16384);
	CHECK(ci.data_offset == 24576);
	CHECK(!strcmp(ci.backing, "/b.img"));

	memset(&ci, 0xff, sizeof(ci));
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) == NULL);
	CHECK(ci.mtime == 0x6b06f38f && ci.size == 64 << 20);
	CHECK(ci.sectorsize == 512 && ci.align == 4096);
	CHECK(ci.data_offset == 24576);
	/* an odd size: the bitmap rounds up to whole bytes and sectors */
	CHECK(cow_build(buf, "/x", 0, 512 * 9 + 100, &ci) == NULL);
	CHECK(ci.bitmap_len == 2 && ci.data_offset == 12288);
}

static void test_v1_v2(void)
{
	struct cow_info ci;

	/* v2: host (little-endian) order, 4096-byte path */
	memset(buf, 0, sizeof(buf));
	buf[0] = 0x4d; buf[1] = 0x4f; buf[2] = 0x4f; buf[3] = 0x4f;
	buf[4] = 2;
	strcpy((char *)buf + 8, "/old/backing");
	buf[8 + 4096] = 0x10;			/* mtime 0x10 */
	buf[8 + 4096 + 4 + 2] = 0x10;		/* size 1 MiB */
	buf[8 + 4096 + 12 + 1] = 2;		/* sector 512 */
	CHECK(cow_is_cow(buf, 8));
	CHECK(cow_parse(buf, COW_HDR_V2_SIZE, &ci) == NULL);
	CHECK(ci.version == 2 && ci.mtime == 0x10 && ci.size == 1 << 20);
	CHECK(!strcmp(ci.backing, "/old/backing"));
	CHECK(ci.bitmap_offset == COW_HDR_V2_SIZE);
	CHECK(ci.bitmap_len == 256);
	CHECK(ci.data_offset == 4608);		/* 4120 + 256 -> 4608 */
	CHECK(cow_parse(buf, COW_HDR_V2_SIZE - 1, &ci) != NULL);

	/* v1: 256-byte path */
	memset(buf, 0, sizeof(buf));
	buf[0] = 0x4d; buf[1] = 0x4f; buf[2] = 0x4f; buf[3] = 0x4f;
	buf[4] = 1;
	strcpy((char *)buf + 8, "b");
	buf[8 + 256 + 4 + 2] = 0x10;
	buf[8 + 256 + 12 + 1] = 2;
	CHECK(cow_parse(buf, COW_HDR_V1_SIZE, &ci) == NULL);
	CHECK(ci.version == 1 && ci.bitmap_offset == 280);
	CHECK(ci.data_offset == 1024);		/* 280 + 256 -> 1024 */
	cow_set_stamp(buf, &ci, 7, 2 << 20);
	CHECK(cow_parse(buf, COW_HDR_V1_SIZE, &ci) == NULL);
	CHECK(ci.mtime == 7 && ci.size == 2 << 20);
}

static void test_corrupt(void)
{
	struct cow_info ci;

	CHECK(cow_build(buf, "/b", 1, 1 << 20, &ci) == NULL);
	CHECK(cow_parse(buf, 100, &ci) != NULL);	/* truncated */
	CHECK(cow_parse(buf, 3, &ci) != NULL);
	buf[7] = 9;					/* version */
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) != NULL);
	buf[7] = 3;
	buf[22] = 4;					/* sector 1024 */
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) != NULL);
	buf[22] = 2;
	buf[26] = 0x10; buf[27] = 1;			/* align 4097 */
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) != NULL);
	buf[26] = 0; buf[27] = 0;			/* align 0 */
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) != NULL);
	buf[26] = 0x10;
	buf[31] = 1;					/* format */
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) != NULL);
	buf[31] = 0;
	memset(buf + 32, 'x', COW_PATH_V3);		/* path unterminated */
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) != NULL);
	buf[32] = 0;					/* path empty */
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) != NULL);
	buf[0] = 0;					/* magic */
	CHECK(!cow_is_cow(buf, COW_HDR_V3_SIZE));
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) != NULL);
	CHECK(cow_build(buf, "", 0, 0, &ci) != NULL);
}

static void test_set_backing(void)
{
	struct cow_info ci;
	char longname[300];

	CHECK(cow_build(buf, "/a", 1, 1 << 20, &ci) == NULL);
	CHECK(cow_set_backing(buf, &ci, "/some/where/else") == NULL);
	CHECK(cow_parse(buf, COW_HDR_V3_SIZE, &ci) == NULL);
	CHECK(!strcmp(ci.backing, "/some/where/else"));
	ci.version = 1;
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	CHECK(cow_set_backing(buf, &ci, longname) != NULL);
}

static void test_bitmap(void)
{
	unsigned char bm[16] = { 0 };
	uint64_t first, last;
	int in;

	CHECK(cow_run(bm, 0, 128, &in) == 128 && !in);
	cow_mark(bm, 3, 2, &first, &last);		/* sectors 3, 4 */
	CHECK(bm[0] == 0x18 && first == 0 && last == 1);
	CHECK(cow_test(bm, 3) && cow_test(bm, 4) && !cow_test(bm, 5));
	CHECK(cow_run(bm, 0, 128, &in) == 3 && !in);
	CHECK(cow_run(bm, 3, 128, &in) == 2 && in);
	CHECK(cow_run(bm, 5, 10, &in) == 10 && !in);
	cow_mark(bm, 3, 2, &first, &last);		/* nothing new */
	CHECK(first == last);
	cow_mark(bm, 8, 24, &first, &last);		/* bytes 1..3 */
	CHECK(first == 1 && last == 4);
	CHECK(bm[1] == 0xff && bm[2] == 0xff && bm[3] == 0xff && bm[4] == 0);
	CHECK(cow_run(bm, 8, 100, &in) == 24 && in);
	CHECK(cow_run(bm, 6, 100, &in) == 2 && !in);
	cow_mark(bm, 60, 9, &first, &last);		/* bytes 7..8 */
	CHECK(first == 7 && last == 9 && bm[7] == 0xf0 && bm[8] == 0x1f);
	CHECK(cow_run(bm, 32, 100, &in) == 28 && !in);
}

int main(void)
{
	test_v3_layout();
	test_v1_v2();
	test_corrupt();
	test_set_backing();
	test_bitmap();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
