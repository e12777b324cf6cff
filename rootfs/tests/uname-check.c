// SPDX-License-Identifier: GPL-2.0
/*
 * uname-check: print the fields of uname(2), one per line, as NAME=VALUE.
 * A guest test program: built static into /usr/bin of the root image.
 */
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;

	if (uname(&u) != 0) {
		perror("uname");
		return 1;
	}
	printf("sysname=%s\n", u.sysname);
	printf("nodename=%s\n", u.nodename);
	printf("release=%s\n", u.release);
	printf("version=%s\n", u.version);
	printf("machine=%s\n", u.machine);
	return 0;
}
