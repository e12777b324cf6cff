// SPDX-License-Identifier: GPL-2.0
/*
 * printk from the start: from setup_arch() on, printk goes to the host's
 * standard output through a boot console, until a console driver registers
 * a console of its own (the kernel then drops boot consoles).  A driver
 * whose console is put elsewhere on the command line turns it off from an
 * early_param(), so the early lines wait in the log for that console.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <asm/setup.h>
#include <host/process.h>

#include "um.h"

static bool boot_console_off __initdata;

static void boot_console_write(struct console *con, const char *s,
			       unsigned int n)
{
	host_console_write(s, n);
}

static struct console boot_console = {
	.name	= "uml",
	.write	= boot_console_write,
	.flags	= CON_PRINTBUFFER | CON_BOOT | CON_ANYTIME,
	.index	= -1,
};

void __init uml_boot_console_off(void)
{
	boot_console_off = true;
}

void __init uml_boot_console_init(void)
{
	if (!boot_console_off)
		register_console(&boot_console);
}
