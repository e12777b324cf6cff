// SPDX-License-Identifier: GPL-2.0
/*
 * The management console: a unix datagram socket in the machine's
 * directory (~/.uml/UMID/mconsole) speaking the classic mconsole protocol
 * (<uml/mconsole_proto.h>), so that uml_mconsole, ours or the
 * classic one, drives the machine from the host.
 *
 * The socket's IRQ (MCONSOLE_IRQ) reads every waiting datagram, checks
 * it and answers the few commands that are safe in interrupt context
 * (version, help, log, go) at once; the others are queued, at most
 * MC_QUEUE_MAX of them, for an ordered workqueue that runs them in
 * process context one after the other.  Each command is one function of
 * the table mc_commands[].  "stop" runs on that workqueue too: with
 * interrupts off it serves the socket alone until "go", the other CPUs
 * asleep on the host (mc_freeze_here()), so no guest process runs and no
 * timer fires meanwhile, and the guest's clocks leave the pause out
 * (uml_clock_pause()/uml_clock_resume()).
 *
 * Answers longer than one packet go out in parts with "more" set.  In
 * process context a part the client cannot take yet (its socket queue
 * is full) is retried for up to two seconds, so even an unconnected
 * client gets the whole answer.
 */
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/kmsg_dump.h>
#include <linux/list.h>
#include <linux/mount.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/proc_fs.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/sysrq.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/workqueue.h>
#include <linux/seq_buf.h>
#include <asm/fdirq.h>
#include <asm/hosting.h>
#include <asm/setup.h>
#include <asm/umdev.h>
#include <host/cpu.h>
#include <host/irq.h>
#include <host/mconsole.h>
#include <host/options.h>
#include <host/umid.h>
#include <host/user.h>
#include <uml/mconsole_proto.h>

#define MC_QUEUE_MAX	32	/* requests waiting for the workqueue */
#define MC_QUEUE_PEER	4	/* ... of them from one client */
#define MC_IRQ_BUDGET	64	/* datagrams one interrupt reads at most */
#define MC_TEXT		(MCONSOLE_MAX_DATA - 1)	/* text in one part */
#define MC_PROC_MAX	(1 << 20)	/* bytes of a /proc file we relay */
#define MC_REQ_HDR	offsetof(struct mconsole_request, data)

struct mc_request;

/**
 * struct mc_command - one command of the console
 * @name:  the first word of the request
 * @fn:    answers the request (every path answers exactly once)
 * @flags: MC_NOW: safe in interrupt context, answered at once;
 *         MC_GO_FIRST: needs the machine running (refused while stopped)
 */
struct mc_command {
	const char *name;
	void (*fn)(struct mc_request *r);
	unsigned int flags;
};

#define MC_NOW		0x1
#define MC_GO_FIRST	0x2

/**
 * struct mc_request - a request and the answer being built for it
 * @node:     on mc_queue while it waits for the workqueue
 * @peer:     the client's address
 * @cmd:      the command it names
 * @args:     the text after the command word, spaces skipped
 * @can_sleep: the answer may wait for the client (process context)
 * @wait_us:  how long the answer may still wait for a slow client
 * @parts:    parts sent so far
 * @dead:     the client is gone; the rest of the answer is dropped
 * @outlen:   bytes waiting in @out
 * @out:      the part being filled
 * @data:     the request's text, NUL-terminated
 */
struct mc_request {
	struct list_head node;
	struct host_mc_peer peer;
	const struct mc_command *cmd;
	char *args;
	bool can_sleep;
	unsigned int wait_us;
	unsigned int parts;
	bool dead;
	unsigned int outlen;
	char out[MCONSOLE_MAX_DATA];
	char data[MCONSOLE_MAX_DATA];
};

static int mc_fd = -1;
static char mc_path[256];
static char mc_notify_path[256];
static bool mc_stopped;

static LIST_HEAD(mc_queue);
static unsigned int mc_queued;
static bool mc_more_waiting;	/* the IRQ left datagrams for the work */
static DEFINE_SPINLOCK(mc_lock);
static struct workqueue_struct *mc_wq;
static void mc_work_fn(struct work_struct *w);
static DECLARE_WORK(mc_work, mc_work_fn);

