// SPDX-License-Identifier: GPL-2.0
/*
 * Copying to and from guest memory.
 *
 * Guest pages are not mapped in the kernel process.  Each access finds
 * the page through the current mm's page tables, faulting it in with the
 * generic fault handler when it is missing or read-only, and copies
 * through the page's linear mapping.  With page faults disabled, a
 * missing page is a failure instead.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/pgtable.h>
#include <linux/hugetlb.h>

#include "um.h"

/*
 * Fault in user address @addr for a kernel access, as the fault of a guest
 * access would: lock_mm_and_find_vma() grows a stack that ends just above
 * @addr (a signal frame or a read(2) buffer below the stack pointer),
 * which fixup_user_fault() no longer does.  Returns 0 or -EFAULT.
 */
static int user_fault_in(struct mm_struct *mm, unsigned long addr, bool write)
{
	unsigned int flags = FAULT_FLAG_DEFAULT | (write ? FAULT_FLAG_WRITE : 0);
	unsigned long need = write ? VM_WRITE : VM_READ | VM_WRITE | VM_EXEC;

	for (;;) {
		struct vm_area_struct *vma = lock_mm_and_find_vma(mm, addr, NULL);
		vm_fault_t ret;

		if (!vma)
			return -EFAULT;		/* no vma, and no stack to grow */
		if (!(vma->vm_flags & need)) {
			mmap_read_unlock(mm);
			return -EFAULT;
		}
		ret = handle_mm_fault(vma, addr, flags, NULL);
		/* RETRY and COMPLETED come back with the lock dropped */
		if (ret & VM_FAULT_COMPLETED)
			return 0;
		if (!(ret & VM_FAULT_RETRY)) {
			mmap_read_unlock(mm);
			return (ret & VM_FAULT_ERROR) ? -EFAULT : 0;
		}
		if (fatal_signal_pending(current))
			return -EFAULT;
		flags |= FAULT_FLAG_TRIED;
	}
}

/*
 * With interrupts off: a reference on the page mapped at @addr, if its
 * entry allows the access, with the entry's accessed (and dirty) bits
 * set.  With guest threads on other CPUs the entry may change or the
 * page be unmapped and freed at any time: the reference is taken on the
 * page the entry named and kept only if the entry still names it, as
 * the fast GUP does; interrupts off hold back the flush that precedes
 * the freeing of page tables (uml_flush_user_range()).
 */
static struct page *user_page_get(struct mm_struct *mm, unsigned long addr,
				  bool write)
{
	pte_t *ptep = uml_pte_lookup(mm, addr);
	unsigned long old, want;
	struct folio *folio;
	struct page *page;
	pte_t pte;

	if (!ptep)
		return NULL;
	pte = ptep_get(ptep);
	if (!pte_present(pte) || !pte_read(pte) || (write && !pte_write(pte)))
		return NULL;
	page = pte_page(pte);
	folio = page_folio(page);
	if (!folio_try_get(folio))
		return NULL;
	old = pte_val(pte);
	want = pte_val(pte_mkyoung(write ? pte_mkdirty(pte) : pte));
	if (page_folio(page) == folio &&
	    (want == old ? pte_val(ptep_get(ptep)) == old :
			   cmpxchg(&pte_val(*ptep), old, want) == old))
		return page;
	folio_put(folio);
	return NULL;
}

/*
 * The page of user address @addr, referenced (drop it with put_page()),
 * or NULL if it cannot be made accessible (for writing when @write).
 */
static struct page *user_to_page(unsigned long addr, bool write)
{
	struct mm_struct *mm = current->mm;
	unsigned long flags;
	struct page *page;
	int tries = 0;

	if (!mm || addr >= TASK_SIZE)
		return NULL;
	for (;;) {
		local_irq_save(flags);
		page = user_page_get(mm, addr, write);
		local_irq_restore(flags);
		if (page)
			return page;
		if (pagefault_disabled() || tries++ > 2)
			return NULL;
		if (user_fault_in(mm, addr, write))
			return NULL;
	}
}

/**
 * uml_user_page() - the kernel address of user address @addr, referenced
 * @write: the page is to be written
 * @pagep: the page, to be released with put_page() after the access
 *
 * Return: the address in the page's linear mapping, or NULL.
 */
void *uml_user_page(unsigned long addr, bool write, struct page **pagep)
{
	struct page *page = user_to_page(addr, write);

	*pagep = page;
	return page ? page_address(page) + (addr & ~PAGE_MASK) : NULL;
}

/* run @op on each piece of [uaddr, uaddr + n) that lies in one page */
static unsigned long user_walk(unsigned long uaddr, unsigned long n,
			       bool write,
			       void (*op)(void *kaddr, unsigned long len,
					  void *data),
			       void *data)
{
	while (n) {
		unsigned long len = min(n, PAGE_SIZE - (uaddr & ~PAGE_MASK));
		struct page *page;
		void *k = uml_user_page(uaddr, write, &page);

		if (!k)
			return n;
		op(k, len, data);
		put_page(page);
		uaddr += len;
		n -= len;
	}
	return 0;
}

/*
 * The generic memcpy() (lib/string.c) copies a byte per loop; user copies
 * carry every read() and write(), network and file data alike, so they use
 * the CPU's string copy, fast on every x86_64 with ERMS.
 */
static inline void user_copy_bytes(void *to, const void *from,
				   unsigned long n)
{
	asm volatile("rep movsb"
		     : "+D" (to), "+S" (from), "+c" (n)
		     : : "memory");
}

static void op_from(void *k, unsigned long len, void *data)
{
	char **to = data;

	user_copy_bytes(*to, k, len);
	*to += len;
}

static void op_to(void *k, unsigned long len, void *data)
{
	const char **from = data;

	user_copy_bytes(k, *from, len);
	*from += len;
}

static void op_clear(void *k, unsigned long len, void *data)
{
	memset(k, 0, len);
}

unsigned long raw_copy_from_user(void *to, const void __user *from,
				 unsigned long n)
{
	char *dst = to;

	return user_walk((unsigned long)from, n, false, op_from, &dst);
}
EXPORT_SYMBOL(raw_copy_from_user);

unsigned long raw_copy_to_user(void __user *to, const void *from,
			       unsigned long n)
{
	const char *src = from;

	return user_walk((unsigned long)to, n, true, op_to, &src);
}
EXPORT_SYMBOL(raw_copy_to_user);

unsigned long __clear_user(void __user *mem, unsigned long len)
{
	return user_walk((unsigned long)mem, len, true, op_clear, NULL);
}
EXPORT_SYMBOL(__clear_user);

/*
 * The length of the user string at @src, looking at most @max bytes and
 * copying what it looks at to @dst unless that is NULL: the index of the
 * terminating NUL, @max if there is none, or -EFAULT.
 */
long uml_user_string(char *dst, const char __user *src, long max)
{
	unsigned long addr = (unsigned long)src;
	long done = 0;

	while (done < max) {
		unsigned long len = min_t(unsigned long, max - done,
					  PAGE_SIZE - (addr & ~PAGE_MASK));
		struct page *page;
		const char *k = uml_user_page(addr, false, &page);
		unsigned long i;

		if (!k)
			return -EFAULT;
		for (i = 0; i < len; i++) {
			if (dst)
				dst[done + i] = k[i];
			if (!k[i]) {
				put_page(page);
				return done + i;
			}
		}
		put_page(page);
		done += len;
		addr += len;
	}
	return max;
}
