// SPDX-License-Identifier: GPL-2.0
/* Host clocks and the one-shot timer that is the clock event device. */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <host/time.h>

static timer_t timer;

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
		.sigev_signo = SIGALRM,
	};

	sev._sigev_un._tid = syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer))
		return -errno;
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
	return timer_settime(timer, 0, &its, NULL) ? -errno : 0;
}

void host_timer_cancel(void)
{
	struct itimerspec its = { };

	timer_settime(timer, 0, &its, NULL);
}
