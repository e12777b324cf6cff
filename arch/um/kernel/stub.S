/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stub: the only code of ours in a guest's host process.
 *
 * Linked on its own (stub.lds) at UML_STUB_START and exec'd from memory
 * to start each guest address space.  It never runs guest code and the
 * guest never runs it: the kernel points the process's registers at one
 * of its entries, continues it, and reads the results at the breakpoint.
 *
 *   entry    drop everything the host's exec mapped below the stub and the
 *            inherited stdio descriptors, then stop
 *   syscall  one host system call from the registers, then stop
 *   batch    the host system calls listed in the data page, in order,
 *            until the list ends or one fails, then stop
 *   segv     the SIGSEGV handler, on the signal stack in the data area:
 *            leave the siginfo and ucontext pointers in the stack's first
 *            two words, load the guest's FPU state from the frame, and
 *            stop (the kernel reads the guest's registers and the fault's
 *            error code from the frame, and never lets the handler return)
 *
 * A batch entry is eight words: number, six arguments, result.  A number
 * of -1 ends the list.
 */
#include <host/layout.h>

#define NR_CLOSE	3
#define NR_MUNMAP	11

/* the host's x86_64 signal frame: ucontext and fxsave software bytes */
#define UC_FPSTATE		224	/* uc_mcontext.fpstate */
#define FP_SW_MAGIC1		464
#define FP_SW_XFEATURES		472
#define FP_XSTATE_MAGIC1	0x46505853

	.text
	.globl	_start
_start:
	movl	$NR_MUNMAP, %eax
	xorl	%edi, %edi
	movabsq	$UML_STUB_START, %rsi
	syscall
	xorl	%ebx, %ebx
1:	movl	$NR_CLOSE, %eax
	movl	%ebx, %edi
	syscall
	incl	%ebx
	cmpl	$3, %ebx
	jne	1b
2:	int3
	jmp	2b

	.org	UML_STUB_SYSCALL - UML_STUB_START
stub_syscall:
	syscall
3:	int3
	jmp	3b

	.org	UML_STUB_BATCH - UML_STUB_START
stub_batch:
	/* the stack pointer walks the list: each entry is popped in order */
	movabsq	$UML_STUB_DATA, %rsp
4:	cmpq	$-1, (%rsp)
	je	5f
	popq	%rax
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%r10
	popq	%r8
	popq	%r9
	syscall
	movq	%rax, (%rsp)		/* the result word */
	leaq	8(%rsp), %rsp
	testq	%rax, %rax
	jns	4b
5:	int3
	jmp	5b

	.org	UML_STUB_SEGV - UML_STUB_START
stub_segv:
	movabsq	$UML_STUB_SIGSTACK, %rax
	movq	%rsi, (%rax)
	movq	%rdx, 8(%rax)
	/*
	 * The host gave the handler a fresh FPU state; load the guest's
	 * back from the frame (the host's sigreturn would), so the kernel
	 * has nothing to restore.  XSAVE frames carry FP_XSTATE_MAGIC1 and
	 * the features they hold in their software bytes.
	 */
	movq	UC_FPSTATE(%rdx), %rcx
	testq	%rcx, %rcx
	jz	6f
	cmpl	$FP_XSTATE_MAGIC1, FP_SW_MAGIC1(%rcx)
	jne	7f
	movl	FP_SW_XFEATURES(%rcx), %eax
	movl	FP_SW_XFEATURES+4(%rcx), %edx
	xrstor64 (%rcx)
	jmp	6f
7:	fxrstor64 (%rcx)
6:	int3
	jmp	6b

	.org	0x1000
