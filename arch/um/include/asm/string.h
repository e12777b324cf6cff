/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memcpy, memmove and memset of arch/um/lib/string.S: string
 * instructions instead of lib/string.c's byte loops.  The host C library
 * linked into the kernel calls these too.
 */
#ifndef __UM_STRING_H
#define __UM_STRING_H

#include <linux/types.h>

#define __HAVE_ARCH_MEMCPY
void *memcpy(void *to, const void *from, size_t len);

#define __HAVE_ARCH_MEMMOVE
void *memmove(void *to, const void *from, size_t len);

#define __HAVE_ARCH_MEMSET
void *memset(void *s, int c, size_t len);

#endif
