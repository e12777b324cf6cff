// SPDX-License-Identifier: GPL-2.0
/*
 * Transport "user[,MAC]": networking with no privilege and no host set-up,
 * through passt (Debian's package of that name), which the kernel starts
 * on one end of a socket pair (passt -F FD).  passt gives the guest an
 * address, a gateway and DNS servers by DHCP, and turns the guest's TCP,
 * UDP and ICMP into ordinary host sockets.  We ask for the addresses
 * other VM monitors use: the guest is 10.0.2.15/24, the gateway 10.0.2.2,
 * and connections to the gateway go to the host's loopback (passt's
 * gateway mapping), so http://10.0.2.2:PORT/ in the guest is
 * 127.0.0.1:PORT on the host.
 *
 * The wire format is passt's "qemu" stream: each frame is preceded by its
 * length, 4 bytes big-endian.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "net_user.h"

#define PASST_PROG	"passt"
#define PASST_FRAME_MAX	65535
#define PASST_BUF	(PASST_FRAME_MAX + 4 + 65536)
#define PASST_IOV_MAX	1024	/* buffers in one writev() (IOV_MAX) */

struct passt {
	int fd;
	pid_t pid;
	size_t head, tail;	/* received bytes waiting in rx[head, tail) */
	size_t tx_left;		/* a partly sent batch's rest, in tx */
	unsigned char rx[PASST_BUF];
	unsigned char tx[PASST_BUF];
	/* a batch being sent (kept off the small kernel stack) */
	struct iovec iov[PASST_IOV_MAX];
	unsigned char lens[HOST_NET_BATCH][4];
};

static const char *passt_parse(void *priv, char **argv, int argc,
			       unsigned char *mac, int *mac_set)
{
	if (argc > 2)
		return "too many fields";
	if (argc > 1)
		return net_parse_mac(argv[1], mac, mac_set);
	return NULL;
}

/*
 * passt answers the guest's ICMP echo with the host's "ping" sockets
 * (SOCK_DGRAM, IPPROTO_ICMP), which only the groups in the host's
 * net.ipv4.ping_group_range may open; its default, "1 0", is no group.
 * passt runs as nobody (group nogroup, 65534) when started by root, else
 * as we do.  Say so when ping cannot work: a silent 100% loss misleads.
 */
static void passt_check_ping(struct host_net_info *info)
{
	unsigned long lo, hi, gid = geteuid() ? getegid() : 65534;
	FILE *f = fopen("/proc/sys/net/ipv4/ping_group_range", "re");
	int n;

	if (!f)
		return;
	n = fscanf(f, "%lu %lu", &lo, &hi);
	fclose(f);
	if (n == 2 && (gid < lo || gid > hi))
		snprintf(info->note, sizeof(info->note),
			 "ping through passt needs the host's net.ipv4.ping_group_range to include group %lu (it is %lu %lu): sysctl -w net.ipv4.ping_group_range='0 2147483647'",
			 gid, lo, hi);
}

static int passt_open(void *priv, const unsigned char *mac,
		      struct host_net_info *info, char *msg, int len)
{
	struct passt *p = priv;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	char fdarg[16];
	int sv[2], child, err;
	char *argv[] = {
		PASST_PROG, "-f", "-q", "-1", "-F", fdarg,
		"-a", "10.0.2.15", "-n", "24", "-g", "10.0.2.2",
		"-m", "1500", NULL
	};

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return net_fail(msg, len, -errno, "socketpair: %s",
				strerror(errno));
	/* passt gets its end as descriptor 3 (4 if ours happens to be 3) */
	child = sv[1] == 3 ? 4 : 3;
	snprintf(fdarg, sizeof(fdarg), "%d", child);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], child);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
	err = posix_spawnp(&p->pid, PASST_PROG, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(sv[1]);
	if (err) {
		close(sv[0]);
		return net_fail(msg, len, -err,
				"cannot start %s: %s (install the passt package)",
				PASST_PROG, strerror(err));
	}
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	p->fd = sv[0];
	p->head = p->tail = p->tx_left = 0;
	info->fd = p->fd;
	info->max_frame = 1518 + 64;
	passt_check_ping(info);
	return 0;
}

