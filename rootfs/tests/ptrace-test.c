// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace-test: a guest tracer tracing guest children.
 *
 *   ptrace-test [NAME...]    run the named checks (default: all)
 *   ptrace-test bench N      trace a child's N system calls (PTRACE_SYSCALL)
 *
 * Each check forks a child that asks to be traced, and drives it the way
 * strace and gdb do.  It prints "ok NAME" or "FAIL NAME: why"; the exit
 * status is the number of failures.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("FAIL %s: ", test_name);				\
		printf(__VA_ARGS__);					\
		printf(" (line %d)\n", __LINE__);			\
		fflush(stdout);						\
		if (child > 0)						\
			kill(child, SIGKILL);				\
		return 1;						\
	}								\
} while (0)

static const char *test_name;
static pid_t child;

/* fork a child stopped by SIGSTOP under our trace; it then runs fn() */
static pid_t start_traced(int (*fn)(void))
{
	int st;

	child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		_exit(fn());
	}
	if (waitpid(child, &st, 0) != child || !WIFSTOPPED(st) ||
	    WSTOPSIG(st) != SIGSTOP)
		return -1;
	return child;
}

/* wait for the child's next stop; returns the status */
static int wait_child(void)
{
	int st;

	if (waitpid(child, &st, __WALL) != child)
		return -1;
	return st;
}

static int finish(int expect_code)
{
	int st = wait_child();

	child = 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == expect_code ? 0 : -1;
}

/* ---- registers and system call stops ---- */

static int child_getppid(void)
{
	long a = syscall(SYS_getppid);	/* turned into getpid by the tracer */
	long b = syscall(SYS_getppid);	/* result replaced with 12345 */

	return (a == getpid() ? 0 : 1) | (b == 12345 ? 0 : 2);
}

static int t_syscall_regs(void)
{
	struct user_regs_struct r;
	struct __ptrace_syscall_info info;
	long v;
	int st, n;

	CHECK(start_traced(child_getppid) > 0, "no stopped child");
	CHECK(!ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACESYSGOOD),
	      "SETOPTIONS: %m");
	for (n = 0; n < 2; n++) {
		/* skip calls of the C library up to our getppid */
		for (;;) {
			CHECK(!ptrace(PTRACE_SYSCALL, child, 0, 0), "SYSCALL: %m");
			st = wait_child();
			CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80),
			      "entry stop: status %#x", st);
			CHECK(!ptrace(PTRACE_GETREGS, child, 0, &r), "GETREGS: %m");
			if (r.orig_rax == SYS_getppid)
				break;
			CHECK(!ptrace(PTRACE_SYSCALL, child, 0, 0), "SYSCALL: %m");
			st = wait_child();
			CHECK(WIFSTOPPED(st), "exit stop: status %#x", st);
		}
		CHECK(r.rax == (unsigned long)-ENOSYS, "rax at entry %#llx", r.rax);
		{
			struct user_regs_struct rs;
			struct iovec iov = { &rs, sizeof(rs) };

			CHECK(!ptrace(PTRACE_GETREGSET, child, NT_PRSTATUS, &iov),
			      "GETREGSET NT_PRSTATUS: %m");
			CHECK(iov.iov_len == sizeof(rs) && !memcmp(&rs, &r, sizeof(r)),
			      "NT_PRSTATUS differs from GETREGS");
		}
		CHECK(r.cs == 0x33 && r.ss == 0x2b, "cs %#llx ss %#llx", r.cs, r.ss);
		errno = 0;
		v = ptrace(PTRACE_PEEKUSER, child,
			   offsetof(struct user, regs.orig_rax), 0);
		CHECK(!errno && v == SYS_getppid, "PEEKUSER orig_rax %ld", v);
		v = ptrace(PTRACE_PEEKUSER, child,
			   offsetof(struct user, regs.rip), 0);
		CHECK(v == (long)r.rip, "PEEKUSER rip %#lx vs %#llx", v, r.rip);
		CHECK(ptrace(PTRACE_GET_SYSCALL_INFO, child, sizeof(info), &info) > 0,
		      "GET_SYSCALL_INFO: %m");
		CHECK(info.op == PTRACE_SYSCALL_INFO_ENTRY &&
		      info.arch == AUDIT_ARCH_X86_64 &&
		      info.entry.nr == SYS_getppid &&
		      info.instruction_pointer == r.rip,
		      "entry info op %d arch %#x nr %lld", info.op, info.arch,
		      (long long)info.entry.nr);
		if (n == 0) {
			/* change the call: getppid becomes getpid */
			CHECK(!ptrace(PTRACE_POKEUSER, child,
				      offsetof(struct user, regs.orig_rax),
				      SYS_getpid), "POKEUSER orig_rax: %m");
		}
		CHECK(!ptrace(PTRACE_SYSCALL, child, 0, 0), "SYSCALL: %m");
		st = wait_child();
		CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80),
		      "exit stop: status %#x", st);
		CHECK(ptrace(PTRACE_GET_SYSCALL_INFO, child, sizeof(info), &info) > 0,
		      "GET_SYSCALL_INFO: %m");
		CHECK(info.op == PTRACE_SYSCALL_INFO_EXIT && !info.exit.is_error,
		      "exit info op %d err %d", info.op, info.exit.is_error);
		CHECK(!ptrace(PTRACE_GETREGS, child, 0, &r), "GETREGS: %m");
		CHECK((long)r.rax == info.exit.rval, "rax %lld rval %lld",
		      r.rax, (long long)info.exit.rval);
		if (n == 1) {
			r.rax = 12345;
			CHECK(!ptrace(PTRACE_SETREGS, child, 0, &r), "SETREGS: %m");
		}
	}
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	CHECK(!finish(0), "the child saw other results");
	return 0;
}

