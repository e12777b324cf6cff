/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block copies and fills for the kernel and for the host C library
 * code linked with it (these symbols take the place of libc's).
 *
 * "rep movsb" and "rep stosb" are the fastest general copy and fill on
 * x86_64 CPUs with fast short and enhanced string operations (FSRM,
 * ERMS), and correct on every x86_64 CPU.  The direction flag is clear
 * on entry, as the ABI requires; memmove sets it only around a
 * backward copy and clears it again.
 */
#include <linux/linkage.h>
#include <linux/export.h>

/* void *memcpy(void *to, const void *from, size_t len) */
SYM_FUNC_START(memcpy)
	movq	%rdi, %rax
	movq	%rdx, %rcx
	rep movsb
	ret
SYM_FUNC_END(memcpy)
EXPORT_SYMBOL(memcpy)

/*
 * void *memmove(void *to, const void *from, size_t len)
 *
 * Forward unless "to" lies inside [from, from + len): then from the
 * last quadword down, and the remaining head bytes last.
 */
SYM_FUNC_START(memmove)
	movq	%rdi, %rax
	movq	%rdi, %r8
	subq	%rsi, %r8
	cmpq	%rdx, %r8
	jb	.Lbackward
	movq	%rdx, %rcx
	rep movsb
	ret
.Lbackward:
	movq	%rdx, %rcx
	shrq	$3, %rcx
	andq	$7, %rdx
	leaq	-8(%rsi, %rcx, 8), %rsi
	leaq	-8(%rdi, %rcx, 8), %rdi
	addq	%rdx, %rsi
	addq	%rdx, %rdi
	std
	rep movsq
	/* the head: rsi, rdi point 8 below the last quadword copied */
	leaq	7(%rsi), %rsi
	leaq	7(%rdi), %rdi
	movq	%rdx, %rcx
	rep movsb
	cld
	ret
SYM_FUNC_END(memmove)
EXPORT_SYMBOL(memmove)

/* void *memset(void *s, int c, size_t len) */
SYM_FUNC_START(memset)
	movq	%rdi, %r9
	movzbl	%sil, %eax
	movq	%rdx, %rcx
	rep stosb
	movq	%r9, %rax
	ret
SYM_FUNC_END(memset)
EXPORT_SYMBOL(memset)
