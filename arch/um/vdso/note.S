/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel version, for C libraries that check the vDSO's. */
#include <linux/elfnote.h>
#include <linux/version.h>

ELFNOTE_START(Linux, 0, "a")
	.long LINUX_VERSION_CODE
ELFNOTE_END
