/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page tables: four levels of 512 entries over 4 KiB pages (48-bit
 * virtual addresses), the same shape as the x86_64 guests expect.
 *
 * Nothing walks these in hardware.  The kernel's own addresses are host
 * addresses; init_mm's tables describe vmalloc space, which the port
 * mirrors into the kernel process (uml_sync_kernel_range(), kernel/mem.c).
 * A guest mm's tables are mirrored into the guest's host process by the
 * ptrace layer.
 *
 * A pte holds the physical address of the page and these software bits.
 */
#ifndef __UM_PGTABLE_H
#define __UM_PGTABLE_H

#include <asm/page.h>
#include <linux/mm_types.h>
#include <host/layout.h>

#ifndef __ASSEMBLY__
#include <asm-generic/pgtable-nop4d.h>
#endif

#define _PAGE_PRESENT	0x001
#define _PAGE_RW	0x002
#define _PAGE_USER	0x004
#define _PAGE_EXEC	0x008
#define _PAGE_ACCESSED	0x020
#define _PAGE_DIRTY	0x040
#define _PAGE_NEEDSYNC	0x080	/* changed since last mirrored to the host */
#define _PAGE_PROTNONE	0x100	/* present to mm, inaccessible to the guest */
#define _PAGE_SPECIAL	0x200
#define _PAGE_UFFD_WP	0x400	/* userfaultfd write-protected (never writable) */

#define PFN_PTE_SHIFT	PAGE_SHIFT
#define __HAVE_ARCH_PTE_SAME

#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
			 _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_CHG_MASK	(PAGE_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | \
			 _PAGE_SPECIAL | _PAGE_UFFD_WP)

#define PGDIR_SHIFT	39
#define PUD_SHIFT	30
#define PMD_SHIFT	21
#define PTRS_PER_PGD	512
#define PTRS_PER_PUD	512
#define PTRS_PER_PMD	512
#define PTRS_PER_PTE	512
#define PGDIR_SIZE	(1UL << PGDIR_SHIFT)
#define PGDIR_MASK	(~(PGDIR_SIZE - 1))
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PUD_MASK	(~(PUD_SIZE - 1))
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))

#define USER_PTRS_PER_PGD	((TASK_SIZE + PGDIR_SIZE - 1) / PGDIR_SIZE)
#define FIRST_USER_ADDRESS	0UL

#define VMALLOC_START	UML_VMALLOC_START
#define VMALLOC_END	UML_VMALLOC_END
#define MODULES_VADDR	VMALLOC_START
#define MODULES_END	VMALLOC_END

#define PAGE_NONE	__pgprot(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_SHARED	__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
				 _PAGE_ACCESSED)
#define PAGE_SHARED_EXEC __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
				 _PAGE_ACCESSED | _PAGE_EXEC)
#define PAGE_COPY	__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_COPY_EXEC	__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | \
				 _PAGE_EXEC)
#define PAGE_READONLY	PAGE_COPY
#define PAGE_READONLY_EXEC PAGE_COPY_EXEC
#define PAGE_KERNEL	__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_DIRTY | \
				 _PAGE_ACCESSED)
#define PAGE_KERNEL_EXEC __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_DIRTY | \
				 _PAGE_ACCESSED | _PAGE_EXEC)
#define PAGE_KERNEL_RO	__pgprot(_PAGE_PRESENT | _PAGE_ACCESSED)

#ifndef __ASSEMBLY__

extern pgd_t swapper_pg_dir[PTRS_PER_PGD];
extern unsigned long empty_zero_page;
#define ZERO_PAGE(vaddr)	virt_to_page(empty_zero_page)

/* pte: the page's physical address and the bits above */
#define pte_pfn(pte)		(pte_val(pte) >> PAGE_SHIFT)
#define pfn_pte(pfn, prot)	__pte(((pfn) << PAGE_SHIFT) | pgprot_val(prot))
#define pte_page(pte)		pfn_to_page(pte_pfn(pte))
#define mk_pte(page, prot)	pfn_pte(page_to_pfn(page), prot)

static inline int pte_none(pte_t pte) { return !(pte_val(pte) & ~_PAGE_NEEDSYNC); }
static inline int pte_present(pte_t pte)
{
	return pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE);
}
static inline int pte_read(pte_t pte) { return pte_val(pte) & _PAGE_USER; }
static inline int pte_write(pte_t pte) { return pte_val(pte) & _PAGE_RW; }
static inline int pte_exec(pte_t pte) { return pte_val(pte) & _PAGE_EXEC; }
static inline int pte_dirty(pte_t pte) { return pte_val(pte) & _PAGE_DIRTY; }
static inline int pte_young(pte_t pte) { return pte_val(pte) & _PAGE_ACCESSED; }
static inline int pte_special(pte_t pte) { return pte_val(pte) & _PAGE_SPECIAL; }
static inline int pte_needsync(pte_t pte) { return pte_val(pte) & _PAGE_NEEDSYNC; }

