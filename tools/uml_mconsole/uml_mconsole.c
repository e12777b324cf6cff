// SPDX-License-Identifier: GPL-2.0
/*
 * uml_mconsole - control a running User-mode Linux through its management
 * console socket.
 *
 *   uml_mconsole [-t SECS] UMID|SOCKET COMMAND...	one command, then exit
 *   uml_mconsole [-t SECS] UMID|SOCKET		interactive prompt
 *   uml_mconsole [-t SECS] [-c N] --notify SOCKET	print notifications
 *
 * Output follows the classic client: "OK " or "ERR " and then the text of
 * the answer.  The exit status tells what happened (see enum mc_status).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <uml/mconsole_proto.h>
#include "lineedit.h"

#define PROG		"uml_mconsole"
#define DEF_TIMEOUT	10

/* Exit statuses; documented in docs/tools.md. */
enum mc_status {
	MC_OK = 0,		/* the VM answered OK */
	MC_EREPLY = 1,		/* the VM answered with an error */
	MC_EUSAGE = 2,		/* bad command line or local command */
	MC_ENOVM = 3,		/* no socket for that name */
	MC_EDEAD = 4,		/* socket left by a VM that is gone */
	MC_ETIMEOUT = 5,	/* no (complete) answer in time */
	MC_EIO = 6,		/* other local or protocol failure */
};

struct target {
	char name[PATH_MAX];	/* what the user typed */
	char path[PATH_MAX];	/* the socket it resolved to */
	int fd;
};

static int timeout_sec = DEF_TIMEOUT;
/* set by SIGINT; only read after poll() returns, so no volatile needed */
static sig_atomic_t interrupted;

static void say(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/*
 * Map what the user typed to a socket path: a name with a slash is a path
 * (a directory means its "mconsole" socket), anything else is a umid looked
 * up under ~/.uml and then the old default /tmp/uml.  Returns 0 when a file
 * exists at the chosen path; otherwise -1 with the most likely path filled
 * in for the error message.
 */
static int resolve(const char *name, char *path, size_t size)
{
	const char *home = getenv("HOME");
	struct stat st;

	if (strchr(name, '/')) {
		if (stat(name, &st) == 0 && S_ISDIR(st.st_mode))
			snprintf(path, size, "%s/mconsole", name);
		else
			snprintf(path, size, "%s", name);
		return file_exists(path) ? 0 : -1;
	}
	snprintf(path, size, "%s/.uml/%s/mconsole", home ? home : "", name);
	if (file_exists(path))
		return 0;
	snprintf(path, size, "/tmp/uml/%s/mconsole", name);
	if (file_exists(path))
		return 0;
	snprintf(path, size, "%s/.uml/%s/mconsole", home ? home : "", name);
	return -1;
}

/* The pid the VM wrote next to its socket, or -1. */
static long vm_pid(const char *sockpath)
{
	char file[PATH_MAX + 8], *slash;
	long pid = -1;
	FILE *f;

	snprintf(file, sizeof(file), "%s", sockpath);
	slash = strrchr(file, '/');
	if (!slash)
		return -1;
	snprintf(slash + 1, sizeof(file) - (slash + 1 - file), "pid");
	f = fopen(file, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0)
		pid = -1;
	fclose(f);
	return pid;
}

/*
 * Open a datagram socket to the VM's mconsole.  The socket gets an
 * automatic abstract name for the replies and is connected to the VM: the
 * kernel then may queue a long multi-part answer to us without running
 * into the small per-socket datagram queue limit, so no part is lost.
 */
static int target_open(struct target *t, const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	sa_family_t fam = AF_UNIX;
	long pid;
	int fd;

	snprintf(t->name, sizeof(t->name), "%s", name);
	t->fd = -1;
	if (resolve(name, t->path, sizeof(t->path)) < 0) {
		say("no such VM '%s' (no mconsole socket at %s)", name,
		    t->path);
		return MC_ENOVM;
	}
	if (strlen(t->path) >= sizeof(sun.sun_path)) {
		say("socket path too long: %s", t->path);
		return MC_EUSAGE;
	}
	memcpy(sun.sun_path, t->path, strlen(t->path) + 1);

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		say("socket: %s", strerror(errno));
		return MC_EIO;
	}
	/* an address of just the family asks for an automatic name */
	if (bind(fd, (struct sockaddr *)&fam, sizeof(fam)) < 0) {
		say("bind: %s", strerror(errno));
		close(fd);
		return MC_EIO;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		close(fd);
		if (e == ECONNREFUSED) {
			pid = vm_pid(t->path);
			if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH)
				say("VM '%s' is not running: stale socket %s (pid %ld is gone)",
				    name, t->path, pid);
			else
				say("VM '%s' is not running: stale socket %s (nobody listens)",
				    name, t->path);
			return MC_EDEAD;
		}
		if (e == ENOENT) {
			say("no such VM '%s' (%s vanished)", name, t->path);
			return MC_ENOVM;
		}
		say("cannot reach %s: %s", t->path, strerror(e));
		return MC_EIO;
	}
	t->fd = fd;
	return MC_OK;
}

