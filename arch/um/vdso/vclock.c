// SPDX-License-Identifier: GPL-2.0
/*
 * The vDSO's functions: the generic time readers of lib/vdso (included by
 * the Makefile) on this port's data page and TSC, and getcpu.
 *
 * The guest reads the TSC, which it may do itself anyway, and the
 * conversion the kernel keeps in the data page, which it could measure
 * with system calls: nothing it could not learn from the kernel.
 */
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/time.h>
#include <vdso/gettime.h>

int __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused);

int __vdso_clock_gettime(clockid_t clock, struct __kernel_timespec *ts)
{
	return __cvdso_clock_gettime(clock, ts);
}
int clock_gettime(clockid_t, struct __kernel_timespec *)
	__weak __alias(__vdso_clock_gettime);

int __vdso_gettimeofday(struct __kernel_old_timeval *tv, struct timezone *tz)
{
	return __cvdso_gettimeofday(tv, tz);
}
int gettimeofday(struct __kernel_old_timeval *, struct timezone *)
	__weak __alias(__vdso_gettimeofday);

__kernel_old_time_t __vdso_time(__kernel_old_time_t *t)
{
	return __cvdso_time(t);
}
__kernel_old_time_t time(__kernel_old_time_t *t)
	__weak __alias(__vdso_time);

int __vdso_clock_getres(clockid_t clock, struct __kernel_timespec *res)
{
	return __cvdso_clock_getres(clock, res);
}
int clock_getres(clockid_t, struct __kernel_timespec *)
	__weak __alias(__vdso_clock_getres);

/*
 * The guest's CPU, not the host's: with one virtual CPU that is always 0
 * (node 0).  A kernel with more CPUs asks the kernel.
 */
int __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused)
{
	long ret;

	if (CONFIG_NR_CPUS == 1) {
		if (cpu)
			*cpu = 0;
		if (node)
			*node = 0;
		return 0;
	}
	__asm__ __volatile__("syscall"
			     : "=a" (ret)
			     : "0" ((long)__NR_getcpu), "D" (cpu), "S" (node),
			       "d" (unused)
			     : "rcx", "r11", "memory");
	return ret;
}
int getcpu(unsigned int *, unsigned int *, void *)
	__weak __alias(__vdso_getcpu);
