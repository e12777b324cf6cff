// SPDX-License-Identifier: GPL-2.0
/*
 * Faults of kernel code.
 *
 * A host SIGSEGV (or SIGBUS, SIGILL, SIGFPE, SIGTRAP) in kernel code that
 * no fixup covers arrives here, on the faulting task's stack, after the
 * host handler has returned.  It is an oops: registers and a symbolic
 * backtrace are printed, and the task dies, or the kernel panics when
 * the fault hit interrupt context or init.
 */
#include <linux/kernel.h>
#include <linux/kdebug.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched/task.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/task_stack.h>
#include <linux/signal.h>
#include <linux/smp.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>
#include <host/irq.h>

#include "um.h"

static const char *fault_name(int signo)
{
	switch (signo) {
	case SIGSEGV:	return "invalid memory access";
	case SIGBUS:	return "bus error";
	case SIGILL:	return "invalid opcode";
	case SIGFPE:	return "divide error";
	case SIGTRAP:	return "trap";
	default:	return "fault";
	}
}

static void show_fault_regs(struct host_fault_regs *r)
{
	pr_emerg("RIP: %016lx %pS\n", r->ip, (void *)r->ip);
	pr_emerg("RSP: %016lx EFLAGS: %08lx\n", r->sp, r->flags);
	pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx\n", r->ax, r->bx, r->cx);
	pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx\n", r->dx, r->si, r->di);
	pr_emerg("RBP: %016lx R08: %016lx R09: %016lx\n", r->bp, r->r8, r->r9);
	pr_emerg("R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	pr_emerg("R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
}

static bool print_frame(void *data, unsigned long addr)
{
	printk("%s %pS\n", (const char *)data, (void *)addr);
	return true;
}

void __noreturn uml_kernel_fault(struct host_fault_regs *r)
{
	struct host_fault_regs regs = *r;

	raw_local_irq_disable();
	oops_enter();
	console_verbose();
	pr_emerg("Oops: %s at address %016lx (host signal %d, trap %lu, error %#lx)\n",
		 fault_name(regs.signo), regs.addr, regs.signo, regs.trapno,
		 regs.err);
	print_modules();
	pr_emerg("CPU: %d PID: %d Comm: %s %s\n", raw_smp_processor_id(),
		 task_pid_nr(current), current->comm, print_tainted());
	show_fault_regs(&regs);
	pr_emerg("Call Trace:\n");
	print_frame(KERN_EMERG " ", regs.ip);
	uml_walk_stack(regs.bp, regs.sp, print_frame, KERN_EMERG " ");
	add_taint(TAINT_DIE, LOCKDEP_NOW_UNRELIABLE);
	oops_exit();

	if (in_interrupt())
		panic("Fatal exception in interrupt");
	if (panic_on_oops)
		panic("Fatal exception");
	raw_local_irq_enable();
	make_task_dead(regs.signo);
}

void show_regs(struct pt_regs *regs)
{
	show_regs_print_info(KERN_DEFAULT);
	pr_info("RIP: %016lx RSP: %016lx EFLAGS: %08lx\n", regs->ip, regs->sp,
		regs->flags);
	pr_info("RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->ax, regs->bx,
		regs->cx);
	pr_info("RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->dx, regs->si,
		regs->di);
}
