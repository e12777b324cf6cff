// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel backtraces by frame pointer (the kernel is built with
 * -fno-omit-frame-pointer): each frame holds the caller's frame pointer
 * and the return address.  Walks stop at the end of the stack the walk
 * started on, at a zero return address, or when the chain goes down.
 */
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/task_stack.h>
#include <linux/stacktrace.h>
#include <asm/stacktrace.h>

#include "um.h"

/* the chain of frames from @bp, each above the last, inside [lo, hi) */
static void walk_frames(unsigned long bp, unsigned long lo, unsigned long hi,
			bool (*fn)(void *data, unsigned long addr), void *data)
{
	int depth = 0;

	while (bp >= lo && bp + 16 <= hi && !(bp & 7) && depth++ < 64) {
		unsigned long ret = ((unsigned long *)bp)[1];

		if (!ret || !__kernel_text_address(ret))
			break;
		if (!fn(data, ret))
			break;
		lo = bp + 16;
		bp = ((unsigned long *)bp)[0];
	}
}

void uml_walk_stack(unsigned long bp, unsigned long sp,
		    bool (*fn)(void *data, unsigned long addr), void *data)
{
	unsigned long stack = (unsigned long)task_stack_page(current);
	unsigned long hi;

	/* the walk stays on the stack it starts on: task or signal stack */
	if (sp >= stack && sp < stack + THREAD_SIZE)
		hi = stack + THREAD_SIZE;
	else
		hi = sp + THREAD_SIZE;
	walk_frames(bp, sp, hi, fn, data);
}

/*
 * The kernel stack of @task, switched out: its saved stack pointer points
 * at the switch frame (r15 r14 r13 r12 rbx rbp ret, kernel/switch.S),
 * whose rbp starts the chain.
 */
static void walk_task_stack(struct task_struct *task,
			    bool (*fn)(void *data, unsigned long addr),
			    void *data)
{
	unsigned long stack = (unsigned long)task_stack_page(task);
	unsigned long start = task->thread.sp;

	if (!stack || start < stack || start + 56 > stack + THREAD_SIZE)
		return;
	walk_frames(((unsigned long *)start)[5], start, stack + THREAD_SIZE,
		    fn, data);
}

static bool print_entry(void *data, unsigned long addr)
{
	printk("%s %pS\n", (const char *)data, (void *)addr);
	return true;
}

void show_stack(struct task_struct *task, unsigned long *sp,
		const char *loglvl)
{
	unsigned long bp;

	if (!task)
		task = current;
	printk("%sCall Trace:\n", loglvl);
	if (task == current) {
		bp = (unsigned long)__builtin_frame_address(0);
		uml_walk_stack(bp, (unsigned long)&bp, print_entry,
			       (void *)loglvl);
	} else {
		walk_task_stack(task, print_entry, (void *)loglvl);
	}
}

struct walk_ctx {
	stack_trace_consume_fn fn;
	void *cookie;
};

static bool consume(void *data, unsigned long addr)
{
	struct walk_ctx *ctx = data;

	return ctx->fn(ctx->cookie, addr);
}

void arch_stack_walk(stack_trace_consume_fn consume_entry, void *cookie,
		     struct task_struct *task, struct pt_regs *regs)
{
	struct walk_ctx ctx = { consume_entry, cookie };
	unsigned long bp;

	if (regs)
		return;
	if (!task || task == current) {
		bp = (unsigned long)__builtin_frame_address(0);
		uml_walk_stack(bp, (unsigned long)&bp, consume, &ctx);
	} else if (try_get_task_stack(task)) {
		/* one CPU: a task that is not current is switched out */
		walk_task_stack(task, consume, &ctx);
		put_task_stack(task);
	}
}
