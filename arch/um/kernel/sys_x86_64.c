// SPDX-License-Identifier: GPL-2.0
/* The x86_64 system calls that have no generic implementation. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <asm/prctl.h>
#include <asm/ptrace.h>

/* x86_64's mmap takes a byte offset; the generic code counts pages */
SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags,
		unsigned long, fd, unsigned long, byte_offset)
{
	return offset_in_page(byte_offset) ? -EINVAL :
		ksys_mmap_pgoff(addr, len, prot, flags, fd,
				PHYS_PFN(byte_offset));
}

SYSCALL_DEFINE2(arch_prctl, int, option, unsigned long, arg)
{
	struct pt_regs *regs = current_pt_regs();

	switch (option) {
	case ARCH_SET_FS:
		if (arg >= TASK_SIZE)
			return -EPERM;
		regs->fs_base = arg;
		current->thread.fs_base = arg;
		return 0;
	case ARCH_SET_GS:
		if (arg >= TASK_SIZE)
			return -EPERM;
		regs->gs_base = arg;
		return 0;
	case ARCH_GET_FS:
		return put_user(regs->fs_base, (unsigned long __user *)arg);
	case ARCH_GET_GS:
		return put_user(regs->gs_base, (unsigned long __user *)arg);
	default:
		return -EINVAL;
	}
}
