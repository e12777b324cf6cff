// SPDX-License-Identifier: GPL-2.0
/*
 * Guest address spaces as traced host processes.
 *
 * A process is started by exec'ing the stub executable from a memory file
 * (so it begins with nothing of the kernel in it), traced from its first
 * instruction, with the physical-memory file as descriptor
 * UML_STUB_PHYSMEM_FD.  The stub then unmaps what exec gave it below
 * itself and stops.  From there on the kernel either runs guest code in
 * it under PTRACE_SYSEMU or points it at a stub entry to make host system
 * calls (mmap, munmap, mprotect) on the guest's behalf.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <cpuid.h>
#include <elf.h>
#include <host/stub.h>
#include <host/mem.h>
#include <host/process.h>
#include <host/user.h>

#define KICK_SIGNAL	SIGWINCH

static int stub_fd = -1;
static struct user_regs_struct stub_regs;	/* valid segment registers */
/* where a new process runs until its exec, one per CPU: two may start at once */
static char child_stack[CONFIG_NR_CPUS][16384] __attribute__((aligned(16)));
/* the XSAVE state of a process fresh from exec: what a new program gets */
static char init_xstate[HOST_XSTATE_MAX] __attribute__((aligned(64)));
static int init_xstate_ok;

struct child_args {
	int memfd;
	int physfd;
};

/* runs in the new process, sharing our memory until exec: raw calls only */
static int stub_child(void *p)
{
	struct child_args *a = p;
	char *argv[] = { "uml-stub", NULL };
	char *envp[] = { NULL };
	unsigned long none = 0;

	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
	/* out of the kernel's process group: keyboard signals are not ours */
	syscall(SYS_setpgid, 0, 0);
	if (syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0))
		syscall(SYS_exit, 126);
	if (a->physfd == UML_STUB_PHYSMEM_FD)
		syscall(SYS_fcntl, a->physfd, F_SETFD, 0);
	else
		syscall(SYS_dup2, a->physfd, UML_STUB_PHYSMEM_FD);
	syscall(SYS_execveat, a->memfd, "", argv, envp, AT_EMPTY_PATH);
	syscall(SYS_exit, 127);
	return 0;
}

static int stub_memfd(void)
{
	size_t len = uml_stub_image_end - uml_stub_image;
	int fd;

	if (stub_fd >= 0)
		return stub_fd;
	fd = memfd_create("uml-stub", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, uml_stub_image, len) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	stub_fd = fd;
	return fd;
}

/*
 * Stops that only say the process was stopped from outside and carry
 * nothing for the kernel: a kick that came after the guest had stopped,
 * and the SIGSTOP of a hand-over between CPUs (host_user_detach()), seen
 * as a signal or, when the process had stopped before it was seized, as
 * a group stop.  Resuming the process without a signal drops them.
 */
static bool noise_stop(int sig)
{
	return sig == KICK_SIGNAL || sig == SIGSTOP;
}

/* the signal of the next stop of @pid, or -1 if it is gone */
static int wait_stop(int pid)
{
	int status;

	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFSTOPPED(status))
		return -1;
	return WSTOPSIG(status);
}

static int run_stub(int pid, unsigned long entry,
		    struct user_regs_struct *r)
{
	r->rip = entry;
	r->orig_rax = -1;
	if (ptrace(PTRACE_SETREGS, pid, 0, r) ||
	    ptrace(PTRACE_CONT, pid, 0, 0))
		return -errno;
	for (;;) {
		int sig = wait_stop(pid);

		if (sig == SIGTRAP)
			return 0;
		if (sig == SIGILL && entry == UML_STUB_BATCH)
			return 1;	/* a call of the batch failed */
		if (!noise_stop(sig) || ptrace(PTRACE_CONT, pid, 0, 0))
			return -ECHILD;
	}
}

static long stub_syscall(int pid, long nr, long a0, long a1, long a2,
			 long a3, long a4, long a5)
{
	struct user_regs_struct r = stub_regs;
	int err;

	r.rax = nr;
	r.rdi = a0;
	r.rsi = a1;
	r.rdx = a2;
	r.r10 = a3;
	r.r8 = a4;
	r.r9 = a5;
	err = run_stub(pid, UML_STUB_SYSCALL, &r);
	if (err)
		return err;
	if (ptrace(PTRACE_GETREGS, pid, 0, &r))
		return -errno;
	return r.rax;
}

