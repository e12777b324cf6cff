// SPDX-License-Identifier: GPL-2.0
/*
 * The cap on guest tasks: "tasks=N" on the command line, "config tasks=N"
 * on the management console (0: no cap).
 *
 * Every task that is not a kernel thread (guest processes and threads,
 * init, the kernel's user-mode helpers) is counted from copy_thread()
 * until its task structure is freed (arch_release_task_struct()), so a
 * zombie counts until it is reaped.  A fork or clone past the cap fails
 * with EAGAIN, whoever asks: the cap lives in the port, below anything
 * the guest's root can change (threads-max, RLIMIT_NPROC, the pids
 * cgroup only ever lower it).  Lowering the cap below the tasks running
 * ends none of them; it only stops new ones.
 *
 * A task is counted if copy_thread() passed it: arch_dup_task_struct()
 * clears thread.sp and only copy_thread() sets it, so a fork that fails
 * earlier is not uncounted when its structure is freed.
 */
#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <asm/hosting.h>
#include <asm/umdev.h>
#include <host/options.h>

#define TASKS_LIMIT	4194304		/* PID_MAX_LIMIT */

static atomic_t tasks_now = ATOMIC_INIT(0);
static unsigned int tasks_peak;
static unsigned int tasks_max;

int uml_task_charge(struct task_struct *p)
{
	unsigned int max = READ_ONCE(tasks_max);
	unsigned int n;

	if (p->flags & PF_KTHREAD)
		return 0;
	n = atomic_inc_return(&tasks_now);
	if (max && n > max) {
		atomic_dec(&tasks_now);
		return -EAGAIN;
	}
	if (n > READ_ONCE(tasks_peak))
		WRITE_ONCE(tasks_peak, n);
	return 0;
}

void uml_task_uncharge(struct task_struct *p)
{
	if (p->thread.sp && !(p->flags & PF_KTHREAD))
		atomic_dec(&tasks_now);
}

void uml_tasks_usage(unsigned int *now, unsigned int *peak, unsigned int *max)
{
	*now = atomic_read(&tasks_now);
	*peak = READ_ONCE(tasks_peak);
	*max = READ_ONCE(tasks_max);
}

/* "N": the cap, or NULL with @err set */
static const char *tasks_parse(const char *s, unsigned int *n)
{
	unsigned long v = 0;

	if (*s < '0' || *s > '9')
		return "not a number of tasks (write tasks=N, 0 for no cap)";
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (v > TASKS_LIMIT)
			return "too many tasks (at most 4194304; 0 for no cap)";
	}
	if (*s)
		return "not a number of tasks (write tasks=N, 0 for no cap)";
	*n = v;
	return NULL;
}

static const char *tasks_check(const char *arg)
{
	unsigned int n;

	return tasks_parse(arg, &n);
}

UML_OPTION(tasks, "tasks=", "tasks=N",
	   "at most N guest tasks at once (processes and threads; 0: no cap)",
	   tasks_check);

static int __init tasks_setup(char *arg)
{
	unsigned int n;

	if (!tasks_parse(arg, &n))
		tasks_max = n;
	return 1;
}
__setup("tasks=", tasks_setup);

static int tasks_config(const char *spec, char *msg, size_t len)
{
	const char *err;
	unsigned int n;

	if (*spec++ != '=') {
		snprintf(msg, len, "write tasks=N (0 for no cap)");
		return -EINVAL;
	}
	err = tasks_parse(spec, &n);
	if (err) {
		snprintf(msg, len, "tasks: '%s' is %s", spec, err);
		return -EINVAL;
	}
	WRITE_ONCE(tasks_max, n);
	snprintf(msg, len, "tasks=%u", n);
	return 0;
}

static int tasks_get_config(const char *dev, char *msg, size_t len)
{
	unsigned int now, peak, max;

	if (*dev) {
		snprintf(msg, len, "no device 'tasks%s': write 'config tasks'",
			 dev);
		return -ENODEV;
	}
	uml_tasks_usage(&now, &peak, &max);
	snprintf(msg, len, "tasks=%u (%u running, at most %u at once)", max,
		 now, peak);
	return 0;
}

static struct uml_dev_kind tasks_kind = {
	.name = "tasks",
	.config = tasks_config,
	.get_config = tasks_get_config,
};

static int __init tasks_init(void)
{
	uml_dev_register(&tasks_kind);
	return 0;
}
device_initcall(tasks_init);
