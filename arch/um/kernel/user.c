// SPDX-License-Identifier: GPL-2.0
/*
 * User mode: running guest code.
 *
 * A task in user mode is a kernel context waiting for its mm's host
 * process (kernel/mmu.c) to stop.  uml_enter_user() loads the task's
 * registers into that process, lets it run under PTRACE_SYSEMU and
 * handles what stopped it: a system call (run here, in the kernel), a
 * fault (the generic fault handler, then the page is mapped in the host
 * process), any other fault signal (sent to the guest task), or a kick
 * from an interrupt that needs the task back in the kernel (a reschedule,
 * a signal).  Before each return to the guest it does the work the
 * generic code asks for: rescheduling, signal delivery, resume work.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <asm/tlbflush.h>
#include <linux/pid.h>
#include <linux/resume_user_mode.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <asm/ptrace.h>
#include <host/user.h>

#include "um.h"

/* how far around a fault changed entries are pushed to the host */
#define SYNC_AROUND	(16 * PAGE_SIZE)

#define EXIT_WORK	(_TIF_NEED_RESCHED | _TIF_SIGPENDING | \
			 _TIF_NOTIFY_SIGNAL | _TIF_NOTIFY_RESUME)

/* called by host_user_run() once the guest may be kicked */
void uml_user_enable_irqs(void)
{
	local_irq_enable();
}

static void exit_to_user_work(struct pt_regs *regs)
{
	unsigned long flags;

	for (;;) {
		local_irq_disable();
		flags = read_thread_flags();
		if (!(flags & EXIT_WORK))
			return;		/* with interrupts off */
		local_irq_enable();
		if (flags & _TIF_NEED_RESCHED)
			schedule();
		if (flags & (_TIF_SIGPENDING | _TIF_NOTIFY_SIGNAL))
			arch_do_signal_or_restart(regs);
		if (flags & _TIF_NOTIFY_RESUME)
			resume_user_mode_work(regs);
	}
}

static void bad_area(struct pt_regs *regs, unsigned long addr, int code)
{
	force_sig_fault(SIGSEGV, code, (void __user *)addr);
}

/*
 * Does this fault need the x86 error code (host_user_fault_detail())?
 * The host says only whether the page was missing on the host
 * (SEGV_MAPERR) or present without the access (SEGV_ACCERR).  That is
 * enough in a read-only area (a read or an instruction fetch: either is
 * mapped, or it is a SIGSEGV), and for SEGV_ACCERR in a writable area
 * whose page the host maps read-only (a write).  A missing page in a
 * writable area may be read or written; a fault that will be a SIGSEGV
 * wants the details for the signal frame.  Must not sleep: until the
 * task resumes, its host process still holds the undelivered SIGSEGV.
 */
static bool fault_needs_detail(struct mm_struct *mm,
			       struct host_stop_info *info)
{
	unsigned long addr = info->addr;
	struct vm_area_struct *vma;
	bool need = true;
	pte_t *pte;

	if (info->code != SEGV_MAPERR && info->code != SEGV_ACCERR)
		return false;		/* SI_KERNEL, or sent from outside */
	if (addr >= TASK_SIZE || !mmap_read_trylock(mm))
		return true;
	vma = vma_lookup(mm, addr);
	if (!vma) {
		need = true;		/* a SIGSEGV, or a stack to grow */
	} else if (!(vma->vm_flags & VM_WRITE)) {
		need = info->code == SEGV_ACCERR;	/* a SIGSEGV */
	} else if (info->code == SEGV_ACCERR) {
		/* writes are mapped already if the entry allows them */
		pte = uml_pte_lookup(mm, addr);
		need = pte && pte_present(*pte) && pte_write(*pte) &&
		       pte_dirty(*pte);
	}
	mmap_read_unlock(mm);
	return need;
}

/*
 * A guest access faulted.  With the x86 error code (info->err, from
 * host_user_fault_detail()) the kind of access is known; without it
 * (err < 0), fault_needs_detail() found that it does not matter: a fault
 * in a writable area is then a write.
 */
static void user_segv(struct pt_regs *regs, struct host_stop_info *info)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr = info->addr;
	unsigned int flags = FAULT_FLAG_DEFAULT | FAULT_FLAG_USER;
	unsigned long start, end;
	struct vm_area_struct *vma;
	vm_fault_t fault;

	if (addr >= TASK_SIZE) {
		bad_area(regs, addr, SEGV_MAPERR);
		return;
	}
	perf_sw_event(PERF_COUNT_SW_PAGE_FAULTS, 1, regs, addr);
