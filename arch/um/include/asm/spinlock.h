/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spinlocks between virtual CPUs: the generic ticket lock and queued
 * rwlock on the port's atomics (locked instructions of the host CPU).
 * The ticket lock spins with cpu_relax(), which must be known first.
 */
#ifndef __UM_SPINLOCK_H
#define __UM_SPINLOCK_H

#include <asm/vdso/processor.h>
#include <asm-generic/spinlock.h>

#endif
