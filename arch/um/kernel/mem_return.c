// SPDX-License-Identifier: GPL-2.0
/*
 * Memory the guest frees goes back to the host.
 *
 * The port registers as a free page reporting device (mm/page_reporting.c):
 * some seconds after free blocks of at least UML_RETURN_ORDER pages build
 * up in the page allocator, the core takes them off the free lists in
 * batches and hands them here; each becomes a hole in the physical-memory
 * file (host_physmem_discard()), so the host frees its pages.  The block
 * stays on its free list marked as reported and is not handed again until
 * it has been allocated and freed once more; when it is used again the
 * host gives it fresh zeroed pages on first touch.
 *
 * The core works through a fraction of each free list per pass and waits
 * two seconds between passes, which would take half a minute to return a
 * large free.  While passes keep finding memory, the port runs the next
 * one at once (uml_return_kick()): a freed gigabyte is back with the host
 * within about three seconds, and a machine with nothing to return runs
 * no pass at all.
 */
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/page_reporting.h>
#include <linux/printk.h>
#include <linux/scatterlist.h>
#include <linux/workqueue.h>
#include <asm/hosting.h>
#include <host/mem.h>

/* 1 MiB: smaller free blocks stay with the guest */
#define UML_RETURN_ORDER	8
/* how soon after a pass that returned memory the next one runs */
#define UML_RETURN_AGAIN	(HZ / 20)

static atomic64_t uml_returned = ATOMIC64_INIT(0);
static struct page_reporting_dev_info uml_prdev;

u64 uml_mem_returned_bytes(void)
{
	return atomic64_read(&uml_returned);
}

/*
 * The pass that just reported memory has asked for another one (its work
 * is queued, two seconds away): run it now.  While the pass is still
 * running, look again a little later.
 */
static void uml_return_kick_fn(struct work_struct *w);
static DECLARE_DELAYED_WORK(uml_return_kick, uml_return_kick_fn);

static void uml_return_kick_fn(struct work_struct *w)
{
	if (delayed_work_pending(&uml_prdev.work))
		mod_delayed_work(system_freezable_wq, &uml_prdev.work, 0);
	else if (work_busy(&uml_prdev.work.work) & WORK_BUSY_RUNNING)
		schedule_delayed_work(&uml_return_kick, UML_RETURN_AGAIN);
}

static int uml_return_report(struct page_reporting_dev_info *prdev,
			     struct scatterlist *sgl, unsigned int nents)
{
	struct scatterlist *sg;
	unsigned int i;
	int err;

	for_each_sg(sgl, sg, nents, i) {
		unsigned long phys = page_to_pfn(sg_page(sg)) << PAGE_SHIFT;

		err = host_physmem_discard(phys + sg->offset, sg->length);
		if (err) {
			pr_warn_ratelimited("mem: cannot give memory back to the host: error %d\n",
					    err);
			return err;
		}
		atomic64_add(sg->length, &uml_returned);
	}
	schedule_delayed_work(&uml_return_kick, UML_RETURN_AGAIN);
	return 0;
}

static int __init uml_return_init(void)
{
	struct page *page;
	int err;

	/* a hole reads as zeroes, not as the poison the allocator checks */
	if (page_poisoning_enabled_static()) {
		pr_info("mem: page poisoning is on: freed memory stays with the machine\n");
		return 0;
	}
	/* a host file system that cannot make holes: say so, keep the memory */
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	err = host_physmem_discard(page_to_pfn(page) << PAGE_SHIFT, PAGE_SIZE);
	__free_page(page);
	if (err) {
		pr_warn("mem: the host cannot take freed memory back (error %d); it stays with the machine\n",
			err);
		return 0;
	}
	uml_prdev.report = uml_return_report;
	uml_prdev.order = UML_RETURN_ORDER;
	err = page_reporting_register(&uml_prdev);
	if (err)
		pr_warn("mem: free page reporting: error %d\n", err);
	return 0;
}
device_initcall(uml_return_init);
