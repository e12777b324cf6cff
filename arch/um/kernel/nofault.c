// SPDX-License-Identifier: GPL-2.0
/*
 * What the VM's user access (uaccess.c) and the library's
 * (liblinux/uaccess.c) share: the string calls, over the
 * uml_user_string() of whichever is built, and kernel memory that may not
 * be there (copy_from_kernel_nofault), copied in switch.S's fault-fixup
 * range.
 */
#include <linux/export.h>
#include <linux/init.h>
#include <linux/uaccess.h>
#include <host/irq.h>

#include "um.h"

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	if (count <= 0)
		return 0;
	return uml_user_string(dst, src, count);
}
EXPORT_SYMBOL(strncpy_from_user);

long strnlen_user(const char __user *str, long n)
{
	long len;

	if (n <= 0)
		return 0;
	len = uml_user_string(NULL, str, n);
	return len < 0 ? 0 : len + 1;
}
EXPORT_SYMBOL(strnlen_user);

int uml_kernel_copy_nofault(void *dst, const void *src, unsigned long n)
{
	return uml_copy_nofault_raw(dst, src, n);
}
EXPORT_SYMBOL(uml_kernel_copy_nofault);

static int __init uml_nofault_init(void)
{
	host_fault_fixup_range((unsigned long)uml_nofault_begin,
			       (unsigned long)uml_nofault_end,
			       (unsigned long)uml_nofault_fixup);
	return 0;
}
early_initcall(uml_nofault_init);
