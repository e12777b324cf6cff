/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: guest threads as traced host processes.
 *
 * Each guest address space is a host address space, started from the stub
 * executable by one traced host process; each further guest thread of it
 * runs on a clone of that process in the same host address space.  Guest
 * code runs under PTRACE_SYSEMU: every system call stops it without
 * reaching the host.  The kernel changes the mappings by running host
 * system calls in the stub of any stopped process of the address space.
 */
#ifndef __HOST_USER_H
#define __HOST_USER_H

/* struct pt_regs and struct user_regs_struct share this layout */
#define HOST_NR_REGS	27
#define HOST_FP_SIZE	512	/* fxsave image */
#define HOST_XSTATE_MAX	16384	/* largest XSAVE image we handle */

/**
 * struct host_batch_op - one host system call for the stub's batch
 * @nr:     system call number, -1 ends the list
 * @arg:    its arguments
 * @result: unused (the process maps the data page read-only)
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
 * @trapno, @err, @cr2: x86 trap number, error code and fault address of
 *         the host's signal frame, once host_user_fault_info() has
 *         fetched them (else -1, -1, 0)
 */
struct host_stop_info {
	int signo, code;
	unsigned long addr;
	long trapno, err;
	unsigned long cr2;
};

/*
 * The calls below that take @cpu run on the thread of CPU @cpu, with
 * interrupts off: the processes they make are traced by it, and each CPU
 * keeps its own spare processes and kept clones.
 */

/**
 * host_user_create() - start a new guest address space
 * @data_phys: physical address of the page the stub reads batches from
 * Return: the host pid, or a negative errno.
 */
int host_user_create(int cpu, unsigned long data_phys);

/**
 * host_user_destroy() - give up the first process of an address space
 * @keep_clones: the clones host_user_clone_done() kept for it may stay
 *               with it (their rdtsc mode is the default)
 *
 * It is emptied and kept for a later host_user_create() (with its kept
 * clones, if @keep_clones), or killed with them.
 */
void host_user_destroy(int cpu, int pid, int keep_clones);

/**
 * host_user_cpu_release() - CPU @cpu goes offline: kill its spare
 * processes and kept clones
 */
void host_user_cpu_release(int cpu);

/**
 * host_user_clone() - a process for a further thread of an address space
 * @first: the address space's first process (host_user_create())
 * @pid:   a stopped process of the address space
 *
 * One that host_user_clone_done() kept for @first, else a new one: the
 * stub of @pid makes it with a host clone(CLONE_VM); it is traced by the
 * calling thread with the same options, takes CPU @cpu's signal stack, runs under the same seccomp filter and
 * holds the same physical-memory descriptor.  Its FPU state is left
 * from before (set it); its general registers are set by host_user_run().
 * Return: the pid, stopped, or a negative errno.
 */
int host_user_clone(int cpu, int first, int pid);

/**
 * host_user_clone_done() - the thread on clone @pid left the address space
 * @first: the address space's first process
 *
 * The process is kept for the next host_user_clone() of @first (a few are
 * kept in all) or killed; host_user_destroy(@first) kills those kept.
 */
void host_user_clone_done(int cpu, int first, int pid);

/**
 * host_user_fault_info() - the x86 details of the fault @pid stopped with
 * @pid:  a process just stopped by a fault signal (HOST_STOP_SIGNAL with
 *        SIGSEGV, SIGBUS, SIGILL or SIGFPE), not resumed since
 * @info: its stop info; @trapno, @err and @cr2 are filled in
 *
 * ptrace does not tell them: the signal is delivered to the stub's
 * handler, which reads them from the host's frame, loads the FPU state
 * back from it and stops at a breakpoint.  One more trip to the process;
 * its general registers are then the handler's (host_user_run() sets
 * them all).  Run with interrupts off: the handler uses the calling
 * CPU's signal stack.
 * Return: 0 or a negative errno.
 */
int host_user_fault_info(int pid, struct host_stop_info *info);

/** host_user_kill() - kill the process @pid (a thread's clone) and reap it */
void host_user_kill(int pid);

/**
 * host_user_batch() - run the batch in the process's data page
 * Return: 0 once every call succeeded; the negative errno of the call
 * that failed (the rest are not run), or -ECHILD if the process could
 * not run the batch.
 */
int host_user_batch(int pid);

