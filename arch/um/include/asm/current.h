/* SPDX-License-Identifier: GPL-2.0 */
/*
 * current: a field of this virtual CPU's block (host/cpu.h), read through
 * %gs.  Host signals run on their own stack, so current cannot be derived
 * from the stack pointer; __switch_to() writes it.
 */
#ifndef __UM_CURRENT_H
#define __UM_CURRENT_H

#ifndef __ASSEMBLY__
#include <host/cpu.h>

struct task_struct;

/*
 * Not volatile: a task sees itself as current for as long as it runs, so
 * the compiler may keep the value, even across a switch (the frame that
 * kept it belongs to the task that comes back).
 */
static __always_inline struct task_struct *get_current(void)
{
	struct task_struct *t;

	asm("movq %%gs:%c1, %0" : "=r" (t) : "i" (UML_SELF_TASK));
	return t;
}
#define current get_current()
#endif

#endif
