// SPDX-License-Identifier: GPL-2.0
/*
 * The vDSO: a shared object (arch/um/vdso/) and the data page it reads,
 * mapped into every guest process at exec and announced with
 * AT_SYSINFO_EHDR (asm/elf.h).
 *
 * Guests see only pages of physical memory, so both live there: the data
 * page is taken from memblock in setup_arch(), before timekeeping first
 * writes it, and the image is copied into pages at boot.  The mappings
 * are ordinary special mappings; their ptes reach the guest's host
 * process through the usual sync (kernel/mmu.c), read-only.
 *
 * The timekeeper writes the data page (kernel/time/vsyscall.c); when the
 * clocksource is the host TSC (kernel/time.c), the vDSO turns a TSC read
 * into time with it and makes no system call.  With any other clocksource
 * the data page says so and the vDSO makes the system call.
 */
#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <asm/vdso.h>
#include <vdso/datapage.h>
#include <vdso/vsyscall.h>

/* the kernel's address of the data page (page 0 of [vvar]) */
struct vdso_data *uml_vdso_kdata;

static struct page **vdso_pages;
static unsigned int vdso_npages;

enum { VVAR_DATA, VVAR_TIMENS };

void __init uml_vdso_setup(void)
{
	uml_vdso_kdata = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!uml_vdso_kdata)
		panic("no memory for the vDSO data page");
}

static vm_fault_t vvar_fault(const struct vm_special_mapping *sm,
			     struct vm_area_struct *vma, struct vm_fault *vmf)
{
	struct page *timens = find_timens_vvar_page(vma);
	unsigned long data = PHYS_PFN(__pa(uml_vdso_kdata));
	unsigned long pfn;

	/*
	 * A task in a time namespace reads its namespace's page where the
	 * data page would be; that page sends the vDSO on to the real data,
	 * mapped one page higher.
	 */
	switch (vmf->pgoff) {
	case VVAR_DATA:
		pfn = timens ? page_to_pfn(timens) : data;
		break;
	case VVAR_TIMENS:
		if (!timens)
			return VM_FAULT_SIGBUS;
		pfn = data;
		break;
	default:
		return VM_FAULT_SIGBUS;
	}
	return vmf_insert_pfn(vma, vmf->address, pfn);
}

static int vdso_mremap(const struct vm_special_mapping *sm,
		       struct vm_area_struct *new_vma)
{
	current->mm->context.vdso = new_vma->vm_start;
	return 0;
}

static const struct vm_special_mapping vvar_mapping = {
	.name = "[vvar]",
	.fault = vvar_fault,
};

static struct vm_special_mapping vdso_mapping = {
	.name = "[vdso]",
	.mremap = vdso_mremap,
};

#ifdef CONFIG_TIME_NS
struct vdso_data *arch_get_vdso_data(void *vvar_page)
{
	return vvar_page;
}

/* drop the [vvar] ptes of @task's mm: the next read faults in the new ones */
int vdso_join_timens(struct task_struct *task, struct time_namespace *ns)
{
	struct mm_struct *mm = task->mm;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		if (vma_is_special_mapping(vma, &vvar_mapping))
			zap_vma_pages(vma);
	mmap_read_unlock(mm);
	return 0;
}
#endif

static int __init uml_vdso_init(void)
{
	unsigned long size = uml_vdso_image_end - uml_vdso_image;
	unsigned int i;

	if (memcmp(uml_vdso_image, ELFMAG, SELFMAG)) {
		pr_err("vdso: the built image is not ELF; no vDSO\n");
		return 0;
	}
	vdso_npages = DIV_ROUND_UP(size, PAGE_SIZE);
	vdso_pages = kcalloc(vdso_npages, sizeof(*vdso_pages), GFP_KERNEL);
	if (!vdso_pages)
		goto fail;
	for (i = 0; i < vdso_npages; i++) {
		unsigned long off = i * PAGE_SIZE;

		vdso_pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!vdso_pages[i])
			goto fail;
		memcpy(page_address(vdso_pages[i]), uml_vdso_image + off,
		       min(size - off, PAGE_SIZE));
	}
	vdso_mapping.pages = vdso_pages;
	return 0;
fail:
	pr_err("vdso: out of memory; no vDSO\n");
	vdso_npages = 0;
	return 0;
}
arch_initcall(uml_vdso_init);

/* at exec: [vvar] and [vdso] side by side, where mmap would put them */
int arch_setup_additional_pages(struct linux_binprm *bprm, int uses_interp)
{
	unsigned long vvar_size = UML_VVAR_PAGES * PAGE_SIZE;
	unsigned long text_size = (unsigned long)vdso_npages << PAGE_SHIFT;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long addr;
	int ret = 0;

	if (!vdso_npages)
		return 0;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	addr = get_unmapped_area(NULL, 0, vvar_size + text_size, 0, 0);
	if (IS_ERR_VALUE(addr)) {
		ret = addr;
		goto out;
	}
	vma = _install_special_mapping(mm, addr, vvar_size,
				       VM_READ | VM_MAYREAD | VM_IO |
				       VM_DONTDUMP | VM_PFNMAP,
				       &vvar_mapping);
	if (IS_ERR(vma)) {
		ret = PTR_ERR(vma);
		goto out;
	}
	/* VM_MAYWRITE: a debugger may plant breakpoints (copy-on-write) */
	vma = _install_special_mapping(mm, addr + vvar_size, text_size,
				       VM_READ | VM_EXEC | VM_MAYREAD |
				       VM_MAYWRITE | VM_MAYEXEC,
				       &vdso_mapping);
	if (IS_ERR(vma)) {
		do_munmap(mm, addr, vvar_size, NULL);
		ret = PTR_ERR(vma);
		goto out;
	}
	mm->context.vdso = addr + vvar_size;
out:
	mmap_write_unlock(mm);
	return ret;
}
