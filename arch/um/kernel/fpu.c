// SPDX-License-Identifier: GPL-2.0
/*
 * FPU/vector state of guest threads.
 *
 * Each guest thread runs on a host process of its own, and its x87, SSE,
 * AVX and AVX-512 registers stay in that process: switching threads
 * saves and loads nothing.  The kernel reads or writes them only when a
 * signal frame, sigreturn, fork, a core dump or a debugger needs them,
 * with the host's XSAVE regset.  A new task carries a copy of its
 * creator's state (fork semantics of x86_64) until its process exists.
 */
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/fpu.h>
#include <host/user.h>

unsigned int uml_fpu_size(void)
{
	return host_user_xstate_size();
}

/* the pid holding @t's state, or 0 when it has no process yet */
static int fpu_pid(struct task_struct *t)
{
	struct uml_host_thread *h = &t->thread.host;

	if (h->pid <= 0 || !t->mm || h->as_id != t->mm->context.as_id)
		return 0;
	return h->pid;
}

int uml_fpu_get(struct task_struct *t, void *buf)
{
	int pid = fpu_pid(t);

	if (!pid) {
		if (!t->thread.host.fp)
			return -ESRCH;
		memcpy(buf, t->thread.host.fp, uml_fpu_size());
		return 0;
	}
	return host_user_get_xstate(pid, buf);
}

int uml_fpu_set(struct task_struct *t, const void *buf)
{
	int pid = fpu_pid(t);

	if (!pid) {
		if (!t->thread.host.fp)
			return -ESRCH;
		memcpy(t->thread.host.fp, buf, uml_fpu_size());
		return 0;
	}
	return host_user_set_xstate(pid, buf);
}

int uml_fpu_get_fx(struct task_struct *t, void *fx)
{
	int pid = fpu_pid(t);

	if (!pid) {
		if (!t->thread.host.fp)
			return -ESRCH;
		memcpy(fx, t->thread.host.fp, HOST_FP_SIZE);
		return 0;
	}
	return host_user_get_fp(pid, fx);
}

int uml_fpu_set_fx(struct task_struct *t, const void *fx)
{
	int pid = fpu_pid(t);

	if (!pid) {
		if (!t->thread.host.fp)
			return -ESRCH;
		memcpy(t->thread.host.fp, fx, HOST_FP_SIZE);
		return 0;
	}
	return host_user_set_fp(pid, fx);
}

void uml_fpu_fork(struct task_struct *p)
{
	void *buf = kmalloc(uml_fpu_size(), GFP_KERNEL);

	if (buf && uml_fpu_get(current, buf)) {
		kfree(buf);
		buf = NULL;
	}
	/* without a copy the child starts with a fresh state */
	p->thread.host.fp = buf;
}

void uml_fpu_release(struct task_struct *p)
{
	kfree(p->thread.host.fp);
	p->thread.host.fp = NULL;
}
