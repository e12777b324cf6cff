// SPDX-License-Identifier: GPL-2.0
/*
 * uml-bench: micro-benchmarks of the paths a kernel of this kind makes
 * expensive: the trip from a guest into the kernel and back.
 *
 *   uml-bench [TEST [COUNT]]...
 *
 * Tests: syscall (getppid), fault (write one byte in each page of 64 MiB
 * of fresh anonymous memory), pipe (one-byte round trip between two
 * processes), futex (wake/wait round trip between two threads of one
 * process), fork (fork+exit+wait), exec (fork+exec of /bin/true+wait).
 * Without arguments every test runs with its default count.  Each prints
 * one line: "bench NAME COUNT TOTAL_US US_PER_OP".  Exit status 1 if a
 * test could not run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FAULT_BYTES	(64L << 20)

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int bench_syscall(long n)
{
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

/* n rounds of 64 MiB: map, write a byte per page, unmap */
static int bench_fault(long n)
{
	long i, off;

	for (i = 0; i < n; i++) {
		char *p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -1;
		for (off = 0; off < FAULT_BYTES; off += 4096)
			p[off] = 1;
		munmap(p, FAULT_BYTES);
	}
	return 0;
}

static int bench_pipe(long n)
{
	int to[2], from[2];
	char c = 0;
	long i;
	pid_t pid;

	if (pipe(to) || pipe(from))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(to[1]);
		close(from[0]);
		while (read(to[0], &c, 1) == 1)
			if (write(from[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	for (i = 0; i < n; i++)
		if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
			return -1;
	close(to[1]);
	close(from[0]);
	waitpid(pid, NULL, 0);
	return 0;
}

/* the futex word: odd means the second thread's turn */
static atomic_int turn;
static long futex_rounds;

static void futex_wait(int val)
{
	while (atomic_load(&turn) == val)
		syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_pass(void)
{
	atomic_fetch_add(&turn, 1);
	syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *arg)
{
	long i;

	for (i = 0; i < futex_rounds; i++) {
		futex_wait(2 * i);	/* until it is odd */
		futex_pass();
	}
	return arg;
}

static int bench_futex(long n)
{
	pthread_t t;
	long i;

	atomic_store(&turn, 0);
	futex_rounds = n;
	if (pthread_create(&t, NULL, futex_partner, NULL))
		return -1;
	for (i = 0; i < n; i++) {
		futex_pass();		/* 2i -> 2i + 1 */
		futex_wait(2 * i + 1);	/* until 2i + 2 */
	}
	pthread_join(t, NULL);
	return 0;
}

static int bench_fork(long n)
{
	long i;
	int st;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (!pid)
			_exit(0);
		if (waitpid(pid, &st, 0) != pid || st)
			return -1;
	}
	return 0;
}

static int bench_exec(long n)
{
	char *argv[] = { "true", NULL };
	char *envp[] = { NULL };
	long i;
	int st;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (!pid) {
			execve("/bin/true", argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || st)
			return -1;
	}
	return 0;
}

static const struct test {
	const char *name;
	int (*fn)(long n);
	long count;
	long ops_per_count;	/* operations counted per unit of count */
} tests[] = {
	{ "syscall", bench_syscall, 100000, 1 },
	{ "fault", bench_fault, 4, FAULT_BYTES / 4096 },
	{ "pipe", bench_pipe, 10000, 1 },
	{ "futex", bench_futex, 10000, 1 },
	{ "fork", bench_fork, 300, 1 },
	{ "exec", bench_exec, 200, 1 },
};

#define NTESTS	(sizeof(tests) / sizeof(tests[0]))

static int run(const struct test *t, long count)
{
	double t0, us;
	long ops = count * t->ops_per_count;

	t0 = now_us();
	if (t->fn(count)) {
		printf("bench %s failed: %s\n", t->name, strerror(errno));
		return 1;
	}
	us = now_us() - t0;
	printf("bench %s %ld %.0f %.3f\n", t->name, ops, us, us / ops);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int i, ret = 0;
	unsigned int j;

	if (argc < 2) {
		for (j = 0; j < NTESTS; j++)
			ret |= run(&tests[j], tests[j].count);
		return ret;
	}
	for (i = 1; i < argc; i++) {
		const struct test *t = NULL;
		long count;

		for (j = 0; j < NTESTS; j++)
			if (!strcmp(argv[i], tests[j].name))
				t = &tests[j];
		if (!t) {
			fprintf(stderr, "uml-bench: unknown test %s\n", argv[i]);
			return 2;
		}
		count = t->count;
		if (i + 1 < argc && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9')
			count = atol(argv[++i]);
		ret |= run(t, count);
	}
	return ret;
}
