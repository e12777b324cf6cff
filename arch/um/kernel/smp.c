// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual CPUs: ncpus=N host threads of the kernel process.
 *
 * CPU 0 is the thread main() started on.  Each other CPU is a host thread
 * (os-Linux/cpu.c) whose %gs points at its struct uml_cpu_self; it starts
 * on the stack of its idle task, brings up its own clock event (its own
 * host timer, signalling it alone) and enters the idle loop, where it
 * sleeps on the host.  An IPI is a bit posted in the target's block and
 * SIGUSR2 sent to its thread; its handler runs the IPIs as an interrupt.
 * Going offline, a CPU's thread parks on the host until the CPU is
 * brought up again, then starts over on its new idle stack.
 *
 * Guest processes are traced by the thread of the CPU that created them
 * (ptrace binds a tracee to one tracer thread): guest tasks are kept on
 * CPU 0 until tasks can be handed over between CPUs (docs/smp.md).
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/hotplug.h>
#include <linux/sched/mm.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>
#include <linux/cpuhotplug.h>
#include <asm/mmu_context.h>
#include <host/cpu.h>
#include <host/irq.h>
#include <host/process.h>
#include <host/time.h>

#include "um.h"

/* the kinds of IPI: bits of uml_cpu_self.ipis */
enum uml_ipi {
	UML_IPI_RESCHEDULE,
	UML_IPI_CALL_FUNC,
	UML_IPI_STOP,
};

static unsigned int uml_ncpus = 1;

static int __init uml_ncpus_param(char *p)
{
	unsigned int n;

	/* main() has checked it already */
	if (kstrtouint(p, 10, &n) || n < 1 || n > NR_CPUS)
		return -EINVAL;
	uml_ncpus = n;
	return 0;
}
early_param("ncpus", uml_ncpus_param);

/**
 * uml_smp_setup() - the possible and present CPUs, from ncpus=
 *
 * Called by setup_arch() after the early parameters.
 */
void __init uml_smp_setup(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		uml_cpu_selves[cpu].cpu = cpu;
	for (cpu = 0; cpu < uml_ncpus; cpu++) {
		set_cpu_possible(cpu, true);
		set_cpu_present(cpu, true);
	}
}

void __init smp_prepare_cpus(unsigned int max_cpus)
{
}

void __init smp_cpus_done(unsigned int max_cpus)
{
	pr_info("smp: %u virtual CPUs online\n", num_online_cpus());
}

/* every CPU but the boot CPU can be taken offline */
bool arch_cpu_is_hotpluggable(int cpu)
{
	return cpu != 0;
}

static void send_ipi(unsigned int cpu, enum uml_ipi ipi)
{
	struct uml_cpu_self *self = &uml_cpu_selves[cpu];

	/* a signal is already on its way if other bits were posted */
	if (!__atomic_fetch_or(&self->ipis, BIT(ipi), __ATOMIC_SEQ_CST))
		host_cpu_ipi(READ_ONCE(self->tid));
}

void arch_smp_send_reschedule(int cpu)
{
	send_ipi(cpu, UML_IPI_RESCHEDULE);
}

void arch_send_call_function_single_ipi(int cpu)
{
	send_ipi(cpu, UML_IPI_CALL_FUNC);
}

void arch_send_call_function_ipi_mask(const struct cpumask *mask)
{
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		send_ipi(cpu, UML_IPI_CALL_FUNC);
}

/* stop for good (panic, power-off): interrupts off, asleep on the host */
static void __noreturn stop_this_cpu(void)
{
	set_cpu_online(smp_processor_id(), false);
	local_irq_disable();
	host_cpu_stop();
}

void smp_send_stop(void)
{
	unsigned int cpu, me = smp_processor_id();

	for_each_online_cpu(cpu)
		if (cpu != me)
			send_ipi(cpu, UML_IPI_STOP);
}

/* UML_SIG_IPI, in interrupt context on the CPU that got it */
void uml_handle_ipis(void)
{
	struct uml_cpu_self *self = &uml_cpu_selves[smp_processor_id()];
	unsigned long ipis = __atomic_exchange_n(&self->ipis, 0,
						 __ATOMIC_SEQ_CST);

	if (ipis & BIT(UML_IPI_RESCHEDULE))
		scheduler_ipi();
	if (ipis & BIT(UML_IPI_CALL_FUNC))
		generic_smp_call_function_interrupt();
	if (ipis & BIT(UML_IPI_STOP))
		stop_this_cpu();
}

/* the first code of a secondary CPU, on its idle task's stack */
static void uml_secondary_start(void)
{
	unsigned int cpu = smp_processor_id();

	mmgrab(&init_mm);
	current->active_mm = &init_mm;
	notify_cpu_starting(cpu);
	uml_clockevent_start();
	set_cpu_online(cpu, true);
	local_irq_enable();
	cpu_startup_entry(CPUHP_AP_ONLINE_IDLE);
}

/* threads started for CPUs (a CPU that went offline keeps its thread) */
static struct cpumask cpu_thread_made;

int __cpu_up(unsigned int cpu, struct task_struct *tidle)
{
	struct uml_cpu_self *self = &uml_cpu_selves[cpu];
	unsigned long stack = (unsigned long)task_stack_page(tidle) +
			      THREAD_SIZE;

	self->task = tidle;
	self->irqs_on = 0;
	self->irqs_pending = 0;
	self->in_user = 0;
	/* nothing is sent to an offline CPU: what is left is stale */
	self->ipis = 0;
	if (cpumask_test_cpu(cpu, &cpu_thread_made))
		return host_cpu_restart(self, uml_secondary_start, stack);
	if (host_cpu_start(self, uml_secondary_start, stack))
		return -EIO;
	cpumask_set_cpu(cpu, &cpu_thread_made);
	return 0;
}

int __cpu_disable(void)
{
	unsigned int cpu = smp_processor_id();

	/* no interrupt to move: SIGIO and the rest go to CPU 0 only */
	set_cpu_online(cpu, false);
	/* ptrace would bind the guest processes it traces to a dead thread */
	uml_detach_cpu_processes();
	return 0;
}

void __cpu_die(unsigned int cpu)
{
	/* the dying CPU reports itself dead (HOTPLUG_CORE_SYNC_DEAD) */
}

/* the idle task of an offline CPU: park the thread until __cpu_up() */
void __noreturn arch_cpu_idle_dead(void)
{
	host_timer_cancel();
	cpuhp_ap_report_dead();
	host_cpu_park();
}
