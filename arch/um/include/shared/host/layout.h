/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address layout of the kernel process, shared by kernel and host code.
 *
 *   UML_LOAD_ADDR            the executable (text, data, bss), then the
 *                            host's heap and libraries where libc puts them
 *   UML_PHYSMEM_BASE         physical memory: the mem= file, mapped once
 *   UML_VMALLOC_START..END   vmalloc and module space: pages of physical
 *                            memory mapped again on demand
 *
 * Guest address spaces live in other host processes, so these ranges
 * constrain nothing a guest sees.
 */
#ifndef __HOST_LAYOUT_H
#define __HOST_LAYOUT_H

#define UML_PHYSMEM_BASE	0x100000000000UL	/* 16 TiB */
#define UML_PHYSMEM_MAX		(CONFIG_UML_MAX_PHYSMEM_GB * 0x40000000UL)
#define UML_VMALLOC_START	0x200000000000UL	/* 32 TiB */
#define UML_VMALLOC_END		0x280000000000UL	/* 40 TiB */

#endif