/* ---- answers ---- */

/* the last client that did not read its answers in time */
static struct host_mc_peer mc_slow_peer;

static bool mc_same_peer(const struct host_mc_peer *a,
			 const struct host_mc_peer *b)
{
	return a->len && a->len == b->len && !memcmp(a->addr, b->addr, a->len);
}

static void mc_send_part(struct mc_request *r, int err, bool more)
{
	struct mconsole_reply rep;
	unsigned long len;
	int ret;

	if (r->dead)
		return;
	rep.err = r->parts ? 0 : err;
	rep.more = more;
	memcpy(rep.data, r->out, r->outlen);
	rep.data[r->outlen] = '\0';
	rep.len = r->outlen + 1;
	len = MCONSOLE_REPLY_HDR + rep.len;
	r->outlen = 0;
	r->parts++;

	for (;;) {
		ret = host_mconsole_send(mc_fd, &rep, len, &r->peer);
		if (ret != -EAGAIN || !r->wait_us)
			break;
		/* the client's queue is full: let it read, within reason */
		if (r->can_sleep) {
			usleep_range(500, 1000);
			r->wait_us -= min(r->wait_us, 1000U);
		} else {
			host_mconsole_sleep_us(100);
			r->wait_us -= min(r->wait_us, 100U);
		}
	}
	if (ret == -EAGAIN) {
		/* it does not read: its next requests will not wait for it */
		mc_slow_peer = r->peer;
	} else if (!ret && mc_same_peer(&r->peer, &mc_slow_peer)) {
		mc_slow_peer.len = 0;
	}
	if (ret)
		r->dead = true;
}

/* add text to the answer; full parts go out with "more" set */
static void mc_put(struct mc_request *r, const char *s, size_t len)
{
	while (len) {
		size_t n = min_t(size_t, len, MC_TEXT - r->outlen);

		memcpy(r->out + r->outlen, s, n);
		r->outlen += n;
		s += n;
		len -= n;
		if (r->outlen == MC_TEXT && len)
			mc_send_part(r, 0, true);
	}
}

static void mc_puts(struct mc_request *r, const char *s)
{
	mc_put(r, s, strlen(s));
}

/* the last part: @err is 0 for "OK", 1 or -errno for "ERR" */
static void mc_done(struct mc_request *r, int err)
{
	mc_send_part(r, err, false);
}

static void mc_answer(struct mc_request *r, int err, const char *text)
{
	mc_puts(r, text);
	mc_done(r, err);
}

/*
 * Relay what the kernel logged since @iter was set up: the output of a
 * SysRq or a stack dump, without the time stamps.
 */
static void mc_relay_log(struct mc_request *r, struct kmsg_dump_iter *iter)
{
	static char line[1024];	/* callers are serialised by the workqueue */
	struct kmsg_dump_iter end;
	size_t len;

	/* what was logged until now, not what others keep logging */
	kmsg_dump_rewind(&end);
	while (iter->cur_seq < end.next_seq &&
	       kmsg_dump_get_line(iter, false, line, sizeof(line), &len)) {
		char *s = line;

		if (len && s[0] == '[') {
			char *e = memchr(s, ']', len);

			if (e && e + 1 < s + len && e[1] == ' ') {
				len -= e + 2 - s;
				s = e + 2;
			}
		}
		mc_put(r, s, len);
	}
}

static void mc_log_mark(struct kmsg_dump_iter *iter)
{
	kmsg_dump_rewind(iter);
	iter->cur_seq = iter->next_seq;
}

/* ---- commands ---- */

static void mc_version(struct mc_request *r)
{
	char buf[sizeof(struct new_utsname)];
	struct new_utsname *u = utsname();

	snprintf(buf, sizeof(buf), "%s %s %s %s %s", u->sysname, u->nodename,
		 u->release, u->version, u->machine);
	mc_answer(r, 0, buf);
}

