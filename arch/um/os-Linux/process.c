// SPDX-License-Identifier: GPL-2.0
/* The kernel process: exit, re-exec, console output, helper threads. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <host/chan.h>
#include <host/process.h>
#include <host/umid.h>

char **host_saved_argv;

void host_exit(int status)
{
	host_umid_cleanup();
	host_chan_restore_all();
	_exit(status);
}

void host_reexec(void)
{
	sigset_t all;

	/* the new image unblocks its signals once its handlers are in */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	host_umid_before_reexec();
	host_chan_restore_all();
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

struct thread_start {
	void (*fn)(void *);
	void *arg;
};

static void *thread_main(void *p)
{
	struct thread_start ts = *(struct thread_start *)p;

	free(p);
	ts.fn(ts.arg);
	return NULL;
}

int host_thread_start(void (*fn)(void *), void *arg)
{
	struct thread_start *ts = malloc(sizeof(*ts));
	sigset_t all, old;
	pthread_t th;
	int err;

	if (!ts)
		return -ENOMEM;
	ts->fn = fn;
	ts->arg = arg;
	/* the new thread starts with every signal blocked */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&th, NULL, thread_main, ts);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		free(ts);
		return -err;
	}
	pthread_detach(th);
	return 0;
}