static inline pte_t pte_set_bits(pte_t pte, unsigned long bits)
{
	return __pte(pte_val(pte) | bits | _PAGE_NEEDSYNC);
}

static inline pte_t pte_clear_bits(pte_t pte, unsigned long bits)
{
	return __pte((pte_val(pte) & ~bits) | _PAGE_NEEDSYNC);
}

static inline pte_t pte_mkwrite_novma(pte_t pte) { return pte_set_bits(pte, _PAGE_RW); }
static inline pte_t pte_wrprotect(pte_t pte) { return pte_clear_bits(pte, _PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t pte) { return pte_set_bits(pte, _PAGE_DIRTY); }
static inline pte_t pte_mkclean(pte_t pte) { return pte_clear_bits(pte, _PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t pte) { return pte_set_bits(pte, _PAGE_ACCESSED); }
static inline pte_t pte_mkold(pte_t pte) { return pte_clear_bits(pte, _PAGE_ACCESSED); }
static inline pte_t pte_mkspecial(pte_t pte) { return __pte(pte_val(pte) | _PAGE_SPECIAL); }
static inline pte_t pte_mkexec(pte_t pte) { return pte_set_bits(pte, _PAGE_EXEC); }

#ifdef CONFIG_HAVE_ARCH_USERFAULTFD_WP
/*
 * userfaultfd write-protect: a software bit on a pte that is kept
 * read-only, so the host mirror maps the page read-only and the guest's
 * write arrives as a fault, which mm/ hands to the userfaultfd.
 */
static inline int pte_uffd_wp(pte_t pte) { return pte_val(pte) & _PAGE_UFFD_WP; }
static inline pte_t pte_mkuffd_wp(pte_t pte)
{
	return pte_wrprotect(pte_set_bits(pte, _PAGE_UFFD_WP));
}
static inline pte_t pte_clear_uffd_wp(pte_t pte)
{
	return pte_clear_bits(pte, _PAGE_UFFD_WP);
}

/* there are no huge (leaf) pmds here: the pmd forms never carry the bit */
static inline int pmd_uffd_wp(pmd_t pmd) { return 0; }
static inline pmd_t pmd_mkuffd_wp(pmd_t pmd) { return pmd; }
static inline pmd_t pmd_clear_uffd_wp(pmd_t pmd) { return pmd; }
static inline int pmd_swp_uffd_wp(pmd_t pmd) { return 0; }
static inline pmd_t pmd_swp_mkuffd_wp(pmd_t pmd) { return pmd; }
static inline pmd_t pmd_swp_clear_uffd_wp(pmd_t pmd) { return pmd; }
#endif

static inline pte_t pte_modify(pte_t pte, pgprot_t prot)
{
	return __pte((pte_val(pte) & _PAGE_CHG_MASK) | pgprot_val(prot) |
		     _PAGE_NEEDSYNC);
}

static inline int pte_same(pte_t a, pte_t b)
{
	return !((pte_val(a) ^ pte_val(b)) & ~_PAGE_NEEDSYNC);
}

static inline pgprot_t pte_pgprot(pte_t pte)
{
	return __pgprot(pte_val(pte) & ~PAGE_MASK & ~_PAGE_NEEDSYNC);
}

static inline void set_pte(pte_t *ptep, pte_t pte)
{
	*ptep = __pte(pte_val(pte) | _PAGE_NEEDSYNC);
}

static inline void pte_clear(struct mm_struct *mm, unsigned long addr,
			     pte_t *ptep)
{
	*ptep = __pte(_PAGE_NEEDSYNC);
}

/* upper levels hold the physical address of the next table */
#define pmd_none(pmd)		(!pmd_val(pmd))
#define pmd_present(pmd)	(pmd_val(pmd) & _PAGE_PRESENT)
#define pmd_bad(pmd)		((pmd_val(pmd) & ~PAGE_MASK) != _PAGE_TABLE)
#define pmd_clear(pmdp)		(*(pmdp) = __pmd(0))
#define pmd_leaf(pmd)		0
#define pmd_page(pmd)		pfn_to_page(pmd_val(pmd) >> PAGE_SHIFT)
#define pmd_pfn(pmd)		(pmd_val(pmd) >> PAGE_SHIFT)
#define pmd_page_vaddr(pmd)	((unsigned long)__va(pmd_val(pmd) & PAGE_MASK))
#define set_pmd(pmdp, pmd)	(*(pmdp) = (pmd))

#define pud_none(pud)		(!pud_val(pud))
#define pud_present(pud)	(pud_val(pud) & _PAGE_PRESENT)
#define pud_bad(pud)		((pud_val(pud) & ~PAGE_MASK) != _PAGE_TABLE)
#define pud_clear(pudp)		(*(pudp) = __pud(0))
#define pud_leaf(pud)		0
#define pud_page(pud)		pfn_to_page(pud_val(pud) >> PAGE_SHIFT)
#define pud_pfn(pud)		(pud_val(pud) >> PAGE_SHIFT)
#define pud_pgtable(pud)	((pmd_t *)__va(pud_val(pud) & PAGE_MASK))
#define set_pud(pudp, pud)	(*(pudp) = (pud))

#define p4d_none(p4d)		(!p4d_val(p4d))
#define p4d_present(p4d)	(p4d_val(p4d) & _PAGE_PRESENT)
#define p4d_bad(p4d)		((p4d_val(p4d) & ~PAGE_MASK) != _PAGE_TABLE)
#define p4d_clear(p4dp)		(*(p4dp) = __p4d(0))
#define p4d_page(p4d)		pfn_to_page(p4d_val(p4d) >> PAGE_SHIFT)
#define p4d_pgtable(p4d)	((pud_t *)__va(p4d_val(p4d) & PAGE_MASK))
#define set_p4d(p4dp, p4d)	(*(p4dp) = (p4d))

#define pgd_ERROR(e)	pr_err("%s:%d: bad pgd %016lx.\n", __FILE__, __LINE__, pgd_val(e))
#define pud_ERROR(e)	pr_err("%s:%d: bad pud %016lx.\n", __FILE__, __LINE__, pud_val(e))
#define pmd_ERROR(e)	pr_err("%s:%d: bad pmd %016lx.\n", __FILE__, __LINE__, pmd_val(e))
#define pte_ERROR(e)	pr_err("%s:%d: bad pte %016lx.\n", __FILE__, __LINE__, pte_val(e))

/*
 * swap entries: type in bits 1..5, offset above bit 12 (never present);
 * bit 9 is the exclusive mark, bit 10 the userfaultfd write-protect one
 */
#define __swp_type(x)			(((x).val >> 1) & 0x1f)
#define __swp_offset(x)			((x).val >> PAGE_SHIFT)
#define __swp_entry(type, offset)	((swp_entry_t) { ((type) << 1) | \
						((offset) << PAGE_SHIFT) })
