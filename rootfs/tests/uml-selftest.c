// SPDX-License-Identifier: GPL-2.0
/*
 * uml-selftest: guest-side checks of the kernel's user mode, driven from
 * the host by tests/test_user.py.  Each subcommand prints "OK name" when
 * its check passes, or "FAIL name: why" and exits 1.
 *
 *   segv      a NULL write is a SIGSEGV to this process, with the address
 *   signals   handlers, masks, SA_RESTART, alarm, FPU state kept across
 *   mem       64 MiB of anonymous memory written and read back
 *   fork      200 children forked, each exits with its number
 *   threads   4 threads counting under a mutex
 *   cow       a child's writes are not seen by its parent
 *   vsyscall  the host's legacy vsyscall page gives no host time: the
 *             call fails (-ENOSYS) or faults
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name;

static void fail(const char *why)
{
	printf("FAIL %s: %s (errno %d)\n", name, why, errno);
	exit(1);
}

static sigjmp_buf segv_jmp;
static void *segv_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	segv_addr = si->si_addr;
	siglongjmp(segv_jmp, 1);
}

static int check_segv(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	/* an address the compiler cannot see through */
	volatile int *p = (volatile int *)strtoul("16", NULL, 0);

	sigaction(SIGSEGV, &sa, NULL);
	if (!sigsetjmp(segv_jmp, 1)) {
		*p = 1;
		fail("no fault");
	}
	if (segv_addr != (void *)16)
		fail("wrong si_addr");
	return 0;
}

static volatile int got_usr1, got_alarm;
static volatile double fp_in_handler;

static void on_usr1(int sig)
{
	/* floating point in the handler must not leak into the program */
	volatile double x = 3.0;

	fp_in_handler = x * 7.0;
	got_usr1++;
}

static void on_alarm(int sig)
{
	got_alarm++;
}

static int check_signals(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t set;
	volatile double a = 1.5;
	double b;
	char buf[1];
	int fds[2];

	sigaction(SIGUSR1, &sa, NULL);
	b = a * 2.0;
	kill(getpid(), SIGUSR1);
	if (got_usr1 != 1 || fp_in_handler != 21.0)
		fail("handler did not run");
	if (b * a != 4.5)
		fail("FPU state changed across the handler");

	/* blocked: held until unblocked */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	if (got_usr1 != 1)
		fail("blocked signal delivered");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if (got_usr1 != 2)
		fail("unblocked signal not delivered");

	/* a read interrupted by a handler without SA_RESTART fails EINTR */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(fds))
		fail("pipe");
	alarm(1);
	if (read(fds[0], buf, 1) != -1 || errno != EINTR || got_alarm != 1)
		fail("read was not interrupted");

	/* with SA_RESTART it goes on: the writer child ends it */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	if (fork() == 0) {
		sleep(2);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	alarm(1);
	if (read(fds[0], buf, 1) != 1 || got_alarm != 2)
		fail("read was not restarted");
	wait(NULL);
	return 0;
}

static int check_mem(void)
{
	size_t len = 64 << 20, i;
	unsigned long *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap");
	for (i = 0; i < len / sizeof(*p); i += 512)
		p[i] = i * 2654435761UL;
	for (i = 0; i < len / sizeof(*p); i += 512)
		if (p[i] != i * 2654435761UL)
			fail("memory does not hold");
	if (munmap(p, len))
		fail("munmap");
	return 0;
}

static int check_fork(void)
{
	int i, status, sum = 0;

	for (i = 0; i < 200; i++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("fork");
		if (pid == 0)
			_exit(i % 100);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			fail("wait");
		sum += WEXITSTATUS(status);
	}
	if (sum != 2 * 4950)
		fail("exit statuses");
	return 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count(void *arg)
{
	int i;

	for (i = 0; i < 100000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static int check_threads(void)
{
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, count, NULL))
			fail("pthread_create");
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	if (counter != 400000)
		fail("lost increments");
	return 0;
}

static int check_cow(void)
{
	static char page[8192] = "parent";
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		strcpy(page, "child");
		_exit(strcmp(page, "child") != 0);
	}
	if (waitpid(pid, &status, 0) != pid || WEXITSTATUS(status))
		fail("child");
	if (strcmp(page, "parent"))
		fail("the child's write reached the parent");
	return 0;
}

static int check_vsyscall(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		long (*vtime)(long *) = (long (*)(long *))0xffffffffff600400UL;
		long t = vtime(NULL);

		/* 100: -ENOSYS, 101: anything else (a host time leaked) */
		_exit(t == -ENOSYS ? 100 : 101);
	}
	if (waitpid(pid, &status, 0) != pid)
		fail("wait");
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 100)
		return 0;
	fail("the vsyscall page answered");
	return 1;
}

static const struct {
	const char *name;
	int (*fn)(void);
} checks[] = {
	{ "segv", check_segv }, { "signals", check_signals },
	{ "mem", check_mem }, { "fork", check_fork },
	{ "threads", check_threads }, { "cow", check_cow },
	{ "vsyscall", check_vsyscall },
};

int main(int argc, char **argv)
{
	unsigned int i;
	int ran = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (argc > 1 && strcmp(argv[1], checks[i].name))
			continue;
		name = checks[i].name;
		checks[i].fn();
		printf("OK %s\n", name);
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "usage: uml-selftest [segv|signals|mem|fork|threads|cow|vsyscall]\n");
		return 2;
	}
	return 0;
}
