/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_USER_H
#define __UM_USER_H

#include <asm-generic/user.h>

#endif
