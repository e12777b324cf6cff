// SPDX-License-Identifier: GPL-2.0
/*
 * fault-write: a page fault knows whether it was a write.
 *
 *   fault-write FILE     FILE: a scratch file on a disk file system
 *
 * Reads of writable mappings must not copy or dirty pages: after reading
 * every page, /proc/self/smaps shows no dirty pages in a shared file
 * mapping and no anonymous (copied) pages in private ones.  A write to
 * one page then shows exactly that page, so the check can fail.  SSE and
 * AVX registers keep their values across faults.
 * Prints "ok NAME" or "FAIL NAME: why"; exits with the number of failures.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGES	8
#define PG	4096

static int fails;

/* a field (in kB) of the smaps entry that starts at @addr */
static long smaps_kb(void *addr, const char *field)
{
	char line[256], start[32];
	FILE *f = fopen("/proc/self/smaps", "r");
	int in = 0;
	long v = -1;

	snprintf(start, sizeof(start), "%lx-", (unsigned long)addr);
	while (f && fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, ' ') &&
		    strchr(line, '-') < strchr(line, ' ')) {
			if (in)
				break;
			in = !strncmp(line, start, strlen(start));
			continue;
		}
		if (in && !strncmp(line, field, strlen(field))) {
			v = strtol(line + strlen(field), NULL, 10);
			break;
		}
	}
	if (f)
		fclose(f);
	return v;
}

static void expect(const char *name, void *addr, const char *field,
		   long want)
{
	long v = smaps_kb(addr, field);

	if (v == want) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s: %s %ld kB, expected %ld kB\n", name, field, v,
		       want);
		fails++;
	}
}

static unsigned long read_all(volatile char *p)
{
	unsigned long sum = 0;
	int i;

	for (i = 0; i < PAGES; i++)
		sum += p[i * PG];
	return sum;
}

/* a write to a fresh page between loading a register and reading it */
static int sse_survives_fault(char *fresh)
{
	unsigned long v = 0x1234567890abcdefUL, out;

	__asm__ volatile("movq %2, %%xmm3\n"
			 "movb $1, (%1)\n"
			 "movq %%xmm3, %0"
			 : "=r"(out) : "r"(fresh), "r"(v) : "xmm3", "memory");
	return out == v;
}

static int avx_survives_fault(char *fresh)
{
	static const double d = 1234.5;
	double out;

	__asm__ volatile("vbroadcastsd %2, %%ymm3\n"
			 "movb $1, (%1)\n"
			 "vextractf128 $1, %%ymm3, %%xmm4\n"
			 "movsd %%xmm4, %0\n"
			 "vzeroupper"
			 : "=m"(out) : "r"(fresh), "m"(d) : "xmm3", "xmm4", "memory");
	return out == d;
}

static void check(const char *name, int ok)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s\n", name);
		fails++;
	}
}

int main(int argc, char **argv)
{
	static char buf[PAGES * PG];
	char *shared, *private, *anon;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: fault-write FILE\n");
		return 99;
	}
	memset(buf, 'x', sizeof(buf));
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) || fsync(fd)) {
		perror(argv[1]);
		return 99;
	}
	/* the page cache is clean now: only a write may dirty it */
	shared = mmap(NULL, sizeof(buf), PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, 0);
	private = mmap(NULL, sizeof(buf), PROT_READ | PROT_WRITE, MAP_PRIVATE,
		       fd, 0);
	anon = mmap(NULL, sizeof(buf), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || private == MAP_FAILED || anon == MAP_FAILED) {
		perror("mmap");
		return 99;
	}
	if (read_all(shared) != PAGES * 'x' || read_all(private) != PAGES * 'x' ||
	    read_all(anon) != 0) {
		printf("FAIL contents\n");
		return 99;
	}
	expect("shared-read-mapped", shared, "Rss:", PAGES * 4);
	expect("shared-read-clean", shared, "Private_Dirty:", 0);
	expect("private-read-not-copied", private, "Anonymous:", 0);
	expect("anon-read-zero-page", anon, "Anonymous:", 0);

	shared[PG] = 'y';
	private[PG] = 'y';
	anon[PG] = 'y';
	expect("shared-write-dirty", shared, "Private_Dirty:", 4);
	expect("private-write-copied", private, "Anonymous:", 4);
	expect("anon-write", anon, "Anonymous:", 4);

	check("sse-across-fault", sse_survives_fault(anon + 2 * PG));
	if (__builtin_cpu_supports("avx"))
		check("avx-across-fault", avx_survives_fault(anon + 3 * PG));
	else
		printf("ok avx-across-fault (no AVX)\n");
	unlink(argv[1]);
	return fails;
}
