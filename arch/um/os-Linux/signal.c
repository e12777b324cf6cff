// SPDX-License-Identifier: GPL-2.0
/*
 * Host signals as interrupts and faults of the kernel process.
 *
 * SIGALRM (the clock event), SIGIO (a descriptor became ready) and
 * SIGWINCH (a host terminal of a console changed size) are the interrupts;
 * SIGTERM, SIGINT and SIGHUP ask the machine to power off (a second one
 * ends the process at once).  Their handler runs on a separate signal
 * stack with all of them held at the host, so handlers never nest.  If the kernel's interrupt
 * flag is clear, the handler only records the signal; the kernel replays
 * it when the flag is set again.
 *
 * SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP in the kernel process are
 * faults of kernel code: a fault inside the registered fixup range (the
 * no-fault copy) resumes at its fixup; any other returns from the handler
 * into uml_kernel_fault() on the faulting stack, so the oops runs in
 * ordinary kernel context.
 *
 * The library (CONFIG_UML_LIB) shares the process with an application:
 * the interrupts are two real-time signals aimed at the kernel's thread,
 * the termination signals stay the application's, and a fault on any
 * other thread goes on to the handler the application had before.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <host/cpu.h>
#include <host/irq.h>
#include <host/process.h>
#include "host_sigs.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SIGSTACK_SIZE	(256 * 1024)

static char irq_stack[SIGSTACK_SIZE] __attribute__((aligned(64)));
static sigset_t irq_sigs;
static int epoll_fd = -1;
static pid_t kernel_tid;
static int terms;

static unsigned long fixup_start, fixup_end, fixup_target;
/* per CPU: two CPUs may fault at once */
static struct host_fault_regs fault_regs[CONFIG_NR_CPUS];

static void irq_handler(int sig, siginfo_t *si, void *ucv)
{
	unsigned long bit;

	if (sig == HOST_SIG_TIMER)
		bit = UML_SIG_TIMER;
	else if (sig == HOST_SIG_IO)
		bit = UML_SIG_IO;
	else if (sig == SIGWINCH)
		bit = UML_SIG_WINCH;
	else if (sig == SIGUSR2)
		bit = UML_SIG_IPI;
	else
		bit = UML_SIG_TERM;
	int saved_errno = errno;

	if (bit == UML_SIG_TERM && terms++)
		host_exit(1);	/* the second request does not wait */
	if (!uml_self_read(irqs_on)) {
		uml_self_or(irqs_pending, bit);
		errno = saved_errno;
		return;
	}
	uml_self_write(irqs_on, 0);
	uml_irq_signal(bit);
	uml_self_write(irqs_on, 1);
	errno = saved_errno;
}

static const int fault_sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };

#ifdef CONFIG_UML_LIB
static struct sigaction app_fault_action[ARRAY_SIZE(fault_sigs)];

/* a fault of an application thread: what the application had installed */
static void app_fault(int sig, siginfo_t *si, void *ucv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fault_sigs); i++) {
		struct sigaction *sa = &app_fault_action[i];

		if (fault_sigs[i] != sig)
			continue;
		if (sa->sa_handler == SIG_IGN)
			return;
		if (sa->sa_handler != SIG_DFL) {
			if (sa->sa_flags & SA_SIGINFO)
				sa->sa_sigaction(sig, si, ucv);
			else
				sa->sa_handler(sig);
			return;
		}
	}
	/* the default action, when the instruction runs again */
	signal(sig, SIG_DFL);
}
#endif

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *gr = uc->uc_mcontext.gregs;
	unsigned long sp;

#ifdef CONFIG_UML_LIB
	if (syscall(SYS_gettid) != kernel_tid) {
		app_fault(sig, si, ucv);
		return;
	}
#endif

	if ((unsigned long)gr[REG_RIP] >= fixup_start &&
	    (unsigned long)gr[REG_RIP] < fixup_end) {
		gr[REG_RIP] = fixup_target;
		return;
	}

	struct host_fault_regs *fr = &fault_regs[uml_self_read(cpu)];

	*fr = (struct host_fault_regs) {
		.ip = gr[REG_RIP], .sp = gr[REG_RSP], .bp = gr[REG_RBP],
		.addr = (unsigned long)si->si_addr, .err = gr[REG_ERR],
		.trapno = gr[REG_TRAPNO], .ax = gr[REG_RAX], .bx = gr[REG_RBX],
		.cx = gr[REG_RCX], .dx = gr[REG_RDX], .si = gr[REG_RSI],
		.di = gr[REG_RDI], .r8 = gr[REG_R8], .r9 = gr[REG_R9],
		.r10 = gr[REG_R10], .r11 = gr[REG_R11], .r12 = gr[REG_R12],
		.r13 = gr[REG_R13], .r14 = gr[REG_R14], .r15 = gr[REG_R15],
		.flags = gr[REG_EFL], .signo = sig,
	};

	/*
	 * Resume in uml_kernel_fault(&fault_regs) as if it had been called
	 * from the faulting instruction: below the red zone, 16-byte aligned
	 * less the return address, which is 0 to end stack walks there.
	 */
	sp = ((gr[REG_RSP] - 512) & ~15UL) - 8;
	*(unsigned long *)sp = 0;
	gr[REG_RSP] = sp;
	gr[REG_RBP] = 0;
	gr[REG_RIP] = (unsigned long)uml_kernel_fault;
	gr[REG_RDI] = (unsigned long)fr;
}

void host_fault_fixup_range(unsigned long start, unsigned long end,
			    unsigned long fixup)
{
	fixup_start = start;
	fixup_end = end;
	fixup_target = fixup;
}

