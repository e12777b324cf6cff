// SPDX-License-Identifier: GPL-2.0
/*
 * System calls of guests: the x86_64 table and calling convention.
 *
 * The table is generated from arch/x86/entry/syscalls/syscall_64.tbl.
 * Entries this kernel does not build are weak and come out NULL, which
 * reads as -ENOSYS.  Arguments are in rdi, rsi, rdx, r10, r8, r9.
 *
 * Around each call runs the work x86_64's entry code does: a ptrace
 * report at entry (PTRACE_SYSCALL, PTRACE_SYSEMU), seccomp, the
 * sys_enter tracepoint and audit; at exit audit, the sys_exit tracepoint
 * and the ptrace report (or the single-step trap).  A tracer or a filter
 * may change the number or skip the call.
 */
#include <linux/audit.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <asm/ptrace.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#define CREATE_TRACE_POINTS
#include <trace/events/syscalls.h>

#include "um.h"

typedef long (*uml_syscall_t)(long, long, long, long, long, long);

#define __SYSCALL(nr, sym)	extern long sym(void) __weak;
#define __SYSCALL_NORETURN(nr, sym) __SYSCALL(nr, sym)
#include <asm/syscall_table_64.h>
#undef __SYSCALL
#undef __SYSCALL_NORETURN

#define __SYSCALL(nr, sym)	[nr] = (void *)sym,
#define __SYSCALL_NORETURN(nr, sym) __SYSCALL(nr, sym)
void * const sys_call_table[NR_syscalls] = {
#include <asm/syscall_table_64.h>
};

#define ENTRY_WORK	(_TIF_SYSCALL_TRACE | _TIF_SYSCALL_EMU | \
			 _TIF_SECCOMP | _TIF_SYSCALL_AUDIT | \
			 _TIF_SYSCALL_TRACEPOINT)
#define EXIT_WORK	(_TIF_SYSCALL_TRACE | _TIF_SINGLESTEP | \
			 _TIF_SYSCALL_AUDIT | _TIF_SYSCALL_TRACEPOINT)

/* Return: the number to run, or -1 to skip the call */
static long syscall_entry_work(struct pt_regs *regs, unsigned long work)
{
	long nr;

	if (work & (_TIF_SYSCALL_TRACE | _TIF_SYSCALL_EMU)) {
		if (ptrace_report_syscall_entry(regs) ||
		    (work & _TIF_SYSCALL_EMU))
			return -1;
	}
	/* ptrace first, so a filter sees what the tracer left */
	if ((work & _TIF_SECCOMP) && secure_computing() == -1)
		return -1;
	nr = syscall_get_nr(current, regs);
	if (work & _TIF_SYSCALL_TRACEPOINT)
		trace_sys_enter(regs, nr);
	audit_syscall_entry(nr, regs->di, regs->si, regs->dx, regs->r10);
	return nr;
}

static void syscall_exit_work(struct pt_regs *regs, unsigned long work)
{
	bool step;

	audit_syscall_exit(regs);
	if (work & _TIF_SYSCALL_TRACEPOINT)
		trace_sys_exit(regs, regs->ax);
	/* a PTRACE_SYSEMU call was reported at entry, step or not */
	step = (work & _TIF_SINGLESTEP) && !(work & _TIF_SYSCALL_EMU);
	if (step || (work & _TIF_SYSCALL_TRACE))
		ptrace_report_syscall_exit(regs, step);
}

void uml_syscall(struct pt_regs *regs)
{
	unsigned long work = read_thread_flags();
	long nr = (long)regs->orig_ax;
	uml_syscall_t fn;

	/* what a tracer sees at the entry stop, as on x86_64 */
	regs->ax = -ENOSYS;
	if (work & ENTRY_WORK)
		nr = syscall_entry_work(regs, work);

	if (nr >= 0 && nr < NR_syscalls && sys_call_table[nr]) {
		fn = (uml_syscall_t)sys_call_table[nr];
		regs->ax = fn(regs->di, regs->si, regs->dx, regs->r10,
			      regs->r8, regs->r9);
	}

	work = read_thread_flags();
	if (work & EXIT_WORK)
		syscall_exit_work(regs, work);
}

