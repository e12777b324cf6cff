// SPDX-License-Identifier: GPL-2.0
/*
 * Boot: from the host's main() to start_kernel() and setup_arch().
 *
 * main() (os-Linux/main.c) has checked the options, created physical
 * memory and switched to the init task's stack; uml_kernel_entry() is the
 * first kernel code to run.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/random.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/start_kernel.h>
#include <linux/string.h>
#include <linux/cpu.h>
#include <asm/setup.h>
#include <asm/processor.h>
#include <asm/vdso.h>
#include <host/boot.h>
#include <host/cpu.h>
#include <host/irq.h>
#include <host/process.h>

#include "um.h"

char uml_boot_cmdline[UML_CMDLINE_SIZE];
unsigned long uml_physmem_size;

struct cpuinfo_um boot_cpu_data = {
	.loops_per_jiffy = 0,
};

unsigned long uml_init_stack_top(void)
{
	return (unsigned long)task_stack_page(&init_task) + THREAD_SIZE;
}

/**
 * uml_parse_size() - parse "128M"-style sizes for the host's checks
 * @s:   the text
 * @end: if not NULL, set to the first character not parsed
 * Return: the size in bytes, or 0 if @s does not start with a number.
 */
unsigned long long uml_parse_size(const char *s, const char **end)
{
	char *e;
	unsigned long long v;

	if (*s < '0' || *s > '9') {
		if (end)
			*end = s;
		return 0;
	}
	v = memparse(s, &e);
	if (end)
		*end = e;
	return v;
}

/*
 * __ref, not __init: main() and the library's start refer to it from
 * ordinary text (modpost would call that a section mismatch); it calls
 * start_kernel() once, and its few bytes stay.
 */
void __ref __noreturn uml_kernel_entry(void)
{
	uml_self_write(task, &init_task);
	uml_self_write(irqs_on, 0);
	start_kernel();
	unreachable();
}

static int __init uml_mem_param(char *p)
{
	/* checked and applied by main() before the kernel started */
	return 0;
}
early_param("mem", uml_mem_param);

static int __init uml_pin_param(char *p)
{
	/* read by the host side (host_pin_to_cpu()) from the command line */
	return 1;
}
__setup("pin=", uml_pin_param);

static bool __init has_param(const char *cmdline, const char *name)
{
	size_t n = strlen(name);
	const char *p = cmdline;

	while ((p = strstr(p, name))) {
		if (p == cmdline || p[-1] == ' ')
			return true;
		p += n;
	}
	return false;
}

/*
 * With no root=, the root filesystem is on the first disk (ubd0=), or the
 * host directory of rootfstype=hostfs.
 */
static void __init uml_default_root(char *cmdline)
{
	const char *dash = strstr(cmdline, " -- ");
	const char *root, *p;

	if (has_param(cmdline, "root="))
		return;
	if (has_param(cmdline, "ubd0")) {
		root = "/dev/ubda";
		p = strstr(cmdline, "ubd0");
	} else if (has_param(cmdline, "rootfstype=hostfs")) {
		root = "hostfs";
		p = strstr(cmdline, "rootfstype=hostfs");
	} else {
		return;
	}
	if (dash && p > dash)
		return;
	if (dash) {
		static char rest[COMMAND_LINE_SIZE] __initdata;

		strscpy(rest, dash, sizeof(rest));
		snprintf(cmdline + (dash - cmdline),
			 COMMAND_LINE_SIZE - (dash - cmdline),
			 " root=%s%s", root, rest);
	} else {
		strlcat(cmdline, " root=", COMMAND_LINE_SIZE);
		strlcat(cmdline, root, COMMAND_LINE_SIZE);
	}
}

/*
 * The host's entropy seeds the random number generator before anything
 * asks it, as a bootloader's seed or RDSEED does on x86_64: getrandom()
 * in the guest (systemd, Python, ssh-keygen) never waits for the
 * CRNG to fill from interrupt timings.  Credited unless the command line
 * says random.trust_bootloader=off.
 */
static void __init uml_seed_random(void)
{
	u8 seed[64];
	int n = host_random_bytes(seed, sizeof(seed));

	if (n > 0)
		add_bootloader_randomness(seed, n);
	memzero_explicit(seed, sizeof(seed));
}

void __init setup_arch(char **cmdline_p)
{
	strscpy(boot_command_line, uml_boot_cmdline, COMMAND_LINE_SIZE);
	uml_default_root(boot_command_line);
	*cmdline_p = boot_command_line;
	parse_early_param();
	uml_seed_random();
	uml_smp_setup();

	uml_mem_setup(uml_physmem_size);
	uml_vdso_setup();
	uml_boot_console_init();
}

