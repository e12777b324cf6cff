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

#include "um.h"

unsigned int uml_fpu_size(void)
{
	return host_user_xstate_size();
}

/* whether @t's state is in a process of its own yet */
static bool fpu_in_process(struct task_struct *t)
{
	struct uml_host_thread *h = &t->thread.host;

	return h->pid > 0 && t->mm && h->as_id == t->mm->context.as_id;
}

struct fpu_access {
	void *buf;
	int (*op)(int pid, void *buf);
};

/* on the CPU that traces @t's process (kernel/handover.c) */
static int fpu_access_here(struct task_struct *t, void *arg)
{
	struct fpu_access *a = arg;

	return a->op(t->thread.host.pid, a->buf);
}

static int host_set_xstate(int pid, void *buf)
{
	return host_user_set_xstate(pid, buf);
}

static int host_set_fp(int pid, void *buf)
{
	return host_user_set_fp(pid, buf);
}

/*
 * Run @op on @t's process, or copy between @buf and the state @t carries
 * (@len bytes; @to_task: into it) while it has no process.
 */
static int fpu_access(struct task_struct *t, void *buf, unsigned int len,
		      bool to_task, int (*op)(int pid, void *buf))
{
	struct fpu_access a = { .buf = buf, .op = op };

	if (!fpu_in_process(t)) {
		if (!t->thread.host.fp)
			return -ESRCH;
		if (to_task)
			memcpy(t->thread.host.fp, buf, len);
		else
			memcpy(buf, t->thread.host.fp, len);
		return 0;
	}
	return uml_on_process_cpu(t, fpu_access_here, &a);
}

int uml_fpu_get(struct task_struct *t, void *buf)
{
	return fpu_access(t, buf, uml_fpu_size(), false, host_user_get_xstate);
}

int uml_fpu_set(struct task_struct *t, const void *buf)
{
	return fpu_access(t, (void *)buf, uml_fpu_size(), true,
			  host_set_xstate);
}

int uml_fpu_get_fx(struct task_struct *t, void *fx)
{
	return fpu_access(t, fx, HOST_FP_SIZE, false, host_user_get_fp);
}

int uml_fpu_set_fx(struct task_struct *t, const void *fx)
{
	return fpu_access(t, (void *)fx, HOST_FP_SIZE, true, host_set_fp);
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
