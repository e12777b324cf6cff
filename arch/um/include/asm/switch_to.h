/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_SWITCH_TO_H
#define __UM_SWITCH_TO_H

struct task_struct;

/**
 * __switch_to() - switch kernel stacks from @prev to @next
 * Return: the task that ran before this one resumed (its "prev").
 */
struct task_struct *__switch_to(struct task_struct *prev,
				struct task_struct *next);

#define switch_to(prev, next, last)		\
	((last) = __switch_to((prev), (next)))

#endif
