/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_STACKTRACE_H
#define __UM_STACKTRACE_H

#include <linux/sched.h>

/**
 * uml_walk_stack() - call @fn on each return address of a kernel stack
 * @bp:   frame pointer to start from
 * @sp:   stack pointer to start from (bounds the walk to its stack)
 * @fn:   called with each address; returns false to stop
 * @data: passed to @fn
 */
void uml_walk_stack(unsigned long bp, unsigned long sp,
		    bool (*fn)(void *data, unsigned long addr), void *data);

#endif