/*
 * Processes of dead address spaces, emptied and kept for the next one:
 * an exec gives up one address space and asks for another at once, and
 * a host clone+exec of the stub is the dearest part of making one.
 * Each CPU keeps its own (a process can only be run by its tracer).
 */
#define SPARE_MAX	4
static struct {
	int pid[SPARE_MAX];
	int n;
} spare[CONFIG_NR_CPUS];

static void reap(int pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
}

/*
 * Clones whose thread left, kept for the next thread of the same address
 * space (named by its first process): thread pools come and go, and a
 * host clone and its reaping are the dear part of a thread's creation.
 * They stay with their first process when it becomes a spare, so the
 * next address space made from it has them too.  Per CPU, as the spares.
 */
#define KEPT_MAX	8
static struct {
	int first, pid;
} kept[CONFIG_NR_CPUS][KEPT_MAX];

static void kept_drop(int cpu, int first)
{
	int i;

	for (i = 0; i < KEPT_MAX; i++)
		if (kept[cpu][i].pid &&
		    (kept[cpu][i].first == first || first < 0)) {
			reap(kept[cpu][i].pid);
			kept[cpu][i].pid = 0;
		}
}

void host_user_destroy(int cpu, int pid, int keep_clones)
{
	if (pid <= 0)
		return;
	if (!keep_clones)
		kept_drop(cpu, pid);
	if (spare[cpu].n < SPARE_MAX &&
	    !stub_syscall(pid, SYS_munmap, 0, UML_STUB_START, 0, 0, 0, 0) &&
	    !stub_syscall(pid, SYS_munmap, UML_STUB_DATA, UML_STUB_DATA_SIZE,
			  0, 0, 0, 0)) {
		spare[cpu].pid[spare[cpu].n++] = pid;
		return;
	}
	kept_drop(cpu, pid);
	reap(pid);
}

void host_user_cpu_release(int cpu)
{
	kept_drop(cpu, -1);
	while (spare[cpu].n)
		reap(spare[cpu].pid[--spare[cpu].n]);
}

static int map_data_page(int pid, unsigned long data_phys)
{
	/*
	 * Read-only here: the kernel writes it through its own mapping of
	 * physical memory, and a guest thread running while the stub runs
	 * a batch in another process of its address space cannot rewrite
	 * the list.
	 */
	long ret = stub_syscall(pid, SYS_mmap, UML_STUB_DATA, UML_STUB_DATA_SIZE,
				PROT_READ, MAP_SHARED | MAP_FIXED,
				UML_STUB_PHYSMEM_FD, data_phys);

	return ret == (long)UML_STUB_DATA ? 0 : -ECHILD;
}

/*
 * The stub's own code page is the only place host system calls may come
 * from.  Guest system calls stop in PTRACE_SYSEMU before seccomp is
 * consulted, so this only ever sees the stub's calls, and what the host
 * runs without a system-call stop: the legacy vsyscall page, which would
 * otherwise tell a guest the host's time.  Those get ENOSYS.
 */
static int stub_seccomp(int pid, unsigned long data_phys)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer) + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, UML_STUB_START >> 32, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, instruction_pointer)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
			 (unsigned int)UML_STUB_START, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
			 (unsigned int)UML_STUB_DATA, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	/* the program goes through the data page, shared with the stub */
	char *page = (char *)(UML_PHYSMEM_BASE + data_phys);
	struct sock_fprog prog = {
		.len = sizeof(filter) / sizeof(filter[0]),
		.filter = (struct sock_filter *)(UML_STUB_DATA + 64),
	};
	long ret;

	memcpy(page, &prog, sizeof(prog));
	memcpy(page + 64, filter, sizeof(filter));
	ret = stub_syscall(pid, SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
	if (!ret)
		ret = stub_syscall(pid, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   0, UML_STUB_DATA, 0, 0, 0);
	memset(page, 0, 64 + sizeof(filter));
	return ret;
}

