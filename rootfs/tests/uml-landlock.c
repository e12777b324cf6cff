// SPDX-License-Identifier: GPL-2.0
/*
 * uml-landlock: Landlock, as a sandboxing program uses it.
 *
 *   uml-landlock DIR
 *
 * Prints the LSM list (/sys/kernel/security/lsm) and Landlock's ABI
 * version, then, in a child: a ruleset that handles every access right
 * the ABI knows, one rule granting all of them beneath DIR, no_new_privs,
 * landlock_restrict_self().  The child must then create, write, read and
 * remove files and directories beneath DIR and be refused (EACCES)
 * reading /etc/passwd, creating files or directories outside DIR and,
 * from ABI 4, binding a TCP port; from ABI 6, signalling its parent
 * (EPERM).  The parent, not restricted, reads /etc/passwd after it.
 * Prints "landlock: ok (abi N)" and exits 0, or "landlock: FAILED ...".
 * A guest test program: built static into /usr/bin of the root image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* the UAPI as of ABI 6, whatever the C library's headers know */
#define LL_CREATE_RULESET_VERSION	(1U << 0)
#define LL_RULE_PATH_BENEATH		1
#define LL_FS_ABI1			((1ULL << 13) - 1)	/* execute..make_sym */
#define LL_FS_REFER			(1ULL << 13)		/* ABI 2 */
#define LL_FS_TRUNCATE			(1ULL << 14)		/* ABI 3 */
#define LL_FS_IOCTL_DEV			(1ULL << 15)		/* ABI 5 */
#define LL_NET_BIND_TCP			(1ULL << 0)		/* ABI 4 */
#define LL_NET_CONNECT_TCP		(1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX		(1ULL << 0)		/* ABI 6 */
#define LL_SCOPE_SIGNAL			(1ULL << 1)

struct ll_ruleset_attr {
	unsigned long long handled_access_fs;
	unsigned long long handled_access_net;
	unsigned long long scoped;
};

struct ll_path_beneath_attr {
	unsigned long long allowed_access;
	int parent_fd;
} __attribute__((packed));

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset	444
#define __NR_landlock_add_rule		445
#define __NR_landlock_restrict_self	446
#endif

static int bad;

#define EXPECT(cond, what) do {						\
	if (!(cond)) {							\
		printf("landlock: FAILED %s (errno %d: %s)\n", what,	\
		       errno, strerror(errno));				\
		bad++;							\
	}								\
} while (0)

static void show_lsm(void)
{
	const char *f = "/sys/kernel/security/lsm";
	char buf[256];
	ssize_t n;
	int fd;

	fd = open(f, O_RDONLY);
	if (fd < 0) {
		printf("lsm: none (%s)\n", strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	printf("lsm: %s\n", buf);
}

/* refused with @err: -1 and that errno */
static int refused(long r, int err)
{
	return r == -1 && errno == err;
}

static int sandboxed(const char *dir, int abi)
{
	struct ll_ruleset_attr attr = { 0 };
	struct ll_path_beneath_attr rule;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	size_t attr_size = 8;
	char path[4096];
	int rs, fd, s;

	attr.handled_access_fs = LL_FS_ABI1;
	if (abi >= 2)
		attr.handled_access_fs |= LL_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= LL_FS_TRUNCATE;
	if (abi >= 5)
		attr.handled_access_fs |= LL_FS_IOCTL_DEV;
	if (abi >= 4) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		attr_size = 16;
	}
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		attr_size = 24;
	}
	rs = syscall(__NR_landlock_create_ruleset, &attr, attr_size, 0);
	EXPECT(rs >= 0, "landlock_create_ruleset");
	if (rs < 0)
		return 1;
	rule.allowed_access = attr.handled_access_fs;
	rule.parent_fd = open(dir, O_PATH | O_CLOEXEC);
	EXPECT(rule.parent_fd >= 0, "open DIR");
	EXPECT(syscall(__NR_landlock_add_rule, rs, LL_RULE_PATH_BENEATH,
		       &rule, 0) == 0, "landlock_add_rule");
	EXPECT(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "no_new_privs");
	EXPECT(syscall(__NR_landlock_restrict_self, rs, 0) == 0,
	       "landlock_restrict_self");
	if (bad)
		return 1;

	/* beneath DIR: everything */
	snprintf(path, sizeof(path), "%s/inside", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	EXPECT(fd >= 0 && write(fd, "x", 1) == 1, "create a file in DIR");
	if (fd >= 0)
		close(fd);
	fd = open(path, O_RDONLY);
	EXPECT(fd >= 0, "read a file in DIR");
	if (fd >= 0)
		close(fd);
	EXPECT(unlink(path) == 0, "remove a file in DIR");
	snprintf(path, sizeof(path), "%s/subdir", dir);
	EXPECT(mkdir(path, 0755) == 0 && rmdir(path) == 0,
	       "make and remove a directory in DIR");

	/* outside: refused */
	errno = 0;
	EXPECT(refused(open("/etc/passwd", O_RDONLY), EACCES),
	       "reading /etc/passwd was not refused");
	errno = 0;
	EXPECT(refused(open("/tmp/landlock-outside", O_CREAT | O_WRONLY, 0644),
		       EACCES), "creating /tmp/landlock-outside was not refused");
	errno = 0;
	EXPECT(refused(mkdir("/tmp/landlock-dir", 0755), EACCES),
	       "mkdir /tmp/landlock-dir was not refused");
	if (abi >= 4) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		sin.sin_port = htons(4242);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		errno = 0;
		EXPECT(s >= 0 && refused(bind(s, (struct sockaddr *)&sin,
					      sizeof(sin)), EACCES),
		       "binding TCP port 4242 was not refused");
	}
	if (abi >= 6) {
		errno = 0;
		EXPECT(refused(kill(getppid(), 0), EPERM),
		       "signalling the parent was not refused");
	}
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int abi, status, fd;
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: uml-landlock DIR\n");
		return 2;
	}
	show_lsm();
	abi = syscall(__NR_landlock_create_ruleset, NULL, 0,
		      LL_CREATE_RULESET_VERSION);
	if (abi < 0) {
		printf("landlock: FAILED no Landlock (errno %d: %s)\n", errno,
		       strerror(errno));
		return 1;
	}
	printf("landlock: abi %d\n", abi);
	pid = fork();
	if (pid == 0)
		_exit(sandboxed(argv[1], abi));
	EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0, "the sandboxed child");
	fd = open("/etc/passwd", O_RDONLY);
	EXPECT(fd >= 0, "the parent is not restricted");
	if (fd >= 0)
		close(fd);
	if (bad)
		return 1;
	printf("landlock: ok (abi %d)\n", abi);
	return 0;
}
