// SPDX-License-Identifier: GPL-2.0
/* The kernel process: exit, re-exec, console output, helper threads. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <host/lib.h>
#include <host/options.h>
#include <host/process.h>
#include <host/umid.h>

char **host_saved_argv;

/* what drivers put back as they found it when the process ends */
#define MAX_AT_EXIT	8
static void (*at_exit[MAX_AT_EXIT])(void);
static int nr_at_exit;

int host_at_exit(void (*fn)(void))
{
	if (nr_at_exit == MAX_AT_EXIT)
		return -ENOSPC;
	at_exit[nr_at_exit++] = fn;
	return 0;
}

static void run_at_exit(void)
{
	while (nr_at_exit)
		at_exit[--nr_at_exit]();
}

void host_exit(int status)
{
#ifdef CONFIG_UML_LIB
	host_lib_exit(status);	/* the application goes on */
#endif
	host_umid_cleanup();
	run_at_exit();
	_exit(status);
}

/*
 * One host CPU per virtual CPU for its thread and the guests it traces.
 * A guest that stops wakes the kernel, and the kernel resuming a guest
 * wakes it: on two CPUs each of those is a cross-CPU wakeup (an IPI, an
 * idle CPU coming out of its idle state), which costs more than the rest
 * of a system call.  On one CPU the waker goes to sleep and the wakee
 * runs at once.  Helper threads (host I/O) keep every CPU the process
 * started with.
 */
static cpu_set_t start_cpus;
static int pinned;		/* start_cpus is read */

static const char *check_pin(const char *val)
{
	if (strcmp(val, "on") && strcmp(val, "off"))
		return "write pin=on or pin=off";
	return NULL;
}

UML_OPTION(pin, "pin=", "pin=on|off",
	   "run each virtual CPU and its guest processes on one host CPU (default on)",
	   check_pin);

static int pin_wanted(void)
{
	static int wanted = -1;
	char **a;

	if (wanted >= 0)
		return wanted;
	for (a = host_saved_argv; a && *a; a++)
		if (!strcmp(*a, "pin=off"))
			return wanted = 0;
	return wanted = 1;
}

/*
 * Which host CPU: the first, from a starting one, that no other pinned
 * virtual CPU of the same UML_DIR holds.  A thread holds CPU N by an
 * flock() on UML_DIR/.pin/cpuN for as long as the kernel runs (the
 * descriptor closes at exit and at a reboot's exec).  Without it, two VMs
 * started from one shell could both be pinned where the shell ran,
 * sharing one CPU while another idles.  CPU 0 starts from the host CPU its
 * thread runs on, CPU N from the Nth after CPU 0's.  At exit the claims'
 * files go, and .pin with the last one.  When every CPU is held, or the
 * files cannot be made: CPU 0 the host CPU it runs on, CPU N the Nth
 * after CPU 0's (the virtual CPUs of one VM still spread).
 */
static char pin_claim[CONFIG_NR_CPUS][4096];
/* the host CPU each virtual CPU's thread is pinned to, plus one */
static unsigned int pinned_to[CONFIG_NR_CPUS];
static pthread_mutex_t pin_lock = PTHREAD_MUTEX_INITIALIZER;

/* leave UML_DIR as found: our claims, and .pin when no other is left */
static void pin_release(void)
{
	char *slash;
	int i, last = -1;

	for (i = 0; i < CONFIG_NR_CPUS; i++)
		if (pin_claim[i][0]) {
			unlink(pin_claim[i]);
			last = i;
		}
	if (last < 0)
		return;
	slash = strrchr(pin_claim[last], '/');
	if (slash) {
		*slash = 0;
		rmdir(pin_claim[last]);
	}
}

/* UML_DIR/.pin, with no ".." (the machine's directory goes before exit) */
static int pin_dir(char *buf, unsigned long len)
{
	char *slash;

	if (host_umid_path("", buf, len))
		return -1;
	slash = strrchr(buf, '/');		/* UML_DIR/UMID/ */
	if (slash)
		*slash = 0;
	slash = strrchr(buf, '/');
	if (!slash || strlen(buf) + 6 > len)
		return -1;
	memcpy(slash, "/.pin", 6);
	return 0;
}

/* the @nth host CPU the process may use, counting from @from */
static unsigned int nth_allowed(unsigned int from, unsigned int nth)
{
	unsigned int cpu = from % CPU_SETSIZE;

	for (;;) {
		if (CPU_ISSET(cpu, &start_cpus) && !nth--)
			return cpu;
		cpu = (cpu + 1) % CPU_SETSIZE;
	}
}

