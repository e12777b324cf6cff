/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: physical memory and kernel-process mappings.
 */
#ifndef __HOST_MEM_H
#define __HOST_MEM_H

/**
 * host_physmem_create() - create and map the physical-memory file
 * @size: bytes of physical memory (a multiple of the page size)
 *
 * The file is created in $TMPDIR (else /dev/shm, else /tmp), unlinked at
 * once and mapped at UML_PHYSMEM_BASE.
 * Return: 0, or a negative errno with a message already printed.
 */
int host_physmem_create(unsigned long size);

/** host_physmem_fd() - the descriptor of the physical-memory file */
int host_physmem_fd(void);

/**
 * host_physmem_discard() - give pages of physical memory back to the host
 * @phys: page-aligned offset into physical memory
 * @len:  bytes, a multiple of the page size
 *
 * The range becomes a hole in the physical-memory file: the host frees
 * its pages, and every mapping of them (the kernel's, the guests') reads
 * zeroes and takes fresh pages when written again.
 * Return: 0 or a negative errno (the file system cannot punch holes).
 */
int host_physmem_discard(unsigned long phys, unsigned long len);

/**
 * host_physmem_populate() - give a range of physical memory its host pages now
 * @phys: page-aligned offset into physical memory
 * @len:  bytes, a multiple of the page size
 *
 * One host call (MADV_POPULATE_WRITE) for the whole range instead of a
 * host page fault at the first write of each page; worth it only for
 * pages that are about to be written anyway.  The contents do not change.
 * Return: 0 or a negative errno (an older host: nothing is done).
 */
int host_physmem_populate(unsigned long phys, unsigned long len);

/**
 * host_physmem_resident() - bytes of physical memory the host holds now
 *
 * The blocks the physical-memory file has: pages ever written and not
 * discarded since.
 */
unsigned long long host_physmem_resident(void);

/**
 * host_map_phys() - map physical memory at a kernel-process address
 * @virt:  page-aligned address in vmalloc space
 * @phys:  page-aligned offset into physical memory
 * @len:   bytes
 * @w, @x: writable, executable
 * Return: 0 or a negative errno.
 */
int host_map_phys(unsigned long virt, unsigned long phys, unsigned long len,
		  int w, int x);

/** host_unmap() - make a kernel-process range inaccessible again */
int host_unmap(unsigned long virt, unsigned long len);

/**
 * host_protect() - make kernel-process memory accessible or not
 * @virt:   page-aligned address (the physical-memory mapping)
 * @len:    bytes
 * @access: nonzero for read and write, zero for no access at all
 *
 * Each change of protection in the middle of a mapping costs the host one
 * more mapping entry; it fails with -ENOMEM when the host's limit
 * (vm.max_map_count) is reached.
 * Return: 0 or a negative errno.
 */
int host_protect(unsigned long virt, unsigned long len, int access);

/** host_reserve() - set a range aside (PROT_NONE) so libc never uses it */
int host_reserve(unsigned long virt, unsigned long len);

#endif
