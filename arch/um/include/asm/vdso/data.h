/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The port's part of the vDSO data page: how far the clock must be held
 * back from the raw TSC.  It grows by the length of every management
 * console "stop" (kernel/time.c), which the guest's clocks leave out.
 */
#ifndef __UM_VDSO_DATA_H
#define __UM_VDSO_DATA_H

#ifndef __ASSEMBLY__
#include <linux/types.h>

struct arch_vdso_data {
	u64 tsc_offset;
};
#endif

#endif
