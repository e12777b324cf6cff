/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access to guest memory.
 *
 * A guest's memory is not mapped in the kernel process.  These routines
 * walk the current mm's page tables, fault missing pages in with the
 * generic fault handler, and copy through the physical-memory mapping
 * (kernel/uaccess.c).
 */
#ifndef __UM_UACCESS_H
#define __UM_UACCESS_H

#include <linux/types.h>
#include <asm/processor.h>

unsigned long raw_copy_from_user(void *to, const void __user *from,
				 unsigned long n);
unsigned long raw_copy_to_user(void __user *to, const void *from,
			       unsigned long n);
unsigned long __clear_user(void __user *mem, unsigned long len);
#define __clear_user __clear_user
long strncpy_from_user(char *dst, const char __user *src, long count);
long strnlen_user(const char __user *str, long n);

/**
 * uml_kernel_copy_nofault() - copy kernel memory that may not be mapped
 * Return: 0, or -EFAULT if some byte could not be read or written.
 */
int uml_kernel_copy_nofault(void *dst, const void *src, unsigned long n);

#define __get_kernel_nofault(dst, src, type, err_label)			\
do {									\
	if (uml_kernel_copy_nofault((dst), (src), sizeof(type)))	\
		goto err_label;						\
} while (0)

#define __put_kernel_nofault(dst, src, type, err_label)			\
do {									\
	if (uml_kernel_copy_nofault((dst), (src), sizeof(type)))	\
		goto err_label;						\
} while (0)

#include <asm-generic/uaccess.h>

#endif
