// SPDX-License-Identifier: GPL-2.0
/*
 * The list of device kinds that can be configured at run time
 * (asm/umdev.h); the management console looks them up by name, the core
 * calls their SIGWINCH and end-of-machine hooks without naming them.
 * Kinds are only ever added: the hooks walk the list under RCU, from
 * interrupt context and from a panic.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/string.h>
#include <asm/umdev.h>

static LIST_HEAD(uml_dev_kinds);
static DEFINE_MUTEX(uml_dev_lock);

void uml_dev_register(struct uml_dev_kind *kind)
{
	mutex_lock(&uml_dev_lock);
	list_add_tail_rcu(&kind->node, &uml_dev_kinds);
	mutex_unlock(&uml_dev_lock);
}

struct uml_dev_kind *uml_dev_find(const char *arg)
{
	struct uml_dev_kind *k, *best = NULL;

	mutex_lock(&uml_dev_lock);
	list_for_each_entry(k, &uml_dev_kinds, node) {
		size_t n = strlen(k->name);

		if (!strncmp(arg, k->name, n) &&
		    (!best || n > strlen(best->name)))
			best = k;
	}
	mutex_unlock(&uml_dev_lock);
	return best;
}

void uml_dev_winch(void)
{
	struct uml_dev_kind *k;

	rcu_read_lock();
	list_for_each_entry_rcu(k, &uml_dev_kinds, node)
		if (k->winch)
			k->winch(k);
	rcu_read_unlock();
}

void uml_dev_flush(void)
{
	struct uml_dev_kind *k;

	rcu_read_lock();
	list_for_each_entry_rcu(k, &uml_dev_kinds, node)
		if (k->flush)
			k->flush(k);
	rcu_read_unlock();
}

void uml_dev_stats(struct seq_buf *s)
{
	struct uml_dev_kind *k;

	mutex_lock(&uml_dev_lock);
	list_for_each_entry(k, &uml_dev_kinds, node)
		if (k->stats)
			k->stats(k, s);
	mutex_unlock(&uml_dev_lock);
}