int host_user_create(int cpu, unsigned long data_phys)
{
	struct child_args a = { .physfd = host_physmem_fd() };
	int pid;

	while (spare[cpu].n) {
		pid = spare[cpu].pid[--spare[cpu].n];
		if (!map_data_page(pid, data_phys))
			return pid;
		kept_drop(cpu, pid);
		reap(pid);
	}
	/* pin=on pins this CPU's thread; the processes it makes inherit it */
	host_pin_to_cpu(cpu);
	a.memfd = stub_memfd();
	if (a.memfd < 0)
		return a.memfd;
	pid = clone(stub_child, child_stack[cpu] + sizeof(child_stack[cpu]),
		    CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
	if (pid < 0)
		return -errno;
	/* stopped after exec; the stub has not run yet */
	if (wait_stop(pid) != SIGTRAP)
		goto fail;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0,
		   PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD) ||
	    ptrace(PTRACE_CONT, pid, 0, 0) || wait_stop(pid) != SIGTRAP)
		goto fail;
	if (!stub_regs.cs && ptrace(PTRACE_GETREGS, pid, 0, &stub_regs))
		goto fail;
	if (!init_xstate_ok && !host_user_get_xstate(pid, init_xstate))
		init_xstate_ok = 1;
	if (map_data_page(pid, data_phys) || stub_seccomp(pid, data_phys))
		goto fail;
	return pid;
fail:
	reap(pid);
	return -ECHILD;
}

int host_user_clone(int cpu, int first, int pid)
{
	struct user_regs_struct r = stub_regs;
	int i, child, sig;

	for (i = 0; i < KEPT_MAX; i++)
		if (kept[cpu][i].pid && kept[cpu][i].first == first) {
			child = kept[cpu][i].pid;
			kept[cpu][i].pid = 0;
			return child;
		}

	/*
	 * A child of ours (CLONE_PARENT), traced by us with the options of
	 * its parent (CLONE_PTRACE), in the same host address space: it
	 * inherits the seccomp filter, the fault handler, the process group
	 * and descriptor 3.  It starts stopped; continued, it sets its
	 * signal stack and stops at the stub's breakpoint.
	 */
	r.rax = SYS_clone;
	r.rdi = CLONE_VM | CLONE_PARENT | CLONE_PTRACE | SIGCHLD;
	r.rsi = 0;
	r.rdx = 0;
	r.r10 = 0;
	r.r8 = 0;
	if (run_stub(pid, UML_STUB_CLONE, &r) ||
	    ptrace(PTRACE_GETREGS, pid, 0, &r))
		return -ECHILD;
	child = r.rax;
	if (child <= 0)
		return child < 0 ? child : -ECHILD;
	/*
	 * The first stop: a SIGSTOP, or, when @pid was seized (a first
	 * process attached after its CPU went offline), PTRACE_EVENT_STOP.
	 */
	sig = wait_stop(child);
	if ((sig != SIGSTOP && sig != SIGTRAP) ||
	    ptrace(PTRACE_CONT, child, 0, 0) ||
	    wait_stop(child) != SIGTRAP ||
	    ptrace(PTRACE_GETREGS, child, 0, &r) || r.rax ||
	    (cpu && stub_syscall(child, SYS_sigaltstack,
				 UML_STUB_SIGSTACK_T(cpu), 0, 0, 0, 0, 0))) {
		reap(child);
		return -ECHILD;
	}
	return child;
}

int host_user_fault_info(int pid, struct host_stop_info *info)
{
	struct user_regs_struct r;

	/* deliver the fault to the stub's handler, which traps back */
	if (ptrace(PTRACE_CONT, pid, 0, info->signo))
		return -errno;
	for (;;) {
		int sig = wait_stop(pid);

		if (sig == SIGTRAP)
			break;
		if (!noise_stop(sig) || ptrace(PTRACE_CONT, pid, 0, 0))
			return -ECHILD;
	}
	if (ptrace(PTRACE_GETREGS, pid, 0, &r))
		return -errno;
	if (r.rip != UML_STUB_FAULT_TRAP + 1)
		return -EIO;
	info->err = r.rax;
	info->trapno = r.rdx;
	info->cr2 = r.rsi;
	return 0;
}

void host_user_kill(int pid)
{
	if (pid > 0)
		reap(pid);
}

void host_user_clone_done(int cpu, int first, int pid)
{
	int i;

	for (i = 0; i < KEPT_MAX; i++)
		if (!kept[cpu][i].pid) {
			kept[cpu][i].first = first;
			kept[cpu][i].pid = pid;
			return;
		}
	reap(pid);
}

