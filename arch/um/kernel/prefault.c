// SPDX-License-Identifier: GPL-2.0
/*
 * Filling more than the faulting page.
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
 *
 * A fault in a file mapping already fills 64 KiB around it from the page
 * cache (the generic fault-around).  A program's text is touched all over,
 * so here the FILE_AROUND bytes either side are filled the same way, as
 * long as the pages are already cached (no I/O under the lock): an exec
 * of a cached binary then takes a few faults instead of dozens.  Those
 * pages cost no memory, only page-table entries and host mappings.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/percpu.h>
#include <linux/userfaultfd_k.h>
#include <linux/vmstat.h>

#include "um.h"

#define PREFAULT_MIN	4
#define PREFAULT_MAX	32
#define FILE_AROUND	(1024 * 1024)

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

static unsigned long prefault_anon(struct vm_area_struct *vma,
				   unsigned long addr)
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

static bool cached(struct vm_area_struct *vma, unsigned long addr)
{
	struct folio *folio = filemap_get_folio(vma->vm_file->f_mapping,
						linear_page_index(vma, addr));
	bool ok;

	if (IS_ERR(folio))
		return false;
	ok = folio_test_uptodate(folio);
	folio_put(folio);
	return ok;
}

static void fill_file(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end)
{
	unsigned long a;

	for (a = start; a < end; a += PAGE_SIZE) {
		pte_t *pte = uml_pte_lookup(vma->vm_mm, a);

		if (pte && !pte_none(*pte))
			continue;
		if (!cached(vma, a))
			continue;
		/* a read fault: fault-around maps its block from the cache */
		if (handle_mm_fault(vma, a, FAULT_FLAG_USER, NULL) &
		    VM_FAULT_ERROR)
			return;
	}
}

/**
 * uml_fault_ahead() - fill more than the page of a handled fault
 * @vma:   the area of the fault; its mm's mmap_lock is held for reading
 * @addr:  the faulting address
 * @fault: what handle_mm_fault() returned for it (no error)
 * @start, @end: the range to push to the host, widened to what was filled
 */
void uml_fault_ahead(struct vm_area_struct *vma, unsigned long addr,
		     vm_fault_t fault, unsigned long *start, unsigned long *end)
{
	unsigned long page = addr & PAGE_MASK, s, e;

	if (vma_is_anonymous(vma)) {
		*end = max(*end, prefault_anon(vma, addr));
		return;
	}
	if (!vma->vm_file || !vma->vm_ops || !vma->vm_ops->map_pages ||
	    (fault & VM_FAULT_MAJOR) || userfaultfd_armed(vma))
		return;
	s = max(vma->vm_start, page - min(page, FILE_AROUND));
	e = min(vma->vm_end, page + FILE_AROUND);
	fill_file(vma, s, e);
	*start = min(*start, s);
	*end = max(*end, e);
}
