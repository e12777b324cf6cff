/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The provider's limits on a machine and its accounting (docs/hosting.md):
 * memory given back to the host and resized live, the cap on guest tasks,
 * the figures of the management console's "stats" command.
 */
#ifndef __UM_HOSTING_H
#define __UM_HOSTING_H

#include <linux/seq_buf.h>
#include <linux/types.h>

struct task_struct;

/** uml_mem_returned_bytes() - bytes of freed memory given back so far */
u64 uml_mem_returned_bytes(void);

/** uml_balloon_bytes() - memory taken away from the guest by "config mem" */
u64 uml_balloon_bytes(void);

/**
 * uml_task_charge() - count a new task against the cap
 * @p: the task being created (PF_KTHREAD already decided)
 *
 * Kernel threads are not counted.
 * Return: 0, or -EAGAIN when the guest is at its cap.
 */
int uml_task_charge(struct task_struct *p);

/** uml_task_uncharge() - a counted task's structure is freed */
void uml_task_uncharge(struct task_struct *p);

/**
 * uml_tasks_usage() - the task figures
 * @now:  tasks counted now
 * @peak: the most at once since boot
 * @max:  the cap (0: none)
 */
void uml_tasks_usage(unsigned int *now, unsigned int *peak, unsigned int *max);

/** uml_stats() - the "stats" answer: one "key=value" line per figure */
void uml_stats(struct seq_buf *s);

#endif