/* push out what a short write left; 0 when all of it went */
static int passt_flush(struct passt *p)
{
	while (p->tx_left) {
		ssize_t r = write(p->fd, p->tx, p->tx_left);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN ? -EAGAIN : -errno;
		memmove(p->tx, p->tx + r, p->tx_left - r);
		p->tx_left -= r;
	}
	return 0;
}

/* take frames out of rx[]; read more when no whole frame is there */
static int passt_recv(void *priv, struct host_net_pkt *pkts, int n)
{
	struct passt *p = priv;
	int got = 0;

	/* a frame half sent when the socket was full: finish it now */
	if (p->tx_left) {
		int r = passt_flush(p);

		if (r && r != -EAGAIN)
			return r;
	}
	while (got < n) {
		size_t have = p->tail - p->head;
		unsigned char *h = p->rx + p->head;
		ssize_t r;

		if (have >= 4) {
			size_t flen = (size_t)h[0] << 24 | h[1] << 16 |
				h[2] << 8 | h[3];

			if (flen > PASST_FRAME_MAX)
				/* the stream lost its framing: start again */
				return got ? got : -EPROTO;
			if (have >= 4 + flen) {
				net_copy_to_pkt(&pkts[got++], h + 4, flen);
				p->head += 4 + flen;
				continue;
			}
		}
		if (p->head) {
			memmove(p->rx, h, have);
			p->head = 0;
			p->tail = have;
		}
		r = read(p->fd, p->rx + p->tail, sizeof(p->rx) - p->tail);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN || got ? got : -errno;
		if (r == 0)
			return got ? got : -ECONNRESET;
		p->tail += r;
	}
	return got;
}

/*
 * One writev() of as many of the @n frames as fit in IOV_MAX buffers,
 * each after its length.  Returns the frames taken (a short write keeps
 * their rest in tx[]), 0 when the socket is full, or a negative errno.
 */
static int passt_send_some(struct passt *p, struct host_net_pkt *pkts, int n)
{
	struct iovec *iov = p->iov;
	size_t total = 0, done;
	ssize_t r;
	int i, j, k = 0;

	for (i = 0; i < n && k + 1 + pkts[i].niov <= PASST_IOV_MAX; i++) {
		size_t flen = 0;

		for (j = 0; j < pkts[i].niov; j++)
			flen += pkts[i].iov[j].len;
		p->lens[i][0] = flen >> 24;
		p->lens[i][1] = flen >> 16;
		p->lens[i][2] = flen >> 8;
		p->lens[i][3] = flen;
		iov[k].iov_base = p->lens[i];
		iov[k++].iov_len = 4;
		memcpy(iov + k, pkts[i].iov, pkts[i].niov * sizeof(*iov));
		k += pkts[i].niov;
		total += 4 + flen;
	}
	n = i;
	do {
		r = writev(p->fd, iov, k);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno == EAGAIN ? 0 : -errno;
	/* keep the rest of a short write so the stream stays framed */
	done = r;
	for (i = 0; i < k && (size_t)r < total; i++) {
		size_t l = iov[i].iov_len;
		const char *b = iov[i].iov_base;

		if (done >= l) {
			done -= l;
			continue;
		}
		b += done;
		l -= done;
		done = 0;
		if (p->tx_left + l > sizeof(p->tx))
			return -ENOBUFS;
		memcpy(p->tx + p->tx_left, b, l);
		p->tx_left += l;
	}
	return n;
}

static int passt_send(void *priv, struct host_net_pkt *pkts, int n)
{
	struct passt *p = priv;
	int sent = 0, r;

	while (sent < n) {
		r = passt_flush(p);
		if (r == -EAGAIN)
			break;
		if (r)
			return sent ? sent : r;
		r = passt_send_some(p, pkts + sent, n - sent);
		if (r < 0)
			return sent ? sent : r;
		if (!r)
			break;
		sent += r;
	}
	return sent;
}

static void passt_close(void *priv)
{
	struct passt *p = priv;

	close(p->fd);
	p->fd = -1;
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		p->pid = 0;
	}
}

const struct net_transport net_passt = {
	.name	= "user",
	.usage	= "[,MAC]",
	.parse	= passt_parse,
	.open	= passt_open,
	.recv	= passt_recv,
	.send	= passt_send,
	.close	= passt_close,
};
