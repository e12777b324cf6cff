// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts: host signals delivered to generic IRQs.
 *
 * The host's handler (os-Linux/signal.c) calls uml_irq_signal() when the
 * interrupt flag of the CPU it interrupted is set; otherwise it ORs the
 * signal into that CPU's irqs_pending and local_irq_enable() replays it
 * here.  SIGALRM is TIMER_IRQ; SIGIO means "some registered descriptor is
 * ready", and epoll says which, each registered descriptor carrying its
 * IRQ number; SIGUSR2 is an IPI (kernel/smp.c).
 */
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/hardirq.h>
#include <linux/kernel_stat.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <asm/irq.h>
#include <asm/irq_regs.h>
#include <asm/fdirq.h>
#include <asm/setup.h>
#include <asm/umdev.h>
#include <host/cpu.h>
#include <host/irq.h>
#include <host/user.h>

#include "um.h"

/*
 * The CPU blocks.  The boot CPU's is in use before the kernel starts
 * (main()).  The kernel's gdb scripts (scripts/gdb/linux/cpus.py) look
 * for the running tasks of a User-mode Linux kernel as cpu_tasks[cpu].task,
 * so that is the array's name, and uml_cpu_selves (host/cpu.h) another
 * name for it: $lx_current() works.
 */
struct uml_cpu_self cpu_tasks[NR_CPUS] = {
	[0] = { .task = &init_task },
};
asm(".globl uml_cpu_selves\n\t.set uml_cpu_selves, cpu_tasks");

static DEFINE_PER_CPU(struct pt_regs, uml_kernel_regs);

/**
 * uml_irqs_replay() - run the interrupts held while the flag was clear
 *
 * Called by local_irq_enable()/restore() after setting the flag, when
 * something is pending.  The flag is cleared again while handlers run,
 * so anything arriving meanwhile is queued and picked up by the loop.
 */
void uml_irqs_replay(void)
{
	unsigned long sigs;

	do {
		uml_self_write(irqs_on, 0);
		while ((sigs = uml_self_xchg(irqs_pending, 0)))
			uml_irq_signal(sigs);
		uml_self_write(irqs_on, 1);
	} while (uml_self_read(irqs_pending));
}
EXPORT_SYMBOL(uml_irqs_replay);

static void handle_fd_irqs(void)
{
	unsigned long irqs[16];
	int n, i;

	do {
		n = host_fd_irq_poll(irqs, ARRAY_SIZE(irqs));
		for (i = 0; i < n; i++)
			generic_handle_irq(irqs[i]);
	} while (n == ARRAY_SIZE(irqs));
}

/* called with the interrupt flag clear, from the host handler or a replay */
void uml_irq_signal(unsigned long sigs)
{
	/*
	 * Interrupted while a guest ran: its user registers (user mode, so
	 * the tick is charged as user time); else kernel mode (cs == 0).
	 */
	bool in_user = uml_self_read(in_user);
	struct pt_regs *old = set_irq_regs(in_user ? task_pt_regs(current) :
					   this_cpu_ptr(&uml_kernel_regs));
	/*
	 * The flag was cleared underneath lockdep (by the host handler or
	 * the replay): tell it, as an architecture's interrupt entry does,
	 * and tell it again on the way out.
	 */
	bool traced_on = lockdep_hardirqs_enabled();

	if (traced_on)
		lockdep_hardirqs_off(_RET_IP_);
	irq_enter();
	if (sigs & UML_SIG_TIMER)
		generic_handle_irq(TIMER_IRQ);
	if (sigs & UML_SIG_IO)
		handle_fd_irqs();
	if (sigs & UML_SIG_TERM)
		uml_host_poweroff_request();
	if (sigs & UML_SIG_WINCH)
		uml_dev_winch();
	if (sigs & UML_SIG_IPI)
		uml_handle_ipis();
	irq_exit();
	set_irq_regs(old);
	if (traced_on) {
		lockdep_hardirqs_on_prepare();
		lockdep_hardirqs_on(_RET_IP_);
	}

	/* a guest is running and its task has work waiting: stop it */
	if (in_user &&
	    read_thread_flags() & (_TIF_NEED_RESCHED | _TIF_SIGPENDING |
				   _TIF_NOTIFY_SIGNAL | _TIF_NOTIFY_RESUME))
		host_user_kick(current->thread.host.pid);
}

/**
 * uml_request_fd_irq() - raise @irq whenever host descriptor @fd is readable
 * @fd:      the descriptor (made non-blocking and asynchronous)
 * @irq:     an IRQ number the caller owns (UML_FIRST_FD_IRQ..NR_IRQS-1)
 * @handler: the handler; it must read @fd until it would block
 * @name:    for /proc/interrupts
 * @dev:     passed to @handler
 * Return: 0 or a negative errno.
 */
int uml_request_fd_irq(int fd, unsigned int irq, irq_handler_t handler,
		       const char *name, void *dev)
{
	int err = request_irq(irq, handler, 0, name, dev);

	if (err)
		return err;
	err = host_fd_irq_add(fd, irq);
	if (err)
		free_irq(irq, dev);
	return err;
}

/** uml_free_fd_irq() - undo uml_request_fd_irq() */
void uml_free_fd_irq(int fd, unsigned int irq, void *dev)
{
	host_fd_irq_del(fd);
	free_irq(irq, dev);
}

static void uml_irq_noop(struct irq_data *d)
{
}

static struct irq_chip uml_irq_chip = {
	.name		= "SIGIO",
	.irq_mask	= uml_irq_noop,
	.irq_unmask	= uml_irq_noop,
	.irq_ack	= uml_irq_noop,
};

static struct irq_chip uml_timer_chip = {
	.name		= "SIGALRM",
	.irq_mask	= uml_irq_noop,
	.irq_unmask	= uml_irq_noop,
	.irq_ack	= uml_irq_noop,
};

void __init init_IRQ(void)
{
	unsigned int i;

	/* every CPU has its own clock event on the one TIMER_IRQ */
	irq_set_percpu_devid(TIMER_IRQ);
	irq_set_chip_and_handler(TIMER_IRQ, &uml_timer_chip,
				 handle_percpu_devid_irq);
	for (i = UML_FIRST_FD_IRQ; i < NR_IRQS; i++)
		irq_set_chip_and_handler(i, &uml_irq_chip, handle_edge_irq);
}

int arch_show_interrupts(struct seq_file *p, int prec)
{
	return 0;
}
