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
 * @trapno, @err: x86 trap number and error code, when known (else -1):
 *         host_user_fault_detail() fills them for a SIGSEGV, @err with the
 *         page-fault bits (HOST_PF_WRITE, HOST_PF_INSTR).
 */
struct host_stop_info {
	int signo, code;
	unsigned long addr;
	long trapno, err;
};

#define HOST_PF_WRITE	0x02	/* x86 page-fault error code bits */
#define HOST_PF_INSTR	0x10

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
 * @data_phys: physical address of its stub data (as for host_user_create())
 * @regs: HOST_NR_REGS words in; the registers at the stop out
 * @info: filled for HOST_STOP_SIGNAL
 * @step: run one instruction only (the host's trap flag): the stop is
 *        then a SIGTRAP, or a system call if that instruction was one
 *
 * While the guest runs the kernel waits, with interrupts enabled;
 * host_user_kick() from an interrupt makes it stop early.
 * Return: enum host_stop.
 */
int host_user_run(int pid, unsigned long data_phys, unsigned long *regs,
		  struct host_stop_info *info, int step);

/**
 * host_user_fault_detail() - the x86 details of the SIGSEGV that just
 * stopped @pid (host_user_run() returned HOST_STOP_SIGNAL with SIGSEGV,
 * and the process has not been resumed since)
 * @pid, @data_phys: as for host_user_run()
 * @regs: the registers at the fault, read again from the signal frame
 * @info: gets @code, @addr, @trapno and @err
 *
 * ptrace does not tell a read fault from a write fault; the host's signal
 * frame does.  The signal is delivered to the stub's handler, which stops
 * on its own stack (physical memory) with the guest's FPU state loaded
 * back; the frame is read from there.  One more stop of the process.
 * Return: 0, or a negative errno if the process is lost.
 */
int host_user_fault_detail(int pid, unsigned long data_phys,
			   unsigned long *regs, struct host_stop_info *info);

/** host_user_kick() - make the running guest stop (HOST_STOP_KICK) */
void host_user_kick(void);

/** host_user_get_fp() / host_user_set_fp() - HOST_FP_SIZE bytes */
int host_user_get_fp(int pid, void *fp);
int host_user_set_fp(int pid, const void *fp);

/**
 * host_user_xstate_size() - bytes of the host's XSAVE area as ptrace
 * moves it (NT_X86_XSTATE); 0 if the CPU has no XSAVE
 */
unsigned long host_user_xstate_size(void);

/**
 * host_user_get_xstate() / host_user_set_xstate() - the XSAVE area of
 * @pid's registers, host_user_xstate_size() bytes in the standard format
 * Return: 0 or a negative errno.
 */
int host_user_get_xstate(int pid, void *buf);
int host_user_set_xstate(int pid, const void *buf);

/**
 * host_user_set_debugregs() - load x86 debug registers into @pid
 * @dr: DR0..DR7 (DR4-DR6 are not written); DR7 is written last when it
 *      enables breakpoints, first when it disables them
 * Return: 0 or a negative errno (the host refused an address or mode).
 */
int host_user_set_debugregs(int pid, const unsigned long *dr);

/** host_user_get_dr6() - the debug status of @pid after a SIGTRAP */
unsigned long host_user_get_dr6(int pid);

/* defined by the kernel side */
void uml_user_enable_irqs(void);
extern const char uml_stub_image[], uml_stub_image_end[];

#endif
