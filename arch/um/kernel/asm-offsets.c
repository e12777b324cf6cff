// SPDX-License-Identifier: GPL-2.0
#include <linux/kbuild.h>
#include <linux/sched.h>

void foo(void)
{
	OFFSET(TASK_THREAD_SP, task_struct, thread.sp);
}
