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

#ifdef __ASSEMBLY__
#define HOST_UL(x)	x
#else
#define HOST_UL(x)	x##UL
#endif

#define UML_PHYSMEM_BASE	HOST_UL(0x100000000000)	/* 16 TiB */
#define UML_PHYSMEM_MAX		(CONFIG_UML_MAX_PHYSMEM_GB * HOST_UL(0x40000000))
#define UML_VMALLOC_START	HOST_UL(0x200000000000)	/* 32 TiB */
#define UML_VMALLOC_END		HOST_UL(0x280000000000)	/* 40 TiB */

/*
 * Top of every guest's host process, above the guest's TASK_SIZE: the stub
 * that runs host system calls for the kernel (kernel/stub.S), its page
 * of batched requests (shared with the kernel through physical memory),
 * and the descriptor number under which it holds physical memory.
 */
#define UML_STUB_START		HOST_UL(0x7fffff000000)
#define UML_STUB_ENTRY		(UML_STUB_START + 0x000)
#define UML_STUB_SYSCALL	(UML_STUB_START + 0x100)
#define UML_STUB_BATCH		(UML_STUB_START + 0x200)
#define UML_STUB_SEGV		(UML_STUB_START + 0x300)
#define UML_STUB_DATA		(UML_STUB_START + 0x1000)
/*
 * The data area is UML_STUB_DATA_ORDER pages of physical memory: the batch
 * page, then the host signal stack of the stub's SIGSEGV handler, whose
 * first two words the handler fills with its siginfo and ucontext
 * pointers.
 */
#define UML_STUB_DATA_ORDER	2
#define UML_STUB_DATA_SIZE	(HOST_UL(0x1000) << UML_STUB_DATA_ORDER)
#define UML_STUB_SIGSTACK	(UML_STUB_DATA + 0x1000)
#define UML_STUB_PHYSMEM_FD	3

#endif
