// SPDX-License-Identifier: GPL-2.0
/*
 * Guest threads moving between CPUs.
 *
 * A guest thread runs on a host process of its own, and ptrace binds a
 * traced process to one tracer *thread*: only the host thread of the CPU
 * that traces it (thread.host.cpu) can run it, read its registers or
 * run its stub.  Processes are made on the CPU that first needs them,
 * the clones of an mm's first process by the CPU that traces it
 * (kernel/mmu.c).  When the scheduler has moved a thread to another CPU,
 * the thread, before it runs its guest there, asks the old CPU (an IPI
 * it waits for) to detach the process, which stops at once without
 * running guest code (host_user_detach()), and attaches it itself
 * (host_user_attach()).
 * The cost is paid per migration, not per system call or fault.
 *
 * A host operation on another thread's process, or on the current
 * thread's own before it has moved it (a fault's details after the fault
 * handler slept), runs on the CPU that traces it: uml_on_process_cpu().
 * A CPU going offline detaches every process it traces first, the
 * first processes of address spaces too, and kills its spares
 * (uml_detach_cpu_processes()); whoever needs one of them next attaches
 * it.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <host/user.h>

#include "um.h"

/* serialises the attaching of a detached process (h->cpu == -1) */
static DEFINE_RAW_SPINLOCK(attach_lock);

/* on the CPU that traces @t's process: let it go */
static void detach_here(void *arg)
{
	struct uml_host_thread *h = &((struct task_struct *)arg)->thread.host;

	if (h->pid <= 0 || READ_ONCE(h->cpu) != smp_processor_id())
		return;
	/* a process that is gone fails to attach, and is then dropped */
	host_user_detach(h->pid);
	WRITE_ONCE(h->cpu, -1);
}

/*
 * With interrupts off: attach @t's detached process to this CPU.
 * Return: 0, or a negative errno if the process is gone.
 */
static int attach_here(struct task_struct *t)
{
	struct uml_host_thread *h = &t->thread.host;
	int cpu = smp_processor_id();
	int err = 0;

	raw_spin_lock(&attach_lock);
	if (READ_ONCE(h->cpu) == -1) {
		err = host_user_attach(h->pid, cpu);
		/* a gone process stays "here": killing and reaping work */
		WRITE_ONCE(h->cpu, cpu);
		/* the host may have cleared the debug registers: load again */
		if (h->debugreg[7])
			h->debugreg[7] = ~0UL;
	}
	raw_spin_unlock(&attach_lock);
	return err;
}

/*
 * With interrupts on: have @t's process detached by the CPU that traces
 * it, unless that is this one.  Return: false if it could not be reached.
 */
static bool detach_from(struct task_struct *t, int cpu)
{
	if (cpu < 0 || cpu == raw_smp_processor_id())
		return true;
	if (!smp_call_function_single(cpu, detach_here, t, 1))
		return true;
	/* offline: it detached its processes as it went (h->cpu is -1) */
	return READ_ONCE(t->thread.host.cpu) == -1;
}

/**
 * uml_process_here() - is the current thread's process traced by this CPU?
 *
 * Called with interrupts off before the thread runs its guest.  If not,
 * the process is moved here, interrupts are enabled, and false tells the
 * caller to check its work again (the move may have taken an interrupt).
 * A process that died on the way is given up (uml_thread_process_lost()).
 */
bool uml_process_here(void)
{
	struct task_struct *t = current;
	struct uml_host_thread *h = &t->thread.host;
	int cpu = READ_ONCE(h->cpu);

	if (likely(cpu == smp_processor_id()))
		return true;
	if (cpu >= 0) {
		local_irq_enable();
		if (!detach_from(t, cpu)) {
			pr_err("%s[%d]: CPU %d kept host process %d\n",
			       t->comm, task_pid_nr(t), cpu, h->pid);
			uml_thread_process_lost();
			return false;
		}
		local_irq_disable();
	}
	if (attach_here(t)) {
		local_irq_enable();
		pr_err("%s[%d]: host process %d lost on its way to CPU %d\n",
		       t->comm, task_pid_nr(t), h->pid, smp_processor_id());
		uml_thread_process_lost();
		return false;
	}
	local_irq_enable();
	return false;
}

struct process_call {
	struct task_struct *t;
	int (*fn)(struct task_struct *t, void *arg);
	void *arg;
	int ret;
	bool done;
};

static void process_call_here(void *data)
{
	struct process_call *c = data;

	if (READ_ONCE(c->t->thread.host.cpu) != smp_processor_id())
		return;		/* it moved on: the caller asks again */
	c->ret = c->fn(c->t, c->arg);
	c->done = true;
}

/**
 * uml_on_process_cpu() - run @fn(@t, @arg) where @t's host process is traced
 * @t:   a task with a host process, not running its guest (current, or a
 *       stopped task: a tracee, a thread of a dumping process)
 *
 * Here with interrupts off if this CPU traces it (or will: a detached
 * process is attached here), else on that CPU by an IPI, waiting for it.
 * @fn must not sleep.  Return: what @fn returned.
 */
int uml_on_process_cpu(struct task_struct *t,
		       int (*fn)(struct task_struct *t, void *arg), void *arg)
{
	struct process_call c = { .t = t, .fn = fn, .arg = arg };
	unsigned long flags;
	int cpu;

	for (;;) {
		local_irq_save(flags);
		cpu = READ_ONCE(t->thread.host.cpu);
		if (cpu == -1 && attach_here(t)) {
			local_irq_restore(flags);
			return -ESRCH;
		}
		if (cpu == -1 || cpu == smp_processor_id()) {
			c.ret = fn(t, arg);
			local_irq_restore(flags);
			return c.ret;
		}
		local_irq_restore(flags);
		if (WARN_ON_ONCE(irqs_disabled()))
			return -EDEADLK;
		if (smp_call_function_single(cpu, process_call_here, &c, 1) &&
		    READ_ONCE(t->thread.host.cpu) == cpu)
			return -ESRCH;	/* offline and never detached */
		if (c.done)
			return c.ret;
	}
}

/**
 * uml_detach_cpu_processes() - this CPU goes offline: let go of its processes
 *
 * Run on the dying CPU with every other CPU stopped (__cpu_disable()).
 */
void uml_detach_cpu_processes(void)
{
	int cpu = smp_processor_id();
	struct task_struct *g, *t;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		struct uml_host_thread *h = &t->thread.host;

		if (h->pid > 0 && READ_ONCE(h->cpu) == cpu)
			detach_here(t);
		if (t->mm)
			uml_mm_cpu_down(t->mm, cpu);
	}
	rcu_read_unlock();
	host_user_cpu_release(cpu);
}