int host_user_batch(int pid)
{
	struct user_regs_struct r = stub_regs;
	int ret = run_stub(pid, UML_STUB_BATCH, &r);

	if (ret <= 0)
		return ret;
	if (ptrace(PTRACE_GETREGS, pid, 0, &r) || (long)r.rax >= 0)
		return -ECHILD;
	return r.rax;
}

int host_user_run(int pid, unsigned long *regs, struct host_stop_info *info,
		  int step)
{
	struct user_regs_struct *r = (struct user_regs_struct *)regs;
	siginfo_t si;
	int sig;

	/* no host restart logic: the kernel has settled the system call */
	r->orig_rax = -1;
	if (ptrace(PTRACE_SETREGS, pid, 0, r)) {
		uml_user_enable_irqs();
		return HOST_STOP_GONE;
	}
	uml_user_enable_irqs();
	if (ptrace(step ? PTRACE_SYSEMU_SINGLESTEP : PTRACE_SYSEMU, pid, 0, 0))
		return HOST_STOP_GONE;
	sig = wait_stop(pid);
	if (sig < 0 || ptrace(PTRACE_GETREGS, pid, 0, r))
		return HOST_STOP_GONE;
	if (sig == (SIGTRAP | 0x80))
		return HOST_STOP_SYSCALL;
	if (noise_stop(sig))
		return HOST_STOP_KICK;
	memset(info, 0, sizeof(*info));
	info->signo = sig;
	info->trapno = -1;
	info->err = -1;
	info->cr2 = 0;
	if (!ptrace(PTRACE_GETSIGINFO, pid, 0, &si)) {
		info->code = si.si_code;
		info->addr = (unsigned long)si.si_addr;
	}
	return HOST_STOP_SIGNAL;
}

void host_user_kick(int pid)
{
	if (pid > 0)
		kill(pid, KICK_SIGNAL);
}

int host_user_detach(int pid)
{
	/*
	 * The SIGSTOP is queued while the process is still in its
	 * ptrace-stop, so whatever stop that was (a system call, a signal,
	 * the stub's breakpoint), it stops again before it runs a single
	 * instruction of its own.
	 */
	if (kill(pid, SIGSTOP) || ptrace(PTRACE_DETACH, pid, 0, 0))
		return -errno;
	return 0;
}

int host_user_attach(int pid, int cpu)
{
	cpu_set_t cpus;
	long ret;

	host_pin_to_cpu(cpu);
	if (ptrace(PTRACE_SEIZE, pid, 0,
		   PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD))
		return -errno;
	/* the SIGSTOP, as a signal or as a group stop */
	if (wait_stop(pid) != SIGSTOP)
		return -ECHILD;
	/*
	 * The host CPUs it may run on are this thread's (pinned with pin=on,
	 * and the processes it makes inherit that): raw calls, the kernel
	 * has functions of these names.
	 */
	if (syscall(SYS_sched_getaffinity, 0, sizeof(cpus), &cpus) > 0)
		syscall(SYS_sched_setaffinity, pid, sizeof(cpus), &cpus);
	/* the fault handler's stack is the one of the tracing CPU */
	ret = stub_syscall(pid, SYS_sigaltstack, UML_STUB_SIGSTACK_T(cpu),
			   0, 0, 0, 0, 0);
	return ret ? -ECHILD : 0;
}

int host_user_get_fp(int pid, void *fp)
{
	return ptrace(PTRACE_GETFPREGS, pid, 0, fp) ? -errno : 0;
}

int host_user_set_fp(int pid, const void *fp)
{
	return ptrace(PTRACE_SETFPREGS, pid, 0, fp) ? -errno : 0;
}

/*
 * The whole XSAVE state, in the standard (non-compacted) format of
 * PTRACE_GETREGSET NT_X86_XSTATE.  Its size is what CPUID leaf 0xd says
 * the features enabled in XCR0 take; the host's regset has that size.
 */
static unsigned int xstate_size;

unsigned int host_user_xstate_size(void)
{
	unsigned int a, b, c, d;

	if (xstate_size)
		return xstate_size;
	xstate_size = HOST_FP_SIZE;
	if (__get_cpuid_max(0, NULL) >= 0xd) {
		__cpuid_count(0xd, 0, a, b, c, d);
		if (b > HOST_FP_SIZE && b <= HOST_XSTATE_MAX)
			xstate_size = b;
	}
	return xstate_size;
}

