/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "CPU": one host thread running all kernel contexts.
 */
#ifndef __UM_PROCESSOR_H
#define __UM_PROCESSOR_H

#include <linux/types.h>
#include <asm/ptrace.h>
#include <asm/page.h>
#include <host/layout.h>

/*
 * Guests get the x86_64 user address range minus the top region, where
 * the ptrace layer keeps its stub pages.
 */
#define TASK_SIZE		UML_STUB_START
#define TASK_SIZE_MAX		TASK_SIZE
#define DEFAULT_MAP_WINDOW	TASK_SIZE
#define STACK_TOP		TASK_SIZE
#define STACK_TOP_MAX		TASK_SIZE
#define TASK_UNMAPPED_BASE	PAGE_ALIGN(TASK_SIZE / 3)

/**
 * struct uml_host_thread - the host process a guest thread runs on
 * @pid:   host pid (0: none yet)
 * @as_id: the host address space it belongs to (mm_context_t.as_id)
 * @own:   the process is this thread's alone (a clone), killed when the
 *         thread leaves its mm; else it is its mm's first process
 * @fp:    XSAVE image to load into the process before the thread first
 *         runs (a forked child's copy of its parent's state), or NULL
 * @debugreg: the debug registers loaded in @pid now (DR0-DR3, DR7):
 *         written again only when the thread's own differ
 * @tsc_sigsegv: the TSC mode of @pid now: 0 rdtsc runs, 1 it faults
 *         (the host's PR_SET_TSC), -1 not known (a clone of a process
 *         that had it off)
 * @cpu:   the CPU whose host thread traces @pid (ptrace binds a tracee
 *         to one thread), or -1 while it is handed over between CPUs
 *
 * The thread's FPU/vector registers live in that process; the kernel
 * reads or writes them only through kernel/fpu.c.
 */
struct uml_host_thread {
	int pid;
	bool own;
	u64 as_id;
	void *fp;
	unsigned long debugreg[8];
	int tsc_sigsegv;
	int cpu;
};

/**
 * struct thread_struct - per-task arch state
 * @sp:      kernel stack pointer saved by __switch_to() (kernel/switch.S)
 * @regs:    the task's user registers (guest tasks)
 * @fs_base: TLS base of the guest thread
 * @trap_no, @error_code, @cr2: the last fault, for signal frames
 * @debugreg: the x86 debug registers as a tracer set them (u_debugreg:
 *            DR0-DR3 addresses, DR6 status, DR7 control), loaded into
 *            its host process while the task runs
 * @tsc_sigsegv: PR_SET_TSC(PR_TSC_SIGSEGV) is in force: rdtsc faults
 *            (inherited by fork and kept across exec, as on x86_64)
 * @host:    the host process of a guest thread
 */
struct thread_struct {
	unsigned long sp;
	struct pt_regs regs;
	unsigned long fs_base;
	unsigned long trap_no, error_code, cr2;
	unsigned long debugreg[8];
	bool tsc_sigsegv;
	struct uml_host_thread host;
};

#define INIT_THREAD { }

#define task_pt_regs(tsk)	(&(tsk)->thread.regs)
#define KSTK_EIP(tsk)		(task_pt_regs(tsk)->ip)
#define KSTK_ESP(tsk)		(task_pt_regs(tsk)->sp)

extern void start_thread(struct pt_regs *regs, unsigned long ip,
			 unsigned long sp);

/* cpu_relax(): shared with the vDSO */
#include <asm/vdso/processor.h>

unsigned long __get_wchan(struct task_struct *p);

/* prctl(PR_GET_TSC / PR_SET_TSC): kernel/tsc_ctl.c */
int uml_get_tsc_mode(unsigned long adr);
int uml_set_tsc_mode(unsigned int mode);
#define GET_TSC_CTL(adr)	uml_get_tsc_mode(adr)
#define SET_TSC_CTL(mode)	uml_set_tsc_mode(mode)

struct cpuinfo_um {
	unsigned long loops_per_jiffy;
};
extern struct cpuinfo_um boot_cpu_data;
#define cpu_data(cpu)		boot_cpu_data
#define current_cpu_data	boot_cpu_data
#define cache_line_size()	L1_CACHE_BYTES

#endif
