/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Performance events: the kernel process sees no PMU, so only the
 * software events (clocks, context switches, faults, migrations) and
 * tracepoints exist.  A snapshot of the kernel's own registers for an
 * event raised in the kernel carries the caller's address and frame, and
 * cs 0 so that user_mode() says "kernel" (exclude_kernel works).
 */
#ifndef __UM_PERF_EVENT_H
#define __UM_PERF_EVENT_H

#define perf_arch_fetch_caller_regs(regs, caller_ip)			\
	do {								\
		(regs)->ip = (caller_ip);				\
		(regs)->cs = 0;						\
		(regs)->bp = (unsigned long)__builtin_frame_address(0);	\
		(regs)->sp = (unsigned long)__builtin_frame_address(0);	\
	} while (0)

#endif
