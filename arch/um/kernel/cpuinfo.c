// SPDX-License-Identifier: GPL-2.0
/* /proc/cpuinfo: the one virtual CPU. */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include <asm/processor.h>

static int show_cpuinfo(struct seq_file *m, void *v)
{
	seq_puts(m, "processor\t: 0\n");
	seq_puts(m, "vendor_id\t: User Mode Linux\n");
	seq_printf(m, "model name\t: UML on %s\n", init_utsname()->machine);
	seq_printf(m, "bogomips\t: %lu.%02lu\n\n",
		   loops_per_jiffy / (500000 / HZ),
		   (loops_per_jiffy / (5000 / HZ)) % 100);
	return 0;
}

/* one record: position 0 is the CPU, anything after it is the end */
static void *cpuinfo_record(struct seq_file *m, loff_t *pos)
{
	return *pos == 0 ? SEQ_START_TOKEN : NULL;
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
