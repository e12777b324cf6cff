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

static void *c_start(struct seq_file *m, loff_t *pos)
{
	return *pos < 1 ? (void *)1 : NULL;
}

static void *c_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return NULL;
}

static void c_stop(struct seq_file *m, void *v)
{
}

const struct seq_operations cpuinfo_op = {
	.start	= c_start,
	.next	= c_next,
	.stop	= c_stop,
	.show	= show_cpuinfo,
};
