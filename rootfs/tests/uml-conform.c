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
 *   uml-conform coredump    a sleeping child killed by SIGQUIT dumps core
 *                           and is reaped (LTP's kill11), within 60 s
 *   uml-conform x86ctl      ioperm, iopl, arch_prctl(ARCH_GET/SET_CPUID),
 *                           ioprio_set: x86_64's answers (EINVAL, EPERM,
 *                           ENODEV)
 *   uml-conform tscctl      prctl(PR_SET_TSC, PR_TSC_SIGSEGV): rdtsc faults
 *                           where the host CPU enforces the mode
 *   uml-conform forks [N]   N processes fork, exit and are reaped one after
 *                           another; prints the time per fork
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
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <asm/prctl.h>
#include <time.h>

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

/* ---- a core dump of a sleeping process killed by another ---- */

static void on_alarm(int sig)
{
}

static int dump_one(int asleep)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct stat st;
	int status, i;
	pid_t pid;

	unlink("core");
	pid = fork();
	if (pid < 0)
		return fail("coredump", "fork");
	if (pid == 0) {
		for (i = 0; i < 180; i++)
			sleep(1);
		_exit(1);
	}
	/* kill11 sends the signal at once; the other case lets it sleep */
	for (i = 0; asleep && i < 100; i++) {
		char path[64], buf[256], *p;
		int fd, n;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			p = strrchr(buf, ')');
			if (p && p[2] == 'S')
				break;
		}
		usleep(10000);
	}
	sigaction(SIGALRM, &sa, NULL);
	alarm(60);
	if (kill(pid, SIGQUIT))
		return fail("coredump", "kill");
	if (waitpid(pid, &status, 0) != pid) {
		kill(pid, SIGKILL);
		return fail("coredump", asleep ?
			    "a sleeping child was not reaped in 60 s" :
			    "a new child was not reaped in 60 s");
	}
	alarm(0);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGQUIT ||
	    !WCOREDUMP(status)) {
		errno = 0;
		printf("coredump: status %#x\n", status);
		return fail("coredump", "no core dump reported");
	}
	if (stat("core", &st) || st.st_size < 4096)
		return fail("coredump", "no core file");
	unlink("core");
	printf("coredump: %s child: %lld-byte core\n",
	       asleep ? "sleeping" : "new", (long long)st.st_size);
	return 0;
}

/* reap @pid within 60 s (no alarm: SIGALRM is one of the signals sent) */
static int reap_60s(pid_t pid, int *status)
{
	int i;

	for (i = 0; i < 6000; i++) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		usleep(10000);
	}
	return -1;
}

/* kill11's sequence: each signal to a new child at once; core or not */
static int kill_each(void)
{
	static const int sigs[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGFPE,
		SIGKILL, SIGBUS, SIGSEGV, SIGSYS, SIGPIPE, SIGALRM,
	};
	unsigned int i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		int sig = sigs[i], status, core, j;
		pid_t pid;

		/* the default action from birth, as kill11 sets it */
		if (sig != SIGKILL)
			signal(sig, SIG_DFL);
		pid = fork();
		if (pid < 0)
			return fail("coredump", "fork");
		if (pid == 0) {
			for (j = 0; j < 180; j++)
				sleep(1);
			_exit(1);
		}
		kill(pid, sig);
		if (reap_60s(pid, &status)) {
			kill(pid, SIGKILL);
			printf("coredump: signal %d\n", sig);
			return fail("coredump", "the child was not reaped in 60 s");
		}
		core = sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP ||
		       sig == SIGABRT || sig == SIGFPE || sig == SIGBUS ||
		       sig == SIGSEGV || sig == SIGSYS;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != sig ||
		    !!WCOREDUMP(status) != core) {
			errno = 0;
			printf("coredump: signal %d: status %#x\n", sig, status);
			return fail("coredump", "wrong status");
		}
		unlink("core");
	}
	printf("coredump: kill11's %u signals: ok\n",
	       (unsigned int)(sizeof(sigs) / sizeof(sigs[0])));
	return 0;
}

static int coredump(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	if (chdir("/tmp"))
		return fail("coredump", "chdir /tmp");
	setrlimit(RLIMIT_CORE, &rl);
	if (dump_one(0) || dump_one(1) || kill_each())
		return 1;
	printf("coredump: ok\n");
	return 0;
}

/* ---- x86 controls: what x86_64 answers ---- */

#define X86CHECK(cond, what) do {					\
	if (!(cond)) {							\
		printf("x86ctl: %s: got %ld, errno %d\n", what, r, errno); \
		bad++;							\
	}								\
} while (0)

static void read_tsc(void)
{
	unsigned int lo, hi;

	__asm__ __volatile__("rdtsc" : "=a" (lo), "=d" (hi));
}

static int x86ctl_unprivileged(void)
{
	int bad = 0;
	long r;

	if (setuid(65534))
		return 99;
	errno = 0;
	r = ioperm(0x80, 3, 1);
	X86CHECK(r == -1 && errno == EPERM, "ioperm as nobody");
	errno = 0;
	r = iopl(3);
	X86CHECK(r == -1 && errno == EPERM, "iopl(3) as nobody");
	return bad;
}

