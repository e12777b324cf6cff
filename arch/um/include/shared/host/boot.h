/* SPDX-License-Identifier: GPL-2.0 */
/* Host boundary: how the host's main() hands over to the kernel. */
#ifndef __HOST_BOOT_H
#define __HOST_BOOT_H

#define UML_CMDLINE_SIZE	4096

/* defined by the kernel side */
extern char uml_boot_cmdline[UML_CMDLINE_SIZE];
extern unsigned long uml_physmem_size;
extern const char linux_banner[];
/** uml_kernel_entry() - start_kernel() on the init task's stack */
void uml_kernel_entry(void) __attribute__((noreturn));
/** uml_init_stack_top() - top of the init task's stack */
unsigned long uml_init_stack_top(void);
/** uml_parse_size() - "64M"-style sizes; 0 when malformed */
unsigned long long uml_parse_size(const char *s, const char **end);

/**
 * host_random_bytes() - fill @buf with @len bytes of the host's entropy
 *
 * getrandom(2) without blocking: the seed of the kernel's random number
 * generator at boot, as a bootloader or RDSEED gives it on x86_64.
 * Return: the number of bytes filled (0 when the host had none to give).
 */
int host_random_bytes(void *buf, int len);

/* defined in kernel/switch.S */
void uml_run_on_stack(void (*fn)(void), unsigned long stack_top)
	__attribute__((noreturn));

#endif
