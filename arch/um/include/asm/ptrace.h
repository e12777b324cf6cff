/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registers of a task as the kernel sees them.
 *
 * struct pt_regs is laid out exactly as the host's struct
 * user_regs_struct (the PTRACE_GETREGS layout on x86_64), so the ptrace
 * layer moves a guest thread's registers in and out with one host call.
 */
#ifndef __UM_PTRACE_H
#define __UM_PTRACE_H

/* the x86_64 request numbers (PTRACE_GETREGS, PTRACE_SYSEMU, ...) */
#include <asm/ptrace-abi.h>

#ifndef __ASSEMBLY__

struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
	unsigned long fs_base, gs_base, ds, es, fs, gs;
};

#define user_mode(regs)			((regs)->cs != 0)
#define instruction_pointer(regs)	((regs)->ip)
#define user_stack_pointer(regs)	((regs)->sp)
#define profile_pc(regs)		instruction_pointer(regs)
#define current_user_stack_pointer()	user_stack_pointer(current_pt_regs())
#define current_pt_regs()		task_pt_regs(current)
#define arch_has_single_step()		(1)

static inline void instruction_pointer_set(struct pt_regs *regs,
					   unsigned long val)
{
	regs->ip = val;
}

/* a function, not a macro: audit passes a void * */
static inline unsigned long regs_return_value(struct pt_regs *regs)
{
	return regs->ax;
}

static inline long regs_get_register(struct pt_regs *regs, unsigned int off)
{
	return *(unsigned long *)((char *)regs + off);
}

extern void show_regs(struct pt_regs *regs);

#endif /* __ASSEMBLY__ */
#endif
