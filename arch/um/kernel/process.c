// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks: creating kernel contexts, the first run of a new task, idle.
 *
 * Every task has a kernel stack inside the kernel process; switching
 * tasks is switching stacks (switch.S).  A new task's stack is prepared
 * so that its first switch-in "returns" to uml_thread_start, which
 * finishes the switch and calls the task's function.
 */
#include <linux/cpu.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/sched/debug.h>
#include <linux/ptrace.h>
#include <linux/tick.h>
#include <asm/processor.h>
#include <asm/fpu.h>
#include <asm/hosting.h>
#include <host/irq.h>

#include "um.h"

/* what __switch_to() pops, lowest address first */
struct switch_frame {
	unsigned long r15, r14, r13, r12, bx, bp;
	unsigned long ret;
};

/* a new task starts with no host process of its own */
int arch_dup_task_struct(struct task_struct *dst, struct task_struct *src)
{
	*dst = *src;
	memset(&dst->thread.host, 0, sizeof(dst->thread.host));
	/* set by copy_thread(): uml_task_uncharge() looks at it */
	dst->thread.sp = 0;
	return 0;
}

void arch_release_task_struct(struct task_struct *tsk)
{
	uml_task_uncharge(tsk);
	uml_fpu_release(tsk);
}

int copy_thread(struct task_struct *p, const struct kernel_clone_args *args)
{
	struct switch_frame *frame;
	int err;

	/* the provider's cap on guest tasks (kernel/tasks.c) */
	err = uml_task_charge(p);
	if (err)
		return err;

	frame = (struct switch_frame *)(task_stack_page(p) + THREAD_SIZE) - 1;
	/* keep the ABI's alignment at the entry of the task's function */
	frame = (struct switch_frame *)(((unsigned long)frame & ~15UL) - 8);
	memset(frame, 0, sizeof(*frame));
	frame->ret = (unsigned long)uml_thread_start;

	if (args->fn) {
		/* a kernel thread, or init before its exec */
		memset(&p->thread.regs, 0, sizeof(p->thread.regs));
		frame->bx = (unsigned long)args->fn;
		frame->r12 = (unsigned long)args->fn_arg;
	} else {
		/* a guest fork or clone: the parent's registers, 0 returned */
		struct pt_regs *regs = &p->thread.regs;

		*regs = *current_pt_regs();
		regs->ax = 0;
		if (args->stack)
			regs->sp = args->stack;
		if (args->flags & CLONE_SETTLS)
			regs->fs_base = args->tls;
		/* as on x86_64: the FPU state at the time of the fork */
		uml_fpu_fork(p);
	}
	/* a tracer's breakpoints are not inherited */
	memset(p->thread.debugreg, 0, sizeof(p->thread.debugreg));
	p->thread.sp = (unsigned long)frame;
	return 0;
}

/**
 * uml_new_task_tail() - first code a new task runs, from uml_thread_start
 * @prev: the task switched away from
 * @fn:   the task's function
 * @arg:  its argument
 *
 * A kernel thread's function never returns.  The init task's returns
 * once it has exec'd init: that is its way to user mode.  A guest's fork
 * has no function and goes to user mode at once.
 */
void uml_new_task_tail(struct task_struct *prev, int (*fn)(void *), void *arg)
{
	schedule_tail(prev);
	if (fn)
		fn(arg);
	uml_enter_user(current_pt_regs());
}

void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->ip = ip;
	regs->sp = sp;
	regs->cs = 0x33;
	regs->ss = 0x2b;
	regs->flags = 0x202;
}
EXPORT_SYMBOL(start_thread);

/* exec: the new program's process starts with a fresh FPU state */
void flush_thread(void)
{
	current->thread.fs_base = 0;
	/* exec drops a tracer's breakpoints, as on x86_64 */
	memset(current->thread.debugreg, 0, sizeof(current->thread.debugreg));
	uml_fpu_release(current);
}

unsigned long __get_wchan(struct task_struct *p)
{
	unsigned long *sp = (unsigned long *)p->thread.sp;
	struct switch_frame *frame = (struct switch_frame *)sp;
	unsigned long bp = frame->bp;
	unsigned long stack = (unsigned long)task_stack_page(p);
	int depth = 0;

	/* walk the frame chain up from __switch_to to the first non-sched caller */
	while (bp >= stack && bp < stack + THREAD_SIZE - 16 && depth++ < 16) {
		unsigned long ip = ((unsigned long *)bp)[1];

		if (!in_sched_functions(ip))
			return ip;
		bp = ((unsigned long *)bp)[0];
	}
	return 0;
}

void arch_cpu_idle(void)
{
	host_idle_wait();
	raw_local_irq_disable();
}
