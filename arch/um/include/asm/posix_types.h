/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __UM_POSIX_TYPES_H
#define __UM_POSIX_TYPES_H

#include <uapi/asm/posix_types_64.h>

#endif
