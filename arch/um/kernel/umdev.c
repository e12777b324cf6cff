// SPDX-License-Identifier: GPL-2.0
/*
 * The list of device kinds that can be configured at run time
 * (asm/umdev.h); the management console looks them up by name.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <asm/umdev.h>

static LIST_HEAD(uml_dev_kinds);
static DEFINE_MUTEX(uml_dev_lock);

void uml_dev_register(struct uml_dev_kind *kind)
{
	mutex_lock(&uml_dev_lock);
	list_add_tail(&kind->node, &uml_dev_kinds);
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
