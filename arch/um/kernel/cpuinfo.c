// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/cpuinfo: a record per online virtual CPU, the way x86_64 programs
 * expect.  Guest code runs natively on the host's CPU, so the identity
 * and the instruction-set flags are the host's (a guest could read them
 * with CPUID anyway): they are taken from the host's own /proc/cpuinfo at
 * boot, keeping only the flags that matter to user code and dropping
 * those that describe what only a kernel (the host's) can use.
 */
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <asm/processor.h>
#include <host/file.h>

/* the host's first processor record, or NULL */
static char *host_cpu;

/* fields copied from the host, in this order */
static const char *const host_fields[] = {
	"vendor_id", "cpu family", "model", "model name", "stepping",
	"cpu MHz", "cache size", "fpu", "fpu_exception", "cpuid level", "wp",
	"flags", "clflush size", "cache_alignment", "address sizes",
};

/* flags of features only the host kernel can use, or that it emulates */
static const char *const kernel_flags[] = {
	"vme", "de", "pse", "msr", "pae", "mce", "apic", "sep", "mtrr", "pge",
	"mca", "pat", "pse36", "acpi", "tm", "pbe", "dtes64", "monitor",
	"ds_cpl", "vmx", "svm", "smx", "est", "tm2", "xtpr", "pdcm", "dca",
	"x2apic", "tsc_deadline_timer", "hypervisor", "xtopology",
	"extd_apicid", "cr8_legacy", "osvw", "ibs", "skinit", "wdt",
	"nodeid_msr", "topoext", "perfctr_core", "perfctr_nb", "perfctr_llc",
	"mwaitx", "smep", "smap", "umip", "pcid", "invpcid", "tsc_adjust",
	"fsgsbase", "xsaves", "arat", "vmmcall", "ibpb", "ibrs", "stibp",
	"ssbd", "flush_l1d", "md_clear", "arch_capabilities", "tpr_shadow",
	"vnmi", "flexpriority", "ept", "vpid", "ept_ad", "npt", "lbrv",
	"svm_lock", "nrip_save", "tsc_scale", "vmcb_clean", "flushbyasid",
	"decodeassists", "pausefilter", "pfthreshold", "v_vmsave_vmload",
	"vgif", "avic", "v_spec_ctrl", "cpb", "hw_pstate", "pti", "ssbd",
	"amd_ppin", "intel_ppin", "cat_l3", "cdp_l3", "mba", "cqm",
	"cqm_llc", "cqm_occup_llc", "cqm_mbm_total", "cqm_mbm_local",
	"rdt_a", "pln", "pts", "hwp", "hwp_notify", "hwp_act_window",
	"hwp_epp", "hwp_pkg_req", "dtherm", "ida", "epb", "tme", "pconfig",
	"sme", "sev", "sev_es", "sev_snp", "user_shstk", "ibt", "la57",
	"split_lock_detect", "bus_lock_detect", "tsc_known_freq",
};

static int __init uml_cpuinfo_init(void)
{
	const size_t size = 16384;
	char *buf = kzalloc(size, GFP_KERNEL);
	long n, got = 0;
	char *end;
	int fd;

	if (!buf)
		return 0;
	fd = host_open("/proc/cpuinfo", HOST_O_RDONLY);
	if (fd < 0) {
		kfree(buf);
		return 0;
	}
	while (got < size - 1 &&
	       (n = host_read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	host_close(fd);
	end = strstr(buf, "\n\n");
	if (end)
		end[1] = 0;
	host_cpu = buf;
	return 0;
}
core_initcall(uml_cpuinfo_init);

static bool kernel_flag(const char *f, size_t len)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(kernel_flags); i++)
		if (strlen(kernel_flags[i]) == len &&
		    !strncmp(kernel_flags[i], f, len))
			return true;
	return false;
}

static void show_flags(struct seq_file *m, const char *p, const char *eol)
{
	seq_puts(m, "flags\t\t:");
	while (p < eol) {
		const char *e;

		while (p < eol && *p == ' ')
			p++;
		for (e = p; e < eol && *e != ' '; e++)
			;
		if (e > p && !kernel_flag(p, e - p))
			seq_printf(m, " %.*s", (int)(e - p), p);
		p = e;
	}
	seq_putc(m, '\n');
}

/* the host's line for @name, printed (flags filtered) */
static void show_host_field(struct seq_file *m, const char *name)
{
	size_t len = strlen(name);
	const char *p = host_cpu;

	while (p && *p) {
		const char *eol = strchrnul(p, '\n');
		const char *colon = strnchr(p, eol - p, ':');

		if (colon && !strncmp(p, name, len) &&
		    (p[len] == '\t' || p[len] == ' ' || p[len] == ':')) {
			if (!strcmp(name, "flags"))
				show_flags(m, colon + 1, eol);
			else
				seq_printf(m, "%.*s\n", (int)(eol - p), p);
			return;
		}
		p = *eol ? eol + 1 : eol;
	}
}

static int show_cpuinfo(struct seq_file *m, void *v)
{
	unsigned int cpu = (unsigned long)v - 1;
	int i;

	seq_printf(m, "processor\t: %u\n", cpu);
	if (!host_cpu) {
		seq_puts(m, "vendor_id\t: User Mode Linux\n");
		seq_printf(m, "model name\t: UML on %s\n",
			   init_utsname()->machine);
	}
	for (i = 0; i < ARRAY_SIZE(host_fields); i++) {
		show_host_field(m, host_fields[i]);
		if (!strcmp(host_fields[i], "stepping") && host_cpu) {
			seq_printf(m, "physical id\t: 0\nsiblings\t: %u\n",
				   num_online_cpus());
			seq_printf(m, "core id\t\t: %u\ncpu cores\t: %u\n",
				   cpu, num_online_cpus());
		}
	}
	seq_printf(m, "bogomips\t: %lu.%02lu\n",
		   loops_per_jiffy / (500000 / HZ),
		   (loops_per_jiffy / (5000 / HZ)) % 100);
	seq_puts(m, "power management:\n\n");
	return 0;
}

/* one record per online CPU: the record at *pos is the next online CPU + 1 */
static void *cpuinfo_record(struct seq_file *m, loff_t *pos)
{
	*pos = cpumask_next(*pos - 1, cpu_online_mask);
	return *pos < nr_cpu_ids ? (void *)(unsigned long)(*pos + 1) : NULL;
}

static void *cpuinfo_advance(struct seq_file *m, void *v, loff_t *pos)
{
	*pos += 1;
	return cpuinfo_record(m, pos);
}

static void cpuinfo_done(struct seq_file *m, void *v)
{
}

const struct seq_operations cpuinfo_op = {
	.show = show_cpuinfo, .start = cpuinfo_record,
	.next = cpuinfo_advance, .stop = cpuinfo_done,
};
