/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Devices that can be configured at run time.
 *
 * A device kind (ubd, con, ssl, eth, ...) registers one struct uml_dev_kind.
 * Its hooks take the same text as the command line, without the kind's
 * name: for "ubd1r=disk.img" the kind "ubd" gets "1r=disk.img".  The
 * kind's own command-line handling should call the same config hook, so
 * that hot-plug through the management console and boot-time
 * configuration are one code path.
 */
#ifndef __UM_UMDEV_H
#define __UM_UMDEV_H

#include <linux/list.h>

struct seq_buf;

/**
 * struct uml_dev_kind - a kind of device the management console drives
 * @name:       the option prefix: "ubd", "con", "ssl", "eth"
 * @config:     add or change a device from "N[flags]=SPEC"; 0 or -errno,
 *              with a message for the user in @msg (at most @len bytes)
 *              on failure, or an answer on success (e.g. the pty's name)
 * @get_config: write the current setting of device "N" to @msg; 0 or
 *              -errno (-ENODEV when there is no such device)
 * @remove:     remove device "N"; -EBUSY (with a message) while in use
 * @winch:      optional: the host sent SIGWINCH (a host terminal may have
 *              a new size); called in interrupt context
 * @flush:      optional: the machine ends (halt, power off, restart,
 *              panic): write out what the devices hold, without sleeping
 * @stats:      optional: the kind's "key=value" lines of the management
 *              console's stats command (its devices' counters); may sleep
 * @node:       on the list of kinds (kernel/umdev.c)
 *
 * @config, @get_config and @remove may sleep and are called from process
 * context.  A kind with @winch or @flush registers before it needs them.
 */
struct uml_dev_kind {
	const char *name;
	int (*config)(const char *spec, char *msg, size_t len);
	int (*get_config)(const char *dev, char *msg, size_t len);
	int (*remove)(const char *dev, char *msg, size_t len);
	void (*winch)(struct uml_dev_kind *kind);
	void (*flush)(struct uml_dev_kind *kind);
	void (*stats)(struct uml_dev_kind *kind, struct seq_buf *s);
	struct list_head node;
};

/** uml_dev_register() - make a kind known to the management console */
void uml_dev_register(struct uml_dev_kind *kind);

/**
 * uml_dev_find() - the kind whose name starts @arg
 * @arg: "ubd1=..." or "ssl3"; the longest matching name wins
 * Return: the kind, or NULL.
 */
struct uml_dev_kind *uml_dev_find(const char *arg);

/** uml_dev_winch() - call every kind's @winch (from the SIGWINCH IRQ) */
void uml_dev_winch(void);

/** uml_dev_flush() - call every kind's @flush (the machine ends) */
void uml_dev_flush(void);

/** uml_dev_stats() - every kind's @stats lines into @s (process context) */
void uml_dev_stats(struct seq_buf *s);

#endif
