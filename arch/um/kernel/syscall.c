// SPDX-License-Identifier: GPL-2.0
/*
 * System calls of guests: the x86_64 table and calling convention.
 *
 * The table is generated from arch/x86/entry/syscalls/syscall_64.tbl.
 * Entries this kernel does not build are weak and come out NULL, which
 * reads as -ENOSYS.  Arguments are in rdi, rsi, rdx, r10, r8, r9.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <asm/ptrace.h>
#include <asm/unistd.h>

#include "um.h"

typedef long (*uml_syscall_t)(long, long, long, long, long, long);

#define __SYSCALL(nr, sym)	extern long sym(void) __weak;
#define __SYSCALL_NORETURN(nr, sym) __SYSCALL(nr, sym)
#include <asm/syscall_table_64.h>
#undef __SYSCALL
#undef __SYSCALL_NORETURN

#define __SYSCALL(nr, sym)	[nr] = (void *)sym,
#define __SYSCALL_NORETURN(nr, sym) __SYSCALL(nr, sym)
static void * const syscall_table[NR_syscalls] = {
#include <asm/syscall_table_64.h>
};

void uml_syscall(struct pt_regs *regs)
{
	unsigned long nr = regs->orig_ax;
	uml_syscall_t fn;

	regs->ax = -ENOSYS;
	if (nr >= NR_syscalls || !syscall_table[nr])
		return;
	fn = (uml_syscall_t)syscall_table[nr];
	regs->ax = fn(regs->di, regs->si, regs->dx, regs->r10, regs->r8,
		      regs->r9);
}

