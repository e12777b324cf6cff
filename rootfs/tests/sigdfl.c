// SPDX-License-Identifier: GPL-2.0
/*
 * sigdfl PROGRAM [ARG]...: run PROGRAM with every signal at its default
 * action and none blocked.  /init starts the console shell through it.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	sigset_t none;
	int sig;

	if (argc < 2) {
		fprintf(stderr, "usage: sigdfl PROGRAM [ARG]...\n");
		return 2;
	}
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
