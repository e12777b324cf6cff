/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic vDSO (lib/vdso/gettimeofday.c) on this port: the counter is
 * the TSC, the data pages sit just below the vDSO's text (see
 * arch/um/vdso/vdso.lds.S), and the fallbacks are ordinary x86_64 system
 * calls, which the kernel takes like any other guest system call.
 */
#ifndef __UM_VDSO_GETTIMEOFDAY_H
#define __UM_VDSO_GETTIMEOFDAY_H

#ifndef __ASSEMBLY__

#include <uapi/linux/time.h>
#include <asm/unistd.h>
#include <asm/vdso/tsc.h>
#include <vdso/datapage.h>

#define VDSO_HAS_CLOCK_GETRES	1
#define VDSO_HAS_TIME		1

extern struct vdso_data uml_vdso_data[] __attribute__((visibility("hidden")));
extern struct vdso_data uml_vdso_timens[] __attribute__((visibility("hidden")));

static __always_inline long uml_vdso_syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a" (ret)
			     : "0" (nr), "D" (a), "S" (b)
			     : "rcx", "r11", "memory");
	return ret;
}

static __always_inline
long gettimeofday_fallback(struct __kernel_old_timeval *tv,
			   struct timezone *tz)
{
	return uml_vdso_syscall2(__NR_gettimeofday, (long)tv, (long)tz);
}

static __always_inline
long clock_gettime_fallback(clockid_t clk, struct __kernel_timespec *ts)
{
	return uml_vdso_syscall2(__NR_clock_gettime, clk, (long)ts);
}

static __always_inline
long clock_getres_fallback(clockid_t clk, struct __kernel_timespec *ts)
{
	return uml_vdso_syscall2(__NR_clock_getres, clk, (long)ts);
}

static __always_inline u64 __arch_get_hw_counter(s32 clock_mode,
						 const struct vdso_data *vd)
{
	if (likely(clock_mode == VDSO_CLOCKMODE_TSC))
		return uml_rdtsc_ordered() - vd->arch_data.tsc_offset;
	return ~0ULL;
}

static __always_inline const struct vdso_data *__arch_get_vdso_data(void)
{
	return uml_vdso_data;
}

#ifdef CONFIG_TIME_NS
static __always_inline
const struct vdso_data *__arch_get_timens_vdso_data(const struct vdso_data *vd)
{
	return uml_vdso_timens;
}
#endif

/*
 * Nanoseconds since the last update.  The TSC read here may come from
 * another host CPU than the kernel's last read, a few cycles behind it:
 * that counts as no time at all, not as a huge unsigned delta.
 */
static __always_inline u64 vdso_calc_ns(const struct vdso_data *vd,
					u64 cycles, u64 base)
{
	u64 delta = cycles - vd->cycle_last;

	if (likely(delta <= vd->max_cycles))
		return (delta * vd->mult + base) >> vd->shift;
	if ((s64)delta < 0)
		return base >> vd->shift;
	return mul_u64_u32_add_u64_shr(delta, vd->mult, base, vd->shift);
}
#define vdso_calc_ns vdso_calc_ns

#endif /* !__ASSEMBLY__ */
#endif
