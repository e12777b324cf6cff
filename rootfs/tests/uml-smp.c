// SPDX-License-Identifier: GPL-2.0
/*
 * uml-smp: guest-side checks of threads on several CPUs (tests/test_smp.py).
 *
 *   uml-smp overlap MS         two threads spin MS ms each, noting when they
 *                              ran (CLOCK_MONOTONIC); prints how long both
 *                              ran at once: "overlap O of MS"
 *   uml-smp spin S             two threads spin S seconds ("spun")
 *   uml-smp mutex T N          T threads add 1 N times each under a pthread
 *                              mutex, handing a token round by a condvar
 *   uml-smp futex T N          T threads: a futex lock around a plain counter,
 *                              and FUTEX_WAKE_OP additions to a word the others
 *                              add to with atomic instructions
 *   uml-smp signals T R        R rounds of pthread_kill() to each of T
 *                              spinning threads, each acknowledged
 *   uml-smp ptrace             a tracer stops, reads and resumes the running
 *                              threads of a child, many times
 *   uml-smp work T N           T threads do N units of arithmetic each:
 *                              "work T threads MS ms" (bench/smp)
 *   uml-smp migrate N          one thread moved between CPU 0 and CPU 1 N
 *                              times, running user code on each: "migrate
 *                              NS ns" per move (bench/smp)
 *   uml-smp pool R T           R rounds of T new threads, each mapping,
 *                              filling and unmapping memory and adding 1000
 *                              under a mutex; the threads of a round are made
 *                              while CPUs come and go (tests/test_smp.py)
 * Each prints "NAME OK ..." when every check held, else "NAME FAIL ...",
 * and exits 0 or 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS	64

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int fail(const char *what, const char *why)
{
	printf("%s FAIL %s\n", what, why);
	return 1;
}

/* ---- overlap: when did each thread run? ---- */

#define MAX_SEGS	100000
#define GAP_NS		200000	/* a longer gap: the thread was not running */

struct runner {
	long long end_at;
	long long (*seg)[2];
	int nseg;
};

static void *run_and_note(void *p)
{
	struct runner *r = p;
	long long t = now_ns(), last = t;

	r->seg[0][0] = t;
	r->nseg = 1;
	while (t < r->end_at) {
		t = now_ns();
		if (t - last > GAP_NS && r->nseg < MAX_SEGS) {
			r->seg[r->nseg - 1][1] = last;
			r->seg[r->nseg][0] = t;
			r->nseg++;
		}
		last = t;
	}
	r->seg[r->nseg - 1][1] = last;
	return NULL;
}

