// SPDX-License-Identifier: GPL-2.0
/* Offsets into kernel structures for switch.S. */
#include <linux/kbuild.h>
#include <linux/sched.h>

int main(void)
{
	OFFSET(TASK_THREAD_SP, task_struct, thread.sp);
	return 0;
}
