// SPDX-License-Identifier: GPL-2.0
/*
 * Physical memory: one unlinked host file, mapped in one block at
 * UML_PHYSMEM_BASE; vmalloc pages are further mappings of the same file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <host/layout.h>
#include <host/mem.h>
#include <host/process.h>

static int physmem_fd = -1;

static int make_tempfile(const char *dir)
{
	char path[4096];
	int fd;

	if (snprintf(path, sizeof(path), "%s/uml-physmem-XXXXXX", dir) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* nothing is left behind, however the process ends */
	unlink(path);
	return fd;
}

int host_physmem_create(unsigned long size)
{
	const char *dirs[] = { getenv("TMPDIR"), "/dev/shm", "/tmp" };
	void *p;
	int err = -ENOENT;
	unsigned int i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		physmem_fd = make_tempfile(dirs[i]);
		if (physmem_fd < 0) {
			err = physmem_fd;
			continue;
		}
		if (ftruncate(physmem_fd, size) == 0)
			break;
		err = -errno;
		close(physmem_fd);
		physmem_fd = -1;
	}
	if (physmem_fd < 0) {
		fprintf(stderr, "linux: cannot create %lu bytes of physical memory: %s\n",
			size, strerror(-err));
		return err;
	}
	p = mmap((void *)UML_PHYSMEM_BASE, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED_NOREPLACE, physmem_fd, 0);
	if (p != (void *)UML_PHYSMEM_BASE) {
		err = p == MAP_FAILED ? -errno : -EEXIST;
		fprintf(stderr, "linux: cannot map physical memory at %#lx: %s\n",
			UML_PHYSMEM_BASE, strerror(-err));
		return err;
	}
	/* keep libc's own mappings out of vmalloc space */
	return host_reserve(UML_VMALLOC_START,
			    UML_VMALLOC_END - UML_VMALLOC_START);
}

int host_physmem_fd(void)
{
	return physmem_fd;
}

int host_physmem_discard(unsigned long phys, unsigned long len)
{
	if (fallocate(physmem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      phys, len) == 0)
		return 0;
	/* a file system without hole punching: ask through the mapping */
	if (madvise((void *)(UML_PHYSMEM_BASE + phys), len, MADV_REMOVE) == 0)
		return 0;
	return -errno;
}

int host_physmem_populate(unsigned long phys, unsigned long len)
{
	if (madvise((void *)(UML_PHYSMEM_BASE + phys), len,
		    MADV_POPULATE_WRITE))
		return -errno;
	return 0;
}

unsigned long long host_physmem_resident(void)
{
	struct stat st;

	if (fstat(physmem_fd, &st))
		return 0;
	return (unsigned long long)st.st_blocks * 512;
}

int host_map_phys(unsigned long virt, unsigned long phys, unsigned long len,
		  int w, int x)
{
	int prot = PROT_READ | (w ? PROT_WRITE : 0) | (x ? PROT_EXEC : 0);
	void *p = mmap((void *)virt, len, prot, MAP_SHARED | MAP_FIXED,
		       physmem_fd, phys);

	return p == MAP_FAILED ? -errno : 0;
}

int host_unmap(unsigned long virt, unsigned long len)
{
	void *p = mmap((void *)virt, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		       -1, 0);

	return p == MAP_FAILED ? -errno : 0;
}

int host_protect(unsigned long virt, unsigned long len, int access)
{
	return mprotect((void *)virt, len,
			access ? PROT_READ | PROT_WRITE : PROT_NONE) ? -errno : 0;
}

int host_reserve(unsigned long virt, unsigned long len)
{
	void *p = mmap((void *)virt, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
		       MAP_NORESERVE, -1, 0);

	if (p != (void *)virt) {
		fprintf(stderr, "linux: cannot reserve %#lx-%#lx: %s\n", virt,
			virt + len, p == MAP_FAILED ? strerror(errno) : "in use");
		return -ENOMEM;
	}
	return 0;
}
