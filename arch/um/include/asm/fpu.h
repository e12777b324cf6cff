/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FPU/vector state of guest threads (kernel/fpu.c).
 *
 * A guest thread's x87/SSE/AVX/AVX-512 registers are never copied into
 * the kernel while it runs: they stay in the thread's own host process.
 * These functions read or write them there (through ptrace's XSAVE
 * regset), or in the copy a new thread carries until its first run.
 * The image is the XSAVE standard format the host's PTRACE_GETREGSET
 * NT_X86_XSTATE uses (the legacy 512-byte fxsave area first, then the
 * XSAVE header and the extended components); uml_fpu_size() bytes.  As
 * on x86_64's regset, the first word of the fxsave area's sw_reserved
 * bytes holds the XSAVE features the host enables (XCR0).
 */
#ifndef __UM_FPU_H
#define __UM_FPU_H

#include <linux/types.h>

struct task_struct;

/** uml_fpu_size() - bytes of a thread's XSAVE image on this host */
unsigned int uml_fpu_size(void);

/**
 * uml_fpu_get() - read @t's XSAVE image into @buf (uml_fpu_size() bytes)
 *
 * @t is current or a task stopped in the kernel.
 * Return: 0 or a negative errno.
 */
int uml_fpu_get(struct task_struct *t, void *buf);

/**
 * uml_fpu_set() - load @buf (uml_fpu_size() bytes) as @t's XSAVE state
 *
 * The host checks the header: reserved or unsupported feature bits
 * give -EINVAL and change nothing.
 * Return: 0 or a negative errno.
 */
int uml_fpu_set(struct task_struct *t, const void *buf);

/**
 * uml_fpu_get_fx() / uml_fpu_set_fx() - the 512-byte fxsave part only
 * (x87, SSE, MXCSR): the NT_PRFPREG layout of core dumps.
 * Return: 0 or a negative errno.
 */
int uml_fpu_get_fx(struct task_struct *t, void *fx);
int uml_fpu_set_fx(struct task_struct *t, const void *fx);

/**
 * uml_fpu_fork() - give the new task @p a copy of current's state
 *
 * Called from copy_thread(); @p's process loads it before its first run.
 */
void uml_fpu_fork(struct task_struct *p);

/** uml_fpu_release() - free what uml_fpu_fork() gave @p, if unused */
void uml_fpu_release(struct task_struct *p);

#endif
