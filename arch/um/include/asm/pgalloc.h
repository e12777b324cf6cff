/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_PGALLOC_H
#define __UM_PGALLOC_H

#include <linux/mm.h>
#include <asm-generic/pgalloc.h>

static inline void pmd_populate_kernel(struct mm_struct *mm, pmd_t *pmd,
				       pte_t *pte)
{
	set_pmd(pmd, __pmd(_PAGE_TABLE | __pa(pte)));
}

static inline void pmd_populate(struct mm_struct *mm, pmd_t *pmd,
				pgtable_t pte)
{
	set_pmd(pmd, __pmd(_PAGE_TABLE | page_to_phys(pte)));
}

static inline void pud_populate(struct mm_struct *mm, pud_t *pud, pmd_t *pmd)
{
	set_pud(pud, __pud(_PAGE_TABLE | __pa(pmd)));
}

static inline void p4d_populate(struct mm_struct *mm, p4d_t *p4d, pud_t *pud)
{
	set_p4d(p4d, __p4d(_PAGE_TABLE | __pa(pud)));
}

extern pgd_t *pgd_alloc(struct mm_struct *mm);

/*
 * Tables freed while unmapping (__pte_free_tlb() and friends) go through
 * the mmu_gather: asm/tlb.h.
 */

#endif
