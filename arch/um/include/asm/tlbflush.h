/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "TLB" flushes: the host mappings mirror the page tables, and a flush is
 * the point where changed entries are pushed to the host.
 */
#ifndef __UM_TLBFLUSH_H
#define __UM_TLBFLUSH_H

#include <linux/mm.h>

void uml_sync_kernel_range(unsigned long start, unsigned long end);
void uml_flush_user_range(struct mm_struct *mm, unsigned long start,
			  unsigned long end);

static inline void flush_tlb_mm(struct mm_struct *mm)
{
	uml_flush_user_range(mm, 0, TASK_SIZE);
}

static inline void flush_tlb_range(struct vm_area_struct *vma,
				   unsigned long start, unsigned long end)
{
	uml_flush_user_range(vma->vm_mm, start, end);
}

static inline void flush_tlb_page(struct vm_area_struct *vma,
				  unsigned long addr)
{
	uml_flush_user_range(vma->vm_mm, addr, addr + PAGE_SIZE);
}

static inline void flush_tlb_all(void)
{
	flush_tlb_mm(current->mm);
}

static inline void flush_tlb_kernel_range(unsigned long start,
					  unsigned long end)
{
	uml_sync_kernel_range(start, end);
}

#endif
