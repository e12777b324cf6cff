// SPDX-License-Identifier: GPL-2.0
/*
 * Lines: consoles (conN=, guest /dev/ttyN, major 4 from minor 0) and serial
 * lines (sslN=, guest /dev/ttySN, major 4 from minor 64), each a tty on a
 * host channel (host/chan.h).  One implementation for both kinds.
 *
 * Output goes into a bounded ring per line and out to the host without
 * waiting; when the host does not take it, the line watches for the
 * descriptor to become writable (SIGIO) and the ring's free space is the
 * tty's write room, so a writer is held back as by any tty and the kernel
 * never waits.  Input raises the line's IRQ and is read only while the tty
 * is open and the line discipline has room; until then it stays at the
 * host (a pipe or a socket keeps it), so nothing typed or piped ahead is
 * lost.  The end of input of a pipe or a terminal hangs the tty up once the
 * guest has read what came before it; a pty client or a telnet client
 * going away hangs it up at once, and a new one is taken when it comes.
 *
 * A pty's client coming or going raises no IRQ of the pty's own: the host
 * half watches the client side (host_chan_watch_fd()), whose IRQ makes the
 * lines ask; a line whose pty is not watched asks from its work, ten times
 * a second while nobody is there.
 *
 * IRQs: LINE_IRQ_BASE + N for conN, + 16 + N for sslN, + 32 + K for the
 * K-th listening port, + 48 for the pty clients' watch (asm/fdirq.h gives
 * the range).
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/major.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <asm/fdirq.h>
#include <asm/setup.h>
#include <asm/umdev.h>
#include <host/chan.h>
#include <host/irq.h>
#include <host/options.h>

#define NR_CON		8
#define NR_SSL		8
#define OBUF_SIZE	(128 * 1024)	/* a power of two */
#define LISTEN_IRQ_BASE	(LINE_IRQ_BASE + 32)
#define MAX_LISTENERS	16
#define WATCH_IRQ	(LINE_IRQ_BASE + 48)
#define PEER_RECHECKS	5	/* after a watch event, every 50 ms */
#define SPEC_LEN	96

struct line_kind;

struct line {
	struct line_kind *kind;
	int index;
	unsigned int irq;
	char spec[SPEC_LEN];	/* "" when not configured */
	struct host_chan chan;
	bool open;		/* the channel is open */
	bool registered;	/* /dev node made */
	bool connected;		/* bytes can flow to and from the host */
	bool active;		/* the tty is open in the guest */
	bool throttled;		/* the line discipline is full */
	bool eof;		/* input ended: hang up once it is read */
	bool in_nopoll, out_nopoll;	/* descriptors epoll cannot watch */
	int w_in, w_out;	/* what is watched now */
	int idle_checks;	/* end of input: times the reader was seen waiting */
	int peer_checks;	/* a client came or went: look again this often */
	spinlock_t lock;
	unsigned int head, tail;	/* ring indexes, free running */
	struct tty_port port;
	struct delayed_work work;
	struct work_struct winch;
	char obuf[OBUF_SIZE];
};

struct line_kind {
	const char *name;	/* option prefix */
	const char *dev;	/* guest device name */
	int minor_start, count, irq_base;
	struct line *lines;
	struct tty_driver *driver;
	struct uml_dev_kind umdev;
	struct console console;	/* printk on the kind's lines */
};

static struct line con_lines[NR_CON], ssl_lines[NR_SSL];
static DEFINE_MUTEX(line_mutex);	/* configuration of every line */
static bool irqs_ready;			/* after the initcall: IRQs usable */
static int watch_irq_fd = -1;		/* host_chan_watch_fd() with its IRQ */

static struct line_kind kinds[2] = {
	{ .name = "con", .dev = "tty", .minor_start = 0, .count = NR_CON,
	  .irq_base = LINE_IRQ_BASE, .lines = con_lines },
	{ .name = "ssl", .dev = "ttyS", .minor_start = 64, .count = NR_SSL,
	  .irq_base = LINE_IRQ_BASE + 16, .lines = ssl_lines },
};
#define CON_KIND (&kinds[0])
#define SSL_KIND (&kinds[1])

static struct listener {
	int fd;
	bool irq;
} listeners[MAX_LISTENERS];

/* every line: the consoles, then the serial lines */
#define line_for_each(l)						\
	for (int __i = 0; __i < NR_CON + NR_SSL &&			\
	     ((l) = __i < NR_CON ? &con_lines[__i] :			\
			&ssl_lines[__i - NR_CON]); __i++)

