/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_THREAD_INFO_H
#define __UM_THREAD_INFO_H

#include <asm/page.h>

#define THREAD_SIZE_ORDER	CONFIG_KERNEL_STACK_ORDER
#define THREAD_SIZE		(PAGE_SIZE << THREAD_SIZE_ORDER)

#ifndef __ASSEMBLY__

/**
 * struct thread_info - the low-level flags of a task (kept in task_struct)
 * @flags:         TIF_* work flags
 * @syscall_work:  SYSCALL_WORK_* flags of the generic entry code
 * @preempt_count: 0 => preemptible, <0 => bug
 * @cpu:           the CPU the task runs on (or last ran on)
 */
struct thread_info {
	unsigned long flags;
	unsigned long syscall_work;
	int preempt_count;
#ifdef CONFIG_SMP
	u32 cpu;
#endif
};

#define INIT_THREAD_INFO(tsk)			\
{						\
	.flags		= 0,			\
	.preempt_count	= INIT_PREEMPT_COUNT,	\
}

#endif

#define TIF_SYSCALL_TRACE	0	/* syscall trace active */
#define TIF_SIGPENDING		1	/* signal pending */
#define TIF_NEED_RESCHED	2	/* rescheduling necessary */
#define TIF_NOTIFY_SIGNAL	3	/* signal notifications exist */
#define TIF_NOTIFY_RESUME	4	/* user return notifier */
#define TIF_RESTORE_SIGMASK	7
#define TIF_MEMDIE		8	/* is terminating due to OOM killer */
#define TIF_SYSCALL_AUDIT	9
#define TIF_SECCOMP		10
#define TIF_SINGLESTEP		11
#define TIF_POLLING_NRFLAG	12
#define TIF_SYSCALL_EMU		13	/* PTRACE_SYSEMU: report, then skip the call */
#define TIF_SYSCALL_TRACEPOINT	14	/* syscall tracepoints enabled */

#define _TIF_SYSCALL_TRACE	(1 << TIF_SYSCALL_TRACE)
#define _TIF_SIGPENDING		(1 << TIF_SIGPENDING)
#define _TIF_NEED_RESCHED	(1 << TIF_NEED_RESCHED)
#define _TIF_NOTIFY_SIGNAL	(1 << TIF_NOTIFY_SIGNAL)
#define _TIF_NOTIFY_RESUME	(1 << TIF_NOTIFY_RESUME)
#define _TIF_MEMDIE		(1 << TIF_MEMDIE)
#define _TIF_SYSCALL_AUDIT	(1 << TIF_SYSCALL_AUDIT)
#define _TIF_SECCOMP		(1 << TIF_SECCOMP)
#define _TIF_SINGLESTEP		(1 << TIF_SINGLESTEP)
#define _TIF_POLLING_NRFLAG	(1 << TIF_POLLING_NRFLAG)
#define _TIF_SYSCALL_EMU	(1 << TIF_SYSCALL_EMU)
#define _TIF_SYSCALL_TRACEPOINT	(1 << TIF_SYSCALL_TRACEPOINT)

#endif