/* ---- PTRACE_SYSEMU: stop at entry, the call is not run ---- */

static int child_sysemu(void)
{
	return syscall(SYS_getppid) == 777 ? 0 : 1;
}

static int t_sysemu(void)
{
	struct user_regs_struct r;
	int st;

	CHECK(start_traced(child_sysemu) > 0, "no stopped child");
	for (;;) {
		CHECK(!ptrace(PTRACE_SYSEMU, child, 0, 0), "SYSEMU: %m");
		st = wait_child();
		CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP,
		      "stop: status %#x", st);
		CHECK(!ptrace(PTRACE_GETREGS, child, 0, &r), "GETREGS: %m");
		if (r.orig_rax == SYS_getppid)
			break;
		/* emulate whatever the C library calls first: say 0 */
		r.rax = 0;
		CHECK(!ptrace(PTRACE_SETREGS, child, 0, &r), "SETREGS: %m");
	}
	r.rax = 777;
	CHECK(!ptrace(PTRACE_SETREGS, child, 0, &r), "SETREGS: %m");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	CHECK(!finish(0), "getppid was not emulated");
	return 0;
}

/* ---- int3, single step, a breakpoint written into the text ---- */

extern char bp_after[], step_end[];

static int child_int3(void)
{
	__asm__ volatile("int3\n"
			 ".globl bp_after\n"
			 "bp_after: nop\n nop\n nop\n nop\n"
			 ".globl step_end\n"
			 "step_end: nop\n");
	return 0;
}

static int t_int3_step(void)
{
	struct user_regs_struct r;
	siginfo_t si;
	int st, i;

	CHECK(start_traced(child_int3) > 0, "no stopped child");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	st = wait_child();
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "status %#x", st);
	CHECK(!ptrace(PTRACE_GETSIGINFO, child, 0, &si), "GETSIGINFO: %m");
	CHECK(si.si_code == 0x80, "int3 si_code %#x, not SI_KERNEL", si.si_code);
	CHECK(!ptrace(PTRACE_GETREGS, child, 0, &r), "GETREGS: %m");
	CHECK(r.rip == (unsigned long)bp_after, "rip %#llx after int3, not %p",
	      r.rip, bp_after);
	for (i = 1; i <= 4; i++) {
		CHECK(!ptrace(PTRACE_SINGLESTEP, child, 0, 0), "SINGLESTEP: %m");
		st = wait_child();
		CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP,
		      "step %d: status %#x", i, st);
		CHECK(!ptrace(PTRACE_GETREGS, child, 0, &r), "GETREGS: %m");
		CHECK(r.rip == (unsigned long)bp_after + i,
		      "step %d: rip %#llx, expected %p + %d", i, r.rip,
		      bp_after, i);
		CHECK(!(r.eflags & 0x100), "TF visible to the tracer");
	}
	CHECK(!ptrace(PTRACE_GETSIGINFO, child, 0, &si), "GETSIGINFO: %m");
	CHECK(si.si_code == TRAP_TRACE, "step si_code %d", si.si_code);
	CHECK(r.rip == (unsigned long)step_end, "not at step_end");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	CHECK(!finish(0), "child did not exit 0");
	return 0;
}