static int overlap(int ms)
{
	struct runner r[2];
	pthread_t th[2];
	long long both = 0;
	int i = 0, j = 0, k;

	for (k = 0; k < 2; k++) {
		r[k].seg = calloc(MAX_SEGS, sizeof(*r[k].seg));
		if (!r[k].seg)
			return fail("overlap", "no memory");
		r[k].end_at = now_ns() + ms * 1000000LL;
	}
	for (k = 0; k < 2; k++)
		if (pthread_create(&th[k], NULL, run_and_note, &r[k]))
			return fail("overlap", "pthread_create");
	for (k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	/* the time both threads' running segments cover at once */
	while (i < r[0].nseg && j < r[1].nseg) {
		long long lo = r[0].seg[i][0] > r[1].seg[j][0] ?
			       r[0].seg[i][0] : r[1].seg[j][0];
		long long hi = r[0].seg[i][1] < r[1].seg[j][1] ?
			       r[0].seg[i][1] : r[1].seg[j][1];

		if (hi > lo)
			both += hi - lo;
		if (r[0].seg[i][1] < r[1].seg[j][1])
			i++;
		else
			j++;
	}
	printf("overlap OK %lld of %d ms (segments %d %d)\n", both / 1000000,
	       ms, r[0].nseg, r[1].nseg);
	return 0;
}

/* ---- spin ---- */

static void *spin_until(void *p)
{
	long long end = *(long long *)p;

	while (now_ns() < end)
		;
	return NULL;
}

static int spin(int s)
{
	long long end = now_ns() + s * 1000000000LL;
	pthread_t th[2];
	int k;

	for (k = 0; k < 2; k++)
		if (pthread_create(&th[k], NULL, spin_until, &end))
			return fail("spin", "pthread_create");
	for (k = 0; k < 2; k++)
		pthread_join(th[k], NULL);
	printf("spun\n");
	return 0;
}

/* ---- mutex and condvar ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn, nthreads, iters, passes;

static void *mutex_worker(void *p)
{
	int me = (int)(long)p, i;

	for (i = 0; i < iters; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	/* a token handed round all threads, 200 times */
	for (i = 0; i < 200; i++) {
		pthread_mutex_lock(&lock);
		while (turn != me)
			pthread_cond_wait(&turn_cv, &lock);
		passes++;
		turn = (turn + 1) % nthreads;
		pthread_cond_broadcast(&turn_cv);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static int mutex_test(int t, int n)
{
	pthread_t th[MAX_THREADS];
	int k;

	nthreads = t;
	iters = n;
	for (k = 0; k < t; k++)
		if (pthread_create(&th[k], NULL, mutex_worker, (void *)(long)k))
			return fail("mutex", "pthread_create");
	for (k = 0; k < t; k++)
		pthread_join(th[k], NULL);
	if (counter != (long)t * n || passes != t * 200) {
		printf("mutex FAIL counter %ld of %ld, passes %d of %d\n",
		       counter, (long)t * n, passes, t * 200);
		return 1;
	}
	printf("mutex OK %ld\n", counter);
	return 0;
}

/* ---- raw futexes ---- */

static _Atomic unsigned int flock_word;	/* 0 free, 1 locked, 2 waiters */
static unsigned int opword;		/* FUTEX_WAKE_OP's target */
static unsigned int opwake;		/* its wake word (nobody waits) */
static long plain;

static long futex(void *uaddr, int op, unsigned int val, void *uaddr2,
		  unsigned int val3)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, uaddr2, val3);
}

static void flock_take(void)
{
	unsigned int c = 0;

	if (atomic_compare_exchange_strong(&flock_word, &c, 1))
		return;
	if (c != 2)
		c = atomic_exchange(&flock_word, 2);
	while (c) {
		futex(&flock_word, FUTEX_WAIT_PRIVATE, 2, NULL, 0);
		c = atomic_exchange(&flock_word, 2);
	}
}

static void flock_give(void)
{
	if (atomic_fetch_sub(&flock_word, 1) != 1) {
		atomic_store(&flock_word, 0);
		futex(&flock_word, FUTEX_WAKE_PRIVATE, 1, NULL, 0);
	}
}

static void *futex_worker(void *p)
{
	int i;

	for (i = 0; i < iters; i++) {
		flock_take();
		plain++;
		flock_give();
		if (i & 1)
			__atomic_fetch_add(&opword, 1, __ATOMIC_SEQ_CST);
		else	/* the kernel adds 1 to opword, atomically */
			futex(&opwake, FUTEX_WAKE_OP_PRIVATE, 0, &opword,
			      FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0));
	}
	return NULL;
}

static int futex_test(int t, int n)
{
	pthread_t th[MAX_THREADS];
	int k;

	iters = n;
	for (k = 0; k < t; k++)
		if (pthread_create(&th[k], NULL, futex_worker, NULL))
			return fail("futex", "pthread_create");
	for (k = 0; k < t; k++)
		pthread_join(th[k], NULL);
	if (plain != (long)t * n || opword != (unsigned int)(t * n)) {
		printf("futex FAIL counter %ld, wake_op word %u, of %ld\n",
		       plain, opword, (long)t * n);
		return 1;
	}
	printf("futex OK %ld %u\n", plain, opword);
	return 0;
}

/* ---- signals to running threads ---- */

static __thread volatile int *my_count;
static volatile int sig_counts[MAX_THREADS];
static volatile int stop_all;

static void on_usr1(int sig)
{
	(*my_count)++;
}

static _Atomic int sig_ready;

