/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_VDSO_PROCESSOR_H
#define __UM_VDSO_PROCESSOR_H

#ifndef __ASSEMBLY__

static __always_inline void cpu_relax(void)
{
	__asm__ __volatile__("rep; nop" ::: "memory");
}

#endif
#endif
