/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared between files of arch/um/kernel. */
#ifndef __UM_KERNEL_UM_H
#define __UM_KERNEL_UM_H

#include <linux/types.h>
#include <linux/mm_types.h>

void uml_mem_setup(unsigned long physmem_size);
/* boot_console.c: printk on the host's stdout until a console driver's */
void uml_boot_console_init(void);
int uml_copy_nofault_raw(void *dst, const void *src, unsigned long n);
extern char uml_nofault_begin[], uml_nofault_end[], uml_nofault_fixup[];
/* uaccess.c, or liblinux/uaccess.c in the library: for nofault.c */
long uml_user_string(char *dst, const char __user *src, long max);
struct page;
void *uml_user_page(unsigned long addr, bool write, struct page **pagep);



void uml_host_poweroff_request(void);
void uml_clockevent_start(void);
struct task_struct;
struct mm_struct;
void uml_mm_cpu_down(struct mm_struct *mm, int cpu);
#ifdef CONFIG_SMP
void uml_handle_ipis(void);
void uml_smp_setup(void);
/* handover.c: guest threads moving between CPUs */
bool uml_process_here(void);
int uml_on_process_cpu(struct task_struct *t,
		       int (*fn)(struct task_struct *t, void *arg), void *arg);
void uml_detach_cpu_processes(void);
#else
static inline void uml_handle_ipis(void) { }
static inline void uml_smp_setup(void) { }
static inline bool uml_process_here(void) { return true; }
static inline int uml_on_process_cpu(struct task_struct *t,
		int (*fn)(struct task_struct *t, void *arg), void *arg)
{
	return fn(t, arg);
}
#endif

struct mm_struct;
int uml_thread_process(void);
void uml_thread_process_lost(void);
void uml_flush_fault_range(struct mm_struct *mm, unsigned long start,
			   unsigned long end);
void uml_load_tsc_mode(int pid);	/* tsc_ctl.c */
struct vm_area_struct;
void uml_fault_ahead(struct vm_area_struct *vma, unsigned long addr,
		     vm_fault_t fault, unsigned int flags, unsigned long *start,
		     unsigned long *end);

struct pt_regs;
struct task_struct;
void uml_thread_start(void);	/* switch.S: a new task's first return */
void uml_new_task_tail(struct task_struct *prev, int (*fn)(void *),
		       void *arg);
void __noreturn uml_enter_user(struct pt_regs *regs);
void uml_syscall(struct pt_regs *regs);
void arch_do_signal_or_restart(struct pt_regs *regs);
#endif
