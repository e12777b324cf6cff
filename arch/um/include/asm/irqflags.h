/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interrupt flag is a word in memory, not a host signal mask: host
 * signals that arrive while it is clear are recorded by the signal
 * handler and replayed when it is set again (kernel/irq.c), so saving and
 * restoring it costs no host system call.  Each virtual CPU has its own
 * flag and record, in its block reached through %gs (host/cpu.h).
 */
#ifndef __UM_IRQFLAGS_H
#define __UM_IRQFLAGS_H

#ifndef __ASSEMBLY__

#include <linux/compiler.h>
#include <host/cpu.h>

void uml_irqs_replay(void);

#define ARCH_IRQ_ENABLED	1
#define ARCH_IRQ_DISABLED	0

static __always_inline unsigned long arch_local_save_flags(void)
{
	return uml_self_read(irqs_on);
}

static __always_inline void arch_local_irq_restore(unsigned long flags)
{
	uml_self_write(irqs_on, (int)flags);
	if (flags && unlikely(uml_self_read(irqs_pending)))
		uml_irqs_replay();
}

static __always_inline void arch_local_irq_enable(void)
{
	arch_local_irq_restore(ARCH_IRQ_ENABLED);
}

static __always_inline void arch_local_irq_disable(void)
{
	uml_self_write(irqs_on, ARCH_IRQ_DISABLED);
}

static __always_inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();

	arch_local_irq_disable();
	return flags;
}

static __always_inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return flags == ARCH_IRQ_DISABLED;
}

static __always_inline int arch_irqs_disabled(void)
{
	return arch_irqs_disabled_flags(arch_local_save_flags());
}

#endif
#endif
