// SPDX-License-Identifier: GPL-2.0
/*
 * uml-features: the kernel features a distribution's userspace expects,
 * each used the way programs use it.  Prints "NAME: ok" or
 * "NAME: FAILED ..." per feature and exits with the number of failures.
 *
 *   uml-features [NAME...]   default: all of them
 *
 * Run as root in a scratch directory on ext4 (the current directory); it
 * mounts a tmpfs and a cgroup2 hierarchy under it and removes them.
 * A guest test program: built static into /usr/bin of the root image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/aio_abi.h>
#include <linux/bpf.h>
#include <linux/fanotify.h>
#include <sys/inotify.h>
#include <linux/keyctl.h>
#include <linux/loop.h>
#include <linux/nsfs.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>

static const char *cur;

static int failed;

#define TRY(cond, what) do {						\
	if (!(cond)) {							\
		printf("%s: FAILED %s (line %d): %s\n", cur, what,	\
		       __LINE__, strerror(errno));			\
		failed = 1;						\
		return;							\
	}								\
} while (0)

static void put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			perror(path);
		close(fd);
	}
}

static int get_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	buf[r > 0 ? r : 0] = 0;
	return r;
}

/* run @fn in a child; its exit status */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- namespaces ---- */

static int pidns_child(void)
{
	return getpid() == 1 ? 0 : 1;
}

static int userns_child(void)
{
	char map[64];

	if (unshare(CLONE_NEWUSER))
		return 2;
	snprintf(map, sizeof(map), "0 %d 1", 0);
	put_file("/proc/self/setgroups", "deny");
	put_file("/proc/self/uid_map", map);
	return getuid() == 0 ? 0 : 3;
}

static void t_namespaces(void)
{
	char name[65];
	int fd, ns, st;
	pid_t pid;

	fd = open("/proc/self/ns/uts", O_RDONLY);
	TRY(fd >= 0, "open /proc/self/ns/uts");
	TRY(ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWUTS, "NS_GET_NSTYPE");
	ns = ioctl(fd, NS_GET_USERNS);
	TRY(ns >= 0, "NS_GET_USERNS");
	close(ns);
	TRY(unshare(CLONE_NEWUTS) == 0, "unshare(CLONE_NEWUTS)");
	TRY(sethostname("inner", 5) == 0, "sethostname");
	TRY(setns(fd, CLONE_NEWUTS) == 0, "setns back");
	gethostname(name, sizeof(name));
	TRY(strcmp(name, "inner"), "hostname still the inner one");
	close(fd);
	TRY(unshare(CLONE_NEWIPC) == 0, "unshare(CLONE_NEWIPC)");
	TRY(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET)");
	TRY(unshare(CLONE_NEWPID) == 0, "unshare(CLONE_NEWPID)");
	pid = fork();
	if (pid == 0)
		_exit(pidns_child());
	TRY(pid > 0 && waitpid(pid, &st, 0) == pid, "fork into the pid namespace");
	TRY(WIFEXITED(st) && !WEXITSTATUS(st), "pid 1 in the new pid namespace");
	TRY(in_child(userns_child) == 0, "user namespace with a uid map");
	printf("namespaces: ok\n");
}

/* ---- cgroup v2 ---- */

static int sleeper(void)
{
	pause();
	return 0;
}

