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
 * A guest access faulted.  The host does not say whether it was a write,
 * only whether the page was missing (SEGV_MAPERR) or present without the
 * access (SEGV_ACCERR): a fault on a writable area is taken as a write,
 * which costs at most an early copy of a private page.
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
	if (vma->vm_flags & VM_WRITE) {
		flags |= FAULT_FLAG_WRITE;
	} else if (info->code == SEGV_ACCERR ||
		   !(vma->vm_flags & (VM_READ | VM_EXEC))) {
		mmap_read_unlock(mm);
		bad_area(regs, addr, SEGV_ACCERR);
		return;
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
}

static void user_signal(struct pt_regs *regs, struct host_stop_info *info)
{
	switch (info->signo) {
	case SIGSEGV:
		user_segv(regs, info);
		break;
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
		force_sig_fault(info->signo, info->code, (void __user *)info->addr);
		break;
	default:
		/* a host signal sent to the process from outside: not ours */
		break;
	}
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

		/* interrupts come back on inside, once a kick can reach it */
		uml_in_user = 1;
		stop = host_user_run(pid, (unsigned long *)regs, &info);
		uml_in_user = 0;
		switch (stop) {
		case HOST_STOP_SYSCALL:
			uml_syscall(regs);
			break;
		case HOST_STOP_SIGNAL:
			user_signal(regs, &info);
			break;
		case HOST_STOP_KICK:
			break;
		default:
			local_irq_enable();
			pr_err("%s[%d]: host process %d of its address space died\n",
			       current->comm, task_pid_nr(current), pid);
			uml_mm_process_lost(current->mm);
			force_sig(SIGKILL);
			break;
		}
	}
}
