/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: guest address spaces as traced host processes.
 *
 * Each guest mm is one host process, started from the stub executable and
 * traced by the kernel.  Guest code runs in it under PTRACE_SYSEMU: every
 * system call stops it without reaching the host.  The kernel changes its
 * mappings by running host system calls in its stub.
 */
#ifndef __HOST_USER_H
#define __HOST_USER_H

/* struct pt_regs and struct user_regs_struct share this layout */
#define HOST_NR_REGS	27
#define HOST_FP_SIZE	512	/* fxsave image */

/**
 * struct host_batch_op - one host system call for the stub's batch
 * @nr:     system call number, -1 ends the list
 * @arg:    its arguments
 * @result: what it returned, written by the stub
 */
struct host_batch_op {
	long nr;
	long arg[6];
	long result;
};

#define HOST_BATCH_MAX	(4096 / sizeof(struct host_batch_op))

/* why host_user_run() came back */
enum host_stop {
	HOST_STOP_SYSCALL,	/* the guest made a system call */
	HOST_STOP_SIGNAL,	/* a fault or signal: see the siginfo */
	HOST_STOP_KICK,		/* the kernel stopped it to do work */
	HOST_STOP_GONE,		/* the host process died */
};

/**
 * struct host_stop_info - what stopped the guest
 * @signo: host signal (HOST_STOP_SIGNAL)
 * @code:  its si_code
 * @addr:  its si_addr (the faulting address)
 * @trapno, @err: x86 trap number and error code, when known (else -1)
 */
struct host_stop_info {
	int signo, code;
	unsigned long addr;
	long trapno, err;
};

/**
 * host_user_create() - start a new guest address space
 * @data_phys: physical address of the page the stub reads batches from
 * Return: the host pid, or a negative errno.
 */
int host_user_create(unsigned long data_phys);

/** host_user_destroy() - kill the process of an address space and reap it */
void host_user_destroy(int pid);

/**
 * host_user_batch() - run the batch in the process's data page
 * Return: 0, or a negative errno if the process could not run it.
 */
int host_user_batch(int pid);

/**
 * host_user_run() - run guest code until it stops
 * @pid:  the address space's process
 * @regs: HOST_NR_REGS words in; the registers at the stop out
 * @info: filled for HOST_STOP_SIGNAL
 *
 * While the guest runs the kernel waits, with interrupts enabled;
 * host_user_kick() from an interrupt makes it stop early.
 * Return: enum host_stop.
 */
int host_user_run(int pid, unsigned long *regs, struct host_stop_info *info);

/** host_user_kick() - make the running guest stop (HOST_STOP_KICK) */
void host_user_kick(void);

/** host_user_get_fp() / host_user_set_fp() - HOST_FP_SIZE bytes */
int host_user_get_fp(int pid, void *fp);
int host_user_set_fp(int pid, const void *fp);

/* defined by the kernel side */
void uml_user_enable_irqs(void);
extern const char uml_stub_image[], uml_stub_image_end[];

#endif