static const char mc_help_text[] =
	"Commands:\n"
	"    version - the kernel's name, release and build\n"
	"    help - this list\n"
	"    halt - halt the machine (disks are synced first)\n"
	"    reboot - restart the machine (disks are synced first)\n"
	"    config <dev>=<config> - add a device, as on the command line\n"
	"    config <dev> - show how a device is configured\n"
	"    remove <dev> - remove a device that is not in use\n"
	"    sysrq <letter> - run the SysRq action of that letter\n"
	"    cad - send Ctrl-Alt-Del to init\n"
	"    stop - pause the machine until 'go'\n"
	"    go - resume a stopped machine\n"
	"    log <text> - put a line into the kernel log\n"
	"    proc <file> - the contents of /proc/<file>\n"
	"    stack <pid> - the kernel stack of a task\n"
	"    stats - what the machine used, one key=value line each\n"
	"    config mem=[+|-]<size> - resize the machine's memory\n"
	"    config tasks=<n> - cap the guest's tasks (0: no cap)\n";

static void mc_help(struct mc_request *r)
{
	mc_answer(r, 0, mc_help_text);
}

static void mc_halt(struct mc_request *r)
{
	mc_answer(r, 0, "");
	ksys_sync();
	kernel_halt();
}

static void mc_reboot(struct mc_request *r)
{
	mc_answer(r, 0, "");
	ksys_sync();
	kernel_restart(NULL);
}

/* "ubd1=file" or "ubd1": the device kind, or an error answer */
static struct uml_dev_kind *mc_dev_kind(struct mc_request *r, const char *bad)
{
	struct uml_dev_kind *kind = *r->args ? uml_dev_find(r->args) : NULL;

	if (!kind)
		mc_answer(r, 1, bad);
	return kind;
}

/*
 * Call @hook of @kind with the request's text after the kind's name and
 * answer what it says; "@kind devices cannot be @cannot" without a hook.
 */
static void mc_dev_call(struct mc_request *r, struct uml_dev_kind *kind,
			int (*hook)(const char *arg, char *msg, size_t len),
			const char *cannot)
{
	char *msg = kzalloc(MCONSOLE_MAX_DATA, GFP_KERNEL);
	int err;

	if (!msg) {
		mc_answer(r, -ENOMEM, "out of memory");
		return;
	}
	err = hook ? hook(r->args + strlen(kind->name), msg, MC_TEXT) :
		-EOPNOTSUPP;
	if (err == -EOPNOTSUPP && !*msg)
		snprintf(msg, MC_TEXT, "%s devices cannot be %s", kind->name,
			 cannot);
	msg[MC_TEXT - 1] = '\0';
	if (err && !*msg)
		snprintf(msg, MC_TEXT, "%s failed: error %d", r->args, err);
	mc_answer(r, err, msg);
	kfree(msg);
}

static void mc_config(struct mc_request *r)
{
	struct uml_dev_kind *kind = mc_dev_kind(r, "Bad configuration option");

	if (!kind)
		return;
	if (strchr(r->args + strlen(kind->name), '='))
		mc_dev_call(r, kind, kind->config, "added at run time");
	else
		mc_dev_call(r, kind, kind->get_config, "queried");
}

static void mc_remove(struct mc_request *r)
{
	struct uml_dev_kind *kind = mc_dev_kind(r, "Bad remove option");

	if (kind)
		mc_dev_call(r, kind, kind->remove, "removed at run time");
}

static void mc_sysrq(struct mc_request *r)
{
	struct kmsg_dump_iter iter;

	mc_log_mark(&iter);
	/* the host's administrator may use every key, whatever the mask */
	__handle_sysrq(*r->args ? r->args[0] : ' ', false);
	mc_relay_log(r, &iter);
	mc_done(r, 0);
}

static void mc_cad(struct mc_request *r)
{
	ctrl_alt_del();
	mc_answer(r, 0, "");
}

static void mc_stop(struct mc_request *r);

static void mc_go(struct mc_request *r)
{
	/* "go" of a stopped machine is taken by the loop in mc_stop() */
	mc_answer(r, 1, "Not stopped");
}

static void mc_log(struct mc_request *r)
{
	size_t n = strlen(r->args);

	while (n && (r->args[n - 1] == '\n' || r->args[n - 1] == '\r'))
		r->args[--n] = '\0';
	pr_info("%s\n", r->args);
	mc_answer(r, 0, "");
}

static struct vfsmount *mc_proc_mount(void)
{
	static struct vfsmount *mnt;
	struct file_system_type *t;

