// SPDX-License-Identifier: GPL-2.0
/*
 * uml-acct: BSD process accounting, version 3 records, as accton and
 * lastcomm use it.
 *
 *   uml-acct FILE [PROGRAM]
 *
 * Turns accounting on into FILE (acct(2)), runs PROGRAM (default
 * /bin/true) in a child that execs it, and forks a second child that
 * exits without an exec; turns accounting off and reads FILE back: there
 * must be a version 3
 * record (struct acct_v3) for the child's pid with the program's name as
 * its command, the parent's pid as its parent, and the child's exit
 * code; and a record of the forked-but-not-exec'ed child with the AFORK
 * flag.  Prints "acct: ok (N records, comm NAME)" and exits 0, or
 * "acct: FAILED ...".
 * A guest test program: built static into /usr/bin of the root image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/acct.h>
#include <sys/stat.h>
#include <sys/wait.h>

static int fail(const char *what)
{
	printf("acct: FAILED %s (errno %d: %s)\n", what, errno,
	       strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	const char *prog = argc > 2 ? argv[2] : "/bin/true";
	const char *name = strrchr(prog, '/') ? strrchr(prog, '/') + 1 : prog;
	struct acct_v3 rec;
	pid_t pid, forked;
	int fd, status, n = 0, found = 0, found_fork = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: uml-acct FILE [PROGRAM]\n");
		return 2;
	}
	fd = open(argv[1], O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd < 0)
		return fail("creating FILE");
	close(fd);
	if (acct(argv[1]))
		return fail("acct(FILE)");

	pid = fork();
	if (pid == 0) {
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	forked = fork();
	if (forked == 0)
		_exit(3);		/* forked, no exec: AFORK */
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 127)
		return fail("running PROGRAM");
	waitpid(forked, NULL, 0);
	if (acct(NULL))
		return fail("acct(NULL)");

	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return fail("reading FILE");
	while (read(fd, &rec, sizeof(rec)) == sizeof(rec)) {
		n++;
		if ((rec.ac_version & 0x7f) != 3) {
			errno = 0;
			printf("acct: record %d has version %d\n", n,
			       rec.ac_version);
			return fail("not a version 3 record");
		}
		if (rec.ac_pid == (unsigned int)pid &&
		    !strncmp(rec.ac_comm, name, sizeof(rec.ac_comm)) &&
		    rec.ac_ppid == (unsigned int)getpid() &&
		    !(rec.ac_flag & AFORK) &&
		    rec.ac_exitcode == (unsigned int)status)
			found = 1;
		if (rec.ac_pid == (unsigned int)forked &&
		    (rec.ac_flag & AFORK) &&
		    !strncmp(rec.ac_comm, "uml-acct", sizeof(rec.ac_comm)))
			found_fork = 1;
	}
	close(fd);
	errno = 0;
	if (!found)
		return fail("no record of PROGRAM with its pid, parent and status");
	if (!found_fork)
		return fail("no AFORK record of the child that did not exec");
	printf("acct: ok (%d records, comm %s)\n", n, name);
	return 0;
}
