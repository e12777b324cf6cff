// SPDX-License-Identifier: GPL-2.0
/*
 * User mode: running guest code.
 *
 * A task in user mode is a kernel context waiting for its own host
 * process (kernel/mmu.c) to stop.  uml_enter_user() loads the task's
 * general registers into that process (its FPU state lives there), lets it run under PTRACE_SYSEMU and
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

/* x86 page fault error code bits: a write; an instruction fetch */
#define PF_WRITE	(1UL << 1)
#define PF_INSTR	(1UL << 4)

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

static int fault_info_here(struct task_struct *t, void *info)
{
	return host_user_fault_info(t->thread.host.pid, info);
}

/*
 * The fault's err, trapno and cr2 from the host, at most once per stop.
 * The fault handler may have slept since the stop, and the thread moved
 * to another CPU: the CPU that traces the process fetches them.
 */
static bool fault_info(struct host_stop_info *info)
{
	if (info->err == -1 &&
	    uml_on_process_cpu(current, fault_info_here, info))
		return false;
	return true;
}

/* a fault signal for the guest: its frame carries the fault's words */
static void fault_sig(struct host_stop_info *info, int sig, int code,
		      unsigned long addr)
{
	struct thread_struct *t = &current->thread;

	if (fault_info(info)) {
		t->trap_no = info->trapno;
		t->error_code = info->err;
		t->cr2 = info->cr2;
	} else {
		t->trap_no = 0;
		t->error_code = 0;
		t->cr2 = addr;
	}
	force_sig_fault(sig, code, (void __user *)addr);
}

static void bad_area(struct host_stop_info *info, unsigned long addr,
		     int code)
{
	fault_sig(info, SIGSEGV, code, addr);
}

/*
 * Does the kind of access (the x86 error code, fault_info()) matter for
 * this fault in a writable area?  The host says only whether the page
 * was missing (SEGV_MAPERR) or present without the access (SEGV_ACCERR);
 * the error code costs one more trip to the process, paid only where:
 *  - a page is missing: a read must map the zero page or the page cache
 *    page read-only, copying and dirtying nothing (a write that follows
 *    faults again, SEGV_ACCERR);
 *  - SEGV_ACCERR on a page whose entry allows writes and that the host
 *    has writable already: not a write then (an instruction fetch from a
 *    non-executable area), and taking it as one would fault forever.
 * Not for SEGV_ACCERR on a page the host maps read-only (a write:
 * copy-on-write, the first write to a clean page), nor in a read-only
 * area (a read or a fetch), nor for a fault that becomes a signal:
 * fault_sig() fetches the words for its frame itself.
 * Called with the mmap lock held.
 */
static bool fault_needs_detail(struct mm_struct *mm,
			       struct host_stop_info *info)
{
	pte_t *pte;

	if (info->code == SEGV_MAPERR)
		return true;
	pte = uml_pte_lookup(mm, info->addr);
	return pte && pte_present(*pte) && pte_write(*pte) && pte_dirty(*pte);
}

/*
 * A guest access faulted.  With the x86 error code (info->err, fetched
 * by fault_info() when it matters, or already for a signal frame) the
 * kind of access is known; without it (fault_needs_detail()) a fault in
 * a writable area is a write.
 */
static void user_segv(struct pt_regs *regs, struct host_stop_info *info)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr = info->addr;
	unsigned int flags = FAULT_FLAG_DEFAULT | FAULT_FLAG_USER;
	unsigned long start, end;
	struct vm_area_struct *vma;
	vm_fault_t fault;

	if (addr >= TASK_SIZE || info->code > SEGV_ACCERR) {
		/* the kernel's half, or not a page fault (#GP: SI_KERNEL) */
		bad_area(info, addr, info->code > 0 ? info->code : SEGV_MAPERR);
		return;
	}
	perf_sw_event(PERF_COUNT_SW_PAGE_FAULTS, 1, regs, addr);