int host_user_get_xstate(int pid, void *buf)
{
	struct iovec iov = { buf, host_user_xstate_size() };

	if (ptrace(PTRACE_GETREGSET, pid, NT_X86_XSTATE, &iov))
		return -errno;
	if (iov.iov_len < host_user_xstate_size())
		memset((char *)buf + iov.iov_len, 0,
		       host_user_xstate_size() - iov.iov_len);
	return 0;
}

int host_user_set_xstate(int pid, const void *buf)
{
	struct iovec iov = { (void *)buf, host_user_xstate_size() };

	if (!buf) {
		if (!init_xstate_ok)
			return -ENOENT;
		iov.iov_base = init_xstate;
	}
	if (ptrace(PTRACE_SETREGSET, pid, NT_X86_XSTATE, &iov))
		return -errno;
	return 0;
}

#define DR_OFFSET(n)	(offsetof(struct user, u_debugreg) + (n) * sizeof(long))

int host_user_set_debugregs(int pid, const unsigned long *dr)
{
	int n;

	/* DR7 last when it enables, first when it disables */
	if (!dr[7] && ptrace(PTRACE_POKEUSER, pid, DR_OFFSET(7), 0))
		return -errno;
	for (n = 0; n < 4; n++)
		if (ptrace(PTRACE_POKEUSER, pid, DR_OFFSET(n), dr[n]))
			return -errno;
	if (dr[7] && ptrace(PTRACE_POKEUSER, pid, DR_OFFSET(7), dr[7]))
		return -errno;
	return 0;
}

int host_user_set_tsc(int pid, int sigsegv)
{
	return stub_syscall(pid, SYS_prctl, PR_SET_TSC,
			    sigsegv ? PR_TSC_SIGSEGV : PR_TSC_ENABLE,
			    0, 0, 0, 0);
}

unsigned long host_user_get_dr6(int pid)
{
	long v;

	errno = 0;
	v = ptrace(PTRACE_PEEKUSER, pid, DR_OFFSET(6), 0);
	return errno ? 0 : v;
}

/* the probe's target: written by the probe's child, watched by us */
static volatile int dr_probe_word;

static int probe_wait(pid_t pid, int *st)
{
	pid_t r;

	do {
		r = waitpid(pid, st, __WALL);
	} while (r < 0 && errno == EINTR);
	return r == pid ? 0 : -errno;
}

/*
 * The probe's child shares our memory (CLONE_VM) and runs on its own
 * stack: a forked copy would run on this kernel stack, which lives in the
 * shared physical memory, and scribble on it under our feet.  Raw system
 * calls only, so nothing of the C library's state is touched.
 */
static char dr_probe_stack[8192] __attribute__((aligned(16)));

static int dr_probe_child(void *arg)
{
	if (syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0) == 0) {
		syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
		dr_probe_word = 1;
	}
	syscall(SYS_exit, 0);
	return 0;
}

int host_debugregs_fire(void)
{
	/* L0, break on writes, 4 bytes */
	unsigned long dr7 = 1 | (1UL << 16) | (3UL << 18);
	sigset_t all, old;
	int st, fired = 0;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = clone(dr_probe_child, dr_probe_stack + sizeof(dr_probe_stack),
		    CLONE_VM | SIGCHLD, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return -errno;
	if (probe_wait(pid, &st))
		return -errno;
	if (!WIFSTOPPED(st))
		return 0;
	if (!ptrace(PTRACE_POKEUSER, pid, DR_OFFSET(0), &dr_probe_word) &&
	    !ptrace(PTRACE_POKEUSER, pid, DR_OFFSET(7), dr7) &&
	    !ptrace(PTRACE_CONT, pid, 0, 0)) {
		if (probe_wait(pid, &st))
			return -errno;
		if (!WIFSTOPPED(st))
			return 0;
		fired = WSTOPSIG(st) == SIGTRAP &&
			(host_user_get_dr6(pid) & 1);
	}
	/* still stopped (or never continued): not reaped yet */
	kill(pid, SIGKILL);
	while (!probe_wait(pid, &st) && !WIFEXITED(st) && !WIFSIGNALED(st))
		;
	return fired;
}
