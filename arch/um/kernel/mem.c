// SPDX-License-Identifier: GPL-2.0
/*
 * Physical memory and the kernel's page tables.
 *
 * All of [0, uml_physmem_size) is RAM, mapped at PAGE_OFFSET by the host
 * before the kernel starts; memblock hands it out from there.  The only
 * page tables the kernel itself needs are init_mm's for vmalloc space,
 * whose entries are mirrored into the kernel process when they are made
 * (flush_cache_vmap) and dropped when the "TLB" is flushed.
 */
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/pgtable.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/vmalloc.h>
#include <asm/pgalloc.h>
#include <asm/tlbflush.h>
#include <host/mem.h>

#include "um.h"

pgd_t swapper_pg_dir[PTRS_PER_PGD] __aligned(PAGE_SIZE);
unsigned long empty_zero_page;
EXPORT_SYMBOL(empty_zero_page);

#ifdef CONFIG_UML_LIB
/*
 * The library starts a kernel in every run of a tool, and most of that
 * start is the host's page faults at the first write to each page of
 * physical memory; populating a range in one host call costs about half
 * as much per page.  Two ranges are written at once, nearly page for
 * page: the memmap, which memblock puts at the top of memory (under the
 * zero page) and free_area_init() fills, and the first 4 MiB the page
 * allocator hands out, which the slabs, kernel stacks and request maps of
 * the start fill.  A wrong guess costs the populating of pages that would
 * have been faulted in later, nothing else.
 */
#define LIB_POPULATE_FIRST	(4UL << 20)

static void __init lib_populate_memmap(void)
{
	unsigned long len = PAGE_ALIGN(max_pfn * sizeof(struct page));
	unsigned long end = PFN_PHYS(max_pfn);

	len = min(len + PAGE_SIZE, end);
	host_physmem_populate(end - len, len);
}

static void __init lib_populate_first_free(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long phys;

	if (!page)
		return;
	phys = page_to_phys(page);
	__free_page(page);
	host_physmem_populate(phys, min(LIB_POPULATE_FIRST,
					PFN_PHYS(max_pfn) - phys));
}
#else
static inline void lib_populate_memmap(void) { }
static inline void lib_populate_first_free(void) { }
#endif

void __init uml_mem_setup(unsigned long physmem_size)
{
	unsigned long zones[MAX_NR_ZONES] = { 0 };

	min_low_pfn = 0;
	max_low_pfn = physmem_size >> PAGE_SHIFT;
	max_pfn = max_low_pfn;
	set_max_mapnr(max_pfn);
	high_memory = __va(physmem_size);

	memblock_add(0, physmem_size);
	/* page 0 stays unused, so a physical address of 0 is never a page */
	memblock_reserve(0, PAGE_SIZE);

	empty_zero_page = (unsigned long)memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!empty_zero_page)
		panic("cannot allocate the zero page");

	zones[ZONE_NORMAL] = max_low_pfn;
	lib_populate_memmap();
	free_area_init(zones);
}

void __init mem_init(void)
{
	memblock_free_all();
	lib_populate_first_free();
}

/* init text and data belong to the executable, not to physical memory */
void free_initmem(void)
{
}

#ifdef CONFIG_DEBUG_PAGEALLOC
static bool pagealloc_unmapping = true;

/*
 * debug_pagealloc: a free page is made inaccessible in the kernel's view
 * of physical memory, so a kernel access to it is a host SIGSEGV in the
 * kernel process (an oops naming the culprit) rather than silent
 * corruption.  Guests map physical memory on their own and are not
 * affected.  Each hole costs the host a mapping entry: should the host
 * refuse more, all of memory is made accessible again and the check is
 * given up, since this function may not fail.
 */
void __kernel_map_pages(struct page *page, int numpages, int enable)
{
	unsigned long addr = (unsigned long)page_address(page);

	if (!pagealloc_unmapping)
		return;
	if (!host_protect(addr, numpages * PAGE_SIZE, enable))
		return;
	pagealloc_unmapping = false;
	if (host_protect(PAGE_OFFSET, max_pfn << PAGE_SHIFT, 1))
		panic("debug_pagealloc: cannot make memory accessible again");
	pr_info("debug_pagealloc: the host allows no more mappings; free pages stay mapped from now on\n");
}
#endif

