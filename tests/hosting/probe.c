// SPDX-License-Identifier: GPL-2.0
/*
 * What a hostile guest root tries (tests/test_hosting.py): each attempt
 * prints "NAME refused (errno text)" or "NAME ALLOWED".  Built static on
 * the host and run inside the guest as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

static void said(const char *name, long ret)
{
	if (ret < 0)
		printf("%s refused (%s)\n", name, strerror(errno));
	else
		printf("%s ALLOWED\n", name);
}

static void try_dev(const char *name, const char *path, int minor)
{
	char buf[16];
	long ret;
	int fd;

	unlink(path);
	if (mknod(path, S_IFCHR | 0600, makedev(1, minor))) {
		said(name, -1);
		return;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		said(name, -1);
		return;
	}
	ret = pread(fd, buf, sizeof(buf), 4096);
	said(name, ret);
	close(fd);
}

/*
 * iopl() and ioperm() answer as on x86_64 (root may call them), but no
 * I/O port is behind them: an "in" from port 0x80 after the call must
 * still fault.  NAME is refused when the child died of SIGSEGV.
 */
static void try_port(const char *name, int use_iopl)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		unsigned char v;

		if (use_iopl)
			syscall(SYS_iopl, 3);
		else
			syscall(SYS_ioperm, 0x80UL, 1UL, 1);
		asm volatile("inb $0x80, %0" : "=a" (v));
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("%s unknown (fork)\n", name);
		return;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		printf("%s refused (the port access faulted)\n", name);
	else
		printf("%s ALLOWED\n", name);
}

int main(int argc, char **argv)
{
	said("init_module", syscall(SYS_init_module, "", 0UL, ""));
	said("finit_module", syscall(SYS_finit_module, 0, "", 0));
	said("delete_module", syscall(SYS_delete_module, "ubd", 0));
	said("kexec_load", syscall(SYS_kexec_load, 0UL, 0UL, 0UL, 0UL));
	said("kexec_file_load", syscall(SYS_kexec_file_load, 0, 0, 0UL, "", 0UL));
	try_port("port_io_iopl", 1);
	try_port("port_io_ioperm", 0);
	try_dev("dev_mem", "/tmp/probe-mem", 1);
	try_dev("dev_kmem", "/tmp/probe-kmem", 2);
	try_dev("dev_port", "/tmp/probe-port", 4);
	said("proc_kcore", open("/proc/kcore", O_RDONLY));
	/* a host file by its host path: the guest sees its own tree only */
	if (argc > 1)
		said("host_file", open(argv[1], O_RDONLY));
	return 0;
}
