// SPDX-License-Identifier: GPL-2.0
/*
 * Anonymous memory filled ahead of sequential faults.
 *
 * A guest page fault costs two trips to the guest's host process (the
 * fault stop, the stub call that maps the page) where hardware pays one
 * exception.  A program that writes through fresh memory page after page
 * pays that for every page.  When a fault in a private anonymous area
 * lands on the page just past the previous fault's (or its fill's) end,
 * the pages after it are faulted in too, as writes, and go to the host in
 * the same batch as the faulting page.  The window starts at
 * PREFAULT_MIN pages and doubles with each sequential fault up to
 * PREFAULT_MAX; any other fault resets it, so random access fills
 * nothing.  This is readahead for anonymous memory: the cost is at most
 * PREFAULT_MAX pages a stream touches late or never.
 *
 * The stream is followed per CPU (the faults a CPU handles come from the
 * guests it runs); a fault of another mm starts over.
 */
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/userfaultfd_k.h>
#include <linux/vmstat.h>

#include "um.h"

#define PREFAULT_MIN	4
#define PREFAULT_MAX	32

struct fault_stream {
	struct mm_struct *mm;	/* only compared, never followed */
	unsigned long next;	/* page after the last fault and its fill */
	unsigned int window;	/* pages filled at that fault */
};

static DEFINE_PER_CPU(struct fault_stream, fault_stream);

/* room left: never fill ahead when memory is getting short */
static bool memory_plentiful(void)
{
	return global_zone_page_state(NR_FREE_PAGES) > totalram_pages() / 8;
}

/**
 * uml_prefault_anon() - fill pages after a write fault in anonymous memory
 * @vma:  the area of the fault; its mm's mmap_lock is held for reading
 * @addr: the faulting address, already handled
 *
 * Return: the end of what was filled (the fault's page end if nothing).
 */
unsigned long uml_prefault_anon(struct vm_area_struct *vma, unsigned long addr)
{
	struct fault_stream *fs = get_cpu_ptr(&fault_stream);
	unsigned long page = addr & PAGE_MASK, a, end;
	unsigned int window = 0;

	if (fs->mm == vma->vm_mm && page == fs->next)
		window = fs->window ? min(fs->window * 2, PREFAULT_MAX) :
			 PREFAULT_MIN;
	fs->mm = vma->vm_mm;
	fs->window = window;
	end = page + PAGE_SIZE;
	fs->next = end;
	put_cpu_ptr(&fault_stream);
	if (!window || !vma_is_anonymous(vma) || !(vma->vm_flags & VM_WRITE) ||
	    (vma->vm_flags & VM_SHARED) || userfaultfd_armed(vma) ||
	    !memory_plentiful())
		return end;

	for (a = end; a < vma->vm_end && a < end + window * PAGE_SIZE;
	     a += PAGE_SIZE) {
		pte_t *pte = uml_pte_lookup(vma->vm_mm, a);

		if (pte && !pte_none(*pte))
			break;		/* already there: the stream met memory */
		/* no FAULT_FLAG_ALLOW_RETRY: the mmap_lock stays held */
		if (handle_mm_fault(vma, a, FAULT_FLAG_WRITE | FAULT_FLAG_USER,
				    NULL) & VM_FAULT_ERROR)
			break;
	}
	fs = get_cpu_ptr(&fault_stream);
	if (fs->mm == vma->vm_mm)
		fs->next = a;
	put_cpu_ptr(&fault_stream);
	return a;
}
