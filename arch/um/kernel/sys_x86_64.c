// SPDX-License-Identifier: GPL-2.0
/* The x86_64 system calls that have no generic implementation. */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/security.h>
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
	case ARCH_GET_CPUID:
		return 1;	/* CPUID always executes */
	case ARCH_SET_CPUID:
		return -ENODEV;	/* as x86_64 on a CPU without CPUID faulting */
	default:
		return -EINVAL;
	}
}

/*
 * I/O ports.  The machine has none: guest code runs in host processes,
 * which never get the host's ports, so an in or out instruction faults
 * (SIGSEGV) whatever was granted.  The calls still check their arguments
 * and the caller's privilege as x86_64 does (EINVAL, EPERM), and then
 * succeed, granting access to ports nothing answers on.
 */
#define UML_IO_PORTS	65536

SYSCALL_DEFINE3(ioperm, unsigned long, from, unsigned long, num,
		int, turn_on)
{
	if (from + num <= from || from + num > UML_IO_PORTS)
		return -EINVAL;
	if (turn_on && (!capable(CAP_SYS_RAWIO) ||
			security_locked_down(LOCKDOWN_IOPORT)))
		return -EPERM;
	return 0;
}

SYSCALL_DEFINE1(iopl, unsigned int, level)
{
	if (level > 3)
		return -EINVAL;
	if (level && (!capable(CAP_SYS_RAWIO) ||
		      security_locked_down(LOCKDOWN_IOPORT)))
		return -EPERM;
	return 0;
}