static inline unsigned int obuf_used(struct line *l)
{
	return l->head - l->tail;
}

/* --- watching the host descriptors ------------------------------------ */

/* called with l->lock held */
static void line_watch(struct line *l)
{
	int in = 0, out = 0, err;

	if (l->connected && irqs_ready) {
		if (l->active && !l->throttled && !l->eof && !l->in_nopoll)
			in = HOST_FD_IN;
		if (obuf_used(l) && !l->out_nopoll)
			out = HOST_FD_OUT;
	}
	if (l->chan.in >= 0 && l->chan.in == l->chan.out) {
		in |= out;
		out = 0;
	}
	if (l->chan.in >= 0 && in != l->w_in) {
		err = host_fd_irq_watch(l->chan.in, l->irq, in);
		if (err == -EPERM) {
			/* a regular file: always readable, read by the work */
			l->in_nopoll = true;
			if (l->chan.in == l->chan.out)
				l->out_nopoll = true;
			in = 0;
		}
		l->w_in = in;
	}
	if (l->chan.out >= 0 && l->chan.out != l->chan.in &&
	    out != l->w_out) {
		err = host_fd_irq_watch(l->chan.out, l->irq, out);
		if (err == -EPERM) {
			l->out_nopoll = true;
			out = 0;
		}
		l->w_out = out;
	}
}

static void line_unwatch(struct line *l)
{
	if (l->chan.in >= 0 && l->w_in)
		host_fd_irq_watch(l->chan.in, 0, 0);
	if (l->chan.out >= 0 && l->chan.out != l->chan.in && l->w_out)
		host_fd_irq_watch(l->chan.out, 0, 0);
	l->w_in = l->w_out = 0;
}

/* run line_work() in @delay jiffies, unless it is due sooner already */
static void line_kick(struct line *l, int delay)
{
	if (delayed_work_pending(&l->work) &&
	    time_before_eq(l->work.timer.expires, jiffies + delay))
		return;
	mod_delayed_work(system_wq, &l->work, delay);
}

/* --- the other end going away ----------------------------------------- */

/* called with l->lock held */
static void line_lost_peer(struct line *l)
{
	line_unwatch(l);
	l->connected = false;
	if (l->chan.flags & HOST_CHAN_LISTENS) {
		host_chan_close(&l->chan);
		l->tail = l->head;	/* the next client starts afresh */
	} else if (l->chan.flags & HOST_CHAN_ASK_PEER && l->chan.watch < 0) {
		line_kick(l, HZ / 10);	/* look for a new client */
	}
	tty_port_tty_hangup(&l->port, false);
}

/* called with l->lock held: input ended, or the host end failed */
static void line_end(struct line *l)
{
	if (l->chan.flags & HOST_CHAN_CLIENTS) {
		line_lost_peer(l);
		return;
	}
	if (!l->eof) {
		l->eof = true;
		l->idle_checks = 0;
		line_watch(l);
		line_kick(l, HZ / 100);
	}
}

/* --- output ----------------------------------------------------------- */

/* the ring's oldest bytes up to its end, to the host: bytes or -errno */
static long line_write_chunk(struct line *l)
{
	unsigned int off = l->tail & (OBUF_SIZE - 1);
	unsigned int n = min(obuf_used(l), OBUF_SIZE - off);
	long done = host_chan_write(&l->chan, l->obuf + off, n);

	if (done > 0)
		l->tail += done;
	return done;
}

/* called with l->lock held; returns true when room was made */
static bool line_tx(struct line *l)
{
	bool room = false;

	while (l->connected && obuf_used(l)) {
		long done = line_write_chunk(l);

		if (done > 0) {
			room = true;
			continue;
		}
		if (done == -EAGAIN || done == 0) {
			if (l->out_nopoll)
				line_kick(l, HZ / 50);
			break;
		}
		/* the reader went away: nobody will read this */
		if (l->chan.flags & HOST_CHAN_CLIENTS) {
			line_lost_peer(l);
		} else {
			l->tail = l->head;
			room = true;
		}
		break;
	}
	line_watch(l);
	return room;
}

/* --- input ------------------------------------------------------------ */

