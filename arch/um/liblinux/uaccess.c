// SPDX-License-Identifier: GPL-2.0
/*
 * User access for the library: a user pointer is an address of the
 * application's own memory, in the same host address space as the kernel.
 * Every copy runs in switch.S's no-fault copy, so a bad pointer is
 * -EFAULT for the call, not a crash of the application.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include "../kernel/um.h"

/* all or nothing: a fault fails the whole copy */
static unsigned long lib_copy(void *to, const void *from, unsigned long n)
{
	return uml_copy_nofault_raw(to, from, n) ? n : 0;
}

unsigned long raw_copy_from_user(void *to, const void __user *from,
				 unsigned long n)
{
	return lib_copy(to, (__force const void *)from, n);
}
EXPORT_SYMBOL(raw_copy_from_user);

unsigned long raw_copy_to_user(void __user *to, const void *from,
			       unsigned long n)
{
	return lib_copy((__force void *)to, from, n);
}
EXPORT_SYMBOL(raw_copy_to_user);

unsigned long __clear_user(void __user *mem, unsigned long len)
{
	unsigned long left = len;
	char __user *p = mem;

	while (left) {
		unsigned long n = min(left, PAGE_SIZE);

		if (lib_copy((__force void *)p, page_address(ZERO_PAGE(0)), n))
			return left;
		p += n;
		left -= n;
	}
	return 0;
}
EXPORT_SYMBOL(__clear_user);

/*
 * The length of the string at @src, looking at most @max bytes, copying
 * them to @dst unless it is NULL: as for the VM's (kernel/uaccess.c).
 */
long uml_user_string(char *dst, const char __user *src, long max)
{
	unsigned long addr = (unsigned long)src;
	char chunk[128];
	long done = 0;

	while (done < max) {
		long len = min_t(long, max - done, sizeof(chunk));
		long i;

		len = min_t(long, len, PAGE_SIZE - (addr & ~PAGE_MASK));
		if (uml_copy_nofault_raw(chunk, (const void *)addr, len))
			return -EFAULT;
		for (i = 0; i < len; i++) {
			if (dst)
				dst[done + i] = chunk[i];
			if (!chunk[i])
				return done + i;
		}
		done += len;
		addr += len;
	}
	return max;
}
