// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace-floor [CPU]: the least a system call can cost in any design that
 * emulates it through ptrace on this host.  A tracer and its tracee on
 * one CPU (as our kernel and its guests run by default); per call: the
 * tracee's syscall stops in PTRACE_SYSEMU, the tracer's waitpid returns,
 * PTRACE_GETREGS, a result written with PTRACE_SETREGS, PTRACE_SYSEMU
 * again.  That is the four host calls our kernel makes per guest call
 * (bench/user prints them), with no kernel work in between.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU 31
#endif

#define CALLS 200000

int main(int argc, char **argv)
{
	struct user_regs_struct regs;
	struct timespec t0, t1;
	cpu_set_t set;
	int status, i;
	pid_t child;

	CPU_ZERO(&set);
	CPU_SET(argc > 1 ? atoi(argv[1]) : 0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (!child) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (;;)
			syscall(SYS_getppid);
	}
	if (waitpid(child, &status, 0) != child || !WIFSTOPPED(status)) {
		fprintf(stderr, "ptrace-floor: the child did not stop\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < CALLS; i++) {
		if (ptrace(PTRACE_SYSEMU, child, 0, 0) ||
		    waitpid(child, &status, __WALL) != child ||
		    ptrace(PTRACE_GETREGS, child, 0, &regs)) {
			perror("ptrace-floor");
			kill(child, SIGKILL);
			return 1;
		}
		regs.rax = 1;
		ptrace(PTRACE_SETREGS, child, 0, &regs);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kill(child, SIGKILL);
	printf("ptrace floor: %.2f us per emulated system call (%d calls, one CPU)\n",
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) /
	       CALLS / 1000, CALLS);
	return 0;
}