/* called with l->lock held */
static void line_rx(struct line *l)
{
	char buf[512];
	bool got = false;

	while (l->connected && l->active && !l->throttled && !l->eof) {
		unsigned int room = tty_buffer_space_avail(&l->port);
		long n;

		if (!room) {
			line_kick(l, HZ / 50);	/* the flip buffer drains */
			break;
		}
		n = host_chan_read(&l->chan, buf, min_t(unsigned int, room,
							sizeof(buf)));
		if (n > 0) {
			tty_insert_flip_string(&l->port, buf, n);
			got = true;
			continue;
		}
		if (n != -EAGAIN)
			line_end(l);
		break;
	}
	if (got)
		tty_flip_buffer_push(&l->port);
	/*
	 * The kind saw a sign of a new size (a pty line looks from its work,
	 * a terminal on fd: gets SIGWINCH).
	 */
	if (host_chan_resized(&l->chan))
		schedule_work(&l->winch);
}

static irqreturn_t line_interrupt(int irq, void *dev)
{
	struct line *l = dev;
	unsigned long flags;
	bool room;

	spin_lock_irqsave(&l->lock, flags);
	line_rx(l);
	room = line_tx(l);
	spin_unlock_irqrestore(&l->lock, flags);
	if (room)
		tty_port_tty_wakeup(&l->port);
	return IRQ_HANDLED;
}

/* a pty client came or went: every pty line looks */
static irqreturn_t watch_interrupt(int irq, void *dev)
{
	unsigned long flags;
	struct line *l;

	host_chan_watch_drain();
	line_for_each(l) {
		spin_lock_irqsave(&l->lock, flags);
		if (l->open && l->chan.flags & HOST_CHAN_ASK_PEER &&
		    l->chan.watch >= 0) {
			l->peer_checks = PEER_RECHECKS;
			line_kick(l, 0);
		}
		spin_unlock_irqrestore(&l->lock, flags);
	}
	return IRQ_HANDLED;
}

/* once the host made its watch descriptor: its IRQ; with line_mutex held */
static void watch_irq_get(void)
{
	int fd = host_chan_watch_fd();
	int err;

	if (fd < 0 || fd == watch_irq_fd)
		return;
	err = uml_request_fd_irq(fd, WATCH_IRQ, watch_interrupt, "line-watch",
				 &watch_irq_fd);
	if (err) {
		pr_err("lines: no IRQ for the pty watch (%d)\n", err);
		return;
	}
	watch_irq_fd = fd;
}

/* --- the line's work: clients that raise no IRQ, ends of input, polled files */

static void line_work(struct work_struct *w)
{
	struct line *l = container_of(to_delayed_work(w), struct line, work);
	struct tty_struct *tty;
	unsigned long flags;
	bool room, hangup = false;
	int next = 0;

	spin_lock_irqsave(&l->lock, flags);
	if (l->open && l->chan.flags & HOST_CHAN_ASK_PEER) {
		/*
		 * A pty's client coming or going raises no SIGIO on our side
		 * (the host wakes pollers but sends no signal): look for it,
		 * when the watch says so (a close is reported before the
		 * pty sees it: look again a few times), or ten times a second
		 * while nobody is there when the pty is not watched.
		 */
		if (l->connected && !host_chan_peer(&l->chan)) {
			line_lost_peer(l);
		} else if (!l->connected && host_chan_peer(&l->chan)) {
			l->connected = true;
			/* the new client's window size */
			if (l->active)
				schedule_work(&l->winch);
		}
		if (l->chan.watch < 0)
			next = l->connected ? HZ / 2 : HZ / 10;
		else if (l->peer_checks > 0) {
			l->peer_checks--;
			next = HZ / 20;
		}
	}
	line_rx(l);
	room = line_tx(l);
	if (l->connected && l->in_nopoll && l->active && !l->eof &&
	    !l->throttled)
		next = next ? min(next, HZ / 20) : HZ / 20;
	spin_unlock_irqrestore(&l->lock, flags);
	if (room)
		tty_port_tty_wakeup(&l->port);

	if (l->eof && l->active) {
		/*
		 * The input ended: hang up once the guest has read everything
		 * before the end, i.e. a reader waits for more (seen a few
		 * times, so that a reader merely passing through poll() does
		 * not count).
		 */
		tty = tty_port_tty_get(&l->port);
		if (tty && !tty_buffer_space_avail(&l->port))
			l->idle_checks = 0;
		/* a hint, not a handshake: no barrier, seen three times */
		else if (tty && waitqueue_active(&tty->read_wait))
			l->idle_checks++;
		else
			l->idle_checks = 0;
		if (tty && l->idle_checks >= 3) {
			hangup = true;
			tty_hangup(tty);
		}
		tty_kref_put(tty);
		if (tty && !hangup)
			next = next ? min(next, HZ / 100) : HZ / 100;
	}
	if (next) {
		spin_lock_irqsave(&l->lock, flags);
		line_kick(l, next);
		spin_unlock_irqrestore(&l->lock, flags);
	}
}