static void set_handler_old(int sig, void (*fn)(int, siginfo_t *, void *),
			    const sigset_t *mask, struct sigaction *old)
{
	struct sigaction sa = {
		.sa_sigaction = fn,
		.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART,
		.sa_mask = *mask,
	};

	if (sigaction(sig, &sa, old))
		host_printf("linux: sigaction(%d): %s\n", sig, strerror(errno));
}

static void set_handler(int sig, void (*fn)(int, siginfo_t *, void *),
			const sigset_t *mask)
{
	set_handler_old(sig, fn, mask, NULL);
}

void host_signals_init(void)
{
	stack_t ss = { .ss_sp = irq_stack, .ss_size = sizeof(irq_stack) };
	sigset_t none;
	unsigned int i;

	kernel_tid = syscall(SYS_gettid);
	if (sigaltstack(&ss, NULL))
		host_printf("linux: sigaltstack: %s\n", strerror(errno));

	sigemptyset(&irq_sigs);
	sigaddset(&irq_sigs, HOST_SIG_TIMER);
	sigaddset(&irq_sigs, HOST_SIG_IO);
#ifdef CONFIG_UML_LIB
	set_handler(HOST_SIG_TIMER, irq_handler, &irq_sigs);
	set_handler(HOST_SIG_IO, irq_handler, &irq_sigs);
	for (i = 0; i < ARRAY_SIZE(fault_sigs); i++)
		set_handler_old(fault_sigs[i], fault_handler, &irq_sigs,
				&app_fault_action[i]);
	/* this thread takes the interrupts and its own faults, nothing else */
	sigfillset(&none);
	sigdelset(&none, HOST_SIG_TIMER);
	sigdelset(&none, HOST_SIG_IO);
	for (i = 0; i < ARRAY_SIZE(fault_sigs); i++)
		sigdelset(&none, fault_sigs[i]);
	sigprocmask(SIG_SETMASK, &none, NULL);
#else
	sigaddset(&irq_sigs, SIGTERM);
	sigaddset(&irq_sigs, SIGINT);
	sigaddset(&irq_sigs, SIGHUP);
	sigaddset(&irq_sigs, SIGWINCH);
	sigaddset(&irq_sigs, SIGUSR2);
	set_handler(SIGALRM, irq_handler, &irq_sigs);
	set_handler(SIGIO, irq_handler, &irq_sigs);
	set_handler(SIGTERM, irq_handler, &irq_sigs);
	set_handler(SIGINT, irq_handler, &irq_sigs);
	set_handler(SIGHUP, irq_handler, &irq_sigs);
	set_handler(SIGWINCH, irq_handler, &irq_sigs);
	set_handler(SIGUSR2, irq_handler, &irq_sigs);

	sigemptyset(&none);
	for (i = 0; i < ARRAY_SIZE(fault_sigs); i++)
		set_handler(fault_sigs[i], fault_handler, &irq_sigs);

	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_SETMASK, &none, NULL);	/* also after a re-exec */
#endif

	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (epoll_fd < 0)
		host_printf("linux: epoll_create1: %s\n", strerror(errno));
}

void host_block_signals(void)
{
	sigprocmask(SIG_BLOCK, &irq_sigs, NULL);
}

void host_unblock_signals(void)
{
	sigprocmask(SIG_UNBLOCK, &irq_sigs, NULL);
}

void host_idle_wait(void)
{
	sigset_t old;

	sigprocmask(SIG_BLOCK, &irq_sigs, &old);
	uml_self_write(irqs_on, 1);
	/* a signal recorded earlier must be replayed, not slept over */
	if (!uml_self_read(irqs_pending))
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* @fd into the epoll set as @ev says, and SIGIO to the kernel thread */
static int fd_irq_add(int fd, struct epoll_event *ev)
{
	struct f_owner_ex owner = { .type = F_OWNER_TID, .pid = kernel_tid };
	int fl;

	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, ev))
		return -errno;
	fl = fcntl(fd, F_GETFL);
#ifdef CONFIG_UML_LIB
	if (fcntl(fd, F_SETSIG, HOST_SIG_IO)) {
		int err = -errno;

		epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL);
		return err;
	}
#endif
	if (fcntl(fd, F_SETOWN_EX, &owner) ||
	    fcntl(fd, F_SETFL, fl | O_ASYNC | O_NONBLOCK)) {
		int err = -errno;

		epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL);
		return err;
	}
	return 0;
}

int host_fd_irq_add(int fd, unsigned long cookie)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = cookie };

	return fd_irq_add(fd, &ev);
}

int host_fd_irq_watch(int fd, unsigned long cookie, int events)
{
	struct epoll_event ev = { .data.u64 = cookie };

	if (!events) {
		if (epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL) &&
		    errno != ENOENT)
			return -errno;
		return 0;
	}
	if (events & HOST_FD_IN)
		ev.events |= EPOLLIN;
	if (events & HOST_FD_OUT)
		ev.events |= EPOLLOUT;
	if (!epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev))
		return 0;
	if (errno != ENOENT)
		return -errno;
	return fd_irq_add(fd, &ev);
}

void host_fd_irq_del(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_ASYNC);
	epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL);
}

int host_fd_irq_poll(unsigned long *cookies, int max)
{
	struct epoll_event ev[16];
	int n, i;

	if (max > 16)
		max = 16;
	n = epoll_wait(epoll_fd, ev, max, 0);
	for (i = 0; i < n; i++)
		cookies[i] = ev[i].data.u64;
	return n < 0 ? 0 : n;
}
