/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_MMU_H
#define __UM_MMU_H

struct page;

/**
 * typedef mm_context_t - arch part of an mm
 * @host_pid:  host process that holds this address space (0: none yet)
 * @stub_page: the pages of the process's stub data (UML_STUB_DATA_SIZE):
 *             batched calls, then the stack of its fault handler
 * @debugreg:  the debug registers (DR0-DR3, DR7) now loaded in the host
 *             process: threads share it, so a switch reloads them
 */
typedef struct {
	int host_pid;
	struct page *stub_page;
	unsigned long debugreg[8];
} mm_context_t;

#endif
