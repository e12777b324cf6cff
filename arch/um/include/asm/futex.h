/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Futex operations on guest memory.
 *
 * Guest threads run on every CPU, and their host processes change the
 * futex word with locked instructions at any time: the kernel's
 * read-modify-writes of it are locked instructions too, on the word's
 * page through the kernel's own mapping of it (kernel/futex.c).  The
 * library (CONFIG_UML_LIB) has no guest memory: its user pointers are
 * the application's, and the generic operations serve.
 */
#ifndef __UM_FUTEX_H
#define __UM_FUTEX_H

#ifdef CONFIG_UML_LIB
#define futex_atomic_cmpxchg_inatomic(uval, uaddr, oldval, newval) \
	futex_atomic_cmpxchg_inatomic_local(uval, uaddr, oldval, newval)
#define arch_futex_atomic_op_inuser(op, oparg, oval, uaddr) \
	futex_atomic_op_inuser_local(op, oparg, oval, uaddr)

#include <asm-generic/futex.h>
#else
#include <linux/types.h>
#include <linux/compiler_types.h>

int arch_futex_atomic_op_inuser(int op, u32 oparg, int *oval,
				u32 __user *uaddr);
int futex_atomic_cmpxchg_inatomic(u32 *uval, u32 __user *uaddr,
				  u32 oldval, u32 newval);
#endif

#endif
