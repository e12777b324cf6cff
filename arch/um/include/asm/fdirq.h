/* SPDX-License-Identifier: GPL-2.0 */
/* Device IRQs raised by host descriptors (kernel/irq.c). */
#ifndef __UM_FDIRQ_H
#define __UM_FDIRQ_H

#include <linux/interrupt.h>

int uml_request_fd_irq(int fd, unsigned int irq, irq_handler_t handler,
		       const char *name, void *dev);
void uml_free_fd_irq(int fd, unsigned int irq, void *dev);

/* IRQ numbers of the devices */
#define UBD_IRQ		1
#define CONSOLE_IRQ	2

#endif