retry:
	vma = lock_mm_and_find_vma(mm, addr, regs);
	if (!vma) {
		bad_area(info, addr, SEGV_MAPERR);
		return;
	}
	if (info->err < 0 && (vma->vm_flags & VM_WRITE) &&
	    fault_needs_detail(mm, info))
		fault_info(info);
	if (info->err >= 0) {
		if (info->err & PF_WRITE) {
			if (!(vma->vm_flags & VM_WRITE))
				goto access_error;
			flags |= FAULT_FLAG_WRITE;
		} else if (info->err & PF_INSTR) {
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
		uml_fault_ahead(vma, addr, fault, flags, &start, &end);
	mmap_read_unlock(mm);
	if (fault & VM_FAULT_ERROR) {
		if (fault & VM_FAULT_OOM)
			pagefault_out_of_memory();
		else if (fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON))
			fault_sig(info, SIGBUS, BUS_ADRERR, addr);
		else
			bad_area(info, addr, SEGV_MAPERR);
		return;
	}
mapped:
	uml_flush_fault_range(mm, start, end);
	return;

access_error:
	mmap_read_unlock(mm);
	bad_area(info, addr, SEGV_ACCERR);
}

#define DR6_RESERVED	0xffff0ff0UL

/* a debug trap (single step, watchpoint): what DR6 says, for a tracer */
static void user_debug_trap(struct host_stop_info *info)
{
	struct thread_struct *t = &current->thread;

	t->trap_no = 1;
	if (t->debugreg[7])
		t->debugreg[6] = host_user_get_dr6(t->host.pid) ^
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
			if (fault_info(info)) {
				t->trap_no = info->trapno;
				t->error_code = info->err;
			} else {
				t->trap_no = 13;
				t->error_code = 0;
			}
			t->cr2 = 0;
			force_sig(SIGSEGV);
			break;
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
		fault_sig(info, info->signo, info->code, info->addr);
		break;
	default:
		/* a host signal sent to the process from outside: not ours */
		break;
	}
}

/*
 * The debug registers a tracer set live in the thread's own host process:
 * write them when they differ from what is loaded there.
 */
static void load_debugregs(int pid)
{
	unsigned long *want = current->thread.debugreg;
	unsigned long *have = current->thread.host.debugreg;

	if (want[0] == have[0] && want[1] == have[1] && want[2] == have[2] &&
	    want[3] == have[3] && want[7] == have[7])
		return;
	if (host_user_set_debugregs(pid, want))
		pr_warn_once("%s[%d]: the host refused the debug registers\n",
			     current->comm, task_pid_nr(current));
	memcpy(have, want, sizeof(current->thread.host.debugreg));
}

static bool thread_process_ok(void)
{
	struct uml_host_thread *h = &current->thread.host;

	return h->pid > 0 && h->as_id == current->mm->context.as_id;
}

void __noreturn uml_enter_user(struct pt_regs *regs)
{
	struct host_stop_info info;
	int pid, stop;

	for (;;) {
		/*
		 * First run in this mm (or its address space was lost): get
		 * a process before the work, so a signal frame finds the
		 * thread's FPU state in it.
		 */
		if (!thread_process_ok()) {
			pid = uml_thread_process();
			if (pid < 0) {
				pr_err("%s[%d]: no host process: %d\n",
				       current->comm, task_pid_nr(current),
				       pid);
				force_sig(SIGKILL);
			}
		}
		exit_to_user_work(regs);
		if (!thread_process_ok()) {
			local_irq_enable();
			continue;
		}
		/* moved to another CPU since it last ran: take its process */
		if (!uml_process_here())
			continue;
		pid = current->thread.host.pid;

		load_debugregs(pid);
		uml_load_tsc_mode(pid);

		/* interrupts come back on inside, once a kick can reach it */
		uml_self_write(in_user, 1);
		stop = host_user_run(pid, (unsigned long *)regs, &info,
				     test_thread_flag(TIF_SINGLESTEP));
		uml_self_write(in_user, 0);
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
			pr_err("%s[%d]: its host process %d died\n",
			       current->comm, task_pid_nr(current), pid);
			uml_thread_process_lost();
			force_sig(SIGKILL);
			break;
		}
	}
}