static void *sig_worker(void *p)
{
	my_count = &sig_counts[(long)p];
	atomic_fetch_add(&sig_ready, 1);
	while (!stop_all)
		;
	return NULL;
}

static int signals_test(int t, int rounds)
{
	pthread_t th[MAX_THREADS];
	struct sigaction sa = { .sa_handler = on_usr1 };
	int k, r;

	sigaction(SIGUSR1, &sa, NULL);
	for (k = 0; k < t; k++)
		if (pthread_create(&th[k], NULL, sig_worker, (void *)(long)k))
			return fail("signals", "pthread_create");
	while (atomic_load(&sig_ready) < t)
		sched_yield();
	for (r = 0; r < rounds; r++)
		for (k = 0; k < t; k++) {
			long long give_up = now_ns() + 5000000000LL;

			pthread_kill(th[k], SIGUSR1);
			while (sig_counts[k] <= r)
				if (now_ns() > give_up) {
					stop_all = 1;
					printf("signals FAIL thread %d round %d\n",
					       k, r);
					return 1;
				}
		}
	stop_all = 1;
	for (k = 0; k < t; k++)
		pthread_join(th[k], NULL);
	printf("signals OK %d\n", rounds * t);
	return 0;
}

/* ---- a tracer of running threads ---- */

static volatile long spins[2];
static volatile int spin_tids[2];

static void *count_forever(void *p)
{
	long k = (long)p;

	spin_tids[k] = gettid();
	for (;;)
		spins[k]++;
	return NULL;
}

static int ptrace_test(void)
{
	int tids[2], pipefd[2], k, round, status;
	pid_t child;

	if (pipe(pipefd))
		return fail("ptrace", "pipe");
	child = fork();
	if (!child) {
		pthread_t th[2];

		for (k = 0; k < 2; k++)
			pthread_create(&th[k], NULL, count_forever,
				       (void *)(long)k);
		while (!spin_tids[0] || !spin_tids[1])
			sched_yield();
		tids[0] = spin_tids[0];
		tids[1] = spin_tids[1];
		if (write(pipefd[1], tids, sizeof(tids)) != sizeof(tids))
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(pipefd[0], tids, sizeof(tids)) != sizeof(tids))
		return fail("ptrace", "no thread ids");
	for (k = 0; k < 2; k++)
		if (ptrace(PTRACE_SEIZE, tids[k], 0, 0))
			return fail("ptrace", "PTRACE_SEIZE");
	for (round = 0; round < 50; round++) {
		for (k = 0; k < 2; k++) {
			struct user_regs_struct regs;
			long a, b;

			if (ptrace(PTRACE_INTERRUPT, tids[k], 0, 0) ||
			    waitpid(tids[k], &status, __WALL) != tids[k] ||
			    !WIFSTOPPED(status))
				return fail("ptrace", "no stop");
			if (ptrace(PTRACE_GETREGS, tids[k], 0, &regs))
				return fail("ptrace", "GETREGS");
			/* the counter's address is in the child's memory */
			errno = 0;
			a = ptrace(PTRACE_PEEKDATA, tids[k], &spins[k], 0);
			b = ptrace(PTRACE_PEEKDATA, tids[k], &spins[k], 0);
			if (errno || regs.rip == 0)
				return fail("ptrace", "PEEKDATA");
			(void)a;
			(void)b;
			if (ptrace(PTRACE_CONT, tids[k], 0, 0))
				return fail("ptrace", "CONT");
		}
	}
	{
		long before, after;

		errno = 0;
		if (ptrace(PTRACE_INTERRUPT, tids[0], 0, 0) ||
		    waitpid(tids[0], &status, __WALL) != tids[0])
			return fail("ptrace", "final stop");
		before = ptrace(PTRACE_PEEKDATA, tids[0], &spins[1], 0);
		ptrace(PTRACE_CONT, tids[0], 0, 0);
		usleep(200000);
		ptrace(PTRACE_INTERRUPT, tids[0], 0, 0);
		waitpid(tids[0], &status, __WALL);
		after = ptrace(PTRACE_PEEKDATA, tids[0], &spins[1], 0);
		if (errno || after <= before)
			return fail("ptrace", "the other thread stood still");
	}
	kill(child, SIGKILL);
	/* the traced threads are reaped too */
	while (waitpid(-1, &status, __WALL) > 0)
		;
	printf("ptrace OK\n");
	return 0;
}

