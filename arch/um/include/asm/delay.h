/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_DELAY_H
#define __UM_DELAY_H

/* Busy waits read the host's monotonic clock; nothing is calibrated. */
void uml_delay_ns(unsigned long ns);

#define ndelay(n)	uml_delay_ns(n)
#define udelay(n)	uml_delay_ns((n) * 1000UL)
#define __delay(loops)	uml_delay_ns(loops)

#endif
