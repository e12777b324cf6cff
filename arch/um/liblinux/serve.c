// SPDX-License-Identifier: GPL-2.0
/*
 * The library's kernel side: the end of boot, and the tasks that run the
 * application's system calls.
 *
 * Boot goes as for the VM up to init.  A late initcall mounts devtmpfs on
 * /dev and proc on /proc in the rootfs and writes /init there: a file
 * only the library's own binary format accepts.  The init task's exec of
 * it never finishes: init (pid 1) starts the first server task, tells the
 * host side the kernel is up and sleeps for good.
 *
 * Server tasks are processes without a program (user_mode_thread) that
 * share one descriptor table and one fs context, so the application's
 * threads see the files of one process.  Each takes a request from the
 * host side, runs the system call with the application's pointers, and
 * answers.  When the last idle server takes a request, it first starts
 * another, so a call that blocks (accept, a read of a pipe) never holds
 * up the others; at most LIB_MAX_SERVERS run at once.
 */
#include <linux/binfmts.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/init_syscalls.h>
#include <linux/interrupt.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <linux/wait.h>
#include <asm/fdirq.h>
#include <asm/syscall.h>
#include <asm/umdev.h>
#include <asm/unistd.h>
#include <host/lib.h>

/*
 * The application's link places the library's per-CPU data: one
 * page-aligned per-CPU object gives the section page alignment there too,
 * as the per-CPU allocator wants of __per_cpu_start.
 */
DEFINE_PER_CPU_PAGE_ALIGNED(char, uml_lib_percpu_page);

#define LIB_MAGIC	"\177liblinux-init\n"
#define LIB_MAX_SERVERS	64
/* the last of the misc range: the wake-up pipe of the host side */
#define LIB_IRQ		(MISC_IRQ_BASE + MISC_IRQ_COUNT - 1)

typedef long (*lib_call_t)(long, long, long, long, long, long);

static DECLARE_WAIT_QUEUE_HEAD(lib_wq);
static int lib_idle, lib_servers;
static bool lib_running;

static struct host_lib_req *lib_take(void)
{
	struct host_lib_req *req;
	unsigned long flags;
	int more;

	local_irq_save(flags);
	req = host_lib_take(&more);
	local_irq_restore(flags);
	if (more)
		wake_up(&lib_wq);
	return req;
}

static void lib_answer(struct host_lib_req *req, long ret)
{
	unsigned long flags;

	req->ret = ret;
	local_irq_save(flags);
	host_lib_done(req);
	local_irq_restore(flags);
}

/*
 * liblinux_config(): the device kinds' own config/remove hooks, the same
 * code the VM's management console drives.  The strings are the
 * application's memory, readable as they are.
 */
static long lib_config(const char *spec, bool remove, char *msg, size_t len)
{
	struct uml_dev_kind *kind = uml_dev_find(spec);
	char none[1];
	int ret;

	if (!msg || !len) {
		msg = none;
		len = sizeof(none);
	}
	msg[0] = '\0';
	if (!kind) {
		snprintf(msg, len, "no device kind for \"%s\"", spec);
		return -ENODEV;
	}
	spec += strlen(kind->name);
	if (remove)
		ret = kind->remove ? kind->remove(spec, msg, len) : -EOPNOTSUPP;
	else
		ret = kind->config ? kind->config(spec, msg, len) : -EOPNOTSUPP;
	if (ret && msg[0])
		pr_warn("liblinux: %s\n", msg);
	return ret;
}

static void lib_run(struct host_lib_req *req)
{
	long nr = req->nr, *a = req->args, ret = -ENOSYS;

	if (nr == HOST_LIB_POWEROFF)
		kernel_power_off();	/* ends in host_lib_exit() */
	if (nr == HOST_LIB_CONFIG)
		ret = lib_config((const char *)a[0], a[1], (char *)a[2], a[3]);
	if (nr >= 0 && nr < NR_syscalls && sys_call_table[nr])
		ret = ((lib_call_t)sys_call_table[nr])(a[0], a[1], a[2], a[3],
							a[4], a[5]);
	/* no return to user mode to restart in: the caller sees EINTR */
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	    ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK)
		ret = -EINTR;
	if (signal_pending(current))
		flush_signals(current);
	/*
	 * What a return to user mode would run: the last fput() of a file
	 * closed here, so that a filesystem is not busy at its umount.
	 */
	if (task_work_pending(current)) {
		clear_thread_flag(TIF_NOTIFY_RESUME);
		task_work_run();
	}
	lib_answer(req, ret);
}

static int lib_server(void *unused);

static void lib_spawn(void)
{
	if (user_mode_thread(lib_server, NULL, CLONE_FS | CLONE_FILES) > 0)
		lib_servers++;
}

static int lib_server(void *unused)
{
	for (;;) {
		struct host_lib_req *req;

		lib_idle++;
		wait_event_idle(lib_wq, (req = lib_take()));
		lib_idle--;
		if (!lib_idle && lib_servers < LIB_MAX_SERVERS)
			lib_spawn();
		lib_run(req);
	}
	return 0;
}

static irqreturn_t lib_irq(int irq, void *dev)
{
	host_lib_drain();
	wake_up(&lib_wq);
	return IRQ_HANDLED;
}

/* init's exec of /init: serve, and never come back */
static int lib_load_binary(struct linux_binprm *bprm)
{
	int err;

	if (memcmp(bprm->buf, LIB_MAGIC, sizeof(LIB_MAGIC) - 1) ||
	    lib_running || !is_global_init(current))
		return -ENOEXEC;
	lib_running = true;

	err = uml_request_fd_irq(host_lib_fd(), LIB_IRQ, lib_irq, "liblinux",
				 NULL);
	if (err)
		panic("liblinux: cannot take the request pipe's IRQ: %d\n",
		      err);
	/* no signal stops a server: SIGPIPE on a socket is the call's EPIPE */
	ignore_signals(current);
	lib_spawn();
	host_lib_booted();
	for (;;) {
		set_current_state(TASK_IDLE);
		schedule();
	}
	return 0;
}

static struct linux_binfmt lib_format = {
	.load_binary	= lib_load_binary,
};

static int __init lib_boot(void)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	insert_binfmt(&lib_format);
	init_mkdir("/dev", 0755);
	init_mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	init_mkdir("/proc", 0555);
	init_mount("proc", "/proc", "proc", 0, NULL);

	f = filp_open("/init", O_WRONLY | O_CREAT | O_TRUNC, 0700);
	if (IS_ERR(f))
		panic("liblinux: cannot write /init: %ld\n", PTR_ERR(f));
	n = kernel_write(f, LIB_MAGIC, sizeof(LIB_MAGIC) - 1, &pos);
	/* now: init, which never returns to user mode, exec's it next */
	__fput_sync(f);
	if (n != sizeof(LIB_MAGIC) - 1)
		panic("liblinux: cannot write /init: %zd\n", n);
	return 0;
}
late_initcall(lib_boot);
