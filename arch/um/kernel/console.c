// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel console: printk on the host's standard output, from the
 * first line printed.  It is named "tty", so console=tty selects it.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <host/process.h>

#include "um.h"

static void uml_console_write(struct console *con, const char *s,
			      unsigned int len)
{
	host_console_write(s, len);
}

static struct console uml_console = {
	.name	= "tty",
	.write	= uml_console_write,
	.flags	= CON_PRINTBUFFER | CON_ANYTIME,
	.index	= -1,
};

/* registered from setup_arch(), so it prints from the first line on */
void __init uml_console_early_init(void)
{
	register_console(&uml_console);
}