pgd_t *pgd_alloc(struct mm_struct *mm)
{
	pgd_t *pgd = (pgd_t *)__get_free_page(GFP_KERNEL | __GFP_ZERO);

	return pgd;
}

/**
 * uml_pte_lookup() - the pte of @addr in @mm's page tables
 * Return: the entry, or NULL when a table on the way is missing.
 */
pte_t *uml_pte_lookup(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

static pte_t *kernel_pte(unsigned long addr)
{
	return uml_pte_lookup(&init_mm, addr);
}

/**
 * uml_sync_kernel_range() - mirror init_mm's entries for a range to the host
 * @start: first address (vmalloc space)
 * @end:   end of the range
 *
 * Present entries become shared mappings of their physical pages, others
 * become inaccessible.  Contiguous runs are mapped with one host call.
 */
void uml_sync_kernel_range(unsigned long start, unsigned long end)
{
	static DEFINE_RAW_SPINLOCK(lock);
	unsigned long addr = start & PAGE_MASK;
	unsigned long flags;

	if (start < VMALLOC_START || end > VMALLOC_END || start >= end)
		return;

	/*
	 * One CPU at a time: the lazy purge of freed vmalloc areas flushes
	 * one range over them all, live areas between included.  Without
	 * the lock, a purge on one CPU could read an entry as empty, another
	 * CPU map that entry and its page on the host, and the purge then
	 * unmap it on the host under a live entry.
	 */
	raw_spin_lock_irqsave(&lock, flags);
	while (addr < end) {
		pte_t *ptep = kernel_pte(addr);
		unsigned long run = addr, phys, prot;

		if (!ptep || !pte_present(*ptep)) {
			while (addr < end &&
			       !((ptep = kernel_pte(addr)) && pte_present(*ptep)))
				addr += PAGE_SIZE;
			host_unmap(run, addr - run);
			continue;
		}
		phys = pte_pfn(*ptep) << PAGE_SHIFT;
		prot = pte_val(*ptep) & (_PAGE_RW | _PAGE_EXEC);
		do {
			*ptep = __pte(pte_val(*ptep) & ~_PAGE_NEEDSYNC);
			addr += PAGE_SIZE;
			if (addr >= end)
				break;
			ptep = kernel_pte(addr);
		} while (ptep && pte_present(*ptep) &&
			 (pte_pfn(*ptep) << PAGE_SHIFT) == phys + (addr - run) &&
			 (pte_val(*ptep) & (_PAGE_RW | _PAGE_EXEC)) == prot);
		if (host_map_phys(run, phys, addr - run, prot & _PAGE_RW,
				  prot & _PAGE_EXEC))
			panic("cannot map vmalloc range %#lx-%#lx", run, addr);
	}
	raw_spin_unlock_irqrestore(&lock, flags);
}

static const pgprot_t protection_map[16] = {
	[VM_NONE]					= PAGE_NONE,
	[VM_READ]					= PAGE_READONLY,
	[VM_WRITE]					= PAGE_COPY,
	[VM_WRITE | VM_READ]				= PAGE_COPY,
	[VM_EXEC]					= PAGE_READONLY_EXEC,
	[VM_EXEC | VM_READ]				= PAGE_READONLY_EXEC,
	[VM_EXEC | VM_WRITE]				= PAGE_COPY_EXEC,
	[VM_EXEC | VM_WRITE | VM_READ]			= PAGE_COPY_EXEC,
	[VM_SHARED]					= PAGE_NONE,
	[VM_SHARED | VM_READ]				= PAGE_READONLY,
	[VM_SHARED | VM_WRITE]				= PAGE_SHARED,
	[VM_SHARED | VM_WRITE | VM_READ]		= PAGE_SHARED,
	[VM_SHARED | VM_EXEC]				= PAGE_READONLY_EXEC,
	[VM_SHARED | VM_EXEC | VM_READ]			= PAGE_READONLY_EXEC,
	[VM_SHARED | VM_EXEC | VM_WRITE]		= PAGE_SHARED_EXEC,
	[VM_SHARED | VM_EXEC | VM_WRITE | VM_READ]	= PAGE_SHARED_EXEC
};
DECLARE_VM_GET_PAGE_PROT
