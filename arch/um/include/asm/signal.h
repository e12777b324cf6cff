/* SPDX-License-Identifier: GPL-2.0 */
/* Guest signals: the x86_64 numbering and sigset layout. */
#ifndef __UM_SIGNAL_H
#define __UM_SIGNAL_H

#ifndef __ASSEMBLY__
#define _NSIG		64
#define _NSIG_BPW	64
#define _NSIG_WORDS	(_NSIG / _NSIG_BPW)

typedef unsigned long old_sigset_t;

typedef struct {
	unsigned long sig[_NSIG_WORDS];
} sigset_t;
#endif

#include <uapi/asm/signal.h>

#define __ARCH_HAS_SA_RESTORER

#endif
