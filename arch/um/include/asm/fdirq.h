/* SPDX-License-Identifier: GPL-2.0 */
/* Device IRQs raised by host descriptors (kernel/irq.c). */
#ifndef __UM_FDIRQ_H
#define __UM_FDIRQ_H

#include <linux/interrupt.h>

int uml_request_fd_irq(int fd, unsigned int irq, irq_handler_t handler,
		       const char *name, void *dev);
void uml_free_fd_irq(int fd, unsigned int irq, void *dev);

/*
 * IRQ numbers of the devices.  Each kind owns a fixed range, so that
 * devices added at run time (hot-plug) never compete for a number.
 */
#define UBD_IRQ			1
#define CONSOLE_IRQ		2	/* the stdin/stdout console */
#define MCONSOLE_IRQ		3	/* the management console socket */
#define BLOCK_IRQ_BASE		4	/* further block I/O completions */
#define BLOCK_IRQ_COUNT		4
#define LINE_IRQ_BASE		8	/* consoles and serial lines */
#define LINE_IRQ_COUNT		64
#define NET_IRQ_BASE		72	/* network interfaces */
#define NET_IRQ_COUNT		32
#define MISC_IRQ_BASE		104	/* anything else (hostfs, watchers) */
#define MISC_IRQ_COUNT		24

#endif
