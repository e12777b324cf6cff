/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_CACHEFLUSH_H
#define __UM_CACHEFLUSH_H

/*
 * There are no caches to flush, but a new vmalloc mapping must be made
 * visible in the kernel process: this is where it is mirrored to the host.
 */
void uml_sync_kernel_range(unsigned long start, unsigned long end);
#define flush_cache_vmap(start, end)	uml_sync_kernel_range(start, end)
#define flush_cache_vmap_early(start, end) uml_sync_kernel_range(start, end)

#include <asm-generic/cacheflush.h>

#endif