#define __pte_to_swp_entry(pte)		((swp_entry_t) { pte_val(pte) & ~_PAGE_NEEDSYNC })
#define __swp_entry_to_pte(x)		((pte_t) { (x).val })
#define __HAVE_ARCH_PTE_SWP_EXCLUSIVE
#define _PAGE_SWP_EXCLUSIVE		_PAGE_SPECIAL
static inline int pte_swp_exclusive(pte_t pte)
{
	return pte_val(pte) & _PAGE_SWP_EXCLUSIVE;
}
static inline pte_t pte_swp_mkexclusive(pte_t pte)
{
	return __pte(pte_val(pte) | _PAGE_SWP_EXCLUSIVE);
}
static inline pte_t pte_swp_clear_exclusive(pte_t pte)
{
	return __pte(pte_val(pte) & ~_PAGE_SWP_EXCLUSIVE);
}

#ifdef CONFIG_HAVE_ARCH_USERFAULTFD_WP
/* a swapped-out page that was write-protected stays so when it comes back */
#define _PAGE_SWP_UFFD_WP		_PAGE_UFFD_WP
static inline int pte_swp_uffd_wp(pte_t pte)
{
	return pte_val(pte) & _PAGE_SWP_UFFD_WP;
}
static inline pte_t pte_swp_mkuffd_wp(pte_t pte)
{
	return __pte(pte_val(pte) | _PAGE_SWP_UFFD_WP);
}
static inline pte_t pte_swp_clear_uffd_wp(pte_t pte)
{
	return __pte(pte_val(pte) & ~_PAGE_SWP_UFFD_WP);
}
#endif

/* kernel/mem.c: a software walk, for the host mirrors and user copies */
pte_t *uml_pte_lookup(struct mm_struct *mm, unsigned long addr);

#define update_mmu_cache_range(vmf, vma, addr, ptep, nr) do { } while (0)
#define update_mmu_cache(vma, addr, ptep) do { } while (0)

#define pgprot_noncached(prot)	(prot)
#define pgprot_writecombine(prot) (prot)

#define kern_addr_valid(addr)	(1)

static inline pmd_t *pud_pgtable_k(pud_t pud) { return pud_pgtable(pud); }

#endif /* !__ASSEMBLY__ */

#endif /* __UM_PGTABLE_H */
