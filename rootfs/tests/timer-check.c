// SPDX-License-Identifier: GPL-2.0
/*
 * timer-check: how late sleeps wake up, and whether the clocks agree.
 * Built for the guest image and, by tests/test_timers.py, for the host, so
 * the same measurement runs on both.
 *
 *   timer-check sleep N [SLACK_NS]
 *	N sleeps of 1 ms each through nanosleep, poll, select and pselect
 *	(after prctl(PR_SET_TIMERSLACK, SLACK_NS) if given); prints
 *	"sleep: <call> mean <us> median <us> p99 <us> early <n>" per call,
 *	where mean, median and 99th percentile are the overshoot past 1 ms,
 *	then "slack: <ns>" as PR_GET_TIMERSLACK reads it.  Exit 1 if any
 *	sleep ended early.
 *   timer-check clocks
 *	CLOCK_REALTIME and CLOCK_MONOTONIC through the C library (the vDSO)
 *	and through the system call, interleaved: each reading must lie
 *	between its neighbours; successive readings of every clock, coarse
 *	ones too, must never go back; prints the largest step of each coarse
 *	clock and "clocks: ok".
 *   timer-check successive N [SHIFT_S]
 *	LTP's clock_gettime04: N rounds of reading each of CLOCK_REALTIME,
 *	_COARSE, CLOCK_MONOTONIC, _COARSE, _RAW and CLOCK_BOOTTIME through
 *	the vDSO, the system call and (CLOCK_REALTIME) gettimeofday through
 *	both, in turn; a reading before its predecessor is an error.  With
 *	SHIFT_S, the wall clock is first set SHIFT_S seconds ahead with
 *	settimeofday (and set back at the end).  Prints per clock
 *	"successive: <clock> max <us> over1ms <n> back <n>" (the largest gap
 *	between two successive readings, how many exceeded 1 ms, how many went
 *	back) and "successive: ok" or "successive: FAILED".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/syscall.h>

#define SLEEP_NS	1000000LL

static long long ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ts_ns(&t);
}

static long long sys_clock(clockid_t id)
{
	struct timespec t;

	syscall(SYS_clock_gettime, id, &t);
	return ts_ns(&t);
}

static long long lib_clock(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return ts_ns(&t);
}

static void one_sleep(int how)
{
	struct timespec ts = { 0, SLEEP_NS };
	struct timeval tv = { 0, SLEEP_NS / 1000 };

	switch (how) {
	case 0:
		nanosleep(&ts, NULL);
		break;
	case 1:
		poll(NULL, 0, SLEEP_NS / 1000000);
		break;
	case 2:
		select(0, NULL, NULL, NULL, &tv);
		break;
	default:
		pselect(0, NULL, NULL, NULL, &ts, NULL);
		break;
	}
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int sleeps(int n, long slack)
{
	static const char *const names[] = {
		"nanosleep", "poll", "select", "pselect"
	};
	long long *d = calloc(n, sizeof(*d));
	int how, i, bad = 0;

	if (!d)
		return 2;
	if (slack >= 0 && prctl(PR_SET_TIMERSLACK, slack)) {
		printf("PR_SET_TIMERSLACK: %s\n", strerror(errno));
		return 1;
	}
	for (how = 0; how < 4; how++) {
		long long sum = 0;
		int early = 0;

		for (i = 0; i < n; i++) {
			long long t0 = mono_ns();

			one_sleep(how);
			d[i] = mono_ns() - t0 - SLEEP_NS;
			if (d[i] < 0)
				early++;
			sum += d[i];
		}
		qsort(d, n, sizeof(*d), cmp_ll);
		printf("sleep: %s mean %lld median %lld p99 %lld early %d\n",
		       names[how], sum / n / 1000, d[n / 2] / 1000,
		       d[n * 99 / 100] / 1000, early);
		bad |= early;
	}
	printf("slack: %d\n", prctl(PR_GET_TIMERSLACK));
	free(d);
	return bad ? 1 : 0;
}

static int clocks(void)
{
	static const clockid_t ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC };
	static const clockid_t coarse[] = {
		CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE
	};
	int i, k, bad = 0;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < 20000; i++) {
			long long a = lib_clock(ids[k]);
			long long b = sys_clock(ids[k]);
			long long c = lib_clock(ids[k]);

			if (b < a || c < b) {
				printf("clock %d: vDSO %lld, system call %lld, vDSO %lld: out of order\n",
				       ids[k], a, b, c);
				bad = 1;
				break;
			}
		}
	}
	for (k = 0; k < 2; k++) {
		long long prev = lib_clock(coarse[k]), step = 0;
		long long end = mono_ns() + 200000000LL;

		while (mono_ns() < end) {
			long long now = k & 1 ? sys_clock(coarse[k]) :
				lib_clock(coarse[k]);

			if (now < prev) {
				printf("coarse clock %d went back %lld ns\n",
				       coarse[k], prev - now);
				bad = 1;
			}
			if (now - prev > step)
				step = now - prev;
			prev = now;
		}
		printf("coarse %d: step %lld us\n", coarse[k], step / 1000);
	}
	printf(bad ? "clocks: FAILED\n" : "clocks: ok\n");
	return bad;
}

static long long sys_gtod(void)
{
	struct timeval tv;

	syscall(SYS_gettimeofday, &tv, NULL);
	return tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
}

static long long lib_gtod(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
}

/* one reading of clock @id the @way'th way (0 vDSO, 1 system call, ...) */
static long long read_way(clockid_t id, int way)
{
	switch (way) {
	case 0:
		return lib_clock(id);
	case 1:
		return sys_clock(id);
	case 2:
		return lib_gtod();
	default:
		return sys_gtod();
	}
}