static void line_winch_work(struct work_struct *w)
{
	struct line *l = container_of(w, struct line, winch);
	struct winsize ws = { 0 };
	struct tty_struct *tty;

	if (!l->open ||
	    host_chan_winsize(&l->chan, &ws.ws_row, &ws.ws_col))
		return;
	tty = tty_port_tty_get(&l->port);
	if (tty) {
		tty_do_resize(tty, &ws);	/* SIGWINCH when it changed */
		tty_kref_put(tty);
	}
}

/* the kind's umdev hook: SIGWINCH, a host terminal may have a new size */
static void line_kind_winch(struct uml_dev_kind *umdev)
{
	struct line_kind *k = container_of(umdev, struct line_kind, umdev);
	int i;

	for (i = 0; i < k->count; i++)
		if (k->lines[i].open && k->lines[i].active)
			schedule_work(&k->lines[i].winch);
}

/* --- the tty ---------------------------------------------------------- */

static struct line *tty_line(struct tty_struct *tty)
{
	struct line_kind *k = tty->driver->driver_state;

	return &k->lines[tty->index];
}

static int line_activate(struct tty_port *port, struct tty_struct *tty)
{
	struct line *l = container_of(port, struct line, port);
	struct winsize ws = { 0 };
	unsigned long flags;

	if (!l->open)
		return -ENODEV;
	/* the host end's size from the first moment the tty is open */
	if (!host_chan_winsize(&l->chan, &ws.ws_row, &ws.ws_col))
		tty_do_resize(tty, &ws);
	spin_lock_irqsave(&l->lock, flags);
	l->active = true;
	l->throttled = false;
	line_rx(l);
	line_watch(l);
	if (l->eof || l->in_nopoll)
		line_kick(l, 0);
	spin_unlock_irqrestore(&l->lock, flags);
	return 0;
}

static void line_shutdown(struct tty_port *port)
{
	struct line *l = container_of(port, struct line, port);
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->active = false;
	line_watch(l);
	spin_unlock_irqrestore(&l->lock, flags);
}

static const struct tty_port_operations line_port_ops = {
	.activate	= line_activate,
	.shutdown	= line_shutdown,
};

static int line_open(struct tty_struct *tty, struct file *filp)
{
	return tty_port_open(&tty_line(tty)->port, tty, filp);
}

static void line_close(struct tty_struct *tty, struct file *filp)
{
	tty_port_close(&tty_line(tty)->port, tty, filp);
}

static void line_hangup(struct tty_struct *tty)
{
	tty_port_hangup(&tty_line(tty)->port);
}

/*
 * Queue what fits; called by the tty and by printk.  printk may come from
 * inside the line's own locked code (a warning): it gives up rather than
 * deadlock.
 */
static size_t line_queue(struct line *l, const u8 *buf, size_t n,
			 bool printk)
{
	unsigned long flags;
	size_t done = 0;
	bool room;

	if (!printk)
		spin_lock_irqsave(&l->lock, flags);
	else if (!spin_trylock_irqsave(&l->lock, flags))
		return 0;
	while (done < n && obuf_used(l) < OBUF_SIZE) {
		unsigned int off = l->head & (OBUF_SIZE - 1);
		size_t c = min3(n - done, (size_t)(OBUF_SIZE - obuf_used(l)),
				(size_t)(OBUF_SIZE - off));

		memcpy(l->obuf + off, buf + done, c);
		l->head += c;
		done += c;
	}
	room = line_tx(l);
	spin_unlock_irqrestore(&l->lock, flags);
	if (room && done < n)
		done += line_queue(l, buf + done, n - done, printk);
	return done;
}

static ssize_t line_write(struct tty_struct *tty, const u8 *buf, size_t n)
{
	return line_queue(tty_line(tty), buf, n, false);
}

static unsigned int line_write_room(struct tty_struct *tty)
{
	struct line *l = tty_line(tty);

	return OBUF_SIZE - obuf_used(l);
}

static unsigned int line_chars_in_buffer(struct tty_struct *tty)
{
	return obuf_used(tty_line(tty));
}

static void line_throttle(struct tty_struct *tty)
{
	struct line *l = tty_line(tty);
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->throttled = true;
	line_watch(l);
	spin_unlock_irqrestore(&l->lock, flags);
}

static void line_unthrottle(struct tty_struct *tty)
{
	struct line *l = tty_line(tty);
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->throttled = false;
	line_rx(l);
	line_watch(l);
	spin_unlock_irqrestore(&l->lock, flags);
}

