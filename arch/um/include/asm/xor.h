/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_XOR_H
#define __UM_XOR_H

#include <asm-generic/xor.h>

/*
 * No timing of the generic templates at boot (crypto/xor.c would run each
 * over a buffer for a while, in every start of the library with btrfs in
 * it): the kernel is built without SIMD registers, and of the plain C
 * loops the one unrolled over 32 words is taken as it is.
 */
#define XOR_SELECT_TEMPLATE(x)	((void)(x), &xor_block_32regs)

#endif
