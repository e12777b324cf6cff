/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_VMALLOC_H
#define __UM_VMALLOC_H

#endif
