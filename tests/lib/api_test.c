// SPDX-License-Identifier: GPL-2.0
/*
 * liblinux through its C API, driven by tests/test_lib.py.
 *
 *   api_test write IMAGE     start, mount the ext4 IMAGE, make a tree, stop
 *   api_test read IMAGE      start, mount, read the tree back and check it
 *   api_test fdread IMAGE    the same with the disk given as a descriptor
 *   api_test threads IMAGE   THREADS threads create, write, read and remove
 *                            files at once
 *   api_test badptr IMAGE    a bad buffer is EFAULT, the process lives on
 *   api_test signals IMAGE   the application's own SIGALRM and SIGSEGV
 *                            handlers still run
 *   api_test socket IMAGE    a unix and a TCP connection inside the kernel
 *                            (loopback), a thread on each end
 *   api_test clock IMAGE     the kernel's clocksource (sysfs mounted on /sys)
 *   api_test hotplug IMAGE IMAGE2
 *                            IMAGE2 added to the running kernel, written,
 *                            removed, added again read-only and read back
 *   api_test net IMAGE TAP   eth0 added at run time on the host's TAP; a TCP
 *                            server on 10.77.0.2:7777 answers one client,
 *                            then a connection out to 10.77.0.1:7778
 *   api_test kallsyms IMAGE FILE
 *                            the kernel's /proc/kallsyms copied to FILE, and
 *                            where liblinux_stop() is in this process
 *
 * Prints "OK ..." on success, "FAIL: ..." and exits 1 otherwise; "start-ms
 * N" is the time from liblinux_start() to a mounted filesystem.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <liblinux.h>

#define THREADS		8
#define PER_THREAD	100

static void fail(const char *what, long err)
{
	printf("FAIL: %s: %s\n", what, err < 0 ? strerror(-err) : "wrong");
	exit(1);
}

#define CHECK(call) do {				\
	long __r = (call);				\
	if (__r < 0)					\
		fail(#call, __r);			\
} while (0)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void start(const char *image, int by_fd)
{
	struct liblinux_disk disk = { .path = image };
	struct liblinux_params p = { .disks = &disk, .ndisks = 1 };
	double t0 = now_ms(), c0 = cpu_ms();

	if (by_fd) {
		/* the disk as a descriptor the application opened */
		disk.path = NULL;
		disk.fd = open(image, O_RDWR);
		if (disk.fd < 0)
			fail(image, -errno);
	}
	CHECK(liblinux_start(&p));
	CHECK(liblinux_mkdir("/mnt", 0755));
	CHECK(liblinux_mount("/dev/ubda", "/mnt", "ext4", 0, NULL));
	printf("start-ms %.2f start-cpu-ms %.2f\n", now_ms() - t0,
	       cpu_ms() - c0);
}

