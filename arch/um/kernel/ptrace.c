// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace of guest tasks by guest tasks: the generic requests only, until
 * guest processes exist.
 */
#include <linux/elfcore.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <asm/fpu.h>

long arch_ptrace(struct task_struct *child, long request,
		 unsigned long addr, unsigned long data)
{
	return ptrace_request(child, request, addr, data);
}

void ptrace_disable(struct task_struct *child)
{
}

void user_disable_single_step(struct task_struct *child)
{
}

/* a core dump's NT_PRFPREG of each thread: read from its host process */
int elf_core_copy_task_fpregs(struct task_struct *t, elf_fpregset_t *fpu)
{
	return !uml_fpu_get_fx(t, fpu);
}
