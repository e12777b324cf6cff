/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries and areas of the stub (kernel/stub.S) beyond those of
 * host/layout.h, known only to the stub and os-Linux/user.c.
 *
 *   UML_STUB_FAULT       the handler of the host fault signals (SIGSEGV,
 *                        SIGBUS, SIGILL, SIGFPE): it reports the host
 *                        frame's err, trapno and cr2 in rax, rdx and rsi
 *                        at the breakpoint UML_STUB_FAULT_TRAP, after a
 *                        sigreturn that restored the FPU state
 *   UML_STUB_RESTORER    its sa_restorer: rt_sigreturn
 *   UML_STUB_CLONE       one host clone(); the new process sets its
 *                        signal stack, then both stop
 *   UML_STUB_SIGSTACK    the handler's signal stack (private memory of
 *                        the host address space, above TASK_SIZE)
 */
#ifndef __HOST_STUB_H
#define __HOST_STUB_H

#include <host/layout.h>

#define UML_STUB_FAULT		(UML_STUB_START + 0x300)
#define UML_STUB_RESTORER	(UML_STUB_START + 0x380)
#define UML_STUB_FAULT_TRAP	(UML_STUB_START + 0x3c0)
#define UML_STUB_CLONE		(UML_STUB_START + 0x400)
#define UML_STUB_CONSTS		(UML_STUB_START + 0x800)
#define UML_STUB_SIGSTACK	(UML_STUB_START + 0x10000)
#define UML_STUB_SIGSTACK_SIZE	0x10000

#endif
