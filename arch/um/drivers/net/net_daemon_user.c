// SPDX-License-Identifier: GPL-2.0
/*
 * Transport "daemon[,MAC[,unix[,CTLSOCK]]]": a port of a virtual switch
 * (tools/uml_switch, or the classic uml_switch), in the wire format of
 * <uml/switch_proto.h>: a control connection that names our
 * datagram socket, then one raw ethernet frame per datagram.
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <uml/switch_proto.h>
#include "net_user.h"

#define DAEMON_DEFAULT_CTL	"/tmp/uml.ctl"
#define DAEMON_TIMEOUT_MS	5000

struct daemon {
	char ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int ctl, data;
	struct mmsghdr mm[HOST_NET_BATCH];
};

static const char *daemon_parse(void *priv, char **argv, int argc,
				unsigned char *mac, int *mac_set)
{
	struct daemon *d = priv;
	const char *path = DAEMON_DEFAULT_CTL, *err;

	if (argc > 4)
		return "too many fields";
	if (argc > 1) {
		err = net_parse_mac(argv[1], mac, mac_set);
		if (err)
			return err;
	}
	if (argc > 2 && argv[2][0] && strcmp(argv[2], "unix"))
		return "the only socket type is unix";
	if (argc > 3 && argv[3][0])
		path = argv[3];
	if (strlen(path) >= sizeof(d->ctl_path))
		return "control socket path too long";
	if (d)
		snprintf(d->ctl_path, sizeof(d->ctl_path), "%s", path);
	return NULL;
}

/* wait for @fd to be ready for @ev; 0, or -ETIMEDOUT */
static int wait_fd(int fd, short ev, struct timespec *deadline)
{
	struct timespec now;
	long ms;
	struct pollfd p = { .fd = fd, .events = ev };

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (deadline->tv_sec - now.tv_sec) * 1000 +
			(deadline->tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, ms) > 0)
			return 0;
	}
}

static int daemon_open(void *priv, const unsigned char *mac,
		       struct host_net_info *info, char *msg, int len)
{
	static unsigned int seq;
	struct daemon *d = priv;
	struct sockaddr_un sun;
	struct switch_request req;
	struct switch_unix_addr ans;
	struct timespec deadline;
	socklen_t alen;
	size_t got = 0;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += DAEMON_TIMEOUT_MS / 1000;
	d->data = -1;
	d->ctl = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (d->ctl < 0)
		return net_fail(msg, len, -errno, "socket: %s", strerror(errno));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", d->ctl_path);
	if (connect(d->ctl, (struct sockaddr *)&sun, sizeof(sun)) < 0 &&
	    errno != EINPROGRESS) {
		err = -errno;
		net_fail(msg, len, 0, "cannot reach the switch at %s: %s",
			 d->ctl_path, strerror(-err));
		goto fail;
	}

	/* our data socket: an abstract name, used at full length */
	d->data = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (d->data < 0) {
		err = -errno;
		goto fail_msg;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
		 "uml-net-%d-%u-%ld", getpid(), ++seq, (long)deadline.tv_nsec);
	if (bind(d->data, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = -errno;
		goto fail_msg;
	}

	memset(&req, 0, sizeof(req));
	req.magic = SWITCH_MAGIC;
	req.version = SWITCH_VERSION;
	req.type = SWITCH_REQ_NEW_CONTROL;
	memcpy(&req.sock, &sun, sizeof(req.sock));
	err = wait_fd(d->ctl, POLLOUT, &deadline);
	if (!err && write(d->ctl, &req, sizeof(req)) != sizeof(req))
		err = errno ? -errno : -EIO;
	if (err) {
		net_fail(msg, len, 0, "cannot reach the switch at %s: %s",
			 d->ctl_path, strerror(-err));
		goto fail;
	}
	while (got < sizeof(ans)) {
		ssize_t r;

		err = wait_fd(d->ctl, POLLIN, &deadline);
		if (err) {
			net_fail(msg, len, 0, "the switch at %s did not answer",
				 d->ctl_path);
			goto fail;
		}
		r = read(d->ctl, (char *)&ans + got, sizeof(ans) - got);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			err = r < 0 ? -errno : -ECONNRESET;
			net_fail(msg, len, 0,
				 "the switch at %s refused the connection",
				 d->ctl_path);
			goto fail;
		}
		got += r;
	}
	if (ans.family != AF_UNIX) {
		err = -EPROTO;
		net_fail(msg, len, 0, "the switch at %s gave a malformed answer",
			 d->ctl_path);
		goto fail;
	}
	memcpy(&sun, &ans, sizeof(sun));
	alen = sizeof(sun);
	if (sun.sun_path[0]) {
		sun.sun_path[sizeof(sun.sun_path) - 1] = '\0';
		alen = offsetof(struct sockaddr_un, sun_path) +
			strlen(sun.sun_path) + 1;
	}
	if (connect(d->data, (struct sockaddr *)&sun, alen) < 0) {
		err = -errno;
		net_fail(msg, len, 0, "cannot reach the switch's data socket: %s",
			 strerror(-err));
		goto fail;
	}
	info->fd = d->data;
	info->max_frame = SWITCH_FRAME_MAX + 64;
	return 0;

fail_msg:
	net_fail(msg, len, 0, "switch at %s: %s", d->ctl_path, strerror(-err));
fail:
	if (d->data >= 0)
		close(d->data);
	close(d->ctl);
	d->ctl = d->data = -1;
	return err;
}

static int daemon_recv(void *priv, struct host_net_pkt *pkts, int n)
{
	struct daemon *d = priv;

	return net_dgram_recv(d->data, d->mm, pkts, n);
}

static int daemon_send(void *priv, struct host_net_pkt *pkts, int n)
{
	struct daemon *d = priv;

	return net_dgram_send(d->data, d->mm, pkts, n, NULL, 0);
}

static void daemon_close(void *priv)
{
	struct daemon *d = priv;

	close(d->data);
	close(d->ctl);
	d->ctl = d->data = -1;
}

const struct net_transport net_daemon = {
	.name	= "daemon",
	.usage	= "[,MAC[,unix[,CTLSOCK]]]",
	.parse	= daemon_parse,
	.open	= daemon_open,
	.recv	= daemon_recv,
	.send	= daemon_send,
	.close	= daemon_close,
};
