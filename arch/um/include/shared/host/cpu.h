/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: what a virtual CPU knows about itself.
 *
 * Every virtual CPU is a host thread of the kernel process.  Each has one
 * struct uml_cpu_self, and the thread's %gs base points at it (set once
 * with arch_prctl(ARCH_SET_GS) when the thread starts; glibc leaves %gs
 * alone on x86_64).  So "current", the interrupt flag and the interrupts
 * held while it is clear are one %gs-relative instruction away, on the
 * kernel side and in the host's signal handler alike, with no lookup of
 * which CPU this is.  Only the owning thread (and its own signal handler)
 * writes its block.
 */
#ifndef __HOST_CPU_H
#define __HOST_CPU_H

#define UML_SELF_TASK	0	/* offsetof(struct uml_cpu_self, task) */

#ifndef __ASSEMBLY__
/**
 * struct uml_cpu_self - the per-thread state of one virtual CPU
 * @task:         the task running on this CPU, "current" (offset 0: switch.S
 *                writes it)
 * @irqs_pending: UML_SIG_* bits that arrived while @irqs_on was clear
 * @irqs_on:      the interrupt flag: 1 enabled, 0 disabled
 * @in_user:      a guest runs on this CPU; the kernel waits for it
 * @cpu:          the CPU's number
 * @tid:          host thread id, the target of IPIs (tgkill)
 * @ipis:         UML_IPI_* bits posted by other CPUs, taken by this one
 */
struct uml_cpu_self {
	void *task;
	unsigned long irqs_pending;
	int irqs_on;
	int in_user;
	int cpu;
	int tid;
	unsigned long ipis;
};

/* one per possible CPU, defined by the kernel side */
extern struct uml_cpu_self uml_cpu_selves[];

#define UML_SELF_OFF(f)		__builtin_offsetof(struct uml_cpu_self, f)

/* read a field of this CPU's block; a compiler barrier, as an irq flag op is */
#define uml_self_read(f) ({						\
	__typeof__(((struct uml_cpu_self *)0)->f) __v;			\
	asm volatile("mov %%gs:%c1, %0"					\
		     : "=r" (__v) : "i" (UML_SELF_OFF(f)) : "memory");	\
	__v;								\
})

#define uml_self_write(f, v) do {					\
	__typeof__(((struct uml_cpu_self *)0)->f) __v = (v);		\
	asm volatile("mov %0, %%gs:%c1"					\
		     : : "r" (__v), "i" (UML_SELF_OFF(f)) : "memory");	\
} while (0)

/* one instruction: a signal handler on this thread cannot split it */
#define uml_self_or(f, v) do {						\
	__typeof__(((struct uml_cpu_self *)0)->f) __v = (v);		\
	asm volatile("or %0, %%gs:%c1"					\
		     : : "r" (__v), "i" (UML_SELF_OFF(f)) : "memory");	\
} while (0)

#define uml_self_xchg(f, v) ({						\
	__typeof__(((struct uml_cpu_self *)0)->f) __v = (v);		\
	asm volatile("xchg %0, %%gs:%c1"				\
		     : "+r" (__v) : "i" (UML_SELF_OFF(f)) : "memory");	\
	__v;								\
})

/**
 * host_cpu_self_set() - make @self this host thread's CPU block
 * Also records the thread's id in @self->tid.
 */
void host_cpu_self_set(struct uml_cpu_self *self);

/**
 * host_cpu_start() - start the host thread of a secondary virtual CPU
 * @self:  its block (%gs base of the new thread)
 * @fn:    what it runs, on @stack, with every interrupt signal blocked
 * @stack: top of the stack it starts on (the idle task's kernel stack)
 * Return: 0 or a negative errno.
 */
int host_cpu_start(struct uml_cpu_self *self, void (*fn)(void),
		   unsigned long stack);

/**
 * host_cpu_park() - the offline CPU's thread waits for host_cpu_restart()
 * Its interrupt signals stay blocked meanwhile; it then runs the function
 * on the stack host_cpu_restart() gave.
 */
__attribute__((noreturn)) void host_cpu_park(void);

/** host_cpu_restart() - wake the parked thread of @self as host_cpu_start() */
int host_cpu_restart(struct uml_cpu_self *self, void (*fn)(void),
		     unsigned long stack);

/** host_cpu_stop() - this CPU's thread sleeps for good, signals blocked */
__attribute__((noreturn)) void host_cpu_stop(void);

/**
 * host_cpu_ipi() - interrupt the virtual CPU whose thread is @tid
 * The target's signal handler reports UML_SIG_IPI.
 */
void host_cpu_ipi(int tid);

#endif /* __ASSEMBLY__ */
#endif
