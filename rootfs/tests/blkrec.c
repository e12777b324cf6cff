// SPDX-License-Identifier: GPL-2.0
/*
 * blkrec FILE COUNT: append COUNT numbered 64-byte records to FILE,
 * fdatasync()ing after each, and print "ack N" once record N is durable.
 * The durability tests kill the kernel while this runs, then check that
 * every acknowledged record is in the file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char rec[64];
	int fd, i, count;

	if (argc != 3) {
		fprintf(stderr, "usage: blkrec FILE COUNT\n");
		return 2;
	}
	count = atoi(argv[2]);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 1; i <= count; i++) {
		memset(rec, '.', sizeof(rec));
		snprintf(rec, sizeof(rec), "record %08d", i);
		rec[15] = '.';
		rec[sizeof(rec) - 1] = '\n';
		if (write(fd, rec, sizeof(rec)) != sizeof(rec) || fsync(fd)) {
			perror("write/fsync");
			return 1;
		}
		printf("ack %d\n", i);
	}
	return 0;
}
