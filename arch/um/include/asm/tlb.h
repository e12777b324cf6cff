/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmu_gather: the generic one, flushing through asm/tlbflush.h.
 *
 * Page-table pages freed while unmapping are queued on the gather like any
 * page and freed after the flush.  Each runs its table destructor first,
 * exactly as pte_free()/pmd_free()/pud_free() would: that clears the page
 * type, frees a split page-table lock and takes the page off the
 * NR_PAGETABLE counter.  Without it the page would reach the page
 * allocator still typed as a page table (and counted in PageTables).
 */
#ifndef __UM_TLB_H
#define __UM_TLB_H

#include <asm/tlbflush.h>
#include <asm-generic/tlb.h>

static inline void __pte_free_tlb(struct mmu_gather *tlb, pgtable_t pte,
				  unsigned long addr)
{
	struct ptdesc *ptdesc = page_ptdesc(pte);

	pagetable_pte_dtor(ptdesc);
	tlb_remove_page_ptdesc(tlb, ptdesc);
}

static inline void __pmd_free_tlb(struct mmu_gather *tlb, pmd_t *pmd,
				  unsigned long addr)
{
	struct ptdesc *ptdesc = virt_to_ptdesc(pmd);

	pagetable_pmd_dtor(ptdesc);
	tlb_remove_page_ptdesc(tlb, ptdesc);
}

static inline void __pud_free_tlb(struct mmu_gather *tlb, pud_t *pud,
				  unsigned long addr)
{
	struct ptdesc *ptdesc = virt_to_ptdesc(pud);

	pagetable_pud_dtor(ptdesc);
	tlb_remove_page_ptdesc(tlb, ptdesc);
}

#endif