	if (mnt)
		return mnt;
	t = get_fs_type("proc");
	if (!t)
		return ERR_PTR(-ENODEV);
	mnt = kern_mount(t);
	put_filesystem(t);
	if (IS_ERR(mnt)) {
		struct vfsmount *err = mnt;

		mnt = NULL;
		return err;
	}
	return mnt;
}

static void mc_proc(struct mc_request *r)
{
	struct vfsmount *mnt = mc_proc_mount();
	const char *path = r->args;
	struct file *f;
	loff_t pos = 0;
	size_t total = 0;
	char *buf;
	ssize_t n;

	while (*path == '/')
		path++;
	if (IS_ERR(mnt)) {
		mc_answer(r, PTR_ERR(mnt), "no /proc in this kernel");
		return;
	}
	f = file_open_root_mnt(mnt, *path ? path : ".", O_RDONLY | O_NONBLOCK,
			       0);
	if (IS_ERR(f)) {
		mc_answer(r, 1, "Failed to open file");
		return;
	}
	buf = kmalloc(MC_TEXT, GFP_KERNEL);
	if (!buf) {
		fput(f);
		mc_answer(r, -ENOMEM, "out of memory");
		return;
	}
	n = kernel_read(f, buf, MC_TEXT, &pos);
	if (n < 0) {
		mc_answer(r, 1, "Read of file failed");
	} else {
		mc_puts(r, "\n");
		while (n > 0 && !r->dead) {
			mc_put(r, buf, n);
			total += n;
			if (total >= MC_PROC_MAX)
				break;
			n = kernel_read(f, buf, MC_TEXT, &pos);
		}
		mc_done(r, 0);
	}
	kfree(buf);
	fput(f);
}

static void mc_stack(struct mc_request *r)
{
	struct kmsg_dump_iter iter;
	struct task_struct *t;
	int pid;

	if (kstrtoint(r->args, 10, &pid) || pid <= 0) {
		mc_answer(r, 1, "Please specify a pid");
		return;
	}
	t = find_get_task_by_vpid(pid);
	if (!t) {
		mc_answer(r, 1, "Couldn't find that pid");
		return;
	}
	mc_log_mark(&iter);
	sched_show_task(t);
	put_task_struct(t);
	mc_relay_log(r, &iter);
	mc_done(r, 0);
}

/* what the machine used, one "key=value" line each (kernel/stats.c) */
static void mc_stats(struct mc_request *r)
{
	struct seq_buf s;
	char *buf;

	if (*r->args) {
		mc_answer(r, 1, "stats takes no arguments");
		return;
	}
	buf = kmalloc(PAGE_SIZE * 4, GFP_KERNEL);
	if (!buf) {
		mc_answer(r, -ENOMEM, "out of memory");
		return;
	}
	seq_buf_init(&s, buf, PAGE_SIZE * 4);
	uml_stats(&s);
	mc_put(r, buf, seq_buf_used(&s));
	mc_done(r, 0);
	kfree(buf);
}

static const struct mc_command mc_commands[] = {
	{ "version",	mc_version,	MC_NOW },
	{ "help",	mc_help,	MC_NOW },
	{ "halt",	mc_halt,	MC_GO_FIRST },
	{ "reboot",	mc_reboot,	MC_GO_FIRST },
	{ "config",	mc_config,	MC_GO_FIRST },
	{ "remove",	mc_remove,	MC_GO_FIRST },
	{ "sysrq",	mc_sysrq,	0 },
	{ "cad",	mc_cad,		0 },
	{ "stop",	mc_stop,	0 },
	{ "go",		mc_go,		MC_NOW },
	{ "log",	mc_log,		MC_NOW },
	{ "proc",	mc_proc,	0 },
	{ "stack",	mc_stack,	0 },
	{ "stats",	mc_stats,	0 },
};

/* ---- reading requests ---- */

/*
 * Read one datagram and check it.  Returns 1 with @r ready to run, 0
 * when the datagram was answered with an error or dropped, -EAGAIN when
 * there was none.
 */