__attribute__((noinline)) int bp_target(int x)
{
	__asm__ volatile("");
	return x * 3;
}

static int child_bp(void)
{
	return bp_target(14) == 42 ? 0 : 1;
}

static int t_breakpoint(void)
{
	unsigned long addr = (unsigned long)bp_target;
	struct user_regs_struct r;
	long orig;
	int st;

	CHECK(start_traced(child_bp) > 0, "no stopped child");
	errno = 0;
	orig = ptrace(PTRACE_PEEKTEXT, child, addr, 0);
	CHECK(!errno, "PEEKTEXT: %m");
	CHECK(!ptrace(PTRACE_POKETEXT, child, addr, (orig & ~0xffL) | 0xcc),
	      "POKETEXT: %m");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	st = wait_child();
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "status %#x", st);
	CHECK(!ptrace(PTRACE_GETREGS, child, 0, &r), "GETREGS: %m");
	CHECK(r.rip == addr + 1, "rip %#llx, breakpoint at %#lx", r.rip, addr);
	CHECK(r.rdi == 14, "argument %lld", r.rdi);
	/* our own text is untouched: the child got its own copy */
	CHECK(*(unsigned char *)addr != 0xcc, "the breakpoint leaked to the parent");
	CHECK(!ptrace(PTRACE_POKETEXT, child, addr, orig), "POKETEXT: %m");
	r.rip = addr;
	CHECK(!ptrace(PTRACE_SETREGS, child, 0, &r), "SETREGS: %m");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	CHECK(!finish(0), "bp_target gave a wrong result after the breakpoint");
	return 0;
}

/* ---- FP registers and the XSAVE area ---- */

static int child_fp(void)
{
	uint64_t v = 0x1122334455667788ULL, out;

	__asm__ volatile("movq %1, %%xmm0\n int3\n movq %%xmm0, %0"
			 : "=r"(out) : "r"(v) : "xmm0");
	return out == 0x0badc0ffee0ddf00ULL ? 0 : 1;
}

static int t_fpregs(void)
{
	struct user_fpregs_struct fp;
	static unsigned char xs[16384] __attribute__((aligned(64)));
	struct iovec iov = { xs, sizeof(xs) };
	uint64_t *xmm0;
	int st;

	CHECK(start_traced(child_fp) > 0, "no stopped child");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	st = wait_child();
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "status %#x", st);
	CHECK(!ptrace(PTRACE_GETFPREGS, child, 0, &fp), "GETFPREGS: %m");
	xmm0 = (uint64_t *)fp.xmm_space;
	CHECK(xmm0[0] == 0x1122334455667788ULL, "xmm0 %#llx",
	      (unsigned long long)xmm0[0]);
	CHECK(fp.mxcsr == 0x1f80, "mxcsr %#x", fp.mxcsr);
	CHECK(!ptrace(PTRACE_GETREGSET, child, NT_PRFPREG, &iov),
	      "GETREGSET NT_PRFPREG: %m");
	CHECK(iov.iov_len == 512 && !memcmp(xs, &fp, 512), "NT_PRFPREG differs");
	iov.iov_len = sizeof(xs);
	CHECK(!ptrace(PTRACE_GETREGSET, child, NT_X86_XSTATE, &iov),
	      "GETREGSET NT_X86_XSTATE: %m");
	CHECK(iov.iov_len > 512 && *(uint64_t *)(xs + 160) == xmm0[0],
	      "xstate: %zu bytes, xmm0 %#llx", iov.iov_len,
	      (unsigned long long)*(uint64_t *)(xs + 160));
	/* write it back through the regset: must be accepted whole */
	CHECK(!ptrace(PTRACE_SETREGSET, child, NT_X86_XSTATE, &iov),
	      "SETREGSET NT_X86_XSTATE: %m");
	xmm0[0] = 0x0badc0ffee0ddf00ULL;
	CHECK(!ptrace(PTRACE_SETFPREGS, child, 0, &fp), "SETFPREGS: %m");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	CHECK(!finish(0), "the child did not see the new xmm0");
	return 0;
}

