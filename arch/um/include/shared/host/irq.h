/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: host signals as interrupts.
 *
 * The host side owns the signal handlers.  It calls back into the kernel
 * side through uml_irq_signal() with a mask of UML_SIG_* bits, only when
 * the interrupt flag of the CPU it interrupted is set; otherwise it
 * records the bits in that CPU's irqs_pending (host/cpu.h) for the kernel
 * to replay.
 */
#ifndef __HOST_IRQ_H
#define __HOST_IRQ_H

#define UML_SIG_TIMER	0x1	/* SIGALRM: the clock event fired */
#define UML_SIG_IO	0x2	/* SIGIO: some registered fd is ready */
#define UML_SIG_TERM	0x4	/* SIGTERM, SIGINT, SIGHUP: power off */
#define UML_SIG_WINCH	0x8	/* SIGWINCH: a host terminal changed size */
#define UML_SIG_IPI	0x10	/* SIGUSR2: another virtual CPU posted IPIs */

/* defined by the kernel side */
void uml_irq_signal(unsigned long sigs);

/** host_signals_init() - install handlers and the signal stack */
void host_signals_init(void);

/**
 * host_idle_wait() - sleep until a host signal arrives
 *
 * Called with the kernel's interrupt flag clear; sets it and waits with
 * no window in which a signal could be missed, then returns with it set.
 */
void host_idle_wait(void);

/** host_block_signals() - hold all interrupt signals at the host */
void host_block_signals(void);
/** host_unblock_signals() - release them */
void host_unblock_signals(void);

/**
 * host_fd_irq_add() - raise SIGIO when @fd becomes readable
 * @fd:     non-blocking descriptor
 * @cookie: handed back by host_fd_irq_poll()
 * Return: 0 or a negative errno.
 */
int host_fd_irq_add(int fd, unsigned long cookie);
#define HOST_FD_IN	0x1	/* readable (or the other end went away) */
#define HOST_FD_OUT	0x2	/* writable again */

/**
 * host_fd_irq_watch() - choose what of @fd raises SIGIO
 * @fd:     descriptor (made non-blocking and asynchronous when added)
 * @cookie: handed back by host_fd_irq_poll()
 * @events: HOST_FD_IN and/or HOST_FD_OUT; 0 stops watching @fd
 *
 * Adds @fd, changes what is watched, or removes it.  host_fd_irq_add() is
 * host_fd_irq_watch(fd, cookie, HOST_FD_IN).
 * Return: 0, -EPERM for a descriptor that cannot be watched (a regular
 * file: always ready), or another negative errno.
 */
int host_fd_irq_watch(int fd, unsigned long cookie, int events);
/** host_fd_irq_del() - stop watching @fd */
void host_fd_irq_del(int fd);
/**
 * host_fd_irq_poll() - collect ready descriptors without waiting
 * @cookies: filled with the cookies of ready descriptors
 * @max:     room in @cookies
 * Return: how many were filled.
 */
int host_fd_irq_poll(unsigned long *cookies, int max);

/**
 * host_fault_fixup_range() - code range whose faults are recoverable
 * The SIGSEGV handler resumes a fault with RIP in [start, end) at fixup.
 */
void host_fault_fixup_range(unsigned long start, unsigned long end,
			    unsigned long fixup);

/* defined by the kernel side: an unrecoverable fault in kernel code */
struct host_fault_regs {
	unsigned long ip, sp, bp, addr, err, trapno;
	unsigned long ax, bx, cx, dx, si, di, r8, r9, r10, r11, r12, r13, r14,
		r15, flags;
	int signo;
};
void uml_kernel_fault(struct host_fault_regs *regs);

#endif
