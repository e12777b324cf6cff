// SPDX-License-Identifier: GPL-2.0
/*
 * What a machine used, for the provider's bills: the management
 * console's "stats" command answers one "key=value" line per figure
 * (docs/hosting.md lists them).  Every figure comes from the port or the
 * host, so nothing the guest's root does changes them: the guest's CPU
 * time from the kernel's own accounting, memory from the host's view of
 * the physical-memory file and of the kernel process, disks and
 * interfaces from their drivers' counters, tasks from the cap's count.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/seq_buf.h>
#include <linux/timekeeping.h>
#include <linux/vmstat.h>
#include <asm/hosting.h>
#include <asm/umdev.h>
#include <host/boot.h>
#include <host/mem.h>
#include <host/usage.h>

u64 __weak uml_mem_returned_bytes(void)
{
	return 0;
}

static void stats_cpu(struct seq_buf *s)
{
	u64 user = 0, system = 0, idle = 0;
	struct kernel_cpustat kcs;
	struct host_usage hu;
	int cpu;

	for_each_possible_cpu(cpu) {
		kcpustat_cpu_fetch(&kcs, cpu);
		user += kcs.cpustat[CPUTIME_USER] + kcs.cpustat[CPUTIME_NICE];
		system += kcs.cpustat[CPUTIME_SYSTEM] +
			  kcs.cpustat[CPUTIME_IRQ] +
			  kcs.cpustat[CPUTIME_SOFTIRQ];
		idle += kcs.cpustat[CPUTIME_IDLE];
	}
	seq_buf_printf(s, "uptime_ns=%llu\n", ktime_get_boottime_ns());
	seq_buf_printf(s, "cpu_user_ns=%llu\ncpu_system_ns=%llu\n", user,
		       system);
	if (!host_usage_get(&hu))
		seq_buf_printf(s, "host_cpu_kernel_ns=%llu\nhost_cpu_ended_ns=%llu\nmem_host_peak_bytes=%llu\n",
			       hu.self_cpu_ns, hu.children_cpu_ns,
			       hu.peak_rss);
}

static void stats_mem(struct seq_buf *s)
{
	u64 total = (u64)totalram_pages() << PAGE_SHIFT;
	u64 free = global_zone_page_state(NR_FREE_PAGES) << PAGE_SHIFT;

	seq_buf_printf(s, "mem_boot_bytes=%lu\n", uml_physmem_size);
	seq_buf_printf(s, "mem_size_bytes=%llu\n",
		       uml_physmem_size - uml_balloon_bytes());
	seq_buf_printf(s, "mem_guest_total_bytes=%llu\n", total);
	seq_buf_printf(s, "mem_guest_used_bytes=%llu\n",
		       total > free ? total - free : 0);
	seq_buf_printf(s, "mem_host_bytes=%llu\n", host_physmem_resident());
	seq_buf_printf(s, "mem_returned_bytes=%llu\n",
		       uml_mem_returned_bytes());
}

static void stats_tasks(struct seq_buf *s)
{
	unsigned int now, peak, max;

	uml_tasks_usage(&now, &peak, &max);
	seq_buf_printf(s, "tasks=%u\ntasks_peak=%u\ntasks_max=%u\n", now, peak,
		       max);
}

void uml_stats(struct seq_buf *s)
{
	stats_cpu(s);
	stats_mem(s);
	stats_tasks(s);
	uml_dev_stats(s);
}
