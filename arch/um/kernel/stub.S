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
 *            until the list ends (then stop at a breakpoint) or one fails
 *            (then SIGILL, the error in %rax).  The data page is mapped
 *            read-only here: the stub only reads it, so no guest thread
 *            can change a list while the stub runs it
 *   fault    handler of the host's fault signals: reports the fault's
 *            err, trapno and cr2 (host/stub.h), then stops.  It never
 *            returns through its frame: a sibling thread of the guest
 *            (another process of this address space, running guest code
 *            on another CPU) can write the frame, and an rt_sigreturn of
 *            it would run whatever it put there with the stub's right to
 *            make host system calls.  So it only reads the frame: the
 *            fault's words and the FPU state to load back, which are the
 *            guest's own to spoil
 *   clone    a new process in this address space for a guest thread
 *
 * A batch entry is eight words: number, six arguments and one unused.  A
 * number of -1 ends the list.
 */
#include <host/stub.h>

#define NR_CLOSE	3
#define NR_MMAP		9
#define NR_MUNMAP	11
#define NR_RT_SIGACTION	13
#define NR_RT_SIGPROCMASK	14
#define NR_SIGALTSTACK	131

/* offsets in the host's struct ucontext (uc_mcontext at 40) */
#define UC_RSI		(40 + 72)
#define UC_RDX		(40 + 96)
#define UC_RAX		(40 + 104)
#define UC_RIP		(40 + 128)
#define UC_ERR		(40 + 152)
#define UC_TRAPNO	(40 + 160)
#define UC_CR2		(40 + 176)
#define UC_FPSTATE	(40 + 184)

/* the software-reserved words of an XSAVE signal frame (fx_sw_bytes) */
#define FP_SW_MAGIC1	464
#define FP_SW_XFEATURES	472
#define FP_XSTATE_MAGIC1	0x46505853

/* one stack_t per CPU, at the start of the constants */
#define STACK_T_SIZE	24

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
	/* the fault handlers' stacks, then the handler for each signal */
	movl	$NR_MMAP, %eax
	movabsq	$UML_STUB_SIGSTACK, %rdi
	movl	$UML_STUB_SIGSTACK_SIZE * UML_STUB_SIGSTACKS, %esi
	movl	$3, %edx			/* PROT_READ | PROT_WRITE */
	movl	$0x32, %r10d			/* MAP_PRIVATE|ANONYMOUS|FIXED */
	movq	$-1, %r8
	xorl	%r9d, %r9d
	syscall
	movl	$NR_SIGALTSTACK, %eax
	movabsq	$stub_sigstack, %rdi
	xorl	%esi, %esi
	syscall
	movabsq	$stub_fault_signals, %rbx
6:	movl	$NR_RT_SIGACTION, %eax
	movzbl	(%rbx), %edi
	testl	%edi, %edi
	jz	2f
	movabsq	$stub_sigaction, %rsi
	xorl	%edx, %edx
	movl	$8, %r10d
	syscall
	incq	%rbx
	jmp	6b
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
	leaq	8(%rsp), %rsp		/* past the entry's unused last word */
	testq	%rax, %rax
	jns	4b
	ud2				/* a call failed: SIGILL, %rax its error */
5:	int3
	jmp	5b

	.org	UML_STUB_FAULT - UML_STUB_START
stub_fault:
	/*
	 * %rdx: the host's ucontext, on the signal stack of the tracing CPU.
	 * The fault's words go to registers; the FPU state the host saved
	 * in the frame (and reset for the handler) is loaded back, with the
	 * features the frame says it holds; then no signal is blocked, as
	 * before the fault.  The kernel sets every general register itself
	 * before the process runs guest code again.
	 */
	movq	UC_ERR(%rdx), %r12
	movq	UC_TRAPNO(%rdx), %r13
	movq	UC_CR2(%rdx), %r14
	movq	UC_FPSTATE(%rdx), %rbx
	testq	%rbx, %rbx
	jz	2f
	cmpl	$FP_XSTATE_MAGIC1, FP_SW_MAGIC1(%rbx)
	jne	1f
	movl	FP_SW_XFEATURES(%rbx), %eax
	movl	FP_SW_XFEATURES + 4(%rbx), %edx
	xrstor64	(%rbx)
	jmp	2f
1:	fxrstor64	(%rbx)
2:	movl	$NR_RT_SIGPROCMASK, %eax
	movl	$2, %edi			/* SIG_SETMASK */
	movabsq	$stub_no_signals, %rsi
	xorl	%edx, %edx
	movl	$8, %r10d
	syscall
	movq	%r12, %rax
	movq	%r13, %rdx
	movq	%r14, %rsi
	jmp	7f

	.org	UML_STUB_RESTORER - UML_STUB_START
stub_restorer:				/* never reached: the handler stops */
	ud2

	.org	UML_STUB_FAULT_TRAP - UML_STUB_START
7:	int3
	jmp	7b

	.org	UML_STUB_CLONE - UML_STUB_START
stub_clone:
	syscall
	testq	%rax, %rax
	jnz	8f
	/* the new process: its own signal stack setting (clone drops it) */
	movl	$NR_SIGALTSTACK, %eax
	movabsq	$stub_sigstack, %rdi
	xorl	%esi, %esi
	syscall
8:	int3
	jmp	8b

	.org	UML_STUB_CONSTS - UML_STUB_START
stub_sigstack:				/* a stack_t per CPU: CPU 0's first */
	.irp	cpu, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.quad	UML_STUB_SIGSTACK + \cpu * UML_STUB_SIGSTACK_SIZE
	.long	0, 0
	.quad	UML_STUB_SIGSTACK_SIZE
	.endr
stub_no_signals:
	.quad	0
stub_sigaction:				/* the host's struct sigaction */
	.quad	stub_fault
	.quad	0x0c000004		/* SA_SIGINFO|SA_ONSTACK|SA_RESTORER */
	.quad	stub_restorer
	.quad	-1			/* everything blocked in the handler */
stub_fault_signals:			/* SIGSEGV, SIGBUS, SIGILL, SIGFPE */
	.byte	11, 7, 4, 8, 0

	.org	0x1000
