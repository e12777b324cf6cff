/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory barriers of an x86_64 host.  Its memory order is TSO: only a
 * store followed by a load needs a fence between virtual CPUs (host
 * threads); read and write barriers only keep the compiler in order.
 */
#ifndef __UM_BARRIER_H
#define __UM_BARRIER_H

/* mandatory barriers: ordered against everything, also the host's I/O */
#define mb()	do { asm volatile("mfence" ::: "memory"); } while (0)
#define rmb()	do { asm volatile("lfence" ::: "memory"); } while (0)
#define wmb()	do { asm volatile("sfence" ::: "memory"); } while (0)

/* between CPUs: a locked no-op on the stack is a full barrier, cheaper than mfence */
#define __smp_mb()							\
	do {								\
		asm volatile("lock addl $0, -4(%%rsp)" ::: "memory", "cc"); \
	} while (0)
#define __smp_rmb()	barrier()
#define __smp_wmb()	barrier()

#define __smp_store_release(p, v)					\
do {									\
	compiletime_assert_atomic_type(*p);				\
	barrier();							\
	WRITE_ONCE(*p, v);						\
} while (0)

#define __smp_load_acquire(p)						\
({									\
	typeof(*p) ___p1 = READ_ONCE(*p);				\
	compiletime_assert_atomic_type(*p);				\
	barrier();							\
	___p1;								\
})

/* the atomics are locked instructions: already full barriers */
#define __smp_mb__before_atomic()	barrier()
#define __smp_mb__after_atomic()	barrier()

#include <asm-generic/barrier.h>

#endif
