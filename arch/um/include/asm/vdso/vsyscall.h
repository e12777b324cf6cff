/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's side of the vDSO data page (kernel/vdso.c). */
#ifndef __UM_VDSO_VSYSCALL_H
#define __UM_VDSO_VSYSCALL_H

#ifndef __ASSEMBLY__

#include <linux/timekeeper_internal.h>
#include <vdso/datapage.h>

extern struct vdso_data *uml_vdso_kdata;

static __always_inline struct vdso_data *uml_get_k_vdso_data(void)
{
	return uml_vdso_kdata;
}
#define __arch_get_k_vdso_data uml_get_k_vdso_data

#include <asm-generic/vdso/vsyscall.h>

#endif
#endif