/* ---- debug registers: a hardware watchpoint ---- */

static volatile int watched;

static int child_watch(void)
{
	watched = 5;
	return 0;
}

static int t_watchpoint(void)
{
	unsigned long dr = offsetof(struct user, u_debugreg);
	/* L0, write-only, 4 bytes */
	unsigned long dr7 = 1 | (1UL << 16) | (3UL << 18);
	struct user_regs_struct r;
	siginfo_t si;
	long v;
	int st;

	CHECK(start_traced(child_watch) > 0, "no stopped child");
	CHECK(!ptrace(PTRACE_POKEUSER, child, dr, &watched), "POKEUSER DR0: %m");
	if (ptrace(PTRACE_POKEUSER, child, dr + 7 * 8, dr7)) {
		/*
		 * A kernel whose host's debug registers never fire refuses
		 * to enable one, as x86_64 does with no register free.
		 */
		CHECK(errno == ENOSPC, "POKEUSER DR7: %m");
		v = ptrace(PTRACE_PEEKUSER, child, dr + 7 * 8, 0);
		CHECK(v == 0, "refused DR7 reads %#lx", v);
		CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
		CHECK(!finish(0), "child did not exit 0");
		printf("watchpoint: refused (ENOSPC)\n");
		return 0;
	}
	v = ptrace(PTRACE_PEEKUSER, child, dr + 7 * 8, 0);
	CHECK(v == (long)dr7, "DR7 reads %#lx", v);
	CHECK(ptrace(PTRACE_POKEUSER, child, dr + 4 * 8, 0) && errno == EIO,
	      "DR4 written");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	st = wait_child();
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP,
	      "no watchpoint stop: status %#x", st);
	CHECK(!ptrace(PTRACE_GETSIGINFO, child, 0, &si), "GETSIGINFO: %m");
	CHECK(si.si_code == TRAP_HWBKPT, "si_code %d", si.si_code);
	v = ptrace(PTRACE_PEEKUSER, child, dr + 6 * 8, 0);
	CHECK(v & 1, "DR6 %#lx: B0 not set", v);
	CHECK(!ptrace(PTRACE_GETREGS, child, 0, &r), "GETREGS: %m");
	CHECK(watched == 0, "the parent's variable changed");
	CHECK(!ptrace(PTRACE_POKEUSER, child, dr + 7 * 8, 0), "POKEUSER DR7: %m");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	CHECK(!finish(0), "child did not exit 0");
	return 0;
}

/* ---- event stops: fork, exec, exit ---- */

static int child_fork_exec(void)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		execl("/bin/busybox", "true", (char *)NULL);
		_exit(99);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return 98;
	return WIFEXITED(st) ? 7 + WEXITSTATUS(st) : 97;
}

