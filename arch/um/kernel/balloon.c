// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's memory resized while it runs: the management console's
 * "config mem=SIZE", "config mem=+SIZE" and "config mem=-SIZE".
 *
 * A balloon inside the port: shrinking takes pages from the page
 * allocator (reclaiming caches if needed, never invoking the OOM killer),
 * gives them to the host (host_physmem_discard()) and takes them off the
 * machine's total (adjust_managed_page_count()), so the guest's MemTotal
 * falls; growing hands them back.  The machine never grows past the
 * mem= it booted with.  A shrink that cannot find enough free memory
 * gives back what it took and changes nothing.
 */
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <asm/hosting.h>
#include <asm/umdev.h>
#include <host/boot.h>
#include <host/mem.h>

/* the balloon takes pages in blocks of up to 2 MiB */
#define BALLOON_ORDER	9
/* the smallest machine "config mem" makes */
#define BALLOON_FLOOR	(32UL << 20)

static LIST_HEAD(balloon_pages);		/* page->private: the order */
static unsigned long balloon_nr;		/* pages in the balloon */
static DEFINE_MUTEX(balloon_lock);

u64 uml_balloon_bytes(void)
{
	return (u64)READ_ONCE(balloon_nr) << PAGE_SHIFT;
}

static void balloon_release(struct list_head *list)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		unsigned int order = page_private(page);

		list_del(&page->lru);
		set_page_private(page, 0);
		adjust_managed_page_count(page, 1L << order);
		__free_pages(page, order);
	}
}

/* take @nr more pages; all or nothing */
static int balloon_inflate(unsigned long nr)
{
	const gfp_t gfp = GFP_HIGHUSER | __GFP_NORETRY | __GFP_NOWARN |
			  __GFP_NOMEMALLOC;
	unsigned int order = BALLOON_ORDER;
	unsigned long got = 0;
	LIST_HEAD(taken);
	struct page *page;

	while (got < nr) {
		while (order && (1UL << order) > nr - got)
			order--;
		page = alloc_pages(gfp, order);
		if (!page) {
			if (!order)
				break;
			order--;
			continue;
		}
		set_page_private(page, order);
		list_add(&page->lru, &taken);
		adjust_managed_page_count(page, -(1L << order));
		host_physmem_discard(page_to_pfn(page) << PAGE_SHIFT,
				     PAGE_SIZE << order);
		got += 1UL << order;
		cond_resched();
	}
	if (got < nr) {
		balloon_release(&taken);
		return -ENOMEM;
	}
	list_splice(&taken, &balloon_pages);
	balloon_nr += got;
	return 0;
}

/* give back @nr pages (the balloon has at least that many) */
static void balloon_deflate(unsigned long nr)
{
	LIST_HEAD(back);
	struct page *page;
	unsigned long n = 0, i;

	while (n < nr && !list_empty(&balloon_pages)) {
		unsigned int order;

		page = list_first_entry(&balloon_pages, struct page, lru);
		order = page_private(page);
		/* a block larger than what is left to give: single pages */
		if (n + (1UL << order) > nr) {
			split_page(page, order);
			for (i = 1; i < (1UL << order); i++) {
				set_page_private(page + i, 0);
				list_add(&page[i].lru, &page->lru);
			}
			set_page_private(page, 0);
			order = 0;
		}
		list_move(&page->lru, &back);
		n += 1UL << order;
	}
	balloon_nr -= n;
	balloon_release(&back);
}

static unsigned long balloon_size(void)
{
	return uml_physmem_size - (balloon_nr << PAGE_SHIFT);
}

static int balloon_get_config(const char *dev, char *msg, size_t len)
{
	if (*dev) {
		snprintf(msg, len, "no device 'mem%s': write 'config mem'", dev);
		return -ENODEV;
	}
	mutex_lock(&balloon_lock);
	snprintf(msg, len, "%luM (booted with mem=%luM)", balloon_size() >> 20,
		 uml_physmem_size >> 20);
	mutex_unlock(&balloon_lock);
	return 0;
}

static int balloon_config(const char *spec, char *msg, size_t len)
{
	unsigned long long size, target;
	char sign = 0;
	char *end;
	int err;

	if (*spec++ != '=') {
		snprintf(msg, len, "write mem=SIZE, mem=+SIZE or mem=-SIZE");
		return -EINVAL;
	}
	if (*spec == '+' || *spec == '-')
		sign = *spec++;
	if (*spec < '0' || *spec > '9') {
		snprintf(msg, len, "mem: '%s' is not a size (a number with an optional K, M or G)",
			 spec);
		return -EINVAL;
	}
	size = memparse(spec, &end);
	if (*end) {
		snprintf(msg, len, "mem: '%s' is not a size (a number with an optional K, M or G)",
			 spec);
		return -EINVAL;
	}
	mutex_lock(&balloon_lock);
	target = balloon_size();
	if (sign == '+')
		target = size > uml_physmem_size ? ULLONG_MAX : target + size;
	else if (sign == '-')
		target = size > target ? 0 : target - size;
	else
		target = size;
	if (target <= uml_physmem_size)
		target = PAGE_ALIGN(target);
	if (target > uml_physmem_size) {
		snprintf(msg, len, "mem: the machine cannot grow past the mem=%luM it booted with (now %luM)",
			 uml_physmem_size >> 20, balloon_size() >> 20);
		err = -EINVAL;
	} else if (target < BALLOON_FLOOR) {
		snprintf(msg, len, "mem: the machine cannot shrink below %luM (now %luM)",
			 BALLOON_FLOOR >> 20, balloon_size() >> 20);
		err = -EINVAL;
	} else if (target < balloon_size()) {
		err = balloon_inflate((balloon_size() - target) >> PAGE_SHIFT);
		if (err)
			snprintf(msg, len, "mem: the guest is using the memory: cannot shrink to %lluM (still %luM)",
				 target >> 20, balloon_size() >> 20);
	} else {
		balloon_deflate((target - balloon_size()) >> PAGE_SHIFT);
		err = 0;
	}
	if (!err)
		snprintf(msg, len, "mem=%luM", balloon_size() >> 20);
	mutex_unlock(&balloon_lock);
	return err;
}

static struct uml_dev_kind balloon_kind = {
	.name = "mem",
	.config = balloon_config,
	.get_config = balloon_get_config,
};

static int __init balloon_init(void)
{
	uml_dev_register(&balloon_kind);
	return 0;
}
device_initcall(balloon_init);
