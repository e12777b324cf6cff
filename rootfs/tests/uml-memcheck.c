// SPDX-License-Identifier: GPL-2.0
/*
 * uml-memcheck MIB SECONDS: fill MIB MiB of anonymous memory with a
 * pattern that differs per page and word, then check all of it again and
 * again for SECONDS seconds, rewriting each page with a new round's
 * pattern after checking it.  Prints "memcheck OK ROUNDS" or the first
 * bad word and exits 1.  Run while something else reclaims, compacts or
 * migrates memory: a page moved under the program must keep its content,
 * and a write to it must not go to the old page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static unsigned long word(unsigned long round, unsigned long i)
{
	return (i * 0x9e3779b97f4a7c15UL) ^ (round << 48) ^ 0x5a5a;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	unsigned long secs = argc > 2 ? strtoul(argv[2], NULL, 0) : 5;
	unsigned long n = mib << 17, i, round = 0;	/* 8-byte words */
	struct timespec t0, t;
	unsigned long *m;

	m = mmap(NULL, n * 8, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < n; i++)
		m[i] = word(0, i);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (i = 0; i < n; i++) {
			if (m[i] != word(round, i)) {
				printf("memcheck BAD round %lu word %lu: %#lx, not %#lx\n",
				       round, i, m[i], word(round, i));
				return 1;
			}
			m[i] = word(round + 1, i);
		}
		round++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((unsigned long)(t.tv_sec - t0.tv_sec) < secs);
	printf("memcheck OK %lu\n", round);
	return 0;
}
