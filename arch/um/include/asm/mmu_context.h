/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_MMU_CONTEXT_H
#define __UM_MMU_CONTEXT_H

#include <linux/sched.h>
#include <asm/mm_hooks.h>

/* the host process of an mm is made when a task first runs in it */
#define init_new_context init_new_context
static inline int init_new_context(struct task_struct *tsk,
				   struct mm_struct *mm)
{
	mm->context.host_pid = 0;
	mm->context.host_cpu = 0;
	mm->context.host_used = false;
	mm->context.as_id = 0;
	mm->context.stub_page = NULL;
	mm->context.tsc_off = false;
	return 0;
}

void uml_thread_leave_mm(struct task_struct *tsk, struct mm_struct *mm);

/* a thread leaves @mm (exit, exec): its host process goes with it */
#define deactivate_mm deactivate_mm
static inline void deactivate_mm(struct task_struct *tsk,
				 struct mm_struct *mm)
{
	uml_thread_leave_mm(tsk, mm);
}

#define destroy_context destroy_context
void destroy_context(struct mm_struct *mm);

/*
 * Nothing to load: each guest thread runs on a host process of its own,
 * already in its mm's host address space.
 */
static inline void switch_mm(struct mm_struct *prev, struct mm_struct *next,
			     struct task_struct *tsk)
{
}

#include <asm-generic/mmu_context.h>

#endif