static void t_cgroup(void)
{
	char buf[256], path[64];
	int st;
	pid_t pid, pid2;

	mkdir("cg", 0755);
	TRY(mount("cgroup2", "cg", "cgroup2", 0, NULL) == 0, "mount cgroup2");
	get_file("cg/cgroup.controllers", buf, sizeof(buf));
	TRY(strstr(buf, "pids") && strstr(buf, "memory"),
	    "pids and memory controllers");
	put_file("cg/cgroup.subtree_control", "+pids +memory");
	TRY(mkdir("cg/t", 0755) == 0, "mkdir a cgroup");
	pid = fork();
	if (pid == 0)
		_exit(sleeper());
	snprintf(buf, sizeof(buf), "%d", pid);
	put_file("cg/t/cgroup.procs", buf);
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	get_file(path, buf, sizeof(buf));
	TRY(!strcmp(buf, "0::/t\n"), "the process moved into the cgroup");
	put_file("cg/t/cgroup.freeze", "1");
	usleep(100000);
	get_file("cg/t/cgroup.events", buf, sizeof(buf));
	TRY(strstr(buf, "frozen 1"), "cgroup.freeze");
	put_file("cg/t/cgroup.freeze", "0");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	/* pids.max: a second process cannot fork in a cgroup limited to one */
	put_file("cg/t/pids.max", "1");
	pid = fork();
	if (pid == 0) {
		snprintf(buf, sizeof(buf), "%d", getpid());
		put_file("cg/t/cgroup.procs", buf);
		pid2 = fork();
		if (pid2 == 0)
			_exit(0);
		_exit(pid2 < 0 && errno == EAGAIN ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	TRY(WIFEXITED(st) && !WEXITSTATUS(st), "pids.max stops a fork");
	TRY(rmdir("cg/t") == 0, "rmdir the cgroup");
	umount("cg");
	rmdir("cg");
	printf("cgroup: ok\n");
}

/* ---- keys ---- */

static void t_keys(void)
{
	char buf[32] = "";
	long id, id2;

	id = syscall(__NR_add_key, "user", "uml:test", "secret", 6,
		     KEY_SPEC_PROCESS_KEYRING);
	TRY(id > 0, "add_key");
	TRY(syscall(__NR_keyctl, KEYCTL_READ, id, buf, sizeof(buf)) == 6 &&
	    !memcmp(buf, "secret", 6), "keyctl(KEYCTL_READ)");
	id2 = syscall(__NR_request_key, "user", "uml:test", NULL,
		      KEY_SPEC_PROCESS_KEYRING);
	TRY(id2 == id, "request_key finds the key");
	TRY(syscall(__NR_keyctl, KEYCTL_REVOKE, id) == 0, "keyctl(KEYCTL_REVOKE)");
	TRY(syscall(__NR_keyctl, KEYCTL_READ, id, buf, sizeof(buf)) < 0 &&
	    errno == EKEYREVOKED, "a revoked key cannot be read");
	printf("keys: ok\n");
}

/* ---- bpf ---- */

static long bpf(int cmd, union bpf_attr *a)
{
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
}

static void t_bpf(void)
{
	struct bpf_insn drop[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	long key = 3, val = 42, out = 0;
	int map, prog, sv[2];
	char log[256] = "", c;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 8;
	map = bpf(BPF_MAP_CREATE, &a);
	TRY(map >= 0, "BPF_MAP_CREATE");
	memset(&a, 0, sizeof(a));
	a.map_fd = map;
	a.key = (unsigned long)&key;
	a.value = (unsigned long)&val;
	TRY(bpf(BPF_MAP_UPDATE_ELEM, &a) == 0, "BPF_MAP_UPDATE_ELEM");
	a.value = (unsigned long)&out;
	TRY(bpf(BPF_MAP_LOOKUP_ELEM, &a) == 0 && out == 42, "BPF_MAP_LOOKUP_ELEM");

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (unsigned long)drop;
	a.insn_cnt = 2;
	a.license = (unsigned long)"GPL";
	a.log_buf = (unsigned long)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	prog = bpf(BPF_PROG_LOAD, &a);
	TRY(prog >= 0, "BPF_PROG_LOAD");
	TRY(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
	TRY(setsockopt(sv[1], SOL_SOCKET, SO_ATTACH_BPF, &prog,
		       sizeof(prog)) == 0, "SO_ATTACH_BPF");
	TRY(send(sv[0], "x", 1, 0) == 1, "send");
	TRY(recv(sv[1], &c, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN,
	    "the filter program drops the datagram");
	printf("bpf: ok\n");
}

/* ---- inotify, fanotify ---- */

static void t_inotify(void)
{
	char buf[512];
	struct inotify_event *ev = (void *)buf;
	int fd;

	mkdir("ino", 0755);
	fd = inotify_init1(IN_NONBLOCK);
	TRY(fd >= 0, "inotify_init1");
	TRY(inotify_add_watch(fd, "ino", IN_CREATE) >= 0,
	    "inotify_add_watch");
	put_file("ino/new", "x");
	TRY(read(fd, buf, sizeof(buf)) > 0 && (ev->mask & IN_CREATE) &&
	    !strcmp(ev->name, "new"), "IN_CREATE event");
	close(fd);
	unlink("ino/new");
	rmdir("ino");
	printf("inotify: ok\n");
}

static void t_fanotify(void)
{
	char buf[4096];
	struct fanotify_event_metadata *m = (void *)buf;
	int fd, f;

	put_file("fan", "data");
	fd = syscall(__NR_fanotify_init, FAN_CLASS_NOTIF | FAN_NONBLOCK, O_RDONLY);
	TRY(fd >= 0, "fanotify_init");
	TRY(syscall(__NR_fanotify_mark, fd, FAN_MARK_ADD,
		    FAN_OPEN | FAN_CLOSE_WRITE, AT_FDCWD, "fan") == 0,
	    "fanotify_mark");
	f = open("fan", O_RDONLY);
	close(f);
	TRY(read(fd, buf, sizeof(buf)) >= (ssize_t)sizeof(*m) &&
	    (m->mask & FAN_OPEN) && m->pid == getpid(), "FAN_OPEN event");
	if (m->fd >= 0)
		close(m->fd);
	close(fd);
	unlink("fan");
	printf("fanotify: ok\n");
}

/* ---- userfaultfd ---- */

static char *uffd_area;

static void *uffd_toucher(void *arg)
{
	return (void *)(long)uffd_area[123];
}

static void t_userfaultfd(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	struct uffdio_copy copy;
	struct uffd_msg msg;
	struct pollfd pfd;
	pthread_t th;
	char *src;
	void *ret;
	int fd;

	fd = syscall(__NR_userfaultfd, O_CLOEXEC);
	TRY(fd >= 0, "userfaultfd");
	TRY(ioctl(fd, UFFDIO_API, &api) == 0, "UFFDIO_API");
	uffd_area = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(src, 'U', 4096);
	reg.range.start = (unsigned long)uffd_area;
	reg.range.len = 4096;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	TRY(ioctl(fd, UFFDIO_REGISTER, &reg) == 0, "UFFDIO_REGISTER");
	pthread_create(&th, NULL, uffd_toucher, NULL);
	pfd.fd = fd;
	pfd.events = POLLIN;
	TRY(poll(&pfd, 1, 5000) == 1, "poll for the fault");
	TRY(read(fd, &msg, sizeof(msg)) == sizeof(msg) &&
	    msg.event == UFFD_EVENT_PAGEFAULT, "UFFD_EVENT_PAGEFAULT");
	copy.dst = (unsigned long)uffd_area;
	copy.src = (unsigned long)src;
	copy.len = 4096;
	copy.mode = 0;
	TRY(ioctl(fd, UFFDIO_COPY, &copy) == 0, "UFFDIO_COPY");
	pthread_join(th, &ret);
	TRY((long)ret == 'U', "the faulting thread sees the copied page");
	close(fd);
	printf("userfaultfd: ok\n");
}

/* ---- AIO ---- */

static void t_aio(void)
{
	aio_context_t ctx = 0;
	struct iocb cb = { 0 }, *cbs[1] = { &cb };
	struct io_event ev;
	char buf[16] = "";
	int fd;

	put_file("aio", "async data");
	fd = open("aio", O_RDONLY);
	TRY(syscall(__NR_io_setup, 4, &ctx) == 0, "io_setup");
	cb.aio_fildes = fd;
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_buf = (unsigned long)buf;
	cb.aio_nbytes = 10;
	cb.aio_data = 77;
	TRY(syscall(__NR_io_submit, ctx, 1, cbs) == 1, "io_submit");
	TRY(syscall(__NR_io_getevents, ctx, 1, 1, &ev, NULL) == 1 &&
	    ev.data == 77 && ev.res == 10, "io_getevents");
	TRY(!memcmp(buf, "async data", 10), "data read");
	syscall(__NR_io_destroy, ctx);
	close(fd);
	unlink("aio");
	printf("aio: ok\n");
}

/* ---- POSIX message queues ---- */

static volatile sig_atomic_t mq_signalled;

static void on_mq(int sig, siginfo_t *si, void *uc)
{
	if (si->si_code == SI_MESGQ)
		mq_signalled = 1;
}

static void t_mqueue(void)
{
	struct sigaction sa = { .sa_sigaction = on_mq, .sa_flags = SA_SIGINFO };
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 32 };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR1 };
	char buf[32];
	unsigned int prio;
	mqd_t q;
	int i;

	sigaction(SIGUSR1, &sa, NULL);
	mq_unlink("/uml-test");
	q = mq_open("/uml-test", O_RDWR | O_CREAT, 0600, &attr);
	TRY(q != (mqd_t)-1, "mq_open");
	TRY(mq_notify(q, &sev) == 0, "mq_notify");
	TRY(mq_send(q, "hello", 5, 3) == 0, "mq_send");
	for (i = 0; i < 100 && !mq_signalled; i++)
		usleep(10000);
	TRY(mq_signalled, "the notification signal");
	TRY(mq_receive(q, buf, sizeof(buf), &prio) == 5 && prio == 3 &&
	    !memcmp(buf, "hello", 5), "mq_receive");
	mq_close(q);
	mq_unlink("/uml-test");
	printf("mqueue: ok\n");
}

/* ---- xattrs and POSIX ACLs ---- */

/* system.posix_acl_access granting uid 1000 read on a 0600 file */
static const unsigned int acl_blob[] = {
	2,				/* version */
	0x01 | (6 << 16), 0xffffffff,	/* USER_OBJ rw- */
	0x02 | (4 << 16), 1000,		/* USER 1000 r-- */
	0x04 | (0 << 16), 0xffffffff,	/* GROUP_OBJ --- */
	0x10 | (4 << 16), 0xffffffff,	/* MASK r-- */
	0x20 | (0 << 16), 0xffffffff,	/* OTHER --- */
};

static const char *acl_path;

static int acl_reader(void)
{
	if (setuid(1000))
		return 2;
	return open(acl_path, O_RDONLY) >= 0 ? 0 : 1;
}

static void xattr_acl_on(const char *dir, const char *fs)
{
	char path[128], val[16] = "";
	unsigned short blob[sizeof(acl_blob) / 2];
	size_t i;

	/* the ACL xattr is little-endian {u16 tag, u16 perm, u32 id} */
	for (i = 0; i < sizeof(acl_blob) / 4; i++) {
		if (i == 0) {
			memcpy(blob, acl_blob, 4);
			continue;
		}
		memcpy((char *)blob + i * 4, &acl_blob[i], 4);
	}
	snprintf(path, sizeof(path), "%s/xa", dir);
	put_file(path, "acl");
	chmod(path, 0600);
	TRY(setxattr(path, "user.uml", "value", 5, 0) == 0, fs);
	TRY(getxattr(path, "user.uml", val, sizeof(val)) == 5 &&
	    !memcmp(val, "value", 5), fs);
	acl_path = path;
	TRY(in_child(acl_reader) == 1, "uid 1000 cannot read before the ACL");
	TRY(setxattr(path, "system.posix_acl_access", blob, sizeof(blob), 0) == 0,
	    fs);
	TRY(in_child(acl_reader) == 0, "uid 1000 reads through the ACL");
	unlink(path);
}

static void t_xattr(void)
{
	xattr_acl_on(".", "xattr/ACL on ext4");
	if (failed)
		return;
	mkdir("tmpfs", 0755);
	TRY(mount("tmpfs", "tmpfs", "tmpfs", 0, "size=1m") == 0, "mount tmpfs");
	xattr_acl_on("tmpfs", "xattr/ACL on tmpfs");
	umount("tmpfs");
	rmdir("tmpfs");
	if (!failed)
		printf("xattr: ok\n");
}

/* ---- splice, tee, vmsplice, sendfile, copy_file_range ---- */

static void t_splice(void)
{
	char buf[64] = "";
	int in, out, p[2], q[2], sv[2];
	loff_t off = 0;
	struct iovec iov = { .iov_base = "vmspliced", .iov_len = 9 };

	put_file("sp_in", "spliced data");
	in = open("sp_in", O_RDONLY);
	out = open("sp_out", O_RDWR | O_CREAT | O_TRUNC, 0644);
	TRY(pipe(p) == 0 && pipe(q) == 0, "pipe");
	TRY(splice(in, &off, p[1], NULL, 12, 0) == 12, "splice file -> pipe");
	TRY(tee(p[0], q[1], 12, 0) == 12, "tee");
	TRY(splice(p[0], NULL, out, NULL, 12, 0) == 12, "splice pipe -> file");
	TRY(pread(out, buf, 12, 0) == 12 && !memcmp(buf, "spliced data", 12),
	    "spliced file data");
	TRY(read(q[0], buf, 12) == 12 && !memcmp(buf, "spliced data", 12),
	    "tee'd data");
	TRY(vmsplice(p[1], &iov, 1, 0) == 9 && read(p[0], buf, 9) == 9 &&
	    !memcmp(buf, "vmspliced", 9), "vmsplice");
	off = 0;
	TRY(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	TRY(sendfile(sv[0], in, &off, 12) == 12 && read(sv[1], buf, 12) == 12 &&
	    !memcmp(buf, "spliced data", 12), "sendfile file -> socket");
	off = 0;
	TRY(ftruncate(out, 0) == 0 && sendfile(out, in, &off, 12) == 12,
	    "sendfile file -> file");
	off = 0;
	TRY(copy_file_range(in, &off, out, NULL, 12, 0) == 12,
	    "copy_file_range");
	TRY(pread(out, buf, 24, 0) == 24 && !memcmp(buf + 12, "spliced data", 12),
	    "file data after sendfile and copy_file_range");
	close(in);
	close(out);
	unlink("sp_in");
	unlink("sp_out");
	printf("splice: ok\n");
}

/* ---- loop devices: a file as a block device, as losetup does ---- */

static void t_loop(void)
{
	struct loop_info64 info;
	char dev[32], buf[512];
	int ctl, n, f, d;

	put_file("loopimg", "");
	f = open("loopimg", O_RDWR);
	TRY(f >= 0 && ftruncate(f, 1 << 20) == 0, "backing file");
	memset(buf, 0x5a, sizeof(buf));
	TRY(pwrite(f, buf, sizeof(buf), 4096) == sizeof(buf), "write");
	ctl = open("/dev/loop-control", O_RDWR);
	TRY(ctl >= 0, "/dev/loop-control");
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	TRY(n >= 0, "LOOP_CTL_GET_FREE");
	snprintf(dev, sizeof(dev), "/dev/loop%d", n);
	d = open(dev, O_RDWR);
	TRY(d >= 0, dev);
	TRY(ioctl(d, LOOP_SET_FD, f) == 0, "LOOP_SET_FD");
	memset(buf, 0, sizeof(buf));
	TRY(pread(d, buf, sizeof(buf), 4096) == sizeof(buf) &&
	    buf[0] == 0x5a && buf[511] == 0x5a, "read through the loop");
	TRY(ioctl(d, LOOP_GET_STATUS64, &info) == 0, "LOOP_GET_STATUS64");
	TRY(ioctl(d, LOOP_CLR_FD, 0) == 0, "LOOP_CLR_FD");
	close(d);
	close(ctl);
	close(f);
	unlink("loopimg");
	printf("loop: ok (%s)\n", dev);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "namespaces", t_namespaces }, { "cgroup", t_cgroup },
	{ "keys", t_keys }, { "bpf", t_bpf }, { "inotify", t_inotify },
	{ "fanotify", t_fanotify }, { "userfaultfd", t_userfaultfd },
	{ "aio", t_aio }, { "mqueue", t_mqueue }, { "xattr", t_xattr },
	{ "splice", t_splice }, { "loop", t_loop },
};

int main(int argc, char **argv)
{
	int i, j, failures = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 0; i < (int)(sizeof(tests) / sizeof(tests[0])); i++) {
		int st;
		pid_t pid;

		if (argc > 1) {
			for (j = 1; j < argc; j++)
				if (!strcmp(argv[j], tests[i].name))
					break;
			if (j == argc)
				continue;
		}
		/* each in its own process: namespaces and signals stay there */
		pid = fork();
		if (pid == 0) {
			cur = tests[i].name;
			tests[i].fn();
			_exit(failed);
		}
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			if (!WIFEXITED(st))
				printf("%s: FAILED killed by signal %d\n",
				       tests[i].name, WTERMSIG(st));
			failures++;
		}
	}
	printf("features: %d failed\n", failures);
	return failures;
}
