// SPDX-License-Identifier: GPL-2.0
/* The management console's host side: one unix datagram socket. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <host/mconsole.h>

_Static_assert(sizeof(((struct host_mc_peer *)0)->addr) >=
	       sizeof(struct sockaddr_un), "peer address room");

static int unix_addr(const char *path, struct sockaddr_un *sun)
{
	size_t n = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memcpy(sun->sun_path, path, n + 1);
	return 0;
}

int host_mconsole_open(const char *path)
{
	struct sockaddr_un sun;
	int fd, err;

	err = unix_addr(path, &sun);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

long host_mconsole_recv(int fd, void *buf, unsigned long len,
			struct host_mc_peer *peer)
{
	socklen_t alen = sizeof(peer->addr);
	ssize_t n;

	do {
		alen = sizeof(peer->addr);
		n = recvfrom(fd, buf, len, MSG_DONTWAIT | MSG_TRUNC,
			     (struct sockaddr *)peer->addr, &alen);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	/* an unbound sender has only the family (or nothing) */
	peer->len = alen > sizeof(sa_family_t) ? alen : 0;
	return n;
}

int host_mconsole_send(int fd, const void *buf, unsigned long len,
		       const struct host_mc_peer *peer)
{
	ssize_t n;

	if (!peer->len)
		return -ENOTCONN;
	do {
		n = sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL,
			   (const struct sockaddr *)peer->addr, peer->len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return 0;
}

int host_mconsole_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, timeout_ms) == 1 && (pfd.revents & POLLIN);
}

void host_mconsole_close(int fd, const char *path)
{
	close(fd);
	unlink(path);
}

int host_mconsole_notify(const char *path, const void *buf,
			 unsigned long len)
{
	struct sockaddr_un sun;
	int fd, err;

	err = unix_addr(path, &sun);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = 0;
	if (sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL,
		   (struct sockaddr *)&sun, sizeof(sun)) < 0)
		err = -errno;
	close(fd);
	return err;
}

void host_mconsole_sleep_us(unsigned long us)
{
	struct timespec ts = { .tv_sec = us / 1000000,
			       .tv_nsec = (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void host_mconsole_freeze(int *frozen)
{
	while (__atomic_load_n(frozen, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, frozen, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
}

void host_mconsole_thaw(int *frozen)
{
	__atomic_store_n(frozen, 0, __ATOMIC_RELEASE);
	syscall(SYS_futex, frozen, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL,
		NULL, 0);
}
