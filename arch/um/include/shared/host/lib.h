/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: the kernel as a library (CONFIG_UML_LIB, arch/um/liblinux).
 *
 * An application thread puts a request on the host side's list and wakes
 * the kernel through a pipe whose read end is a device IRQ; a kernel task
 * takes the request, runs the system call with the application's own
 * pointers and hands the result back.  All of these are called by the
 * kernel side with its interrupt flag clear, except host_lib_exit().
 */
#ifndef __HOST_LIB_H
#define __HOST_LIB_H

/* request number that powers the kernel off (after the host side's sync) */
#define HOST_LIB_POWEROFF	(-2L)
/*
 * request number of a device change: args[0] the spec ("ubd1=FILE"),
 * args[1] nonzero to remove the device args[0] names, args[2]/args[3] a
 * buffer and its size for the kernel's message
 */
#define HOST_LIB_CONFIG		(-3L)

/**
 * struct host_lib_req - one call of an application thread into the kernel
 * @nr:    x86_64 system call number, or HOST_LIB_POWEROFF
 * @args:  its arguments; pointers are the application's own memory
 * @ret:   the result, or a negative errno
 * @taken: set once a kernel task runs it
 * @done:  set once @ret is final (the caller waits on this word)
 * @next:  the host side's list of outstanding requests
 */
struct host_lib_req {
	long nr;
	long args[6];
	long ret;
	int taken;
	int done;
	struct host_lib_req *next;
};

/** host_lib_fd() - the read end of the wake-up pipe (an fd IRQ) */
int host_lib_fd(void);
/** host_lib_drain() - empty the wake-up pipe */
void host_lib_drain(void);
/**
 * host_lib_take() - the oldest request no task runs yet
 * @more: set to 1 if others are still waiting after this one
 * Return: the request, or NULL (then the next request writes the pipe).
 */
struct host_lib_req *host_lib_take(int *more);
/** host_lib_done() - hand @req's result back to its caller */
void host_lib_done(struct host_lib_req *req);
/** host_lib_booted() - the kernel is ready for requests */
void host_lib_booted(void);
/**
 * host_lib_exit() - the kernel has ended (power off, halt or panic)
 * Fails every outstanding request and ends the kernel's host thread.
 */
void host_lib_exit(int status) __attribute__((noreturn));

#endif