static void target_close(struct target *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Wait for @events on @fd, at most until @deadline.  Returns 1 when they
 * came (or an error is pending), 0 on timeout, -1 when interrupted by ^C.
 */
static int wait_for(int fd, short events, double deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	double left;
	int n;

	for (;;) {
		if (interrupted)
			return -1;
		left = deadline - now();
		if (left <= 0)
			return 0;
		n = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return 1;	/* let recv() report it */
	}
}

/*
 * Send one command and copy the answer to stdout as "OK text" or
 * "ERR text".  The timeout restarts with each part of a multi-part answer,
 * so a long answer that keeps coming is not cut short.
 */
static int remote(struct target *t, const char *cmd)
{
	struct mconsole_request req;
	struct mconsole_reply rep;
	size_t len = strlen(cmd);
	int first = 1, status = MC_OK;
	double deadline;
	ssize_t n;

	if (len >= MCONSOLE_MAX_DATA) {
		say("command too long (%zu bytes, at most %d)", len,
		    MCONSOLE_MAX_DATA - 1);
		return MC_EUSAGE;
	}
	memset(&req, 0, sizeof(req));
	req.magic = MCONSOLE_MAGIC;
	req.version = MCONSOLE_VERSION;
	req.len = len;
	memcpy(req.data, cmd, len);

	/* drop anything left over from an earlier, abandoned command */
	while (recv(t->fd, &rep, sizeof(rep), MSG_DONTWAIT) > 0)
		;
	interrupted = 0;
	/*
	 * A VM that does not run (stopped by a signal, say) stops taking
	 * requests once a few are queued: wait for room, but not forever.
	 */
	deadline = now() + timeout_sec;
	while (send(t->fd, &req, sizeof(req), MSG_DONTWAIT) < 0) {
		if (errno == EAGAIN || errno == EINTR) {
			n = wait_for(t->fd, POLLOUT, deadline);
			if (n > 0)
				continue;
			if (n < 0) {
				say("interrupted while sending");
				return MC_EIO;
			}
			say("VM '%s' takes no requests within %d s (not running?)",
			    t->name, timeout_sec);
			return MC_ETIMEOUT;
		}
		if (errno == ECONNREFUSED || errno == ENOENT) {
			say("VM '%s' is gone (%s)", t->name, strerror(errno));
			return MC_EDEAD;
		}
		say("sending to %s: %s", t->path, strerror(errno));
		return MC_EIO;
	}

	for (;;) {
		size_t dlen;

		n = wait_for(t->fd, POLLIN, now() + timeout_sec);
		if (n == 0) {
			if (!first)
				putchar('\n');
			say("no %sanswer from VM '%s' within %d s",
			    first ? "" : "complete ", t->name, timeout_sec);
			return MC_ETIMEOUT;
		}
		if (n < 0) {
			if (!first)
				putchar('\n');
			say("interrupted while waiting for the answer");
			return MC_EIO;
		}
		n = recv(t->fd, &rep, sizeof(rep), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (!first)
				putchar('\n');
			if (errno == ECONNREFUSED) {
				say("VM '%s' went away before answering",
				    t->name);
				return MC_EDEAD;
			}
			say("receiving from %s: %s", t->path,
			    strerror(errno));
			return MC_EIO;
		}
		if ((size_t)n < MCONSOLE_REPLY_HDR) {
			if (!first)
				putchar('\n');
			say("malformed answer (%zd bytes)", n);
			return MC_EIO;
		}
		dlen = rep.len;
		if (dlen > (size_t)n - MCONSOLE_REPLY_HDR)
			dlen = n - MCONSOLE_REPLY_HDR;
		/* the text ends at its NUL, or at the end of the packet */
		dlen = strnlen(rep.data, dlen);
		if (first) {
			status = rep.err ? MC_EREPLY : MC_OK;
			fputs(rep.err ? "ERR " : "OK ", stdout);
			first = 0;
		}
		fwrite(rep.data, 1, dlen, stdout);
		if (!rep.more)
			break;
	}
	putchar('\n');
	fflush(stdout);
	return status;
}

static const char local_help[] =
"Additional local commands:\n"
"    quit - leave the prompt (also ^D)\n"
"    switch <umid|socket> - talk to another VM from now on\n"
"    log -f <file> - send each line of <file> to the kernel log\n"
"    mconsole-version - version of the protocol this client speaks\n"
"    int - interrupt the VM (send SIGINT to its process)\n"
"    help - this text and the VM's own list of commands\n";

/* "log -f FILE": one log request per line of the file. */
static int log_file(struct target *t, const char *file)
{
	char line[MCONSOLE_MAX_DATA], cmd[MCONSOLE_MAX_DATA + 8];
	int status = MC_OK, st;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		say("%s: %s", file, strerror(errno));
		return MC_EUSAGE;
	}
	while (fgets(line, sizeof(line) - 6, f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(cmd, sizeof(cmd), "log %s\n", line);
		st = remote(t, cmd);
		if (st != MC_OK) {
			status = st;
			break;
		}
	}
	fclose(f);
	return status;
}

/* "int": what ^C on the VM's own terminal would do. */
static int interrupt_vm(struct target *t)
{
	long pid = vm_pid(t->path);

	if (pid <= 0) {
		say("cannot find the pid of VM '%s' next to %s", t->name,
		    t->path);
		return MC_EIO;
	}
	if (kill(pid, SIGINT) < 0) {
		say("cannot interrupt pid %ld: %s", pid, strerror(errno));
		return errno == ESRCH ? MC_EDEAD : MC_EIO;
	}
	return MC_OK;
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Is @line the word @w, alone or followed by blanks and arguments? */
static const char *word(const char *line, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(line, w, n) != 0)
		return NULL;
	if (line[n] && line[n] != ' ' && line[n] != '\t')
		return NULL;
	return skip_ws(line + n);
}

/*
 * Run one command line, local or remote.  @interactive allows the
 * commands that only make sense at a prompt.  Sets *@quit for "quit".
 */
static int run_line(struct target *t, const char *line, int interactive,
		    int *quit)
{
	const char *arg;
	struct target nt;
	int st;

	line = skip_ws(line);
	if (!*line)
		return MC_OK;
	if (word(line, "quit") || word(line, "exit")) {
		if (!interactive) {
			say("'%s' only works at the prompt", line);
			return MC_EUSAGE;
		}
		*quit = 1;
		return MC_OK;
	}
	if (word(line, "mconsole-version")) {
		printf(PROG " client version %d\n", MCONSOLE_VERSION);
		return MC_OK;
	}
	if (word(line, "help")) {
		st = remote(t, line);
		fputs(local_help, stdout);
		return st;
	}
	arg = word(line, "switch");
	if (arg) {
		if (!interactive) {
			say("'switch' only works at the prompt");
			return MC_EUSAGE;
		}
		if (!*arg) {
			say("usage: switch <umid|socket>");
			return MC_EUSAGE;
		}
		st = target_open(&nt, arg);
		if (st != MC_OK)
			return st;
		target_close(t);
		*t = nt;
		printf("Switched to '%s'\n", t->name);
		return MC_OK;
	}
	arg = word(line, "log");
	if (arg && word(arg, "-f")) {
		arg = word(arg, "-f");
		if (!*arg) {
			say("usage: log -f <file>");
			return MC_EUSAGE;
		}
		return log_file(t, arg);
	}
	if (arg) {
		char cmd[MCONSOLE_MAX_DATA + 2];

		/* one log line per command, however the text ends */
		snprintf(cmd, sizeof(cmd), "log %s\n", arg);
		return remote(t, cmd);
	}
	if (word(line, "int"))
		return interrupt_vm(t);	/* silent, as in the classic client */
	return remote(t, line);
}

/* what Tab completes at the prompt: the VM's commands and ours */
static const char *const command_words[] = {
	"cad", "config", "exit", "go", "halt", "help", "int", "log",
	"mconsole-version", "proc", "quit", "reboot", "remove", "stack",
	"stop", "switch", "sysrq", "version", NULL
};

static int interactive(struct target *t)
{
	char line[4096], prompt[PATH_MAX + 8];
	int tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	int quit = 0, n;

	le_set_words(command_words);
	while (!quit) {
		if (tty) {
			snprintf(prompt, sizeof(prompt), "(%s) ", t->name);
			n = le_readline(prompt, line, sizeof(line));
			if (n == -2)
				continue;
			if (n < 0)
				break;
			le_history_add(line);
		} else {
			if (!fgets(line, sizeof(line), stdin))
				break;
			line[strcspn(line, "\r\n")] = '\0';
		}
		run_line(t, line, 1, &quit);
		fflush(stdout);
	}
	le_history_free();
	return MC_OK;
}

static const char *notify_type(uint32_t type)
{
	switch (type) {
	case MCONSOLE_SOCKET:
		return "socket";
	case MCONSOLE_PANIC:
		return "panic";
	case MCONSOLE_HANG:
		return "hang";
	case MCONSOLE_USER_NOTIFY:
		return "user";
	}
	return "unknown";
}

/*
 * Listen on @path for notifications ("mconsole=notify:PATH" on the UML
 * command line) and print one line per notification: its type and text.
 * Stops after @count notifications (0: never) or @timeout_sec seconds
 * without one.
 */
static int notify_listen(const char *path, int count)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct mconsole_notify msg;
	struct stat st;
	int fd, got = 0, status = MC_OK;
	ssize_t n;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		say("socket path too long: %s", path);
		return MC_EUSAGE;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		say("cannot listen on %s: %s", path, strerror(errno));
		return MC_EIO;
	}
	while (count == 0 || got < count) {
		size_t dlen;
		int r = wait_for(fd, POLLIN, now() + timeout_sec);

		if (r <= 0) {
			if (r == 0 && got == 0) {
				say("no notification within %d s",
				    timeout_sec);
				status = MC_ETIMEOUT;
			}
			break;
		}
		n = recv(fd, &msg, sizeof(msg), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			say("receiving on %s: %s", path, strerror(errno));
			status = MC_EIO;
			break;
		}
		if ((size_t)n < MCONSOLE_NOTIFY_HDR ||
		    msg.magic != MCONSOLE_MAGIC) {
			say("ignoring a malformed notification (%zd bytes)",
			    n);
			continue;
		}
		dlen = msg.len;
		if (dlen > (size_t)n - MCONSOLE_NOTIFY_HDR)
			dlen = n - MCONSOLE_NOTIFY_HDR;
		dlen = strnlen(msg.data, dlen);
		/* one line per notification, even if the text brings one */
		if (dlen > 0 && msg.data[dlen - 1] == '\n')
			dlen--;
		printf("%s %.*s\n", notify_type(msg.type), (int)dlen,
		       msg.data);
		fflush(stdout);
		got++;
	}
	close(fd);
	unlink(path);
	return status;
}

