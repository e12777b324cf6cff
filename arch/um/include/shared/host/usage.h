/* SPDX-License-Identifier: GPL-2.0 */
/* Host boundary: what the kernel process costs the host, for accounting. */
#ifndef __HOST_USAGE_H
#define __HOST_USAGE_H

/**
 * struct host_usage - the host's own figures for this machine
 * @self_cpu_ns:     CPU time of the kernel process (every thread of it)
 * @children_cpu_ns: CPU time of its host processes that have ended and
 *                   been waited for (guest processes, helpers)
 * @peak_rss:        the kernel process's peak resident set, in bytes
 */
struct host_usage {
	unsigned long long self_cpu_ns;
	unsigned long long children_cpu_ns;
	unsigned long long peak_rss;
};

/** host_usage_get() - fill @u from getrusage(); 0 or a negative errno */
int host_usage_get(struct host_usage *u);

#endif
