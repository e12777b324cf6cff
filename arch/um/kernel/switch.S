/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack switching of kernel contexts, and the no-fault copy.
 *
 * A context switch is a stack switch inside the host thread of one
 * virtual CPU: the callee-saved registers go on the old stack, its stack
 * pointer into prev->thread.sp, the new task becomes the CPU's current
 * (%gs-relative, host/cpu.h), and its registers are taken back the same way.
 */
#include <linux/linkage.h>
#include <asm/asm-offsets.h>
#include <host/cpu.h>

	.text

/* struct task_struct *__switch_to(prev: %rdi, next: %rsi) */
SYM_FUNC_START(__switch_to)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, TASK_THREAD_SP(%rdi)
	movq	%rsi, %gs:UML_SELF_TASK
	movq	TASK_THREAD_SP(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	movq	%rdi, %rax		/* "last": the task we came from */
	ret
SYM_FUNC_END(__switch_to)

/*
 * First return of a new task: copy_thread() left %rbx = function,
 * %r12 = argument and this as the return address.
 */
SYM_FUNC_START(uml_thread_start)
	movq	%rax, %rdi
	movq	%rbx, %rsi
	movq	%r12, %rdx
	xorl	%ebp, %ebp
	call	uml_new_task_tail
	ud2
SYM_FUNC_END(uml_thread_start)

/* void uml_run_on_stack(void (*fn)(void), unsigned long stack_top) */
SYM_FUNC_START(uml_run_on_stack)
	movq	%rsi, %rsp
	andq	$-16, %rsp
	xorl	%ebp, %ebp
	pushq	$0			/* no return: ends stack walks */
	jmp	*%rdi
SYM_FUNC_END(uml_run_on_stack)

/*
 * int uml_copy_nofault_raw(void *dst, const void *src, unsigned long n)
 * A fault inside [uml_nofault_begin, uml_nofault_end) resumes at
 * uml_nofault_fixup (registered with the host's fault handler).
 */
SYM_FUNC_START(uml_copy_nofault_raw)
	movq	%rdx, %rcx
SYM_INNER_LABEL(uml_nofault_begin, SYM_L_GLOBAL)
	rep movsb
SYM_INNER_LABEL(uml_nofault_end, SYM_L_GLOBAL)
	xorl	%eax, %eax
	ret
SYM_INNER_LABEL(uml_nofault_fixup, SYM_L_GLOBAL)
	movl	$-14, %eax		/* -EFAULT */
	ret
SYM_FUNC_END(uml_copy_nofault_raw)