static int x86ctl(void)
{
	int bad = 0, status;
	pid_t pid;
	long r;

	errno = 0;
	r = ioperm(0x80, 3, 1);
	X86CHECK(r == 0, "ioperm(0x80, 3, 1) as root");
	r = ioperm(0x80, 3, 0);
	X86CHECK(r == 0, "ioperm(0x80, 3, 0)");
	r = ioperm(65534, 3, 1);
	X86CHECK(r == -1 && errno == EINVAL, "ioperm past port 65535");
	r = iopl(3);
	X86CHECK(r == 0, "iopl(3) as root");
	r = iopl(0);
	X86CHECK(r == 0, "iopl(0)");
	r = iopl(4);
	X86CHECK(r == -1 && errno == EINVAL, "iopl(4)");
	pid = fork();
	if (pid == 0)
		_exit(x86ctl_unprivileged());
	waitpid(pid, &status, 0);
	r = status;
	X86CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
		 "the unprivileged checks");
	r = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);
	X86CHECK(r == 1, "ARCH_GET_CPUID");
	r = syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
	X86CHECK(r == -1 && errno == ENODEV, "ARCH_SET_CPUID(0)");

	/* ioprio: class 2 (best effort) level 7 is valid; class 4 is not */
	r = syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 7);
	X86CHECK(r == 0, "ioprio_set(BE, 7)");
	r = syscall(SYS_ioprio_set, 1, 0, (4 << 13) | 0);
	X86CHECK(r == -1 && errno == EINVAL, "ioprio_set(class 4)");
	r = syscall(SYS_ioprio_set, 1, 0, (0 << 13) | 4);
	X86CHECK(r == -1 && errno == EINVAL, "ioprio_set(NONE, 4)");
	/*
	 * LTP's ioprio_set03: "level 8" of best effort is level 0 with the
	 * first hint bit since 6.5 (include/uapi/linux/ioprio.h), accepted by
	 * x86_64 6.12 (generic code, block/ioprio.c)
	 */
	r = syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 8);
	X86CHECK(r == 0, "ioprio_set(BE, 8)");
	if (bad) {
		errno = 0;
		return fail("x86ctl", "answers differ from x86_64's");
	}
	printf("x86ctl: ok\n");
	return 0;
}

/*
 * PR_SET_TSC(PR_TSC_SIGSEGV): PR_GET_TSC reports it, rdtsc then faults
 * with SIGSEGV in a forked child too, and processes after it read the TSC
 * again; or the kernel refuses the mode (EINVAL).  Prints "tscctl:
 * faults" or "tscctl: refused" or "tscctl: not enforced" (x86_64 on a
 * hypervisor that ignores the CPU's TSC-disable bit, like this project's
 * cloud VMs).  Runs on the host as well, to compare.
 */
static int tscctl(void)
{
	int status, bad = 0;
	pid_t pid;
	long r;

	pid = fork();
	if (pid == 0) {
		unsigned int mode = 0;
		pid_t gc;
		int gst;

		if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV))
			_exit(errno == EINVAL ? 10 : 3);
		if (prctl(PR_GET_TSC, &mode) || mode != PR_TSC_SIGSEGV)
			_exit(4);
		gc = fork();
		if (gc == 0) {
			read_tsc();
			_exit(20);
		}
		waitpid(gc, &gst, 0);
		if (WIFEXITED(gst) && WEXITSTATUS(gst) == 20)
			_exit(20);
		if (!WIFSIGNALED(gst) || WTERMSIG(gst) != SIGSEGV)
			_exit(5);
		/* the mode is kept across exec */
		gc = fork();
		if (gc == 0) {
			execl("/proc/self/exe", "uml-conform", "tscread",
			      (char *)NULL);
			_exit(7);
		}
		waitpid(gc, &gst, 0);
		if (!WIFSIGNALED(gst) || WTERMSIG(gst) != SIGSEGV)
			_exit(8);
		read_tsc();
		_exit(6);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 10) {
		printf("tscctl: refused\n");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 20) {
		printf("tscctl: not enforced\n");
	} else {
		r = status;
		X86CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
			 "rdtsc after PR_SET_TSC(PR_TSC_SIGSEGV)");
		if (!bad)
			printf("tscctl: faults\n");
	}
	pid = fork();
	if (pid == 0) {
		read_tsc();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	r = status;
	X86CHECK(WIFEXITED(status) && !WEXITSTATUS(status),
		 "rdtsc in a later child");
	return bad;
}

/* ---- fork, exit and reap, one after another ---- */

static int forks(int n)
{
	struct timespec a, b;
	double us;
	int i, status;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return fail("forks", "fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			return fail("forks", "waitpid");
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / n;
	printf("forks: ok (%d forks, %.0f us each)\n", n, us);
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
	if (argc > 1 && !strcmp(argv[1], "coredump"))
		return coredump();
	if (argc > 1 && !strcmp(argv[1], "x86ctl"))
		return x86ctl();
	if (argc > 1 && !strcmp(argv[1], "tscctl"))
		return tscctl();
	if (argc > 1 && !strcmp(argv[1], "tscread")) {
		read_tsc();
		return 20;
	}
	if (argc > 1 && !strcmp(argv[1], "forks"))
		return forks(argc > 2 ? atoi(argv[2]) : 1000);
	fprintf(stderr, "usage: uml-conform iouring|stackgrow|sigstress [PROCS [ROUNDS]]|coredump|x86ctl|tscctl|forks [N]\n");
	return 2;
}
