/* SPDX-License-Identifier: GPL-2.0 */
/* Guest executables: x86_64 ELF. */
#ifndef __UM_ELF_H
#define __UM_ELF_H

#include <linux/types.h>
#include <asm/ptrace.h>
#include <asm/user.h>

#define R_X86_64_NONE		0
#define R_X86_64_64		1
#define R_X86_64_PC32		2
#define R_X86_64_32		10
#define R_X86_64_32S		11

typedef unsigned long elf_greg_t;
#define ELF_NGREG		(sizeof(struct pt_regs) / sizeof(elf_greg_t))
typedef elf_greg_t elf_gregset_t[ELF_NGREG];
typedef struct { unsigned char state[512]; } elf_fpregset_t;

#define ELF_CLASS		ELFCLASS64
#define ELF_DATA		ELFDATA2LSB
#define ELF_ARCH		EM_X86_64
#define elf_check_arch(x)	((x)->e_machine == EM_X86_64)

#define ELF_EXEC_PAGESIZE	4096
#define ELF_ET_DYN_BASE		(TASK_SIZE / 3 * 2)
#define ELF_HWCAP		0
#define ELF_PLATFORM		"x86_64"
#define SET_PERSONALITY(ex)	set_personality(PER_LINUX | \
					(current->personality & ~PER_MASK))

#define ELF_PLAT_INIT(regs, load_addr)	do {			\
	(regs)->bx = 0; (regs)->cx = 0; (regs)->dx = 0;		\
	(regs)->si = 0; (regs)->di = 0; (regs)->bp = 0;		\
	(regs)->ax = 0; (regs)->r8 = 0; (regs)->r9 = 0;		\
	(regs)->r10 = 0; (regs)->r11 = 0; (regs)->r12 = 0;	\
	(regs)->r13 = 0; (regs)->r14 = 0; (regs)->r15 = 0;	\
} while (0)

/* the vDSO (kernel/vdso.c), announced to every program */
#define ARCH_HAS_SETUP_ADDITIONAL_PAGES 1
struct linux_binprm;
int arch_setup_additional_pages(struct linux_binprm *bprm, int uses_interp);

/* the size of a signal frame with the host CPU's whole XSAVE state */
unsigned long uml_sigframe_size(void);

#define ARCH_DLINFO do {						\
	if (current->mm->context.vdso)					\
		NEW_AUX_ENT(AT_SYSINFO_EHDR, current->mm->context.vdso); \
	NEW_AUX_ENT(AT_MINSIGSTKSZ, uml_sigframe_size());		\
} while (0)

/*
 * Core dumps write a note per regset of each thread (kernel/ptrace.c):
 * NT_PRSTATUS (struct pt_regs is elf_gregset_t's layout), NT_PRFPREG and
 * NT_X86_XSTATE, each read from the thread's own host process.
 */
#define CORE_DUMP_USE_REGSET

#endif