static int mc_read_request(struct mc_request *r)
{
	struct mconsole_request req;
	const struct mc_command *c;
	struct host_mc_peer peer;
	size_t n, i;
	char *w;
	long got;

	got = host_mconsole_recv(mc_fd, &req, sizeof(req), &peer);
	if (got < 0)
		return got == -EAGAIN ? -EAGAIN : 0;
	memset(r, 0, offsetof(struct mc_request, out));
	r->peer = peer;
	/* too short to be a request, or not the protocol at all: drop */
	if (got < (long)MC_REQ_HDR || req.magic != MCONSOLE_MAGIC)
		return 0;
	if (req.version != MCONSOLE_VERSION) {
		snprintf(r->out, MC_TEXT,
			 "protocol version %u is not spoken here (only %d)",
			 req.version, MCONSOLE_VERSION);
		r->outlen = strlen(r->out);
		mc_done(r, 1);
		return 0;
	}
	if (req.len >= MCONSOLE_MAX_DATA ||
	    req.len > got - MC_REQ_HDR) {
		mc_answer(r, 1, "Bad request: length past the packet");
		return 0;
	}
	memcpy(r->data, req.data, req.len);
	r->data[req.len] = '\0';

	w = skip_spaces(r->data);
	n = strcspn(w, " \t\n");
	for (i = 0; i < ARRAY_SIZE(mc_commands); i++) {
		c = &mc_commands[i];
		if (strlen(c->name) == n && !strncmp(w, c->name, n))
			break;
	}
	if (i == ARRAY_SIZE(mc_commands)) {
		mc_answer(r, 1, "Unknown command");
		return 0;
	}
	r->cmd = c;
	r->args = skip_spaces(w + n);
	if (c->fn != mc_log) {
		/* other commands take words: drop a trailing newline */
		n = strlen(r->args);
		while (n && isspace(r->args[n - 1]))
			r->args[--n] = '\0';
	}
	return 1;
}

/* requests of this client waiting; interrupts are off */
static unsigned int mc_queued_from(const struct host_mc_peer *peer)
{
	struct mc_request *q;
	unsigned int n = 0;

	spin_lock(&mc_lock);
	list_for_each_entry(q, &mc_queue, node)
		n += mc_same_peer(&q->peer, peer);
	spin_unlock(&mc_lock);
	return n;
}

/*
 * Read what the socket holds, at most @budget datagrams: run MC_NOW
 * commands, queue the others.  Interrupts are off.  Returns true when
 * the budget ran out with datagrams maybe left.
 */
static bool mc_drain(unsigned int budget)
{
	static struct mc_request now;	/* interrupts off: never nested */
	struct mc_request *r;
	int ret;

	while (budget--) {
		ret = mc_read_request(&now);
		if (ret == -EAGAIN)
			return false;
		if (ret <= 0)
			continue;
		if (now.cmd->flags & MC_NOW) {
			now.cmd->fn(&now);
			continue;
		}
		r = NULL;
		if (mc_queued < MC_QUEUE_MAX &&
		    mc_queued_from(&now.peer) < MC_QUEUE_PEER)
			r = kmalloc(sizeof(*r), GFP_ATOMIC);
		if (!r) {
			mc_answer(&now, 1, "Busy: too many requests waiting, try again");
			continue;
		}
		memcpy(r, &now, sizeof(*r));
		r->args = r->data + (now.args - now.data);
		spin_lock(&mc_lock);
		list_add_tail(&r->node, &mc_queue);
		mc_queued++;
		spin_unlock(&mc_lock);
		queue_work(mc_wq, &mc_work);
	}
	return true;
}

static irqreturn_t mc_interrupt(int irq, void *dev)
{
	if (mc_drain(MC_IRQ_BUDGET)) {
		/* a flood: let the work read on, so interrupts get a turn */
		WRITE_ONCE(mc_more_waiting, true);
		queue_work(mc_wq, &mc_work);
	}
	return IRQ_HANDLED;
}

