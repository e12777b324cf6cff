// SPDX-License-Identifier: GPL-2.0
/*
 * The console on the host's standard input and output.
 *
 * printk goes to stdout from the first line printed (the console is
 * registered from setup_arch()); it is named "tty", so console=tty selects
 * it.  /dev/console and /dev/tty0 are a tty on the same pair: output is
 * written to stdout, input comes from stdin through SIGIO.  When stdin is a
 * terminal it is put in raw mode for as long as the kernel runs, so the
 * guest's line discipline echoes, edits and turns Ctrl-C into SIGINT.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/major.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <asm/fdirq.h>
#include <asm/setup.h>
#include <host/console.h>
#include <host/irq.h>
#include <host/process.h>

static struct tty_driver *stdio_driver;
static struct tty_port stdio_port;
static int stdin_fd = -1;

static void stdio_console_write(struct console *con, const char *s,
				unsigned int len)
{
	host_console_write(s, len);
}

static struct tty_driver *stdio_console_device(struct console *c, int *index)
{
	*index = 0;
	return stdio_driver;
}

static struct console stdio_console = {
	.name	= "tty",
	.write	= stdio_console_write,
	.device	= stdio_console_device,
	.flags	= CON_PRINTBUFFER | CON_ANYTIME,
	.index	= -1,
};

/* registered from setup_arch(), so it prints from the first line on */
void __init uml_console_early_init(void)
{
	register_console(&stdio_console);
}

static ssize_t stdio_write(struct tty_struct *tty, const u8 *buf, size_t n)
{
	host_console_write(buf, n);
	return n;
}

static unsigned int stdio_write_room(struct tty_struct *tty)
{
	return 4096;
}

static int stdio_open(struct tty_struct *tty, struct file *filp)
{
	return tty_port_open(&stdio_port, tty, filp);
}

static void stdio_close(struct tty_struct *tty, struct file *filp)
{
	tty_port_close(&stdio_port, tty, filp);
}

static const struct tty_operations stdio_ops = {
	.open		= stdio_open,
	.close		= stdio_close,
	.write		= stdio_write,
	.write_room	= stdio_write_room,
};

static const struct tty_port_operations stdio_port_ops = {
};

static irqreturn_t stdio_interrupt(int irq, void *dev)
{
	char buf[256];
	long n;

	while ((n = host_console_read(buf, sizeof(buf))) > 0)
		tty_insert_flip_string(&stdio_port, buf, n);
	tty_flip_buffer_push(&stdio_port);
	if (n == 0) {
		/* end of input: nothing more will come, stop watching */
		host_fd_irq_del(stdin_fd);
	}
	return IRQ_HANDLED;
}

static int __init stdio_init(void)
{
	struct tty_driver *driver;
	int err;

	driver = tty_alloc_driver(1, TTY_DRIVER_REAL_RAW |
				  TTY_DRIVER_RESET_TERMIOS);
	if (IS_ERR(driver))
		return PTR_ERR(driver);
	driver->driver_name = "stdio";
	driver->name = "tty";
	driver->major = TTY_MAJOR;
	driver->minor_start = 0;
	driver->type = TTY_DRIVER_TYPE_CONSOLE;
	driver->subtype = SYSTEM_TYPE_CONSOLE;
	driver->init_termios = tty_std_termios;
	tty_set_operations(driver, &stdio_ops);

	tty_port_init(&stdio_port);
	stdio_port.ops = &stdio_port_ops;
	tty_port_link_device(&stdio_port, driver, 0);
	err = tty_register_driver(driver);
	if (err) {
		tty_driver_kref_put(driver);
		tty_port_destroy(&stdio_port);
		return err;
	}
	stdio_driver = driver;

	stdin_fd = host_console_open();
	if (stdin_fd < 0)
		return 0;	/* output only */
	err = uml_request_fd_irq(stdin_fd, CONSOLE_IRQ, stdio_interrupt,
				 "console", &stdio_port);
	if (err)
		pr_warn("console: no input from stdin (%d)\n", err);
	return 0;
}
device_initcall(stdio_init);
