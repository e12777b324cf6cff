/* SPDX-License-Identifier: GPL-2.0 */
/*
 * current: one global, switched with the stack.  Host signals run on
 * their own stack, so current cannot be derived from the stack pointer.
 */
#ifndef __UM_CURRENT_H
#define __UM_CURRENT_H

#ifndef __ASSEMBLY__
struct task_struct;
extern struct task_struct *uml_current;

static __always_inline struct task_struct *get_current(void)
{
	return uml_current;
}
#define current get_current()
#endif

#endif
