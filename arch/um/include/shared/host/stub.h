/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entries and areas of the stub (kernel/stub.S) beyond those of
 * host/layout.h, known only to the stub and os-Linux/user.c.
 *
 *   UML_STUB_FAULT       the handler of the host fault signals (SIGSEGV,
 *                        SIGBUS, SIGILL, SIGFPE): it reports the host
 *                        frame's err, trapno and cr2 in rax, rdx and rsi
 *                        at the breakpoint UML_STUB_FAULT_TRAP, with the
 *                        FPU state loaded back from the frame and no
 *                        signal blocked; it never returns (no sigreturn)
 *   UML_STUB_RESTORER    its sa_restorer, never reached
 *   UML_STUB_CLONE       one host clone(); the new process sets CPU 0's
 *                        signal stack, then both stop
 *   UML_STUB_SIGSTACK    the handler's signal stacks, one per CPU (private
 *                        memory of the host address space, above
 *                        TASK_SIZE): a process uses the one of the CPU
 *                        that traces it, and a CPU runs one handler at a
 *                        time, so two threads that fault at once on two
 *                        CPUs never share a stack
 *   UML_STUB_SIGSTACK_T(cpu)  the stack_t of CPU @cpu's stack
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
#define UML_STUB_SIGSTACKS	16
#define UML_STUB_SIGSTACK_T(cpu) (UML_STUB_CONSTS + (cpu) * 24)

#endif
