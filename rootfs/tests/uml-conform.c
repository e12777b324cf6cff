// SPDX-License-Identifier: GPL-2.0
/*
 * uml-conform: conformance checks that once failed on this port and pass
 * on x86_64 Linux.  Each prints "NAME: ok" or "NAME: FAILED ..." and
 * exits non-zero on failure.
 *
 *   uml-conform iouring     map the rings of an io_uring, run a NOP and a read
 *   uml-conform stackgrow   the kernel writes (read(2), a signal frame) just
 *                           below the stack's current extent: the stack grows
 *   uml-conform sigstress [PROCS [ROUNDS]]
 *                           processes signal each other and their process
 *                           group in a loop; all finish
 *
 * A guest test program: built static into /usr/bin of the root image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int fail(const char *name, const char *what)
{
	printf("%s: FAILED %s: %s\n", name, what, strerror(errno));
	return 1;
}

/* ---- io_uring ---- */

static int iouring(void)
{
	struct io_uring_params p;
	unsigned int *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	char *sq, *cq, buf[8] = "";
	size_t sq_len, cq_len;
	int fd, pfd[2], i;

	memset(&p, 0, sizeof(p));
	fd = syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		return fail("iouring", "io_uring_setup");
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return fail("iouring", "mmap of the SQ ring");
	cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
	if (cq == MAP_FAILED)
		return fail("iouring", "mmap of the CQ ring");
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sqes == MAP_FAILED)
		return fail("iouring", "mmap of the SQEs");
	sq_tail = (void *)(sq + p.sq_off.tail);
	sq_mask = (void *)(sq + p.sq_off.ring_mask);
	sq_array = (void *)(sq + p.sq_off.array);
	cq_head = (void *)(cq + p.cq_off.head);
	cq_tail = (void *)(cq + p.cq_off.tail);
	cq_mask = (void *)(cq + p.cq_off.ring_mask);
	cqes = (void *)(cq + p.cq_off.cqes);

	if (pipe(pfd) || write(pfd[1], "uring!", 6) != 6)
		return fail("iouring", "pipe");
	/* a NOP and a read from the pipe */
	for (i = 0; i < 2; i++) {
		unsigned int idx = (*sq_tail + i) & *sq_mask;
		struct io_uring_sqe *e = &sqes[idx];

		memset(e, 0, sizeof(*e));
		e->opcode = i ? IORING_OP_READ : IORING_OP_NOP;
		e->user_data = 100 + i;
		if (i) {
			e->fd = pfd[0];
			e->addr = (unsigned long)buf;
			e->len = 6;
		}
		sq_array[idx] = idx;
	}
	__atomic_store_n(sq_tail, *sq_tail + 2, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, fd, 2, 2, IORING_ENTER_GETEVENTS,
		    NULL, 0) != 2)
		return fail("iouring", "io_uring_enter");
	for (i = 0; i < 2; i++) {
		unsigned int head = __atomic_load_n(cq_head, __ATOMIC_ACQUIRE);
		struct io_uring_cqe *c;

		if (head == __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE)) {
			errno = ENODATA;
			return fail("iouring", "completion missing");
		}
		c = &cqes[head & *cq_mask];
		if (c->user_data == 101 && c->res != 6) {
			errno = -c->res;
			return fail("iouring", "read result");
		}
		__atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
	}
	if (memcmp(buf, "uring!", 6)) {
		errno = EIO;
		return fail("iouring", "read data");
	}
	printf("iouring: ok\n");
	return 0;
}

/* ---- stack growth by kernel accesses ---- */

static volatile sig_atomic_t handled;
static volatile unsigned long handler_sp;

static void on_usr1(int sig)
{
	char here;

	handler_sp = (unsigned long)&here;
	handled = 1;
}