static void show_help(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-t SECS] UMID|SOCKET [COMMAND...]\n"
		"       " PROG " [-t SECS] [-c COUNT] --notify SOCKET\n"
		"  UMID      a VM name: its socket is ~/.uml/UMID/mconsole\n"
		"  SOCKET    a path to an mconsole socket (or its directory)\n"
		"  COMMAND   sent to the VM; none: an interactive prompt\n"
		"  -t SECS   give up waiting for an answer after SECS (default %d)\n"
		"  -c COUNT  with --notify, exit after COUNT notifications\n"
		"  --notify SOCKET  listen for the VM's notifications at SOCKET\n"
		"Exit status: 0 OK, 1 error answer, 2 usage, 3 no such VM,\n"
		"4 VM not running (stale socket), 5 timeout, 6 other failure.\n",
		DEF_TIMEOUT);
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 1000000)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	const char *notify = NULL;
	struct sigaction sa;
	struct target t;
	char cmd[MCONSOLE_MAX_DATA * 2];
	int count = 0, i, st, quit = 0;
	size_t used = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			show_help(stdout);
			return MC_OK;
		}
		if (!strcmp(o, "--")) {
			i++;
			break;
		}
		if (i + 1 >= argc) {
			say("option %s needs an argument", o);
			return MC_EUSAGE;
		}
		if (!strcmp(o, "-t")) {
			if (parse_int(argv[++i], &timeout_sec) < 0) {
				say("bad timeout '%s'", argv[i]);
				return MC_EUSAGE;
			}
		} else if (!strcmp(o, "-c")) {
			if (parse_int(argv[++i], &count) < 0) {
				say("bad count '%s'", argv[i]);
				return MC_EUSAGE;
			}
		} else if (!strcmp(o, "--notify") || !strcmp(o, "-notify")) {
			notify = argv[++i];
		} else {
			say("unknown option '%s'", o);
			show_help(stderr);
			return MC_EUSAGE;
		}
	}
	if (notify) {
		if (i != argc) {
			say("--notify takes no VM or command");
			return MC_EUSAGE;
		}
		return notify_listen(notify, count);
	}
	if (i >= argc) {
		show_help(stderr);
		return MC_EUSAGE;
	}

	st = target_open(&t, argv[i++]);
	if (st != MC_OK)
		return st;
	if (i == argc) {
		st = interactive(&t);
		target_close(&t);
		return st;
	}

	/* the remaining words form one command, as in the classic client */
	cmd[0] = '\0';
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (used + n + 2 > sizeof(cmd)) {
			say("command too long");
			target_close(&t);
			return MC_EUSAGE;
		}
		if (used)
			cmd[used++] = ' ';
		memcpy(cmd + used, argv[i], n + 1);
		used += n;
	}
	st = run_line(&t, cmd, 0, &quit);
	target_close(&t);
	return st;
}