static int t_events(void)
{
	unsigned long msg;
	pid_t gc = 0, w;
	int st, seen_fork = 0, seen_exec = 0, seen_exit = 0, gc_stop = 0;
	int n;

	CHECK(start_traced(child_fork_exec) > 0, "no stopped child");
	CHECK(!ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACEFORK |
		      PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT),
	      "SETOPTIONS: %m");
	CHECK(!ptrace(PTRACE_CONT, child, 0, 0), "CONT: %m");
	for (n = 0; n < 50; n++) {
		w = waitpid(-1, &st, __WALL);
		CHECK(w > 0, "waitpid: %m");
		if (w == child && WIFEXITED(st))
			break;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			continue;
		CHECK(WIFSTOPPED(st), "status %#x", st);
		switch (st >> 8) {
		case SIGTRAP | (PTRACE_EVENT_FORK << 8):
			CHECK(w == child, "fork event from %d", w);
			CHECK(!ptrace(PTRACE_GETEVENTMSG, w, 0, &msg),
			      "GETEVENTMSG: %m");
			gc = msg;
			seen_fork = 1;
			break;
		case SIGTRAP | (PTRACE_EVENT_EXEC << 8):
			CHECK(w == gc, "exec event from %d, child %d", w, gc);
			seen_exec = 1;
			break;
		case SIGTRAP | (PTRACE_EVENT_EXIT << 8):
			seen_exit++;
			break;
		case SIGSTOP:
			/* a new tracee starts with SIGSTOP: do not pass it */
			if (w == gc || !gc)
				gc_stop = 1;
			break;
		default:
			CHECK(!(st >> 16), "unexpected event %#x of %d", st, w);
			/* a signal (SIGCHLD): deliver it */
			CHECK(!ptrace(PTRACE_CONT, w, 0, WSTOPSIG(st)),
			      "CONT %d: %m", w);
			continue;
		}
		CHECK(!ptrace(PTRACE_CONT, w, 0, 0), "CONT %d: %m", w);
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "child exit status %#x", st);
	child = 0;
	CHECK(seen_fork && gc > 0, "no fork event");
	CHECK(gc_stop, "the new child was not traced from its start");
	CHECK(seen_exec, "no exec event");
	CHECK(seen_exit == 2, "%d exit events, expected 2", seen_exit);
	return 0;
}

/* ---- attaching to a running process, as gdb -p and strace -p do ---- */

static volatile unsigned long spins;

static int t_attach(void)
{
	struct user_regs_struct r;
	unsigned long before, after;
	int st;

	child = fork();
	if (child == 0)
		for (;;)
			spins++;
	usleep(20000);
	CHECK(!ptrace(PTRACE_ATTACH, child, 0, 0), "ATTACH: %m");
	st = wait_child();
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "status %#x", st);
	CHECK(!ptrace(PTRACE_GETREGS, child, 0, &r), "GETREGS: %m");
	errno = 0;
	before = ptrace(PTRACE_PEEKDATA, child, &spins, 0);
	CHECK(!errno && before > 0, "spins %lu: %m", before);
	CHECK(!ptrace(PTRACE_DETACH, child, 0, 0), "DETACH: %m");
	usleep(20000);
	/* PTRACE_SEIZE, then PTRACE_INTERRUPT: the way strace attaches */
	CHECK(!ptrace(PTRACE_SEIZE, child, 0, 0), "SEIZE: %m");
	CHECK(!ptrace(PTRACE_INTERRUPT, child, 0, 0), "INTERRUPT: %m");
	st = wait_child();
	CHECK(WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP,
	      "status %#x", st);
	after = ptrace(PTRACE_PEEKDATA, child, &spins, 0);
	CHECK(after > before, "the child did not run between: %lu %lu",
	      before, after);
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	child = 0;
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
	return 0;
}

/* ---- a benchmark: the cost of a system call stop pair ---- */

static long bench_calls;

static int child_bench(void)
{
	long i;

	for (i = 0; i < bench_calls; i++)
		syscall(SYS_getppid);
	return 0;
}

static int bench(long n)
{
	int st;

	bench_calls = n;
	if (start_traced(child_bench) < 0)
		return 1;
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, child, 0, 0))
			return 1;
		st = wait_child();
		if (!WIFSTOPPED(st))
			break;
	}
	return !(WIFEXITED(st) && !WEXITSTATUS(st));
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "syscall-regs", t_syscall_regs },
	{ "sysemu", t_sysemu },
	{ "int3-step", t_int3_step },
	{ "breakpoint", t_breakpoint },
	{ "fpregs", t_fpregs },
	{ "watchpoint", t_watchpoint },
	{ "events", t_events },
	{ "attach", t_attach },
};

int main(int argc, char **argv)
{
	int fails = 0, i, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "bench"))
		return bench(atol(argv[2]));
	for (i = 0; i < (int)(sizeof(tests) / sizeof(tests[0])); i++) {
		int want = argc < 2;

		for (j = 1; j < argc; j++)
			want |= !strcmp(argv[j], tests[i].name);
		if (!want)
			continue;
		test_name = tests[i].name;
		child = 0;
		if (tests[i].fn())
			fails++;
		else
			printf("ok %s\n", test_name);
	}
	return fails;
}
