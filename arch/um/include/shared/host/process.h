/* SPDX-License-Identifier: GPL-2.0 */
/* Host boundary: the kernel process itself. */
#ifndef __HOST_PROCESS_H
#define __HOST_PROCESS_H

/** host_exit() - end the kernel process with @status, flushing nothing */
void host_exit(int status) __attribute__((noreturn));
/** host_reexec() - start this kernel again with the same arguments */
void host_reexec(void) __attribute__((noreturn));
/**
 * host_at_exit() - call @fn (host code) when the process ends or
 * re-executes itself, the last registered first: for a driver to give
 * back what it changed on the host (a terminal's mode).  0 or -ENOSPC.
 */
int host_at_exit(void (*fn)(void));
/** host_console_write() - write to the host's standard output, fully */
void host_console_write(const char *s, unsigned long len);
/** host_printf() - formatted message to stderr, before or outside printk */
void host_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/**
 * host_pin_to_cpu() - keep the calling thread, CPU @vcpu's, on one host CPU
 *
 * Called by each virtual CPU's thread before it makes or attaches its
 * first guest process, which takes its host CPU (as do all later ones).
 * Helper threads started afterwards keep the CPUs the process started
 * with.  Does nothing with pin=off on the command line.
 */
void host_pin_to_cpu(int vcpu);
/**
 * host_thread_start() - run @fn(@arg) on a host thread with all signals
 * blocked (a helper for blocking host I/O); 0 or -errno.
 */
int host_thread_start(void (*fn)(void *), void *arg);

#endif
