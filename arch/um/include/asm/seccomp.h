/* SPDX-License-Identifier: GPL-2.0 */
/* seccomp filters see guests as x86_64: one native table, no compat. */
#ifndef __UM_SECCOMP_H
#define __UM_SECCOMP_H

#include <uapi/linux/audit.h>
#include <asm/unistd.h>

#define SECCOMP_ARCH_NATIVE		AUDIT_ARCH_X86_64
#define SECCOMP_ARCH_NATIVE_NR		NR_syscalls
#define SECCOMP_ARCH_NATIVE_NAME	"x86_64"

#include <asm-generic/seccomp.h>

#endif