static int successive(int n, long shift)
{
	static const clockid_t ids[] = {
		CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC,
		CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
	};
	static const char *const names[] = {
		"REALTIME", "REALTIME_COARSE", "MONOTONIC", "MONOTONIC_COARSE",
		"MONOTONIC_RAW", "BOOTTIME",
	};
	struct timeval tv;
	int k, i, w, bad = 0;

	if (shift) {
		gettimeofday(&tv, NULL);
		tv.tv_sec += shift;
		if (settimeofday(&tv, NULL)) {
			printf("settimeofday: %s\n", strerror(errno));
			return 1;
		}
	}
	for (k = 0; k < 6; k++) {
		/* gettimeofday only for CLOCK_REALTIME, as LTP does */
		int ways = ids[k] == CLOCK_REALTIME ? 4 : 2;
		long long prev, max = 0, over = 0, back = 0;

		prev = read_way(ids[k], 0);
		for (i = 0; i < n; i++) {
			for (w = 0; w < ways; w++) {
				long long now = read_way(ids[k], w);
				long long d = now - prev;

				/* gettimeofday truncates to microseconds */
				if (d < (w >= 2 ? -1000 : 0)) {
					if (!back)
						printf("successive: %s way %d back %lld ns\n",
						       names[k], w, -d);
					back++;
				}
				if (d > max)
					max = d;
				if (d > 1000000)
					over++;
				prev = now;
			}
		}
		printf("successive: %s max %lld over1ms %lld back %lld\n",
		       names[k], max / 1000, over, back);
		if (back)
			bad = 1;
	}
	if (shift) {
		gettimeofday(&tv, NULL);
		tv.tv_sec -= shift;
		settimeofday(&tv, NULL);
	}
	printf(bad ? "successive: FAILED\n" : "successive: ok\n");
	return bad;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "sleep"))
		return sleeps(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1,
			      argc > 3 ? atol(argv[3]) : -1);
	if (argc == 2 && !strcmp(argv[1], "clocks"))
		return clocks();
	if (argc >= 3 && !strcmp(argv[1], "successive"))
		return successive(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1,
				  argc > 3 ? atol(argv[3]) : 0);
	fprintf(stderr, "usage: timer-check sleep N [SLACK_NS] | clocks | successive N [SHIFT_S]\n");
	return 2;
}
