// SPDX-License-Identifier: GPL-2.0
/*
 * The way into user mode.
 *
 * Guest processes run as host processes traced with ptrace; that layer
 * is not written yet.  Until it is, the boot ends when init has been
 * loaded: the kernel says so and init sleeps, leaving an idle machine
 * that powers off cleanly when the host sends SIGTERM or SIGINT.
 */
#include <linux/kernel.h>
#include <linux/reboot.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <asm/ptrace.h>

#include "um.h"

void __noreturn uml_enter_user(struct pt_regs *regs)
{
	pr_notice("%s (pid %d) loaded, entry %#lx, stack %#lx\n",
		  current->comm, task_pid_nr(current), regs->ip, regs->sp);
	pr_notice("user mode is not implemented yet: the machine idles until the host sends SIGTERM or SIGINT (Ctrl-C) to power it off\n");
	for (;;)
		schedule_timeout_idle(MAX_SCHEDULE_TIMEOUT);
}