/* kill(getpid(), sig) with the stack pointer at @sp: the frame goes there */
static long kill_on_stack(unsigned long sp, int pid, int sig)
{
	long ret;

	__asm__ __volatile__("mov %%rsp, %%r12\n\t"
			     "mov %[sp], %%rsp\n\t"
			     "syscall\n\t"
			     "mov %%r12, %%rsp"
			     : "=a" (ret)
			     : "0" ((long)SYS_kill), "D" ((long)pid),
			       "S" ((long)sig), [sp] "r" (sp)
			     : "rcx", "r11", "r12", "memory");
	return ret;
}

static unsigned long stack_start(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[256];
	unsigned long lo = 0, hi;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]"))
			sscanf(line, "%lx-%lx", &lo, &hi);
	if (f)
		fclose(f);
	return lo;
}

static int stackgrow(void)
{
	unsigned long lo = stack_start(), lo2, target;
	int pfd[2];

	if (!lo) {
		errno = ENOENT;
		return fail("stackgrow", "no [stack] in /proc/self/maps");
	}
	/* read(2) into 64 KiB below the stack: the copy grows it */
	target = lo - 65536;
	if (pipe(pfd) || write(pfd[1], "grown", 5) != 5)
		return fail("stackgrow", "pipe");
	if (read(pfd[0], (void *)target, 5) != 5)
		return fail("stackgrow", "read(2) below the stack");
	if (memcmp((void *)target, "grown", 5)) {
		errno = EIO;
		return fail("stackgrow", "data read below the stack");
	}
	lo2 = stack_start();
	if (lo2 > target) {
		errno = EFAULT;
		return fail("stackgrow", "[stack] did not grow for read(2)");
	}

	/* a signal frame pushed 256 KiB below the stack */
	signal(SIGUSR1, on_usr1);
	target = (lo2 - 262144) & ~15UL;
	if (kill_on_stack(target, getpid(), SIGUSR1))
		return fail("stackgrow", "kill");
	if (!handled || handler_sp > target) {
		errno = EFAULT;
		return fail("stackgrow", "handler on the lowered stack");
	}
	printf("stackgrow: ok (stack from %#lx to %#lx)\n", lo, stack_start());
	return 0;
}

/* ---- signal stress ---- */

static volatile sig_atomic_t usr1, usr2;

static void count1(int sig)
{
	usr1++;
}

static void count2(int sig)
{
	usr2++;
}

static int sigstress(int procs, int rounds)
{
	pid_t *pid = calloc(procs, sizeof(pid_t));
	struct sigaction sa = { .sa_flags = SA_RESTART };
	int i, bad = 0;

	sa.sa_handler = count1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = count2;
	sigaction(SIGUSR2, &sa, NULL);
	setpgid(0, 0);
	for (i = 0; i < procs; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			return fail("sigstress", "fork");
		if (pid[i] == 0) {
			int r;

			alarm(120);
			for (r = 0; r < rounds; r++) {
				/* the process before us, or the parent */
				kill(i ? pid[i - 1] : getppid(), SIGUSR1);
				if (r % 8 == 0)
					kill(0, SIGUSR2);
				if (r % 32 == 0)
					sched_yield();
			}
			_exit(0);
		}
	}
	for (i = 0; i < procs; i++) {
		int status;

		while (waitpid(pid[i], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("sigstress: child %d: %s %d\n", i,
			       WIFEXITED(status) ? "exit status" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status) :
			       WTERMSIG(status));
			bad++;
		}
	}
	if (bad) {
		errno = ETIMEDOUT;
		printf("sigstress: %d of %d processes did not finish\n", bad, procs);
		return fail("sigstress", "children");
	}
	printf("sigstress: ok (%d processes x %d rounds; parent took %d+%d signals)\n",
	       procs, rounds, (int)usr1, (int)usr2);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "iouring"))
		return iouring();
	if (argc > 1 && !strcmp(argv[1], "stackgrow"))
		return stackgrow();
	if (argc > 1 && !strcmp(argv[1], "sigstress"))
		return sigstress(argc > 2 ? atoi(argv[2]) : 16,
				 argc > 3 ? atoi(argv[3]) : 2000);
	fprintf(stderr, "usage: uml-conform iouring|stackgrow|sigstress [PROCS [ROUNDS]]\n");
	return 2;
}
