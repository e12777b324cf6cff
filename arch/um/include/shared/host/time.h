/* SPDX-License-Identifier: GPL-2.0 */
/* Host boundary: clocks and the one-shot timer. */
#ifndef __HOST_TIME_H
#define __HOST_TIME_H

/** host_clock_ns() - CLOCK_MONOTONIC in nanoseconds */
unsigned long long host_clock_ns(void);
/** host_realtime_ns() - CLOCK_REALTIME in nanoseconds since the epoch */
unsigned long long host_realtime_ns(void);
/** host_timer_init() - create the timer that raises SIGALRM; 0 or -errno */
int host_timer_init(void);
/** host_timer_oneshot() - fire once, @ns from now */
int host_timer_oneshot(unsigned long long ns);
/** host_timer_cancel() - disarm */
void host_timer_cancel(void);

#endif