static unsigned int pin_pick(int vcpu, unsigned int from, unsigned int none)
{
	unsigned int i, n = CPU_COUNT(&start_cpus);
	char dir[4000], path[4096];
	static int registered;

	if (pin_dir(dir, sizeof(dir)) || (mkdir(dir, 0700) && errno != EEXIST))
		return none;
	for (i = 0; i < n; i++) {
		unsigned int cpu = nth_allowed(from, i);
		int fd;

		snprintf(path, sizeof(path), "%s/cpu%u", dir, cpu);
		fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return none;
		if (!flock(fd, LOCK_EX | LOCK_NB)) {
			/* fd stays open: the claim */
			memcpy(pin_claim[vcpu], path, sizeof(pin_claim[vcpu]));
			if (!registered++)
				host_at_exit(pin_release);
			return cpu;
		}
		close(fd);
	}
	return none;
}

void host_pin_to_cpu(int vcpu)
{
	cpu_set_t one;
	unsigned int here, from, none;

	if (pinned_to[vcpu] || !pin_wanted())
		return;
	pthread_mutex_lock(&pin_lock);
	/* raw calls: the kernel has functions of these names */
	if (syscall(SYS_getcpu, &here, NULL, NULL) ||
	    (!pinned && syscall(SYS_sched_getaffinity, 0, sizeof(start_cpus),
				&start_cpus) < 0))
		goto out;
	pinned = 1;
	from = here;
	none = here;
	if (vcpu && pinned_to[0]) {
		from = nth_allowed(pinned_to[0] - 1, vcpu);
		none = from;
	}
	here = pin_pick(vcpu, from, none);
	CPU_ZERO(&one);
	CPU_SET(here, &one);
	if (!syscall(SYS_sched_setaffinity, 0, sizeof(one), &one))
		pinned_to[vcpu] = here + 1;
out:
	pthread_mutex_unlock(&pin_lock);
}

void host_reexec(void)
{
	sigset_t all;

#ifdef CONFIG_UML_LIB
	host_lib_exit(0);	/* a restart stops the library */
#endif

	if (pinned)
		syscall(SYS_sched_setaffinity, 0, sizeof(start_cpus), &start_cpus);

	/* the new image unblocks its signals once its handlers are in */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	host_umid_before_reexec();
	run_at_exit();
	execv("/proc/self/exe", host_saved_argv);
	host_printf("linux: reboot: cannot re-execute: %m\n");
	_exit(1);
}

void host_console_write(const char *s, unsigned long len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* someone made our stdout non-blocking: wait, don't drop */
			struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };

			poll(&pfd, 1, 1000);
			continue;
		}
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

void host_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/*
 * What a new thread runs, handed over in a static slot rather than in
 * malloc()ed memory: a thread's first malloc() or free() makes glibc set
 * up an arena for it (a 64 MiB reservation and its first pages), which
 * the block driver's I/O threads, that never allocate, need not pay for.
 */
struct thread_start {
	void (*fn)(void *arg);
	void *arg;
	int busy;
};

#define THREAD_STARTS	16
static struct thread_start thread_starts[THREAD_STARTS];

static void *thread_main(void *p)
{
	struct thread_start *slot = p, ts = *slot;

	__atomic_store_n(&slot->busy, 0, __ATOMIC_RELEASE);
	ts.fn(ts.arg);
	return NULL;
}

/* a free slot; the threads it waits for have only their first steps to go */
static struct thread_start *thread_start_slot(void)
{
	unsigned int i;

	for (i = 0;; i++) {
		struct thread_start *ts = &thread_starts[i % THREAD_STARTS];

		if (!__atomic_exchange_n(&ts->busy, 1, __ATOMIC_ACQUIRE))
			return ts;
		if (i % THREAD_STARTS == THREAD_STARTS - 1)
			sched_yield();
	}
}

int host_thread_start(void (*fn)(void *), void *arg)
{
	struct thread_start *ts = thread_start_slot();
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t th;
	int err;

	ts->fn = fn;
	ts->arg = arg;
	/* the new thread starts with every signal blocked */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	if (pinned)
		pthread_attr_setaffinity_np(&attr, sizeof(start_cpus), &start_cpus);
	err = pthread_create(&th, &attr, thread_main, ts);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		__atomic_store_n(&ts->busy, 0, __ATOMIC_RELEASE);
		return -err;
	}
	pthread_detach(th);
	return 0;
}
