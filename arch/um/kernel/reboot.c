// SPDX-License-Identifier: GPL-2.0
/*
 * The end of the kernel process: halt and power off exit with status 0
 * (SIGTERM, SIGINT or SIGHUP from the host power off after a sync),
 * restart starts the executable again, a panic exits with status 1 once
 * the panic message is out.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/pm.h>
#include <linux/reboot.h>
#include <linux/syscalls.h>
#include <linux/workqueue.h>
#include <asm/umdev.h>

#include "um.h"
#include <host/process.h>

static void uml_power_off(void)
{
	uml_dev_flush();
	host_exit(0);
}

/* powering off is always possible: the process ends */
void (*pm_power_off)(void) = uml_power_off;
EXPORT_SYMBOL(pm_power_off);

void machine_halt(void)
{
	uml_dev_flush();
	host_exit(0);
}

void machine_power_off(void)
{
	uml_dev_flush();
	host_exit(0);
}

void machine_restart(char *cmd)
{
	uml_dev_flush();
	host_reexec();
}

static void uml_poweroff_work(struct work_struct *work)
{
	pr_notice("host asked for power off: syncing disks\n");
	ksys_sync();
	kernel_power_off();
}
static DECLARE_WORK(poweroff_work, uml_poweroff_work);

/**
 * uml_host_poweroff_request() - SIGTERM, SIGINT or SIGHUP reached the kernel
 *
 * Called in interrupt context; the machine syncs its disks and powers off
 * from a workqueue.
 */
void uml_host_poweroff_request(void)
{
	schedule_work(&poweroff_work);
}

/*
 * panic() calls panic_blink right after its final "end Kernel panic"
 * line; by then every message is on the host's stdout.
 */
static long uml_panic_exit(int state)
{
	uml_dev_flush();
	host_exit(1);
}

static int __init uml_panic_init(void)
{
	panic_blink = uml_panic_exit;
	return 0;
}
early_initcall(uml_panic_init);