static void put_file(const char *path, const char *text, mode_t mode)
{
	int fd = liblinux_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		fail(path, fd);
	if (liblinux_write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail("write", -EIO);
	CHECK(liblinux_close(fd));
	CHECK(liblinux_chmod(path, mode));
}

static void check_file(const char *path, const char *text, mode_t mode)
{
	char buf[4096];
	struct stat st;
	int fd = liblinux_open(path, O_RDONLY, 0);
	ssize_t n;

	if (fd < 0)
		fail(path, fd);
	n = liblinux_read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		fail("read", n);
	buf[n] = '\0';
	if (strcmp(buf, text))
		fail(path, 0);
	CHECK(liblinux_fstat(fd, &st));
	if ((st.st_mode & 07777) != mode || st.st_size != n)
		fail("mode or size", 0);
	CHECK(liblinux_close(fd));
}

static void do_write(void)
{
	char big[100000];
	int fd, i;

	CHECK(liblinux_mkdir("/mnt/tree", 0755));
	CHECK(liblinux_mkdir("/mnt/tree/sub", 0700));
	put_file("/mnt/tree/hello.txt", "hello, world\n", 0644);
	put_file("/mnt/tree/sub/secret", "only me\n", 0600);
	put_file("/mnt/tree/run.sh", "#!/bin/sh\necho hi\n", 0755);
	put_file("/mnt/tree/gone", "removed\n", 0644);
	CHECK(liblinux_unlink("/mnt/tree/gone"));
	put_file("/mnt/tree/old-name", "renamed\n", 0640);
	CHECK(liblinux_rename("/mnt/tree/old-name", "/mnt/tree/new-name"));
	CHECK(liblinux_symlink("hello.txt", "/mnt/tree/link"));
	CHECK(liblinux_link("/mnt/tree/hello.txt", "/mnt/tree/hard"));
	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = 'a' + i % 26;
	fd = liblinux_open("/mnt/tree/big", O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		fail("big", fd);
	if (liblinux_write(fd, big, sizeof(big)) != sizeof(big))
		fail("write big", -EIO);
	CHECK(liblinux_close(fd));
	printf("OK write\n");
}

static void do_read(void)
{
	char buf[4096], big[100000];
	struct stat st;
	int fd, n, pos, names = 0, i;

	check_file("/mnt/tree/hello.txt", "hello, world\n", 0644);
	check_file("/mnt/tree/sub/secret", "only me\n", 0600);
	check_file("/mnt/tree/run.sh", "#!/bin/sh\necho hi\n", 0755);
	check_file("/mnt/tree/new-name", "renamed\n", 0640);
	if (liblinux_stat("/mnt/tree/gone", &st) != -ENOENT ||
	    liblinux_stat("/mnt/tree/old-name", &st) != -ENOENT)
		fail("removed files", 0);
	n = liblinux_readlink("/mnt/tree/link", buf, sizeof(buf));
	if (n != 9 || memcmp(buf, "hello.txt", 9))
		fail("readlink", n);
	CHECK(liblinux_stat("/mnt/tree/hard", &st));
	if (st.st_nlink != 2)
		fail("hard link count", 0);
	fd = liblinux_open("/mnt/tree/big", O_RDONLY, 0);
	if (fd < 0 || liblinux_read(fd, big, sizeof(big)) != sizeof(big))
		fail("read big", fd);
	for (i = 0; i < (int)sizeof(big); i++)
		if (big[i] != 'a' + i % 26)
			fail("big contents", 0);
	liblinux_close(fd);

	fd = liblinux_open("/mnt/tree", O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		fail("open dir", fd);
	while ((n = liblinux_getdents(fd, buf, sizeof(buf))) > 0) {
		for (pos = 0; pos < n;) {
			struct liblinux_dirent64 *d = (void *)(buf + pos);

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
				names++;
			pos += d->d_reclen;
		}
	}
	if (n < 0)
		fail("getdents", n);
	liblinux_close(fd);
	/* hello.txt sub run.sh new-name link hard big */
	if (names != 7)
		fail("directory entries", 0);
	printf("OK read\n");
}

static void *worker(void *arg)
{
	long id = (long)arg;
	char path[64], text[64], buf[64];
	int i;

	snprintf(path, sizeof(path), "/mnt/t%ld", id);
	CHECK(liblinux_mkdir(path, 0755));
	for (i = 0; i < PER_THREAD; i++) {
		int fd, n;

		snprintf(path, sizeof(path), "/mnt/t%ld/f%d", id, i);
		snprintf(text, sizeof(text), "thread %ld file %d", id, i);
		fd = liblinux_open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			fail(path, fd);
		if (liblinux_write(fd, text, strlen(text)) != (ssize_t)strlen(text))
			fail("thread write", -EIO);
		n = liblinux_pread(fd, buf, sizeof(buf), 0);
		if (n != (int)strlen(text) || memcmp(buf, text, n))
			fail("thread read back", n);
		CHECK(liblinux_close(fd));
		if (i % 2)
			CHECK(liblinux_unlink(path));
	}
	return NULL;
}

static void do_threads(void)
{
	pthread_t th[THREADS];
	struct stat st;
	long i;

	for (i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < THREADS; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/mnt/t%ld/f%d", i, PER_THREAD - 2);
		CHECK(liblinux_stat(path, &st));
		snprintf(path, sizeof(path), "/mnt/t%ld/f%d", i, PER_THREAD - 1);
		if (liblinux_stat(path, &st) != -ENOENT)
			fail("unlinked file", 0);
	}
	printf("OK threads %d x %d\n", THREADS, PER_THREAD);
}

static void do_badptr(void)
{
	int fd = liblinux_open("/mnt/x", O_RDWR | O_CREAT, 0644);
	long r;

	if (fd < 0)
		fail("open", fd);
	r = liblinux_write(fd, (void *)16, 100);
	if (r != -EFAULT)
		fail("write from a bad pointer", r);
	r = liblinux_open((const char *)8, O_RDONLY, 0);
	if (r != -EFAULT)
		fail("open of a bad path pointer", r);
	liblinux_close(fd);
	printf("OK badptr\n");
}

static volatile sig_atomic_t alarms;
static sigjmp_buf segv_jmp;

static void on_alarm(int sig)
{
	alarms++;
}

static void on_segv(int sig)
{
	siglongjmp(segv_jmp, 1);
}

static void do_signals(void)
{
	struct stat st;

	/* SIGSEGV's handler went in before liblinux_start(): it chains */
	signal(SIGALRM, on_alarm);
	alarm(1);
	while (!alarms)
		CHECK(liblinux_stat("/mnt", &st));
	if (!sigsetjmp(segv_jmp, 1)) {
		*(volatile int *)8 = 1;
		fail("no SIGSEGV", 0);
	}
	/* and the kernel still answers */
	CHECK(liblinux_stat("/mnt", &st));
	printf("OK signals\n");
}

static struct sockaddr_un unix_addr = { AF_UNIX, "/mnt/sock" };
static struct sockaddr_in tcp_addr = { AF_INET, 0, { 0 } };

/* the client end: connect, send a greeting, read the reply */
static void *sock_client(void *arg)
{
	long inet = (long)arg;
	char buf[64];
	int fd = liblinux_socket(inet ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
	long n;

	if (fd < 0)
		fail("client socket", fd);
	CHECK(liblinux_connect(fd, inet ? (void *)&tcp_addr : (void *)&unix_addr,
			       inet ? sizeof(tcp_addr) : sizeof(unix_addr)));
	n = liblinux_sendto(fd, "ping", 4, 0, NULL, 0);
	if (n != 4)
		fail("send", n);
	n = liblinux_recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL);
	if (n != 4 || memcmp(buf, "pong", 4))
		fail("client recv", n);
	CHECK(liblinux_close(fd));
	return NULL;
}

static void sock_pair(int inet)
{
	int one = 1, s, c;
	char buf[64];
	pthread_t th;
	long n;

	s = liblinux_socket(inet ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
	if (s < 0)
		fail("socket", s);
	if (inet)
		CHECK(liblinux_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
					  sizeof(one)));
	CHECK(liblinux_bind(s, inet ? (void *)&tcp_addr : (void *)&unix_addr,
			    inet ? sizeof(tcp_addr) : sizeof(unix_addr)));
	CHECK(liblinux_listen(s, 4));
	/* accept blocks in the kernel while the client thread connects */
	pthread_create(&th, NULL, sock_client, (void *)(long)inet);
	c = liblinux_accept(s, NULL, NULL);
	if (c < 0)
		fail("accept", c);
	n = liblinux_recvfrom(c, buf, sizeof(buf), 0, NULL, NULL);
	if (n != 4 || memcmp(buf, "ping", 4))
		fail("server recv", n);
	if (liblinux_sendto(c, "pong", 4, 0, NULL, 0) != 4)
		fail("server send", -EIO);
	pthread_join(th, NULL);
	liblinux_close(c);
	liblinux_close(s);
}

static void do_socket(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	sock_pair(0);
	/* nothing brings the kernel's loopback up but the application */
	fd = liblinux_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		fail("socket", fd);
	CHECK(liblinux_syscall(SYS_ioctl, (long)fd, (long)SIOCGIFFLAGS,
			       (long)&ifr));
	ifr.ifr_flags |= IFF_UP;
	CHECK(liblinux_syscall(SYS_ioctl, (long)fd, (long)SIOCSIFFLAGS,
			       (long)&ifr));
	liblinux_close(fd);
	tcp_addr.sin_port = htons(7777);
	tcp_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sock_pair(1);
	printf("OK socket\n");
}

static void do_hotplug(const char *image2)
{
	struct liblinux_disk missing = { .path = "/nonexistent/disk.img" };
	struct liblinux_disk disk = { .path = image2 };
	struct stat st;
	char msg[256];
	int n;

	if (liblinux_disk_add(&missing) >= 0)
		fail("adding a missing file", 0);
	n = liblinux_disk_add(&disk);
	CHECK(n);
	if (n != 1)
		fail("the second disk is not number 1", 0);
	CHECK(liblinux_stat("/dev/ubdb", &st));
	CHECK(liblinux_mkdir("/hot", 0755));
	CHECK(liblinux_mount("/dev/ubdb", "/hot", "ext4", 0, NULL));
	put_file("/hot/plugged", "plugged in\n", 0644);
	if (liblinux_disk_remove(n) != -EBUSY)
		fail("removing a mounted disk is not EBUSY", 0);
	CHECK(liblinux_umount("/hot", 0));
	CHECK(liblinux_disk_remove(n));
	if (liblinux_stat("/dev/ubdb", &st) != -ENOENT)
		fail("/dev/ubdb still there after the removal", 0);
	if (liblinux_disk_remove(n) != -ENODEV)
		fail("removing it twice is not ENODEV", 0);

	/* again, read-only: what was written is there, nothing can write */
	disk.readonly = 1;
	if (liblinux_disk_add(&disk) != n)
		fail("the disk came back under another number", 0);
	CHECK(liblinux_mount("/dev/ubdb", "/hot", "ext4", MS_RDONLY, NULL));
	check_file("/hot/plugged", "plugged in\n", 0644);
	if (liblinux_open("/hot/new", O_WRONLY | O_CREAT, 0644) != -EROFS)
		fail("writing to the read-only disk is not EROFS", 0);
	CHECK(liblinux_umount("/hot", 0));
	CHECK(liblinux_disk_remove(n));

	if (liblinux_config("nosuch0=x", 0, msg, sizeof(msg)) != -ENODEV ||
	    !strstr(msg, "nosuch0"))
		fail("an unknown device kind", 0);
	printf("OK hotplug\n");
}

static void set_if(int fd, unsigned long req, const char *name,
		   in_addr_t addr)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	strcpy(ifr.ifr_name, name);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = addr;
	CHECK(liblinux_syscall(SYS_ioctl, (long)fd, (long)req, (long)&ifr));
}

static void if_up(int fd, const char *name)
{
	struct ifreq ifr = { 0 };

	strcpy(ifr.ifr_name, name);
	CHECK(liblinux_syscall(SYS_ioctl, (long)fd, (long)SIOCGIFFLAGS,
			       (long)&ifr));
	ifr.ifr_flags |= IFF_UP;
	CHECK(liblinux_syscall(SYS_ioctl, (long)fd, (long)SIOCSIFFLAGS,
			       (long)&ifr));
}

/* the kernel's own TCP/IP over a host TAP, both ways */
static void do_net(const char *tap)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	char spec[64], msg[256], buf[256], reply[300];
	int fd, s, c, one = 1;
	long n;

	snprintf(spec, sizeof(spec), "eth0=tuntap,%s", tap);
	if (liblinux_config(spec, 0, msg, sizeof(msg))) {
		printf("FAIL: %s: %s\n", spec, msg);
		exit(1);
	}
	fd = liblinux_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(fd);
	set_if(fd, SIOCSIFADDR, "eth0", inet_addr("10.77.0.2"));
	set_if(fd, SIOCSIFNETMASK, "eth0", inet_addr("255.255.255.0"));
	if_up(fd, "eth0");
	liblinux_close(fd);

	s = liblinux_socket(AF_INET, SOCK_STREAM, 0);
	CHECK(s);
	CHECK(liblinux_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
				  sizeof(one)));
	addr.sin_port = htons(7777);
	CHECK(liblinux_bind(s, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(liblinux_listen(s, 4));
	printf("listening\n");
	c = liblinux_accept(s, NULL, NULL);
	CHECK(c);
	n = liblinux_recvfrom(c, buf, sizeof(buf) - 1, 0, NULL, NULL);
	CHECK(n);
	buf[n] = '\0';
	n = snprintf(reply, sizeof(reply), "kernel got: %s", buf);
	if (liblinux_sendto(c, reply, n, 0, NULL, 0) != n)
		fail("send", -EIO);
	CHECK(liblinux_close(c));
	CHECK(liblinux_close(s));

	/* and out, to the host's listener */
	c = liblinux_socket(AF_INET, SOCK_STREAM, 0);
	CHECK(c);
	addr.sin_port = htons(7778);
	addr.sin_addr.s_addr = inet_addr("10.77.0.1");
	CHECK(liblinux_connect(c, (struct sockaddr *)&addr, sizeof(addr)));
	n = strlen("hello from the library's kernel\n");
	if (liblinux_sendto(c, "hello from the library's kernel\n", n, 0, NULL,
			    0) != n)
		fail("send out", -EIO);
	CHECK(liblinux_close(c));
	printf("OK net\n");
}

/* the kernel's clocksource, from its sysfs */
static void do_clock(void)
{
	char buf[64];
	ssize_t n;
	int fd;

	CHECK(liblinux_mkdir("/sys", 0755));
	CHECK(liblinux_mount("sysfs", "/sys", "sysfs", 0, NULL));
	fd = liblinux_open("/sys/devices/system/clocksource/clocksource0/current_clocksource",
			   O_RDONLY, 0);
	CHECK(fd);
	n = liblinux_read(fd, buf, sizeof(buf) - 1);
	CHECK(n);
	buf[n] = '\0';
	CHECK(liblinux_close(fd));
	CHECK(liblinux_umount("/sys", 0));
	printf("clocksource %s", buf);
	printf("OK clock\n");
}

/* the kernel's symbols, to be compared with this program's own */
static void do_kallsyms(const char *out)
{
	char buf[65536];
	ssize_t n;
	int fd = liblinux_open("/proc/kallsyms", O_RDONLY, 0);
	int ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd);
	if (ofd < 0)
		fail(out, -errno);
	while ((n = liblinux_read(fd, buf, sizeof(buf))) > 0)
		if (write(ofd, buf, n) != n)
			fail("write", -errno);
	CHECK(n);
	close(ofd);
	CHECK(liblinux_close(fd));
	printf("liblinux_stop %lx\n", (unsigned long)&liblinux_stop);
	printf("OK kallsyms\n");
}

int main(int argc, char **argv)
{
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3 && !(argc == 4 && (!strcmp(argv[1], "hotplug") ||
					  !strcmp(argv[1], "net") ||
					  !strcmp(argv[1], "kallsyms")))) {
		fprintf(stderr, "usage: %s write|read|threads|badptr|signals|socket|clock IMAGE\n"
			"       %s hotplug IMAGE IMAGE2 | net IMAGE TAP | kallsyms IMAGE FILE\n",
			argv[0], argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "signals")) {
		/* the application's handlers go in before the library starts */
		signal(SIGSEGV, on_segv);
	}
	start(argv[2], !strcmp(argv[1], "fdread"));
	if (!strcmp(argv[1], "write"))
		do_write();
	else if (!strcmp(argv[1], "read") || !strcmp(argv[1], "fdread"))
		do_read();
	else if (!strcmp(argv[1], "threads"))
		do_threads();
	else if (!strcmp(argv[1], "badptr"))
		do_badptr();
	else if (!strcmp(argv[1], "signals"))
		do_signals();
	else if (!strcmp(argv[1], "socket"))
		do_socket();
	else if (!strcmp(argv[1], "clock"))
		do_clock();
	else if (!strcmp(argv[1], "hotplug") && argc == 4)
		do_hotplug(argv[3]);
	else if (!strcmp(argv[1], "net") && argc == 4)
		do_net(argv[3]);
	else if (!strcmp(argv[1], "kallsyms") && argc == 4)
		do_kallsyms(argv[3]);
	else
		fail("unknown mode", 0);
	err = liblinux_stop();
	if (err)
		fail("liblinux_stop", err);
	if (liblinux_mkdir("/x", 0755) != -ESHUTDOWN)
		fail("a call after stop", 0);
	printf("OK stopped\n");
	return 0;
}
