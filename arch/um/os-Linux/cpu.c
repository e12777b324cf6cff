// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual CPUs as host threads of the kernel process.
 *
 * The boot CPU is the thread main() runs on.  Each secondary CPU is a
 * thread started by host_cpu_start(): %gs points at its struct
 * uml_cpu_self, it has its own signal stack, and it starts on the kernel
 * stack of its idle task with the interrupt signals blocked until the
 * kernel side has its clock event ready.  An IPI is SIGUSR2 sent to the
 * thread with tgkill().
 */
#include <asm/prctl.h>
#include <linux/futex.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <host/boot.h>
#include <host/cpu.h>
#include <host/options.h>
#include <host/process.h>

#define CPU_SIGSTACK_SIZE	(256 * 1024)
#define STR_(x)			#x
#define STR(x)			STR_(x)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static const char *check_ncpus(const char *val)
{
	char *end;
	unsigned long n;

	if (*val < '0' || *val > '9')
		return "not a number of CPUs (write e.g. ncpus=2)";
	n = strtoul(val, &end, 10);
	if (*end)
		return "not a number of CPUs (write e.g. ncpus=2)";
	if (n < 1)
		return "at least one CPU is needed";
	if (n > CONFIG_NR_CPUS)
		return "more CPUs than this kernel's NR_CPUS ("
			STR(CONFIG_NR_CPUS) ")";
	return NULL;
}

UML_OPTION(ncpus, "ncpus=", "ncpus=N",
	   "virtual CPUs, 1 to NR_CPUS (default 1)", check_ncpus);

void host_cpu_self_set(struct uml_cpu_self *self)
{
	self->tid = syscall(SYS_gettid);
	syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)self);
}

struct cpu_start {
	struct uml_cpu_self *self;
	void (*fn)(void);
	unsigned long stack;
};

/* where a parked CPU goes on; go is the futex word it sleeps on */
static struct {
	int go;
	struct cpu_start start;
} parked[CONFIG_NR_CPUS];

/* what a secondary CPU's thread takes: its interrupts and faults */
static void cpu_signal_mask(int how)
{
	static const int sigs[] = { SIGALRM, SIGUSR2, SIGSEGV, SIGBUS, SIGILL,
				    SIGFPE, SIGTRAP };
	sigset_t set;
	unsigned int i;

	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&set, sigs[i]);
	if (how == SIG_SETMASK) {
		sigset_t all;

		/* everything else (SIGTERM, SIGIO...) goes to CPU 0 */
		sigfillset(&all);
		for (i = 0; i < ARRAY_SIZE(sigs); i++)
			sigdelset(&all, sigs[i]);
		pthread_sigmask(SIG_SETMASK, &all, NULL);
	} else {
		pthread_sigmask(how, &set, NULL);
	}
}

static void *cpu_thread(void *p)
{
	struct cpu_start cs = *(struct cpu_start *)p;
	stack_t ss = { .ss_size = CPU_SIGSTACK_SIZE };

	free(p);
	/* the thread lives as long as the process: its stack is never freed */
	ss.ss_sp = malloc(CPU_SIGSTACK_SIZE);
	if (!ss.ss_sp || sigaltstack(&ss, NULL)) {
		host_printf("linux: no signal stack for CPU %d\n", cs.self->cpu);
		return NULL;
	}
	host_cpu_self_set(cs.self);
	/* the kernel's flag is clear: signals are recorded until it is set */
	cpu_signal_mask(SIG_SETMASK);
	uml_run_on_stack(cs.fn, cs.stack);
	return NULL;
}

void host_cpu_park(void)
{
	int cpu = uml_self_read(cpu);
	struct cpu_start cs;

	cpu_signal_mask(SIG_BLOCK);
	while (!__atomic_load_n(&parked[cpu].go, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &parked[cpu].go, FUTEX_WAIT_PRIVATE, 0,
			NULL, NULL, 0);
	cs = parked[cpu].start;
	__atomic_store_n(&parked[cpu].go, 0, __ATOMIC_RELAXED);
	cpu_signal_mask(SIG_SETMASK);
	uml_run_on_stack(cs.fn, cs.stack);
	__builtin_unreachable();
}

int host_cpu_restart(struct uml_cpu_self *self, void (*fn)(void),
		     unsigned long stack)
{
	int cpu = self->cpu;

	parked[cpu].start = (struct cpu_start) {
		.self = self, .fn = fn, .stack = stack,
	};
	__atomic_store_n(&parked[cpu].go, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &parked[cpu].go, FUTEX_WAKE_PRIVATE, 1, NULL,
		NULL, 0);
	return 0;
}

void host_cpu_stop(void)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	for (;;)
		pause();
}

int host_cpu_start(struct uml_cpu_self *self, void (*fn)(void),
		   unsigned long stack)
{
	struct cpu_start *cs = malloc(sizeof(*cs));
	sigset_t all, old;
	pthread_t th;
	int err;

	if (!cs)
		return -ENOMEM;
	*cs = (struct cpu_start) { .self = self, .fn = fn, .stack = stack };
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&th, NULL, cpu_thread, cs);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		free(cs);
		return -err;
	}
	pthread_detach(th);
	return 0;
}

void host_cpu_ipi(int tid)
{
	syscall(SYS_tgkill, getpid(), tid, SIGUSR2);
}

/* the seed of the kernel's RNG (host/boot.h): like RDSEED, from the host */
int host_random_bytes(void *buf, int len)
{
	ssize_t n = getrandom(buf, len, GRND_NONBLOCK);

	return n < 0 ? 0 : n;
}
