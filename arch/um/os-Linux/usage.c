// SPDX-License-Identifier: GPL-2.0
/* The host's accounting of the kernel process, for the "stats" command. */
#include <errno.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <host/usage.h>

static unsigned long long tv_ns(const struct timeval *tv)
{
	return tv->tv_sec * 1000000000ULL + tv->tv_usec * 1000ULL;
}

int host_usage_get(struct host_usage *u)
{
	struct rusage self, children;

	/* the kernel has a getrusage() of its own: ask the host directly */
	if (syscall(SYS_getrusage, RUSAGE_SELF, &self) ||
	    syscall(SYS_getrusage, RUSAGE_CHILDREN, &children))
		return -errno;
	u->self_cpu_ns = tv_ns(&self.ru_utime) + tv_ns(&self.ru_stime);
	u->children_cpu_ns = tv_ns(&children.ru_utime) +
			     tv_ns(&children.ru_stime);
	/* ru_maxrss is in KiB */
	u->peak_rss = (unsigned long long)self.ru_maxrss * 1024;
	return 0;
}
