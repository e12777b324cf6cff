// SPDX-License-Identifier: GPL-2.0
/* Host clocks and the one-shot timer that is the clock event device. */
#include <errno.h>
#include <cpuid.h>
#include <fcntl.h>
#include <string.h>
#include <x86intrin.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <host/cpu.h>
#include <host/time.h>
#include "host_sigs.h"

/* the one-shot timer of each virtual CPU, signalling that CPU's thread */
static timer_t timers[CONFIG_NR_CPUS];
static unsigned char timer_made[CONFIG_NR_CPUS];

static unsigned long long read_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

unsigned long long host_clock_ns(void)
{
	return read_clock(CLOCK_MONOTONIC);
}

unsigned long long host_realtime_ns(void)
{
	return read_clock(CLOCK_REALTIME);
}

int host_timer_init(void)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = HOST_SIG_TIMER,
	};

	int cpu = uml_self_read(cpu);

	if (timer_made[cpu])
		return 0;
	sev._sigev_un._tid = syscall(SYS_gettid);
	/*
	 * The host stretches this thread's timers by its timer slack (50 us
	 * by default); the guest's own timers already carry the guest task's
	 * slack, so the host should add none.
	 */
	prctl(PR_SET_TIMERSLACK, 1UL);
	if (timer_create(CLOCK_MONOTONIC, &sev, &timers[cpu]))
		return -errno;
	timer_made[cpu] = 1;
	return 0;
}

int host_timer_oneshot(unsigned long long ns)
{
	struct itimerspec its = {
		.it_value.tv_sec = ns / 1000000000ULL,
		.it_value.tv_nsec = ns % 1000000000ULL,
	};

	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1;
	return timer_settime(timers[uml_self_read(cpu)], 0, &its, NULL) ?
		-errno : 0;
}

void host_timer_cancel(void)
{
	struct itimerspec its = { };

	timer_settime(timers[uml_self_read(cpu)], 0, &its, NULL);
}

/* CPUID 0x80000007 EDX bit 8: the TSC runs at one rate in every C/P-state */
static int tsc_invariant(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(0x80000000, &a, &b, &c, &d) || a < 0x80000007)
		return 0;
	__get_cpuid(0x80000007, &a, &b, &c, &d);
	return !!(d & (1U << 8));
}

/*
 * Host clocksources whose readings are the TSC scaled by the hypervisor
 * (pvclock, Hyper-V's reference page): with an invariant TSC, the host's
 * own vDSO reads the TSC too, and so can ours.
 */
static const char *const tsc_based[] = {
	"kvm-clock", "hyperv_clocksource_tsc_page",
};

const char *host_tsc_usable(void)
{
	static char buf[64];
	int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t i;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (!strcmp(buf, "tsc"))
		return buf;
	if (!tsc_invariant())
		return NULL;
	for (i = 0; i < sizeof(tsc_based) / sizeof(tsc_based[0]); i++)
		if (!strcmp(buf, tsc_based[i]))
			return buf;
	return NULL;
}

void host_tsc_sample(unsigned long long *tsc, unsigned long long *ns)
{
	unsigned long long best = ~0ULL;
	int i;

	/* the tightest of a few brackets: TSC, clock, TSC */
	for (i = 0; i < 8; i++) {
		unsigned long long t0, t1, c;

		_mm_lfence();
		t0 = __rdtsc();
		c = read_clock(CLOCK_MONOTONIC_RAW);
		_mm_lfence();
		t1 = __rdtsc();
		if (t1 - t0 < best) {
			best = t1 - t0;
			*tsc = t0 + (t1 - t0) / 2;
			*ns = c;
		}
	}
}
