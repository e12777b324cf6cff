// SPDX-License-Identifier: GPL-2.0
/*
 * prctl(PR_SET_TSC, PR_GET_TSC): whether rdtsc faults in a thread.
 *
 * Guest code runs natively in the thread's host process, so the kernel
 * cannot trap rdtsc itself; the host can.  The mode is a property of the
 * guest thread (thread_struct.tsc_sigsegv, inherited by fork and kept
 * across exec as on x86_64) and is set in its host process with the
 * host's own PR_SET_TSC, run by the process's stub: at once for the
 * calling thread, and before the first run of every new host process
 * the thread gets (after fork, exec, or a lost address space).  An rdtsc
 * that then faults reaches the kernel as a general protection fault and
 * the thread gets SIGSEGV (si_code SI_KERNEL), as on x86_64.  Whether it
 * faults is the host CPU's: a hypervisor may ignore the TSC-disable bit,
 * and then the instruction runs, as it does for a host program.
 *
 * A host process the thread leaves may serve another thread or address
 * space later; mm_context_t.tsc_off marks an address space in which some
 * process had rdtsc off, so that its clones are set before they run and
 * its first process is set back before it is kept (kernel/mmu.c).
 */
#include <linux/mm.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <host/user.h>

#include "um.h"

int uml_get_tsc_mode(unsigned long adr)
{
	unsigned int mode = current->thread.tsc_sigsegv ? PR_TSC_SIGSEGV :
							    PR_TSC_ENABLE;

	return put_user(mode, (unsigned int __user *)adr);
}

static int set_tsc_here(struct task_struct *t, void *sigsegv)
{
	return host_user_set_tsc(t->thread.host.pid, *(int *)sigsegv);
}

int uml_set_tsc_mode(unsigned int mode)
{
	struct uml_host_thread *h = &current->thread.host;
	int sigsegv, err;

	if (mode != PR_TSC_SIGSEGV && mode != PR_TSC_ENABLE)
		return -EINVAL;
	if (!current->mm)
		return -EINVAL;
	sigsegv = mode == PR_TSC_SIGSEGV;
	/* the caller's own process is stopped in this system call */
	if (h->pid > 0 && h->tsc_sigsegv != sigsegv) {
		err = uml_on_process_cpu(current, set_tsc_here, &sigsegv);
		if (err)
			return err;
		h->tsc_sigsegv = sigsegv;
		if (sigsegv)
			current->mm->context.tsc_off = true;
	}
	current->thread.tsc_sigsegv = sigsegv;
	return 0;
}

/**
 * uml_load_tsc_mode() - set the thread's TSC mode in its host process
 * @pid: the current thread's host process, about to run guest code
 *
 * Only when the process is not known to be in that mode already.
 */
void uml_load_tsc_mode(int pid)
{
	struct uml_host_thread *h = &current->thread.host;
	int want = current->thread.tsc_sigsegv;

	if (likely(h->tsc_sigsegv == want))
		return;
	if (host_user_set_tsc(pid, want))
		pr_warn_once("%s[%d]: the host refused PR_SET_TSC\n",
			     current->comm, task_pid_nr(current));
	h->tsc_sigsegv = want;
	if (want)
		current->mm->context.tsc_off = true;
}
