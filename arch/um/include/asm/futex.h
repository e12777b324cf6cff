/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Futex operations on guest memory.
 *
 * Guest tasks run on CPU 0 only (docs/smp.md), and while CPU 0 is in the
 * kernel no guest code runs: disabling preemption excludes every other
 * access to a guest futex word, as on a uniprocessor.  The generic
 * read-modify-write through get_user()/put_user() is therefore atomic
 * here too; it must become a locked instruction on the word when guest
 * tasks run on several CPUs.
 */
#ifndef __UM_FUTEX_H
#define __UM_FUTEX_H

#define futex_atomic_cmpxchg_inatomic(uval, uaddr, oldval, newval) \
	futex_atomic_cmpxchg_inatomic_local(uval, uaddr, oldval, newval)
#define arch_futex_atomic_op_inuser(op, oparg, oval, uaddr) \
	futex_atomic_op_inuser_local(op, oparg, oval, uaddr)

#include <asm-generic/futex.h>

#endif
