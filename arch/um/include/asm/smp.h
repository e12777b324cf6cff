/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual CPUs (kernel/smp.c): host threads of the kernel process; an
 * IPI is a host signal to the target's thread.
 */
#ifndef __UM_SMP_H
#define __UM_SMP_H

#include <linux/cpumask.h>
#include <linux/thread_info.h>

/* the running task's own record of its CPU, updated on migration */
#define raw_smp_processor_id()	(current_thread_info()->cpu)

void arch_smp_send_reschedule(int cpu);
void arch_send_call_function_single_ipi(int cpu);
void arch_send_call_function_ipi_mask(const struct cpumask *mask);

int __cpu_disable(void);
void __cpu_die(unsigned int cpu);

#endif
