/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomic_t and atomic64_t on the compiler's atomic builtins (locked
 * instructions); linux/atomic.h derives the other variants.
 */
#ifndef __UM_ATOMIC_H
#define __UM_ATOMIC_H

#include <linux/types.h>
#include <asm/cmpxchg.h>
#include <asm/barrier.h>

#define ATOMIC64_INIT(i)		{ (i) }

#define arch_atomic_read(v)		READ_ONCE((v)->counter)
#define arch_atomic_set(v, i)		WRITE_ONCE((v)->counter, (i))
#define arch_atomic64_read(v)		READ_ONCE((v)->counter)
#define arch_atomic64_set(v, i)		WRITE_ONCE((v)->counter, (i))

#define UM_ATOMIC_OP(pfx, atype, type, op)					\
static __always_inline void arch_##pfx##_##op(type i, atype *v)	\
{									\
	__atomic_fetch_##op(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static __always_inline type arch_##pfx##_fetch_##op(type i, atype *v)	\
{									\
	return __atomic_fetch_##op(&v->counter, i, __ATOMIC_SEQ_CST);	\
}

#define UM_ATOMIC_RETURN_OP(pfx, atype, type, op)				\
static __always_inline type arch_##pfx##_##op##_return(type i, atype *v) \
{									\
	return __atomic_##op##_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}

#define UM_ATOMIC_OPS(pfx, atype, type)					\
	UM_ATOMIC_OP(pfx, atype, type, add)					\
	UM_ATOMIC_OP(pfx, atype, type, sub)					\
	UM_ATOMIC_OP(pfx, atype, type, and)					\
	UM_ATOMIC_OP(pfx, atype, type, or)					\
	UM_ATOMIC_OP(pfx, atype, type, xor)					\
	UM_ATOMIC_RETURN_OP(pfx, atype, type, add)				\
	UM_ATOMIC_RETURN_OP(pfx, atype, type, sub)				\
static __always_inline type arch_##pfx##_xchg(atype *v, type n)	\
{									\
	return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST);	\
}									\
static __always_inline type arch_##pfx##_cmpxchg(atype *v, type o,	\
						 type n)		\
{									\
	__atomic_compare_exchange_n(&v->counter, &o, n, false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	return o;							\
}									\
static __always_inline bool arch_##pfx##_try_cmpxchg(atype *v,	\
						     type *o, type n)	\
{									\
	return __atomic_compare_exchange_n(&v->counter, o, n, false,	\
					   __ATOMIC_SEQ_CST,		\
					   __ATOMIC_SEQ_CST);		\
}

UM_ATOMIC_OPS(atomic, atomic_t, int)
UM_ATOMIC_OPS(atomic64, atomic64_t, s64)

#define arch_atomic_add			arch_atomic_add
#define arch_atomic_sub			arch_atomic_sub
#define arch_atomic_and			arch_atomic_and
#define arch_atomic_or			arch_atomic_or
#define arch_atomic_xor			arch_atomic_xor
#define arch_atomic_fetch_add		arch_atomic_fetch_add
#define arch_atomic_fetch_sub		arch_atomic_fetch_sub
#define arch_atomic_fetch_and		arch_atomic_fetch_and
#define arch_atomic_fetch_or		arch_atomic_fetch_or
#define arch_atomic_fetch_xor		arch_atomic_fetch_xor
#define arch_atomic_add_return		arch_atomic_add_return
#define arch_atomic_sub_return		arch_atomic_sub_return
#define arch_atomic_xchg		arch_atomic_xchg
#define arch_atomic_cmpxchg		arch_atomic_cmpxchg
#define arch_atomic_try_cmpxchg		arch_atomic_try_cmpxchg
#define arch_atomic64_add		arch_atomic64_add
#define arch_atomic64_sub		arch_atomic64_sub
#define arch_atomic64_and		arch_atomic64_and
#define arch_atomic64_or		arch_atomic64_or
#define arch_atomic64_xor		arch_atomic64_xor
#define arch_atomic64_fetch_add		arch_atomic64_fetch_add
#define arch_atomic64_fetch_sub		arch_atomic64_fetch_sub
#define arch_atomic64_fetch_and		arch_atomic64_fetch_and
#define arch_atomic64_fetch_or		arch_atomic64_fetch_or
#define arch_atomic64_fetch_xor		arch_atomic64_fetch_xor
#define arch_atomic64_add_return	arch_atomic64_add_return
#define arch_atomic64_sub_return	arch_atomic64_sub_return
#define arch_atomic64_xchg		arch_atomic64_xchg
#define arch_atomic64_cmpxchg		arch_atomic64_cmpxchg
#define arch_atomic64_try_cmpxchg	arch_atomic64_try_cmpxchg

#endif
