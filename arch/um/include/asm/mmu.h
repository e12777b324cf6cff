/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_MMU_H
#define __UM_MMU_H

/**
 * typedef mm_context_t - arch part of an mm
 * @host_pid: host process that holds this address space (0: none yet)
 */
typedef struct {
	int host_pid;
} mm_context_t;

#endif
