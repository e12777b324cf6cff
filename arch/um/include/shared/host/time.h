/* SPDX-License-Identifier: GPL-2.0 */
/* Host boundary: clocks and the one-shot timer. */
#ifndef __HOST_TIME_H
#define __HOST_TIME_H

/** host_clock_ns() - CLOCK_MONOTONIC in nanoseconds */
unsigned long long host_clock_ns(void);
/** host_realtime_ns() - CLOCK_REALTIME in nanoseconds since the epoch */
unsigned long long host_realtime_ns(void);
/*
 * The timer functions act on the timer of the virtual CPU they are called
 * on (host/cpu.h), which signals that CPU's thread.
 */
/**
 * host_timer_init() - create this CPU's timer that raises SIGALRM
 * Return: 0 (also when it exists already) or -errno.
 */
int host_timer_init(void);
/** host_timer_oneshot() - fire once, @ns from now */
int host_timer_oneshot(unsigned long long ns);
/** host_timer_cancel() - disarm */
void host_timer_cancel(void);
/**
 * host_tsc_usable() - whether the host's own time is the TSC's
 *
 * True when the host's clocksource is "tsc", or is one a hypervisor
 * computes from the TSC ("kvm-clock", Hyper-V's TSC page) and the CPU
 * declares its TSC invariant (CPUID 0x80000007 EDX bit 8): then the counter
 * runs at one rate and the host's own vDSO reads it too.
 *
 * Return: the host's clocksource name (a static buffer) if so, else NULL.
 */
const char *host_tsc_usable(void);
/**
 * host_tsc_sample() - read the TSC and the host's CLOCK_MONOTONIC_RAW together
 * @tsc: the counter, in the middle of the tightest of a few reads
 * @ns:  the clock, in nanoseconds, at that moment
 */
void host_tsc_sample(unsigned long long *tsc, unsigned long long *ns);

#endif