static const struct tty_operations line_ops = {
	.open		= line_open,
	.close		= line_close,
	.hangup		= line_hangup,
	.write		= line_write,
	.write_room	= line_write_room,
	.chars_in_buffer = line_chars_in_buffer,
	.throttle	= line_throttle,
	.unthrottle	= line_unthrottle,
};

/* --- ports shared by lines --------------------------------------------- */

static struct line *free_port_line(int fd)
{
	struct line *l;

	line_for_each(l)
		if (l->open && l->chan.flags & HOST_CHAN_LISTENS &&
		    l->chan.listen == fd && !l->connected)
			return l;
	return NULL;
}

static irqreturn_t listen_interrupt(int irq, void *dev)
{
	struct listener *ls = dev;
	unsigned long flags;
	struct line *l;
	int err;

	for (;;) {
		l = free_port_line(ls->fd);
		if (!l) {
			if (host_port_refuse(ls->fd,
					     "No free line on this port of the virtual machine.\r\n"))
				break;
			continue;
		}
		spin_lock_irqsave(&l->lock, flags);
		err = host_chan_accept(&l->chan);
		if (!err) {
			l->connected = true;
			l->w_in = l->w_out = 0;
			line_rx(l);
			line_tx(l);
		}
		spin_unlock_irqrestore(&l->lock, flags);
		if (err)
			break;
		pr_info("%s%d: connection on port %s\n", l->kind->dev,
			l->index, l->chan.name);
	}
	return IRQ_HANDLED;
}

/* make the port's listening socket raise an IRQ; with line_mutex held */
static int listener_get(int fd)
{
	int i, err, free = -1;

	for (i = 0; i < MAX_LISTENERS; i++) {
		if (listeners[i].irq && listeners[i].fd == fd)
			return 0;
		if (!listeners[i].irq && free < 0)
			free = i;
	}
	if (free < 0)
		return -ENOSPC;
	listeners[free].fd = fd;
	err = uml_request_fd_irq(fd, LISTEN_IRQ_BASE + free, listen_interrupt,
				 "line-port", &listeners[free]);
	if (!err)
		listeners[free].irq = true;
	return err;
}

/* --- configuration ----------------------------------------------------- */

/* open @l's channel and start it; with line_mutex held */
static int line_start(struct line *l, char *msg, size_t len)
{
	unsigned long flags;
	const char *shown;
	int err;

	snprintf(l->chan.name, sizeof(l->chan.name), "%s%d", l->kind->dev,
		 l->index);
	err = host_chan_open(l->spec, &l->chan, msg, len);
	if (err)
		return err;
	spin_lock_irqsave(&l->lock, flags);
	l->open = true;
	l->eof = l->throttled = false;
	l->in_nopoll = l->out_nopoll = false;
	l->w_in = l->w_out = 0;
	l->connected = !(l->chan.flags & HOST_CHAN_LISTENS) &&
		host_chan_peer(&l->chan);
	spin_unlock_irqrestore(&l->lock, flags);

	if (l->chan.flags & HOST_CHAN_NAMED && msg)
		snprintf(msg, len, "%s", l->chan.name);
	if (irqs_ready) {
		if (l->chan.flags & HOST_CHAN_LISTENS) {
			err = listener_get(l->chan.listen);
			if (err)
				pr_err("%s%d: no IRQ for port %s (%d)\n",
				       l->kind->dev, l->index, l->chan.name,
				       err);
		}
		if (l->chan.flags & HOST_CHAN_ASK_PEER)
			watch_irq_get();
		spin_lock_irqsave(&l->lock, flags);
		line_tx(l);
		if (l->chan.flags & HOST_CHAN_ASK_PEER)
			line_kick(l, HZ / 10);
		spin_unlock_irqrestore(&l->lock, flags);
	}
	shown = host_chan_shown(&l->chan);
	if (shown)
		pr_info("%s%d: %s %s\n", l->kind->dev, l->index, shown,
			l->chan.name);
	return 0;
}

/* close @l's channel; with line_mutex held and the tty not open */
static void line_stop(struct line *l)
{
	unsigned long flags;

	cancel_delayed_work_sync(&l->work);
	spin_lock_irqsave(&l->lock, flags);
	line_unwatch(l);
	l->connected = false;
	l->open = false;
	host_chan_close(&l->chan);
	l->head = l->tail = 0;
	spin_unlock_irqrestore(&l->lock, flags);
}

