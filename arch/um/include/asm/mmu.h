/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_MMU_H
#define __UM_MMU_H

#include <linux/types.h>

struct page;

/**
 * typedef mm_context_t - arch part of an mm
 * @host_pid:  the first host process of this address space (0: none
 *             yet); the others (one per further thread) are its clones
 * @host_cpu:  the CPU whose thread traces @host_pid (-1: none, its CPU
 *             went offline; the next CPU that needs it attaches it)
 * @host_used: @host_pid is some thread's own process right now
 * @as_id:     unique id of that host address space, 0 with no process;
 *             a thread whose process has another id must drop it
 * @stub_page: the page the process's stub reads batched calls from
 * @vdso:      where the vDSO's text is mapped (0: none); kept across fork
 * @tsc_off:   some process of this address space has had rdtsc turned
 *             off (PR_SET_TSC): its clones start in an unknown mode, and
 *             the first process is set back before it is kept for reuse
 */
typedef struct {
	int host_pid;
	int host_cpu;
	bool host_used;
	unsigned long long as_id;
	struct page *stub_page;
	unsigned long vdso;
	bool tsc_off;
} mm_context_t;

#endif
