// SPDX-License-Identifier: GPL-2.0
/*
 * The end of the kernel process: halt and power off exit with status 0,
 * restart starts the executable again, a panic exits with status 1 once
 * the panic message is out.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/pm.h>
#include <linux/reboot.h>
#include <host/process.h>

void (*pm_power_off)(void);
EXPORT_SYMBOL(pm_power_off);

void machine_halt(void)
{
	host_exit(0);
}

void machine_power_off(void)
{
	host_exit(0);
}

void machine_restart(char *cmd)
{
	host_reexec();
}

/*
 * panic() calls panic_blink right after its final "end Kernel panic"
 * line; by then every message is on the host's stdout.
 */
static long uml_panic_exit(int state)
{
	host_exit(1);
}

static int __init uml_panic_init(void)
{
	panic_blink = uml_panic_exit;
	return 0;
}
early_initcall(uml_panic_init);