static void line_register(struct line *l)
{
	struct device *dev;

	if (l->registered || !l->kind->driver)
		return;
	dev = tty_port_register_device(&l->port, l->kind->driver, l->index,
				       NULL);
	if (IS_ERR(dev))
		pr_err("%s%d: no device node (%ld)\n", l->kind->dev, l->index,
		       PTR_ERR(dev));
	else
		l->registered = true;
}

/*
 * "N=SPEC" or "=SPEC" (every line of the kind) -> first and last line, the
 * spec in @spec; NULL when good, else a message.  Pure: the option check
 * before boot uses it too.
 */
static const char *line_parse(int count, const char *arg, int *first,
			      int *last, const char **spec)
{
	int n = 0;

	if (*arg == '=') {
		*first = 0;
		*last = count - 1;
	} else {
		if (*arg < '0' || *arg > '9')
			return "expected a line number or '=', as in ssl0=pty";
		while (*arg >= '0' && *arg <= '9' && n < 1000)
			n = n * 10 + (*arg++ - '0');
		if (n >= count)
			return "line number too large (at most 7)";
		if (*arg != '=')
			return "expected '=' and a channel after the line number";
		*first = *last = n;
	}
	*spec = arg + 1;
	if (!**spec)
		return "no channel after '='";
	if (strlen(*spec) >= SPEC_LEN)
		return "channel spec too long";
	return NULL;
}

static int line_config(struct line_kind *k, const char *arg, char *msg,
		       size_t len)
{
	const char *spec, *err;
	int first, last, i, ret = 0;

	err = line_parse(k->count, arg, &first, &last, &spec);
	if (err) {
		snprintf(msg, len, "%s%s: %s", k->name, arg, err);
		return -EINVAL;
	}
	mutex_lock(&line_mutex);
	for (i = first; i <= last; i++) {
		struct line *l = &k->lines[i];

		if (l->open && tty_port_users(&l->port)) {
			snprintf(msg, len, "%s%d is in use", k->name, i);
			ret = -EBUSY;
			continue;
		}
		if (l->open)
			line_stop(l);
		strscpy(l->spec, spec, sizeof(l->spec));
		ret = line_start(l, msg, len);
		if (ret) {
			l->spec[0] = '\0';
			break;
		}
		line_register(l);
	}
	mutex_unlock(&line_mutex);
	return ret;
}

/* "N" -> line N of @k, or NULL */
static struct line *line_by_name(struct line_kind *k, const char *dev)
{
	int first, last;
	const char *spec;
	char buf[8];

	snprintf(buf, sizeof(buf), "%s=x", dev);
	if (line_parse(k->count, buf, &first, &last, &spec) || first != last)
		return NULL;
	return &k->lines[first];
}

static int line_get_config(struct line_kind *k, const char *dev, char *msg,
			   size_t len)
{
	struct line *l = line_by_name(k, dev);

	if (!l)
		return -ENODEV;
	mutex_lock(&line_mutex);
	if (!l->spec[0])
		snprintf(msg, len, "none");
	else if (l->open && l->chan.flags & HOST_CHAN_NAMED)
		snprintf(msg, len, "%s:%s", l->spec, l->chan.name);
	else
		snprintf(msg, len, "%s", l->spec);
	mutex_unlock(&line_mutex);
	return 0;
}

static int line_remove(struct line_kind *k, const char *dev, char *msg,
		       size_t len)
{
	struct line *l = line_by_name(k, dev);
	int ret = 0;

	if (!l)
		return -ENODEV;
	mutex_lock(&line_mutex);
	if (!l->spec[0]) {
		ret = -ENODEV;
	} else if (tty_port_users(&l->port) ||
		   (k == CON_KIND && l->index == 0)) {
		snprintf(msg, len, "%s%d is in use", k->name, l->index);
		ret = -EBUSY;
	} else {
		if (l->open)
			line_stop(l);
		if (l->registered)
			tty_unregister_device(k->driver, l->index);
		l->registered = false;
		l->spec[0] = '\0';
	}
	mutex_unlock(&line_mutex);
	return ret;
}

static int con_config(const char *s, char *m, size_t n)
{
	return line_config(CON_KIND, s, m, n);
}

static int con_get(const char *s, char *m, size_t n)
{
	return line_get_config(CON_KIND, s, m, n);
}

static int con_remove(const char *s, char *m, size_t n)
{
	return line_remove(CON_KIND, s, m, n);
}

static int ssl_config(const char *s, char *m, size_t n)
{
	return line_config(SSL_KIND, s, m, n);
}

