/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_SETUP_H
#define __UM_SETUP_H

/* the whole host command line is the kernel command line */
#define COMMAND_LINE_SIZE	4096

#ifndef __ASSEMBLY__
/**
 * uml_boot_console_off() - printk is not for the host's stdout
 *
 * The core's boot console writes printk to the host's stdout from
 * setup_arch() until a console driver registers a console of its own.  A
 * driver that puts its console elsewhere says so from an early_param().
 */
void uml_boot_console_off(void);

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
#endif

#endif
