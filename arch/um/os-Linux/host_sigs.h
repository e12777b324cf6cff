/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host signals that carry the timer and descriptor interrupts.  The
 * library (CONFIG_UML_LIB) leaves SIGALRM and SIGIO to the application
 * and takes the two highest real-time signals instead (docs/lib.md).
 */
#ifndef __OS_HOST_SIGS_H
#define __OS_HOST_SIGS_H

#include <signal.h>

#ifdef CONFIG_UML_LIB
#define HOST_SIG_TIMER	(SIGRTMAX - 1)
#define HOST_SIG_IO	SIGRTMAX
#else
#define HOST_SIG_TIMER	SIGALRM
#define HOST_SIG_IO	SIGIO
#endif

#endif
