/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_IRQ_H
#define __UM_IRQ_H

/*
 * IRQ numbers: the timer, then one per device source.  Host fds raise
 * their IRQ through SIGIO (kernel/irq.c).
 */
#define TIMER_IRQ		0
#define UML_FIRST_FD_IRQ	1
#define NR_IRQS			128

#include <asm-generic/irq.h>

#endif
