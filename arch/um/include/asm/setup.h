/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_SETUP_H
#define __UM_SETUP_H

/* the whole host command line is the kernel command line */
#define COMMAND_LINE_SIZE	4096

#ifndef __ASSEMBLY__
/* drivers/chan/line.c: printk on stdout from setup_arch() on */
void uml_console_early_init(void);

/**
 * uml_clock_pause() - the machine stops (mconsole "stop"): from now on
 * the guest's clocks stand still.  Called with interrupts off.
 */
void uml_clock_pause(void);
/**
 * uml_clock_resume() - the machine goes on: the clocks continue from where
 * they stood, so no timer sees the pause.  Returns the pause in ns.
 */
unsigned long long uml_clock_resume(void);
/* drivers/chan/line.c: a host terminal changed size (SIGWINCH, irq) */
void uml_console_winch(void);
/* drivers/chan/line.c: write out what the lines hold, the machine ends */
void uml_console_flush(void);
#endif

#endif
