// SPDX-License-Identifier: GPL-2.0
/*
 * seccomp-test: seccomp in the guest, strict mode and every filter action.
 *
 *   seccomp-test [NAME...]   run the named checks (default: all)
 *
 * Each check runs in a forked child, which installs the filter (on itself
 * only) and reports through its exit status.  Prints "ok NAME" or
 * "FAIL NAME: why"; the exit status is the number of failures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

static const char *test_name;

#define FAIL(...) do {							\
	printf("FAIL %s: ", test_name);					\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	return 1;							\
} while (0)

/* a filter: on x86_64, for system call @nr return @action, else allow */
static int install(int nr, unsigned int action, unsigned int flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* run fn in a child; returns its wait status */
static int in_child(int (*fn)(void))
{
	int st;
	pid_t p = fork();

	if (p == 0)
		_exit(fn());
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return st;
}

/* ---- strict mode: read, write, exit, sigreturn only ---- */

static int c_strict(void)
{
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT))
		return 2;
	if (write(1, "", 0) != 0)
		syscall(SYS_exit, 3);
	syscall(SYS_getpid);		/* killed here */
	syscall(SYS_exit, 4);
	return 5;
}

static int t_strict(void)
{
	int st = in_child(c_strict);

	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		FAIL("status %#x, expected SIGKILL", st);
	return 0;
}

/* ---- KILL_PROCESS ---- */

static int c_kill(void)
{
	if (install(SYS_getppid, SECCOMP_RET_KILL_PROCESS, 0))
		return 2;
	syscall(SYS_getppid);
	return 3;
}

static int t_kill(void)
{
	int st = in_child(c_kill);

	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
		FAIL("status %#x, expected death by SIGSYS", st);
	return 0;
}

/* ---- TRAP: SIGSYS with the call's details ---- */

static volatile int trap_ok;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	trap_ok = si->si_signo == SIGSYS && si->si_code == 1 /* SYS_SECCOMP */ &&
		  si->si_syscall == SYS_getppid &&
		  si->si_arch == AUDIT_ARCH_X86_64 && si->si_errno == 42 &&
		  si->si_call_addr != NULL;
}

static int c_trap(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys,
				.sa_flags = SA_SIGINFO };

	sigaction(SIGSYS, &sa, NULL);
	if (install(SYS_getppid, SECCOMP_RET_TRAP | 42, 0))
		return 2;
	syscall(SYS_getppid);
	return trap_ok ? 0 : 3;
}

static int t_trap(void)
{
	int st = in_child(c_trap);

	if (!WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("status %#x: the SIGSYS handler saw wrong siginfo", st);
	return 0;
}

/* ---- ERRNO, LOG, ALLOW ---- */

static int c_errno(void)
{
	long r;

	if (install(SYS_getppid, SECCOMP_RET_ERRNO | 77, 0))
		return 2;
	errno = 0;
	r = syscall(SYS_getppid);
	if (r != -1 || errno != 77)
		return 3;
	/* other calls still work */
	return syscall(SYS_getpid) == getpid() && getpid() > 0 ? 0 : 4;
}

static int t_errno(void)
{
	int st = in_child(c_errno);

	if (!WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("status %#x", st);
	return 0;
}

static int c_log(void)
{
	if (install(SYS_getppid, SECCOMP_RET_LOG, 0))
		return 2;
	if (install(SYS_getpid, SECCOMP_RET_ALLOW, 0))
		return 3;
	return syscall(SYS_getppid) > 0 && syscall(SYS_getpid) > 0 ? 0 : 4;
}

static int t_log_allow(void)
{
	int st = in_child(c_log);

	if (!WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("status %#x", st);
	return 0;
}

/* ---- TRACE: the tracer decides ---- */

static int c_trace(void)
{
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	if (install(SYS_getppid, SECCOMP_RET_TRACE | 0x55, 0))
		return 2;
	return syscall(SYS_getppid) == 4242 ? 0 : 3;
}

static int t_trace(void)
{
	struct user_regs_struct r;
	unsigned long msg = 0;
	int st;
	pid_t p = fork();

	if (p == 0)
		_exit(c_trace());
	if (waitpid(p, &st, 0) != p || !WIFSTOPPED(st))
		FAIL("child did not stop");
	ptrace(PTRACE_SETOPTIONS, p, 0, PTRACE_O_TRACESECCOMP);
	ptrace(PTRACE_CONT, p, 0, 0);
	if (waitpid(p, &st, 0) != p ||
	    st >> 8 != (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
		kill(p, SIGKILL);
		FAIL("no seccomp event stop: status %#x", st);
	}
	ptrace(PTRACE_GETEVENTMSG, p, 0, &msg);
	ptrace(PTRACE_GETREGS, p, 0, &r);
	if (msg != 0x55 || r.orig_rax != SYS_getppid) {
		kill(p, SIGKILL);
		FAIL("event data %#lx, call %lld", msg, r.orig_rax);
	}
	r.orig_rax = -1;	/* skip it, with our own result */
	r.rax = 4242;
	ptrace(PTRACE_SETREGS, p, 0, &r);
	ptrace(PTRACE_CONT, p, 0, 0);
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("status %#x", st);
	return 0;
}

/* ---- USER_NOTIF: a supervisor answers for the call ---- */

static int c_notif(void)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int fd, st;
	pid_t p;

	fd = install(SYS_getppid, SECCOMP_RET_USER_NOTIF,
		     SECCOMP_FILTER_FLAG_NEW_LISTENER);
	if (fd < 0)
		return 2;
	p = fork();
	if (p == 0)
		_exit(syscall(SYS_getppid) == 31337 ? 0 : 1);
	memset(&req, 0, sizeof(req));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req))
		return 3;
	if (req.data.nr != SYS_getppid || req.pid != p ||
	    req.data.arch != AUDIT_ARCH_X86_64)
		return 4;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.val = 31337;
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp))
		return 5;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return 6;
	return WEXITSTATUS(st) ? 7 : 0;
}

static int t_user_notif(void)
{
	int st = in_child(c_notif);

	if (!WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("status %#x", st);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "strict", t_strict },
	{ "kill", t_kill },
	{ "trap", t_trap },
	{ "errno", t_errno },
	{ "log-allow", t_log_allow },
	{ "trace", t_trace },
	{ "user-notif", t_user_notif },
};

int main(int argc, char **argv)
{
	int fails = 0, i, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < (int)(sizeof(tests) / sizeof(tests[0])); i++) {
		int want = argc < 2;

		for (j = 1; j < argc; j++)
			want |= !strcmp(argv[j], tests[i].name);
		if (!want)
			continue;
		test_name = tests[i].name;
		if (tests[i].fn())
			fails++;
		else
			printf("ok %s\n", test_name);
	}
	return fails;
}
