/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_MMU_H
#define __UM_MMU_H

struct page;

/**
 * typedef mm_context_t - arch part of an mm
 * @host_pid:  host process that holds this address space (0: none yet)
 * @stub_page: the page the process's stub reads batched calls from
 * @vdso:      where the vDSO's text is mapped (0: none); kept across fork
 */
typedef struct {
	int host_pid;
	struct page *stub_page;
	unsigned long vdso;
} mm_context_t;

#endif