static int ssl_get(const char *s, char *m, size_t n)
{
	return line_get_config(SSL_KIND, s, m, n);
}

static int ssl_remove(const char *s, char *m, size_t n)
{
	return line_remove(SSL_KIND, s, m, n);
}

/* --- command line ------------------------------------------------------ */

static const char *line_check(int count, const char *arg)
{
	static char msg[200];
	const char *spec, *err;
	int first, last;

	/* "con" also starts "console=": not ours */
	if (*arg != '=' && (*arg < '0' || *arg > '9'))
		return NULL;
	err = line_parse(count, arg, &first, &last, &spec);
	if (err)
		return err;
	err = host_chan_check(spec);
	if (err) {
		snprintf(msg, sizeof(msg), "%s", err);
		return msg;
	}
	return NULL;
}

static const char *con_check(const char *arg)
{
	return line_check(NR_CON, arg);
}

static const char *ssl_check(const char *arg)
{
	return line_check(NR_SSL, arg);
}

UML_OPTION(con, "con", "conN=CHANNEL, con=CHANNEL",
	   "console N (0-7, guest /dev/ttyN) on a channel: fd:N[,fd:M], null, pty, pts, tty:DEV, xterm, port:[ADDR:]PORT; con0 defaults to fd:0,fd:1",
	   con_check);
UML_OPTION(ssl, "ssl", "sslN=CHANNEL, ssl=CHANNEL",
	   "serial line N (0-7, guest /dev/ttySN) on a channel, as for con; none by default",
	   ssl_check);

/* the command line, before the lines start: only the specs are noted */
static int __init line_setup(struct line_kind *k, const char *str)
{
	const char *spec, *err;
	int first, last, i;

	err = line_parse(k->count, str, &first, &last, &spec);
	if (err) {
		pr_err("%s%s: %s\n", k->name, str, err);
		return 1;
	}
	for (i = first; i <= last; i++)
		strscpy(k->lines[i].spec, spec, SPEC_LEN);
	return 1;
}

static int __init con_setup(char *str)
{
	if (*str != '=' && (*str < '0' || *str > '9'))
		return 0;	/* console=... */
	return line_setup(CON_KIND, str);
}
__setup("con", con_setup);

static int __init ssl_setup(char *str)
{
	return line_setup(SSL_KIND, str);
}
__setup("ssl", ssl_setup);

/* --- printk ------------------------------------------------------------ */

static void line_console_write(struct console *con, const char *s,
			       unsigned int n)
{
	struct line_kind *k = con->data;
	struct line *l = &k->lines[con->index];

	if (l->open)
		line_queue(l, s, n, true);	/* what does not fit is dropped */
}

static struct tty_driver *line_console_device(struct console *con,
					      int *index)
{
	struct line_kind *k = con->data;

	*index = con->index;
	return k->driver;
}

static int line_console_setup(struct console *con, char *options)
{
	struct line_kind *k = con->data;

	if (con->index < 0)
		con->index = 0;
	return con->index < k->count && k->lines[con->index].spec[0] ?
		0 : -ENODEV;
}

/*
 * Until the lines are up, the core's boot console writes printk to the
 * host's stdout, where con0 is by default; con0=... or con=... on the
 * command line puts con0 elsewhere: then printk waits for it.
 */
static int __init con_early(char *arg)
{
	uml_boot_console_off();
	return 0;
}
early_param("con", con_early);

static int __init con0_early(char *arg)
{
	return con_early(arg);
}
early_param("con0", con0_early);

/* the kind's umdev hook: the machine ends, write out what the lines hold */
static void line_kind_flush(struct uml_dev_kind *umdev)
{
	struct line_kind *k = container_of(umdev, struct line_kind, umdev);
	struct line *l;
	int i, tries;

	for (i = 0; i < k->count; i++) {
		l = &k->lines[i];
		if (!l->open || !l->connected)
			continue;
		for (tries = 0; tries < 20 && obuf_used(l); tries++) {
			long done = line_write_chunk(l);

			if (done == -EAGAIN)
				host_chan_wait_out(&l->chan, 100);
			else if (done <= 0)
				break;
		}
	}
}

/* --- start ------------------------------------------------------------- */

