/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xchg and cmpxchg: the compiler's atomic builtins, which are single
 * locked instructions on x86_64 and so atomic against host signal
 * handlers and helper threads alike.
 */
#ifndef __UM_CMPXCHG_H
#define __UM_CMPXCHG_H

#include <linux/compiler.h>

#define arch_xchg(ptr, v)						\
	__atomic_exchange_n((ptr), (v), __ATOMIC_SEQ_CST)

#define arch_cmpxchg(ptr, old, new)					\
({									\
	__typeof__(*(ptr)) __old = (old);				\
	__atomic_compare_exchange_n((ptr), &__old, (new), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__old;								\
})

#define arch_cmpxchg64(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))
#define arch_cmpxchg_local(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))
#define arch_cmpxchg64_local(ptr, o, n)	arch_cmpxchg((ptr), (o), (n))

#endif