static void mc_work_fn(struct work_struct *w)
{
	struct mc_request *r;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&mc_lock, flags);
		r = list_first_entry_or_null(&mc_queue, struct mc_request, node);
		if (r) {
			list_del(&r->node);
			mc_queued--;
		}
		spin_unlock_irqrestore(&mc_lock, flags);
		if (!r) {
			if (!READ_ONCE(mc_more_waiting))
				break;
			WRITE_ONCE(mc_more_waiting, false);
			local_irq_save(flags);
			if (mc_drain(MC_IRQ_BUDGET))
				WRITE_ONCE(mc_more_waiting, true);
			local_irq_restore(flags);
			cond_resched();
			continue;
		}
		r->can_sleep = true;
		r->wait_us = mc_same_peer(&r->peer, &mc_slow_peer) ? 0 : 2000000;
		r->cmd->fn(r);
		kfree(r);
		cond_resched();
	}
}

/* ---- stop and go ---- */

static void mc_adjust_wall_clock(struct work_struct *w);
static DECLARE_WORK(mc_wall_work, mc_adjust_wall_clock);
static atomic64_t mc_paused_ns = ATOMIC64_INIT(0);

/* after a pause, CLOCK_REALTIME catches up with the world again */
static void mc_adjust_wall_clock(struct work_struct *w)
{
	struct timespec64 now;

	ktime_get_real_ts64(&now);
	timespec64_add_ns(&now, atomic64_xchg(&mc_paused_ns, 0));
	do_settimeofday64(&now);
}

/*
 * With interrupts off, serve the socket and nothing else until "go".
 * Requests queued before "stop" wait until after it.  Commands that need
 * the machine running are refused, except halt and reboot, which resume
 * it and then run.
 */
/* set while stopped: the other CPUs sleep on it (mc_freeze_here()) */
static int mc_frozen;

/*
 * Another CPU, in an IPI with interrupts off: stop the guest it runs,
 * if any (its process stops at the kick and stays stopped), and sleep on
 * the host until "go".
 */
static void mc_freeze_here(void *unused)
{
	if (uml_self_read(in_user))
		host_user_kick(current->thread.host.pid);
	host_mconsole_freeze(&mc_frozen);
}

static void mc_stop(struct mc_request *r)
{
	struct mc_request *req = kmalloc(sizeof(*req), GFP_KERNEL);
	const struct mc_command *after = NULL;
	unsigned long flags;
	int ret;

	if (!req) {
		mc_answer(r, -ENOMEM, "out of memory");
		return;
	}
	mc_answer(r, 0, "stopped");
	pr_info("mconsole: stopped\n");

	/* every other CPU sleeps too: no guest process runs anywhere */
	WRITE_ONCE(mc_frozen, 1);
	smp_call_function(mc_freeze_here, NULL, 0);
	local_irq_save(flags);
	uml_clock_pause();
	mc_stopped = true;
	while (mc_stopped) {
		if (uml_self_read(irqs_pending) & UML_SIG_TERM) {
			/* the host asks for a power-off: let it happen */
			pr_info("mconsole: SIGTERM while stopped, going on\n");
			break;
		}
		ret = mc_read_request(req);
		if (ret == -EAGAIN) {
			/*
			 * A SIGTERM that lands between the check above and
			 * the poll only marks itself pending and does not end
			 * the poll: wake up now and then to see it.
			 */
			host_mconsole_wait(mc_fd, 100);
			continue;
		}
		if (ret <= 0)
			continue;
		req->can_sleep = false;
		req->wait_us = 200000;
		if (req->cmd->fn == mc_go) {
			mc_answer(req, 0, "");
			mc_stopped = false;
		} else if (req->cmd->fn == mc_stop) {
			mc_answer(req, 1, "Already stopped");
		} else if (req->cmd->fn == mc_halt || req->cmd->fn == mc_reboot) {
			mc_stopped = false;
			after = req->cmd;
		} else if (req->cmd->flags & MC_GO_FIRST) {
			mc_answer(req, 1, "The machine is stopped: 'go' first");
		} else {
			req->cmd->fn(req);
		}
	}
	mc_stopped = false;
	atomic64_add(uml_clock_resume(), &mc_paused_ns);
	host_mconsole_thaw(&mc_frozen);
	local_irq_restore(flags);
	pr_info("mconsole: running again\n");
	schedule_work(&mc_wall_work);
	if (after) {
		req->can_sleep = true;
		req->wait_us = 2000000;
		after->fn(req);
	}
	kfree(req);
}

