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
	mm->context.stub_page = NULL;
	return 0;
}

#define destroy_context destroy_context
void destroy_context(struct mm_struct *mm);

/* nothing to load: a guest's mm lives in its own host process */
static inline void switch_mm(struct mm_struct *prev, struct mm_struct *next,
			     struct task_struct *tsk)
{
}

#include <asm-generic/mmu_context.h>

#endif
