/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the host CPU's time-stamp counter, in the kernel (the TSC
 * clocksource) and in the vDSO alike.  The lfence keeps the read from
 * being done before earlier loads (the vDSO's sequence count).
 */
#ifndef __UM_VDSO_TSC_H
#define __UM_VDSO_TSC_H

#ifndef __ASSEMBLY__
#include <linux/types.h>

static __always_inline u64 uml_rdtsc_ordered(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a" (lo), "=d" (hi) :: "memory");
	return ((u64)hi << 32) | lo;
}
#endif

#endif
