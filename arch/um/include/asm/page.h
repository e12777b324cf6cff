/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pages of the physical-memory file.
 *
 * Physical memory is one host file mapped at PAGE_OFFSET in the kernel
 * process, so a physical address is an offset into that file and the
 * linear map is a constant displacement.  The kernel image itself lies
 * outside physical memory (it is an ordinary host executable).
 */
#ifndef __UM_PAGE_H
#define __UM_PAGE_H

#include <linux/const.h>
#include <host/layout.h>

#define PAGE_SHIFT		CONFIG_PAGE_SHIFT
#define PAGE_SIZE		(_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_OFFSET		UML_PHYSMEM_BASE

#ifndef __ASSEMBLY__

#include <linux/types.h>
#include <linux/pfn.h>

struct page;

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
typedef struct { unsigned long pud; } pud_t;
typedef struct { unsigned long pgd; } pgd_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct page *pgtable_t;

#define pte_val(x)	((x).pte)
#define pmd_val(x)	((x).pmd)
#define pud_val(x)	((x).pud)
#define pgd_val(x)	((x).pgd)
#define pgprot_val(x)	((x).pgprot)

#define __pte(x)	((pte_t) { (x) })
#define __pmd(x)	((pmd_t) { (x) })
#define __pud(x)	((pud_t) { (x) })
#define __pgd(x)	((pgd_t) { (x) })
#define __pgprot(x)	((pgprot_t) { (x) })

#define clear_page(page)	memset((void *)(page), 0, PAGE_SIZE)
#define copy_page(to, from)	memcpy((void *)(to), (void *)(from), PAGE_SIZE)
#define clear_user_page(page, vaddr, pg)	clear_page(page)
#define copy_user_page(to, from, vaddr, pg)	copy_page(to, from)

#define __pa(virt)	((unsigned long)(virt) - PAGE_OFFSET)
#define __va(phys)	((void *)((unsigned long)(phys) + PAGE_OFFSET))
#define __pa_symbol(x)	__pa(RELOC_HIDE((unsigned long)(x), 0))

#define phys_to_pfn(p)	((p) >> PAGE_SHIFT)
#define pfn_to_phys(pfn) PFN_PHYS(pfn)

#define ARCH_PFN_OFFSET		0UL

#define virt_to_pfn(kaddr)	(__pa(kaddr) >> PAGE_SHIFT)
#define virt_addr_valid(v)	pfn_valid(virt_to_pfn(v))

#include <asm-generic/memory_model.h>
#include <asm-generic/getorder.h>

#define virt_to_page(kaddr)	pfn_to_page(virt_to_pfn(kaddr))
#define page_to_phys(page)	PFN_PHYS(page_to_pfn(page))

#endif /* __ASSEMBLY__ */

#define VM_DATA_DEFAULT_FLAGS	VM_DATA_FLAGS_TSK_EXEC

#endif /* __UM_PAGE_H */