/**
 * host_user_run() - run guest code until it stops
 * @pid:  the guest thread's process
 * @regs: HOST_NR_REGS words in; the registers at the stop out
 * @info: filled for HOST_STOP_SIGNAL
 * @step: run one instruction only (the host's trap flag): the stop is
 *        then a SIGTRAP, or a system call if that instruction was one
 *
 * While the guest runs the kernel waits, with interrupts enabled;
 * host_user_kick() from an interrupt makes it stop early.
 * Return: enum host_stop.
 */
int host_user_run(int pid, unsigned long *regs, struct host_stop_info *info,
		  int step);

/**
 * host_user_detach() - let another host thread trace @pid
 * @pid: a stopped process traced by the calling thread
 *
 * ptrace binds a tracee to one tracer thread: to move a guest thread to
 * another CPU, the old CPU's thread detaches its process, which stops
 * at once (SIGSTOP) without running guest code, and the new CPU's thread
 * attaches it (host_user_attach()).
 * Return: 0 or a negative errno (the process is gone).
 */
int host_user_detach(int pid);

/**
 * host_user_attach() - trace the stopped, detached process @pid
 * @cpu: the CPU of the calling thread: the process's fault handler
 *       takes that CPU's signal stack from now on
 *
 * Seizes it with the options it had and waits for its stop.
 * Return: 0 or a negative errno.
 */
int host_user_attach(int pid, int cpu);

/**
 * host_user_kick() - make the guest running on @pid stop (HOST_STOP_KICK)
 *
 * Sent from an interrupt; if @pid is stopped already, the kick stays
 * pending and stops it as soon as it is resumed.
 */
void host_user_kick(int pid);

/** host_user_get_fp() / host_user_set_fp() - HOST_FP_SIZE bytes */
int host_user_get_fp(int pid, void *fp);
int host_user_set_fp(int pid, const void *fp);

/**
 * host_user_xstate_size() - bytes of the host CPU's XSAVE image
 *
 * The standard-format XSAVE area for the features the host enables
 * (CPUID leaf 0xd), at most HOST_XSTATE_MAX; HOST_FP_SIZE without XSAVE.
 */
unsigned int host_user_xstate_size(void);

/**
 * host_user_get_xstate() - read the XSAVE state of @pid
 * @buf: host_user_xstate_size() bytes (PTRACE_GETREGSET NT_X86_XSTATE)
 * Return: 0 or a negative errno.
 */
int host_user_get_xstate(int pid, void *buf);

/**
 * host_user_set_xstate() - load the XSAVE state of @pid
 * @buf: host_user_xstate_size() bytes, or NULL for the state a process
 *       has fresh from exec
 * Return: 0 or a negative errno (-EINVAL: the host refused the image).
 */
int host_user_set_xstate(int pid, const void *buf);

/**
 * host_user_set_debugregs() - load x86 debug registers into @pid
 * @dr: DR0..DR7 (DR4-DR6 are not written); DR7 is written last when it
 *      enables breakpoints, first when it disables them
 * Return: 0 or a negative errno (the host refused an address or mode).
 */
int host_user_set_debugregs(int pid, const unsigned long *dr);

/**
 * host_user_set_tsc() - turn rdtsc in @pid off or back on
 * @sigsegv: 1: rdtsc (and rdtscp) raise SIGSEGV in @pid from now on, as
 *           the host's prctl(PR_SET_TSC, PR_TSC_SIGSEGV) makes them; 0: they
 *           run again
 *
 * The stub of the stopped process @pid makes the call, so it holds for
 * that host process only.  Whether the instruction then really faults is
 * the host CPU's (a hypervisor may ignore the TSC-disable bit).
 * Return: 0 or a negative errno.
 */
int host_user_set_tsc(int pid, int sigsegv);

/** host_user_get_dr6() - the debug status of @pid after a SIGTRAP */
unsigned long host_user_get_dr6(int pid);

/**
 * host_debugregs_fire() - whether the host's debug registers work
 *
 * Sets a write watchpoint through ptrace in a CLONE_VM child (on a stack
 * of its own) and lets the child write the word.  Some hypervisors accept
 * debug registers but never raise the trap.
 *
 * Return: 1 if the watchpoint fired, 0 if not, or a negative errno.
 */
int host_debugregs_fire(void);

/* defined by the kernel side */
void uml_user_enable_irqs(void);
extern const char uml_stub_image[], uml_stub_image_end[];

#endif