/* ---- benchmarks ---- */

static void *work_units(void *p)
{
	volatile unsigned long x = 1;
	long n = (long)p, i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < 1000000; j++)
			x = x * 2862933555777941757UL + 3037000493UL;
	return NULL;
}

static int work(int t, int n)
{
	pthread_t th[MAX_THREADS];
	long long t0 = now_ns();
	int k;

	for (k = 0; k < t; k++)
		if (pthread_create(&th[k], NULL, work_units, (void *)(long)n))
			return fail("work", "pthread_create");
	for (k = 0; k < t; k++)
		pthread_join(th[k], NULL);
	printf("work %d threads %lld ms\n", t, (now_ns() - t0) / 1000000);
	return 0;
}

/* ---- a pool of threads made round after round ---- */

static void *pool_worker(void *p)
{
	long *sum = p;
	char *mem = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (mem == MAP_FAILED)
		return NULL;
	memset(mem, 0x5a, 1 << 16);
	for (i = 0; i < 1000; i++) {
		pthread_mutex_lock(&lock);
		*sum += mem[i * 61 % (1 << 16)] == 0x5a;
		pthread_mutex_unlock(&lock);
	}
	munmap(mem, 1 << 16);
	return NULL;
}

static int pool(int r, int t)
{
	pthread_t th[MAX_THREADS];
	long sum = 0;
	int i, k;

	for (i = 0; i < r; i++) {
		for (k = 0; k < t; k++)
			if (pthread_create(&th[k], NULL, pool_worker, &sum))
				return fail("pool", "pthread_create");
		for (k = 0; k < t; k++)
			pthread_join(th[k], NULL);
	}
	if (sum != (long)r * t * 1000) {
		printf("pool FAIL %ld of %ld\n", sum, (long)r * t * 1000);
		return 1;
	}
	printf("pool OK %ld\n", sum);
	return 0;
}

static int migrate(int n)
{
	long long t0;
	cpu_set_t set;
	int i;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		CPU_ZERO(&set);
		CPU_SET(i & 1, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			return fail("migrate", "sched_setaffinity");
		if (sched_getcpu() != (i & 1))
			return fail("migrate", "not moved");
	}
	printf("migrate %lld ns\n", (now_ns() - t0) / n);
	return 0;
}

int main(int argc, char **argv)
{
	int a = argc > 2 ? atoi(argv[2]) : 0;
	int b = argc > 3 ? atoi(argv[3]) : 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "overlap") && a > 0)
		return overlap(a);
	if (argc == 3 && !strcmp(argv[1], "spin") && a > 0)
		return spin(a);
	if (argc == 4 && !strcmp(argv[1], "mutex") && a > 0 &&
	    a <= MAX_THREADS && b > 0)
		return mutex_test(a, b);
	if (argc == 4 && !strcmp(argv[1], "futex") && a > 0 &&
	    a <= MAX_THREADS && b > 0)
		return futex_test(a, b);
	if (argc == 4 && !strcmp(argv[1], "signals") && a > 0 &&
	    a <= MAX_THREADS && b > 0)
		return signals_test(a, b);
	if (argc == 2 && !strcmp(argv[1], "ptrace"))
		return ptrace_test();
	if (argc == 4 && !strcmp(argv[1], "work") && a > 0 &&
	    a <= MAX_THREADS && b > 0)
		return work(a, b);
	if (argc == 3 && !strcmp(argv[1], "migrate") && a > 0)
		return migrate(a);
	if (argc == 4 && !strcmp(argv[1], "pool") && a > 0 && b > 0 &&
	    b <= MAX_THREADS)
		return pool(a, b);
	fprintf(stderr, "usage: uml-smp overlap MS | spin S | mutex T N | "
		"futex T N | signals T R | ptrace | work T N | migrate N | "
		"pool R T\n");
	return 2;
}
