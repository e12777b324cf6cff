/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Clock modes of the vDSO: the host CPU's time-stamp counter, when the
 * kernel's own clocksource is the TSC (kernel/time.c).
 */
#ifndef __UM_VDSO_CLOCKSOURCE_H
#define __UM_VDSO_CLOCKSOURCE_H

#define VDSO_ARCH_CLOCKMODES	VDSO_CLOCKMODE_TSC

#endif