retry:
	vma = lock_mm_and_find_vma(mm, addr, regs);
	if (!vma) {
		bad_area(regs, addr, SEGV_MAPERR);
		return;
	}
	if (info->err >= 0) {
		if (info->err & HOST_PF_WRITE) {
			if (!(vma->vm_flags & VM_WRITE))
				goto access_error;
			flags |= FAULT_FLAG_WRITE;
		} else if (info->err & HOST_PF_INSTR) {
			if (!(vma->vm_flags & VM_EXEC))
				goto access_error;
			flags |= FAULT_FLAG_INSTRUCTION;
		} else if (!(vma->vm_flags & (VM_READ | VM_EXEC | VM_WRITE))) {
			goto access_error;
		}
	} else if (vma->vm_flags & VM_WRITE) {
		flags |= FAULT_FLAG_WRITE;
	} else if (info->code == SEGV_ACCERR ||
		   !(vma->vm_flags & (VM_READ | VM_EXEC))) {
		goto access_error;
	}

	/*
	 * The fault may fill neighbouring entries too (fault-around of file
	 * pages): push those to the host with this one, or each would fault
	 * again just to be mapped.
	 */
	start = max(vma->vm_start, (addr & PAGE_MASK) - SYNC_AROUND);
	end = min(vma->vm_end, (addr & PAGE_MASK) + SYNC_AROUND);
	fault = handle_mm_fault(vma, addr, flags, regs);
	if (fault_signal_pending(fault, regs))
		return;
	if (fault & VM_FAULT_COMPLETED)
		goto mapped;
	if (fault & VM_FAULT_RETRY) {
		flags |= FAULT_FLAG_TRIED;
		goto retry;
	}
	if (!(fault & VM_FAULT_ERROR))
		uml_fault_ahead(vma, addr, fault, &start, &end);
	mmap_read_unlock(mm);
	if (fault & VM_FAULT_ERROR) {
		if (fault & VM_FAULT_OOM)
			pagefault_out_of_memory();
		else if (fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON))
			force_sig_fault(SIGBUS, BUS_ADRERR, (void __user *)addr);
		else
			bad_area(regs, addr, SEGV_MAPERR);
		return;
	}
mapped:
	uml_flush_user_range(mm, start, end);
	return;

access_error:
	mmap_read_unlock(mm);
	bad_area(regs, addr, SEGV_ACCERR);
}

#define DR6_RESERVED	0xffff0ff0UL

/* a debug trap (single step, watchpoint): what DR6 says, for a tracer */
static void user_debug_trap(struct host_stop_info *info)
{
	struct thread_struct *t = &current->thread;

	t->trap_no = 1;
	if (t->debugreg[7])
		t->debugreg[6] = host_user_get_dr6(current->mm->context.host_pid) ^
				 DR6_RESERVED;
	force_sig_fault(SIGTRAP, info->code, (void __user *)info->addr);
}

static void user_signal(struct pt_regs *regs, struct host_stop_info *info)
{
	struct thread_struct *t = &current->thread;

	if (info->code <= 0 && info->code != SI_KERNEL)
		return;		/* sent from outside (kill): not a fault */
	switch (info->signo) {
	case SIGSEGV:
		if (info->code == SI_KERNEL) {
			/* a general protection fault: no address */
			t->trap_no = info->trapno >= 0 ? info->trapno : 13;
			t->error_code = info->err >= 0 ? info->err : 0;
			force_sig(SIGSEGV);
			break;
		}
		if (info->trapno >= 0) {
			t->trap_no = info->trapno;
			t->error_code = info->err;
			t->cr2 = info->addr;
		}
		user_segv(regs, info);
		break;
	case SIGTRAP:
		if (info->code == SI_KERNEL) {
			/* int3, as x86_64 reports it */
			t->trap_no = 3;
			force_sig(SIGTRAP);
		} else {
			user_debug_trap(info);
		}
		break;
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
		force_sig_fault(info->signo, info->code, (void __user *)info->addr);
		break;
	default:
		/* a host signal sent to the process from outside: not ours */
		break;
	}
}

/*
 * Threads of a process share its host process, and with it the debug
 * registers: load the running thread's if they are not already there.
 */
static void load_debugregs(struct mm_struct *mm, int pid)
{
	unsigned long *want = current->thread.debugreg;
	unsigned long *have = mm->context.debugreg;

	if (want[0] == have[0] && want[1] == have[1] && want[2] == have[2] &&
	    want[3] == have[3] && want[7] == have[7])
		return;
	if (host_user_set_debugregs(pid, want))
		pr_warn_once("%s[%d]: the host refused the debug registers\n",
			     current->comm, task_pid_nr(current));
	memcpy(have, want, sizeof(mm->context.debugreg));
}

void __noreturn uml_enter_user(struct pt_regs *regs)
{
	struct host_stop_info info;
	int pid, stop;

	for (;;) {
		exit_to_user_work(regs);

		pid = current->mm->context.host_pid;
		if (pid <= 0) {
			/* making one allocates and may sleep: interrupts on */
			local_irq_enable();
			pid = uml_mm_process(current->mm);
			if (pid < 0) {
				pr_err("%s[%d]: no host process for its address space: %d\n",
				       current->comm, task_pid_nr(current), pid);
				force_sig(SIGKILL);
			}
			continue;	/* the exit work again, then run it */
		}

		load_debugregs(current->mm, pid);

		/* interrupts come back on inside, once a kick can reach it */
		uml_in_user = 1;
		stop = host_user_run(pid,
				     page_to_phys(current->mm->context.stub_page),
				     (unsigned long *)regs, &info,
				     test_thread_flag(TIF_SINGLESTEP));
		uml_in_user = 0;
		switch (stop) {
		case HOST_STOP_SYSCALL:
			uml_syscall(regs);
			break;
		case HOST_STOP_SIGNAL:
			if (info.signo == SIGSEGV &&
			    fault_needs_detail(current->mm, &info) &&
			    host_user_fault_detail(pid,
				page_to_phys(current->mm->context.stub_page),
				(unsigned long *)regs, &info))
				goto lost;
			user_signal(regs, &info);
			break;
		case HOST_STOP_KICK:
			break;
		default:
lost:
			local_irq_enable();
			pr_err("%s[%d]: host process %d of its address space died\n",
			       current->comm, task_pid_nr(current), pid);
			uml_mm_process_lost(current->mm);
			force_sig(SIGKILL);
			break;
		}
	}
}