/* ---- notifications: mconsole=notify:SOCKET ---- */

static const char *mc_notify_check(const char *val)
{
	if (strncmp(val, "notify:", 7))
		return "the only setting is notify:SOCKET";
	if (!val[7])
		return "notify: needs a socket path";
	if (strlen(val + 7) >= 108)
		return "socket path longer than 107 bytes";
	return NULL;
}

UML_OPTION(mconsole, "mconsole=", "mconsole=notify:SOCKET",
	   "announce the management console, panics and halts on SOCKET",
	   mc_notify_check);

static int __init mc_notify_setup(char *str)
{
	if (!mc_notify_check(str))
		strscpy(mc_notify_path, str + 7, sizeof(mc_notify_path));
	return 1;
}
__setup("mconsole=", mc_notify_setup);

static void mc_notify(enum mconsole_notify_type type, const char *text,
		      size_t len)
{
	struct mconsole_notify n;

	if (!mc_notify_path[0])
		return;
	len = min_t(size_t, len, MC_TEXT);
	n.magic = MCONSOLE_MAGIC;
	n.version = MCONSOLE_VERSION;
	n.type = type;
	memcpy(n.data, text, len);
	n.data[len] = '\0';
	n.len = len + 1;
	host_mconsole_notify(mc_notify_path, &n, MCONSOLE_NOTIFY_HDR + n.len);
}

static int mc_panic_event(struct notifier_block *nb, unsigned long ev,
			  void *msg)
{
	if (msg)
		mc_notify(MCONSOLE_PANIC, msg, strlen(msg));
	return NOTIFY_DONE;
}

static struct notifier_block mc_panic_nb = {
	.notifier_call = mc_panic_event,
	.priority = INT_MAX,	/* before anything that could stop the panic */
};

static int mc_reboot_event(struct notifier_block *nb, unsigned long ev,
			   void *unused)
{
	if (ev == SYS_HALT)
		mc_notify(MCONSOLE_HANG, "halt", 4);
	else if (ev == SYS_POWER_OFF)
		mc_notify(MCONSOLE_HANG, "power off", 9);
	return NOTIFY_DONE;
}

static struct notifier_block mc_reboot_nb = {
	.notifier_call = mc_reboot_event,
};

/* a guest process writes to /proc/mconsole: a "user" notification */
static ssize_t mc_proc_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	char text[MC_TEXT];
	size_t n = min_t(size_t, count, sizeof(text));

	if (copy_from_user(text, buf, n))
		return -EFAULT;
	mc_notify(MCONSOLE_USER_NOTIFY, text, n);
	return count;
}

static const struct proc_ops mc_proc_ops = {
	.proc_write	= mc_proc_write,
	.proc_lseek	= noop_llseek,
};

/* ---- start ---- */

static int __init mconsole_init(void)
{
	int fd, err;

	atomic_notifier_chain_register(&panic_notifier_list, &mc_panic_nb);
	register_reboot_notifier(&mc_reboot_nb);
	proc_create("mconsole", 0200, NULL, &mc_proc_ops);

	mc_wq = alloc_ordered_workqueue("mconsole", 0);
	if (!mc_wq)
		return -ENOMEM;
	err = host_umid_path("mconsole", mc_path, sizeof(mc_path));
	if (err) {
		pr_err("mconsole: socket path too long\n");
		return err;
	}
	fd = host_mconsole_open(mc_path);
	if (fd < 0) {
		pr_err("mconsole: cannot bind %s: error %d\n", mc_path, fd);
		return fd;
	}
	mc_fd = fd;
	err = uml_request_fd_irq(fd, MCONSOLE_IRQ, mc_interrupt, "mconsole",
				 &mc_fd);
	if (err) {
		pr_err("mconsole: no IRQ (%d)\n", err);
		host_mconsole_close(fd, mc_path);
		mc_fd = -1;
		return err;
	}
	if (host_umid_generated())
		pr_info("mconsole: umid %s (made up: give umid=NAME to choose one)\n",
			host_umid_name());
	pr_info("mconsole: listening on %s\n", mc_path);
	mc_notify(MCONSOLE_SOCKET, mc_path, strlen(mc_path));
	return 0;
}
late_initcall(mconsole_init);