static int __init line_kind_init(struct line_kind *k)
{
	struct tty_driver *d;
	int i, err;

	d = tty_alloc_driver(k->count, TTY_DRIVER_REAL_RAW |
			     TTY_DRIVER_RESET_TERMIOS |
			     TTY_DRIVER_DYNAMIC_DEV);
	if (IS_ERR(d))
		return PTR_ERR(d);
	d->driver_name = k == CON_KIND ? "console" : "serial";
	d->name = k->dev;
	d->major = TTY_MAJOR;
	d->minor_start = k->minor_start;
	d->type = k == CON_KIND ? TTY_DRIVER_TYPE_CONSOLE :
		TTY_DRIVER_TYPE_SERIAL;
	d->subtype = k == CON_KIND ? SYSTEM_TYPE_CONSOLE : SERIAL_TYPE_NORMAL;
	d->init_termios = tty_std_termios;
	d->init_termios.c_cflag |= CLOCAL;
	d->driver_state = k;
	tty_set_operations(d, &line_ops);
	for (i = 0; i < k->count; i++)
		tty_port_link_device(&k->lines[i].port, d, i);
	err = tty_register_driver(d);
	if (err) {
		tty_driver_kref_put(d);
		return err;
	}
	k->driver = d;
	return 0;
}

static void __init line_structs_init(void)
{
	struct line_kind *k;
	struct line *l;
	int i;

	for (k = kinds; k < kinds + ARRAY_SIZE(kinds); k++) {
		k->umdev.name = k->name;
		k->umdev.winch = line_kind_winch;
		k->umdev.flush = line_kind_flush;
		strscpy(k->console.name, k->dev, sizeof(k->console.name));
		k->console.write = line_console_write;
		k->console.device = line_console_device;
		k->console.setup = line_console_setup;
		k->console.flags = CON_PRINTBUFFER | CON_ANYTIME;
		k->console.index = -1;
		k->console.data = k;
		for (i = 0; i < k->count; i++) {
			l = &k->lines[i];
			l->kind = k;
			l->index = i;
			l->irq = k->irq_base + i;
			l->chan.in = l->chan.out = l->chan.listen = -1;
			spin_lock_init(&l->lock);
			tty_port_init(&l->port);
			l->port.ops = &line_port_ops;
			INIT_DELAYED_WORK(&l->work, line_work);
			INIT_WORK(&l->winch, line_winch_work);
		}
	}
	kinds[0].umdev.config = con_config;
	kinds[0].umdev.get_config = con_get;
	kinds[0].umdev.remove = con_remove;
	kinds[1].umdev.config = ssl_config;
	kinds[1].umdev.get_config = ssl_get;
	kinds[1].umdev.remove = ssl_remove;
	/* con0 is on the host's stdin and stdout unless told otherwise */
	if (!con_lines[0].spec[0])
		strscpy(con_lines[0].spec, "fd:0,fd:1", SPEC_LEN);
}

/*
 * The lines start when the consoles do (console_init(), after the command
 * line and with interrupts set up), so printk reaches con0 early.
 */
static int __init lines_init(void)
{
	char msg[160];
	struct line_kind *k;
	struct line *l;
	int err;

	line_structs_init();
	/* the kinds' hooks work from here, the end of the machine included */
	for (k = kinds; k < kinds + ARRAY_SIZE(kinds); k++)
		uml_dev_register(&k->umdev);
	mutex_lock(&line_mutex);
	irqs_ready = true;
	line_for_each(l) {
		/* every line has its IRQ, for lines added at run time too */
		err = request_irq(l->irq, line_interrupt, 0, "line", l);
		if (err) {
			pr_err("%s%d: no IRQ (%d)\n", l->kind->name, l->index,
			       err);
			continue;
		}
		if (!l->spec[0])
			continue;
		msg[0] = '\0';
		err = line_start(l, msg, sizeof(msg));
		if (err)
			pr_err("%s%d=%s: %s\n", l->kind->name, l->index,
			       l->spec, msg);
	}
	mutex_unlock(&line_mutex);
	register_console(&CON_KIND->console);
	if (strstr(boot_command_line, "console=ttyS"))
		register_console(&SSL_KIND->console);
	return 0;
}
console_initcall(lines_init);

/* drivers and /dev nodes need the driver core: a later initcall */
static int __init lines_devices_init(void)
{
	struct line_kind *k;
	struct line *l;
	int err;

	for (k = kinds; k < kinds + ARRAY_SIZE(kinds); k++) {
		err = line_kind_init(k);
		if (err)
			pr_err("%s: no tty driver (%d)\n", k->name, err);
	}
	mutex_lock(&line_mutex);
	line_for_each(l)
		if (l->spec[0])
			line_register(l);
	mutex_unlock(&line_mutex);
	return 0;
}
device_initcall(lines_devices_init);
