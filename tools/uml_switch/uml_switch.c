// SPDX-License-Identifier: GPL-2.0
/*
 * uml_switch - a virtual ethernet switch (or hub) for UML network devices
 * of the "daemon" transport, wire-compatible with the classic switch.
 *
 *   uml_switch [-unix CTLSOCK] [-hub] [-tap DEV] [-daemon] [-pidfile F]
 *
 * Every client gets a port: a datagram socket of the switch's own that is
 * bound to an abstract name, connected to the client's data socket, and
 * told to the client over its control connection.  Frames are read in
 * batches with recvmmsg() and written in batches with sendmmsg(); a port
 * is identified by the socket a frame came in on, never by comparing
 * addresses.  A client whose queue is full loses the frame (the switch
 * never blocks), a client that goes away loses its port and its learnt
 * addresses.
 *
 * Memory is bounded: a fixed port table, a fixed address table and one
 * batch of frame buffers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <uml/switch_proto.h>

#define PROG		"uml_switch"
#define DEF_CTL		"/tmp/uml.ctl"

#define MAX_PORTS	1024	/* hard limit on clients (and the tap) */
#define BATCH		32	/* frames taken from a port at once */
#define MAC_SLOTS	8192	/* address table size, a power of two */
#define MAC_PROBE	8	/* slots searched for one address */
#define MAC_AGE		300	/* seconds an idle address is kept */
#define HELLO_TIMEOUT	5	/* seconds to send a complete request */
#define LOG_BURST	20	/* complaints logged per second at most */

_Static_assert(sizeof(struct sockaddr_un) == sizeof(struct switch_unix_addr),
	      "sockaddr_un layout");

enum port_kind {
	PORT_FREE,
	PORT_HELLO,	/* control connection open, request incomplete */
	PORT_UNIX,	/* a client of the daemon protocol */
	PORT_TAP,	/* the host TAP device */
};

/* what an epoll event refers to, kept in the upper half of its data */
enum ev_kind { EV_LISTEN = 1, EV_CTL, EV_DATA, EV_SIGNAL };

struct port {
	enum port_kind kind;
	int ctl;		/* control stream, -1 for the tap */
	int data;		/* frames: connected datagram socket or tap */
	uint32_t gen;		/* bumped whenever the slot is released */
	time_t since;		/* when the control connection arrived */
	size_t got;		/* request bytes received so far */
	union {
		struct switch_request req;
		unsigned char raw[sizeof(struct switch_request)];
	} hello;
	char name[40];		/* for log messages */
	int active_idx;		/* position in active[], or -1 */
	/* frames of the current batch that go out through this port */
	uint8_t nout;
	uint8_t out[BATCH];
	bool queued;		/* listed in touched[] */
	unsigned long rx, tx, dropped;
};

struct mac_entry {
	uint8_t mac[SWITCH_ETH_ALEN];
	uint16_t port;
	uint32_t gen;		/* port's, when learnt; 0: empty */
	time_t seen;
};

struct frame {
	unsigned int len;
	int src;		/* port it came from */
	unsigned char buf[SWITCH_FRAME_MAX + 1];	/* + 1 shows oversize */
};

static struct port ports[MAX_PORTS];
static int max_ports = MAX_PORTS;
/* indices of the PORT_UNIX and PORT_TAP ports */
static int active[MAX_PORTS];
static int nactive;
static int touched[MAX_PORTS];	/* ports with frames queued this batch */
static int ntouched;
static struct mac_entry macs[MAC_SLOTS];
static struct frame frames[BATCH];
static struct mmsghdr rxmsg[BATCH];
static struct iovec rxiov[BATCH];

static int epfd = -1;
static int listen_fd = -1;
static bool hub_mode;
static bool use_syslog;
static bool quiet;
static char ctl_path[PATH_MAX];
static char pid_path[PATH_MAX];
static int stop_sig;		/* the signal that asked us to stop */
static int sig_fd = -1;		/* SIGTERM, SIGINT, SIGHUP arrive here */
static time_t now_sec;
static time_t listen_paused;	/* when accepting was paused, or 0 */
static int nhello;		/* ports in PORT_HELLO */

static void vlog(int prio, const char *fmt, va_list ap)
{
	if (use_syslog) {
		vsyslog(prio, fmt, ap);
		return;
	}
	fprintf(stderr, PROG ": ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void say(int prio, const char *fmt, ...)
{
	va_list ap;

	if (quiet && prio > LOG_WARNING)
		return;
	va_start(ap, fmt);
	vlog(prio, fmt, ap);
	va_end(ap);
}

/*
 * Complaints about bad traffic go through here: a client flooding us with
 * garbage must not flood the log too.  At most LOG_BURST lines a second;
 * the number held back is reported with the next line that gets through.
 */
static void complain(const char *fmt, ...)
{
	static time_t window;
	static unsigned int used, held;
	char line[256];
	va_list ap;

	if (now_sec != window) {
		window = now_sec;
		used = 0;
	}
	if (used >= LOG_BURST) {
		held++;
		return;
	}
	used++;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (held) {
		say(LOG_WARNING, "%s (and %u similar messages suppressed)",
		    line, held);
		held = 0;
	} else {
		say(LOG_WARNING, "%s", line);
	}
}

static void tick(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now_sec = ts.tv_sec;
}

static uint64_t ev_data(enum ev_kind kind, int idx)
{
	return (uint64_t)kind << 32 | (uint32_t)idx;
}

static int watch(int fd, enum ev_kind kind, int idx)
{
	struct epoll_event ev = {
		.events = EPOLLIN,
		.data.u64 = ev_data(kind, idx),
	};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* ---- ports ---- */

static int port_alloc(void)
{
	int i;

	for (i = 0; i < max_ports; i++)
		if (ports[i].kind == PORT_FREE)
			return i;
	return -1;
}

static void port_activate(int idx)
{
	ports[idx].active_idx = nactive;
	active[nactive++] = idx;
}

static void port_release(int idx, const char *why)
{
	struct port *p = &ports[idx];
	int last;

	if (p->kind == PORT_FREE)
		return;
	if (p->kind == PORT_HELLO)
		nhello--;
	if (p->kind == PORT_UNIX || p->kind == PORT_TAP)
		say(LOG_INFO, "%s: closed (%s); %lu frames in, %lu out, %lu dropped",
		    p->name, why, p->rx, p->tx, p->dropped);
	if (p->active_idx >= 0) {
		last = active[--nactive];
		active[p->active_idx] = last;
		ports[last].active_idx = p->active_idx;
	}
	if (p->ctl >= 0)
		close(p->ctl);	/* closing also drops it from epoll */
	if (p->data >= 0)
		close(p->data);
	p->kind = PORT_FREE;
	p->ctl = -1;
	p->data = -1;
	p->active_idx = -1;
	p->nout = 0;
	/* learnt addresses of this port become stale with the generation */
	if (++p->gen == 0)
		p->gen = 1;
}

static const char *addr_text(const struct switch_unix_addr *a, char *buf,
			     size_t size)
{
	size_t i, n;

	if (a->path[0]) {
		snprintf(buf, size, "%.*s", SWITCH_PATH_MAX, a->path);
		return buf;
	}
	/* abstract: the start of the name in hex is enough to tell apart */
	n = snprintf(buf, size, "@");
	for (i = 1; i < 13 && n + 3 < size; i++)
		n += snprintf(buf + n, size - n, "%02x",
			      (unsigned char)a->path[i]);
	return buf;
}

/*
 * The request of a new client is complete: check it, make the port's
 * data socket, connect it to the client and answer with its name.
 */
static void port_hello_done(int idx)
{
	struct port *p = &ports[idx];
	struct switch_request *rq = &p->hello.req;
	struct sockaddr_un mine = { .sun_family = AF_UNIX };
	struct sockaddr_un peer;
	socklen_t peer_len;
	char text[2 * SWITCH_PATH_MAX + 2];
	int sndbuf = 1 << 20;
	ssize_t n;
	int fd;

	if (rq->magic != SWITCH_MAGIC) {
		complain("%s: bad magic 0x%08x in control request, dropped",
			 p->name, rq->magic);
		goto drop;
	}
	if (rq->version != SWITCH_VERSION) {
		complain("%s: control request version %u not supported (only %d), dropped",
			 p->name, rq->version, SWITCH_VERSION);
		goto drop;
	}
	if (rq->type != SWITCH_REQ_NEW_CONTROL) {
		complain("%s: unknown control request type %u, dropped",
			 p->name, rq->type);
		goto drop;
	}
	if (rq->sock.family != AF_UNIX) {
		complain("%s: data socket family %u is not AF_UNIX, dropped",
			 p->name, rq->sock.family);
		goto drop;
	}
	memcpy(&peer, &rq->sock, sizeof(peer));
	if (peer.sun_path[0]) {
		size_t len = strnlen(peer.sun_path, sizeof(peer.sun_path));

		if (len == sizeof(peer.sun_path)) {
			complain("%s: data socket path not terminated, dropped",
				 p->name);
			goto drop;
		}
		peer_len = offsetof(struct sockaddr_un, sun_path) + len + 1;
	} else {
		/* abstract names are used at full length, as clients do */
		peer_len = sizeof(peer);
	}

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		complain("%s: socket: %s", p->name, strerror(errno));
		goto drop;
	}
	snprintf(mine.sun_path + 1, sizeof(mine.sun_path) - 1,
		 PROG ".%d.%d.%u", (int)getpid(), idx, p->gen);
	if (bind(fd, (struct sockaddr *)&mine, sizeof(mine)) < 0) {
		complain("%s: bind: %s", p->name, strerror(errno));
		goto drop_fd;
	}
	if (connect(fd, (struct sockaddr *)&peer, peer_len) < 0) {
		complain("%s: cannot reach data socket %s: %s", p->name,
			 addr_text(&rq->sock, text, sizeof(text)),
			 strerror(errno));
		goto drop_fd;
	}
	n = send(p->ctl, &mine, sizeof(mine), MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n != (ssize_t)sizeof(mine)) {
		complain("%s: cannot answer on control connection: %s",
			 p->name, n < 0 ? strerror(errno) : "short write");
		goto drop_fd;
	}
	/*
	 * A deeper send queue lets a client that is briefly descheduled
	 * catch up instead of losing frames; the kernel caps the size at
	 * net.core.wmem_max, which bounds the memory a port can pin.
	 */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (watch(fd, EV_DATA, idx) < 0) {
		complain("%s: epoll: %s", p->name, strerror(errno));
		goto drop_fd;
	}
	p->data = fd;
	p->kind = PORT_UNIX;
	nhello--;
	port_activate(idx);
	say(LOG_INFO, "%s: new client, data socket %s", p->name,
	    addr_text(&rq->sock, text, sizeof(text)));
	return;

drop_fd:
	close(fd);
drop:
	port_release(idx, "bad request");
}

static void listen_pause(bool pause)
{
	struct epoll_event ev = {
		.events = pause ? 0 : EPOLLIN,
		.data.u64 = ev_data(EV_LISTEN, 0),
	};

	epoll_ctl(epfd, EPOLL_CTL_MOD, listen_fd, &ev);
	listen_paused = pause ? now_sec : 0;
}

static void on_listen(void)
{
	int fd, idx;

	for (;;) {
		fd = accept4(listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ECONNABORTED)
				return;
			/*
			 * Out of descriptors (or worse): the connection stays
			 * in the backlog and the socket stays readable, so
			 * stop listening for a second rather than spin.
			 */
			complain("accept: %s; not accepting for a second",
				 strerror(errno));
			listen_pause(true);
			return;
		}
		idx = port_alloc();
		if (idx < 0) {
			complain("all %d ports in use, connection refused",
				 max_ports);
			close(fd);
			continue;
		}
		ports[idx] = (struct port){
			.kind = PORT_HELLO,
			.ctl = fd,
			.data = -1,
			.gen = ports[idx].gen ? ports[idx].gen : 1,
			.since = now_sec,
			.active_idx = -1,
		};
		nhello++;
		snprintf(ports[idx].name, sizeof(ports[idx].name), "port %d",
			 idx);
		if (watch(fd, EV_CTL, idx) < 0) {
			complain("epoll: %s", strerror(errno));
			port_release(idx, "epoll");
		}
	}
}

static void on_ctl(int idx)
{
	struct port *p = &ports[idx];
	unsigned char junk[512];
	ssize_t n;

	if (p->kind == PORT_HELLO) {
		n = recv(p->ctl, p->hello.raw + p->got,
			 sizeof(p->hello.raw) - p->got, 0);
		if (n > 0) {
			p->got += n;
			if (p->got == sizeof(p->hello.raw))
				port_hello_done(idx);
			return;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (p->got)
			complain("%s: truncated control request (%zu of %zu bytes), dropped",
				 p->name, p->got, sizeof(p->hello.raw));
		port_release(idx, "hung up before its request");
		return;
	}
	n = recv(p->ctl, junk, sizeof(junk), 0);
	if (n > 0) {
		complain("%s: %zd unexpected bytes on control connection ignored",
			 p->name, n);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	port_release(idx, n == 0 ? "client left" : strerror(errno));
}

/* Drop clients that connected but never finished their request. */
static void reap_hello(void)
{
	static time_t last;
	int i;

	if (!nhello || now_sec == last)
		return;
	last = now_sec;

	for (i = 0; i < max_ports; i++)
		if (ports[i].kind == PORT_HELLO &&
		    now_sec - ports[i].since > HELLO_TIMEOUT) {
			complain("port %d: no complete control request in %d s, dropped",
				 i, HELLO_TIMEOUT);
			port_release(i, "timeout");
		}
}

/* ---- address learning ---- */

static unsigned int mac_hash(const uint8_t *m)
{
	uint64_t v = 0;

	memcpy(&v, m, SWITCH_ETH_ALEN);
	v *= 0x9e3779b97f4a7c15ULL;
	return (v >> 40) & (MAC_SLOTS - 1);
}

static bool mac_live(const struct mac_entry *e)
{
	return e->gen && ports[e->port].gen == e->gen &&
	       (ports[e->port].kind == PORT_UNIX ||
		ports[e->port].kind == PORT_TAP) &&
	       now_sec - e->seen <= MAC_AGE;
}

static int mac_lookup(const uint8_t *mac)
{
	unsigned int h = mac_hash(mac), i;
	struct mac_entry *e;

	for (i = 0; i < MAC_PROBE; i++) {
		e = &macs[(h + i) & (MAC_SLOTS - 1)];
		if (e->gen && !memcmp(e->mac, mac, SWITCH_ETH_ALEN))
			return mac_live(e) ? e->port : -1;
	}
	return -1;
}

/*
 * Remember that @mac lives behind port @idx.  The address goes to its own
 * slot if known, else to a free or dead slot of its probe window, else it
 * replaces the least recently seen address of the window.
 */
static void mac_learn(const uint8_t *mac, int idx)
{
	unsigned int h = mac_hash(mac), i;
	struct mac_entry *e, *victim = NULL;

	for (i = 0; i < MAC_PROBE; i++) {
		e = &macs[(h + i) & (MAC_SLOTS - 1)];
		if (e->gen && !memcmp(e->mac, mac, SWITCH_ETH_ALEN)) {
			victim = e;
			break;
		}
		if (!victim)
			victim = e;
		else if (mac_live(victim) &&
			 (!mac_live(e) || e->seen < victim->seen))
			victim = e;
	}
	memcpy(victim->mac, mac, SWITCH_ETH_ALEN);
	victim->port = idx;
	victim->gen = ports[idx].gen;
	victim->seen = now_sec;
}

/* ---- forwarding ---- */

static void enqueue(int dst, int fi)
{
	struct port *p = &ports[dst];

	p->out[p->nout++] = fi;
	if (!p->queued) {
		p->queued = true;
		touched[ntouched++] = dst;
	}
}

/* Decide where frame @fi goes and queue it there. */
static void route(int fi)
{
	struct frame *f = &frames[fi];
	const uint8_t *dst = f->buf, *src = f->buf + SWITCH_ETH_ALEN;
	int i, to = -1;

	if (!hub_mode) {
		if (!(src[0] & 1))
			mac_learn(src, f->src);
		if (!(dst[0] & 1))
			to = mac_lookup(dst);
	}
	if (to >= 0) {
		if (to != f->src)
			enqueue(to, fi);
		return;
	}
	for (i = 0; i < nactive; i++)
		if (active[i] != f->src)
			enqueue(active[i], fi);
}

static void flush_unix(struct port *p, int idx)
{
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	int i, n, done = 0;

	if (p->nout == 1) {
		/* the common case at low load: a plain send() is cheaper */
		struct frame *f = &frames[p->out[0]];

		if (send(p->data, f->buf, f->len,
			 MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) {
			p->tx++;
			return;
		}
		if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR) {
			p->dropped++;
			return;
		}
		p->dropped++;
		p->nout = 0;
		port_release(idx, strerror(errno));
		return;
	}
	for (i = 0; i < p->nout; i++) {
		iov[i].iov_base = frames[p->out[i]].buf;
		iov[i].iov_len = frames[p->out[i]].len;
		msg[i] = (struct mmsghdr){
			.msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 },
		};
	}
	while (done < p->nout) {
		n = sendmmsg(p->data, msg + done, p->nout - done,
			     MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			done += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			/* the client does not keep up: its loss */
			p->dropped += p->nout - done;
			break;
		}
		p->dropped += p->nout - done;
		p->tx += done;
		p->nout = 0;
		port_release(idx, n < 0 ? strerror(errno) : "send failed");
		return;
	}
	p->tx += done;
}

static void flush_tap(struct port *p, int idx)
{
	int i;

	for (i = 0; i < p->nout; i++) {
		struct frame *f = &frames[p->out[i]];

		if (write(p->data, f->buf, f->len) == (ssize_t)f->len) {
			p->tx++;
		} else if (errno == EAGAIN || errno == EINTR ||
			   errno == ENOBUFS || errno == EIO) {
			p->dropped++;	/* EIO: the interface is down */
		} else {
			p->dropped += p->nout - i;
			p->nout = 0;
			port_release(idx, strerror(errno));
			return;
		}
	}
}

static void flush_all(void)
{
	int i, idx;

	for (i = 0; i < ntouched; i++) {
		idx = touched[i];
		if (ports[idx].kind == PORT_UNIX)
			flush_unix(&ports[idx], idx);
		else if (ports[idx].kind == PORT_TAP)
			flush_tap(&ports[idx], idx);
		ports[idx].nout = 0;
		ports[idx].queued = false;
	}
	ntouched = 0;
}

/* A frame arrived: check its size and route it. Returns 1 if kept. */
static int accept_frame(int fi, int idx, size_t len, bool truncated)
{
	struct port *p = &ports[idx];

	if (truncated || len > SWITCH_FRAME_MAX) {
		complain("%s: oversized frame (%zu bytes, limit %d) dropped",
			 p->name, len, SWITCH_FRAME_MAX);
		p->dropped++;
		return 0;
	}
	if (len < SWITCH_ETH_HLEN) {
		complain("%s: runt frame (%zu bytes) dropped", p->name, len);
		p->dropped++;
		return 0;
	}
	p->rx++;
	frames[fi].len = len;
	frames[fi].src = idx;
	route(fi);
	return 1;
}

static void on_data_unix(int idx)
{
	struct port *p = &ports[idx];
	int i, n;

	for (i = 0; i < BATCH; i++) {
		rxiov[i].iov_base = frames[i].buf;
		rxiov[i].iov_len = sizeof(frames[i].buf);
		rxmsg[i] = (struct mmsghdr){
			.msg_hdr = { .msg_iov = &rxiov[i], .msg_iovlen = 1 },
		};
	}
	n = recvmmsg(p->data, rxmsg, BATCH, MSG_DONTWAIT | MSG_TRUNC, NULL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		port_release(idx, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++)
		accept_frame(i, idx, rxmsg[i].msg_len,
			     rxmsg[i].msg_hdr.msg_flags & MSG_TRUNC);
	flush_all();
}

static void on_data_tap(int idx)
{
	struct port *p = &ports[idx];
	int fi = 0, i;
	ssize_t n;

	for (i = 0; i < BATCH; i++) {
		/* one byte more than allowed shows oversized frames */
		n = read(p->data, frames[fi].buf, sizeof(frames[fi].buf));
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			/* the device went away (EBADFD) or broke */
			flush_all();
			port_release(idx, strerror(errno));
			return;
		}
		fi += accept_frame(fi, idx, n, false);
	}
	flush_all();
}

/* ---- setup ---- */

static int open_tap(const char *dev)
{
	struct ifreq ifr;
	int fd, idx;

	if (strlen(dev) >= IFNAMSIZ) {
		say(LOG_ERR, "tap device name too long: %s", dev);
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		say(LOG_ERR, "cannot open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, dev, strlen(dev));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		say(LOG_ERR, "cannot attach to tap device %s: %s", dev,
		    strerror(errno));
		close(fd);
		return -1;
	}
	idx = port_alloc();
	ports[idx] = (struct port){
		.kind = PORT_TAP,
		.ctl = -1,
		.data = fd,
		.gen = 1,
		.active_idx = -1,
	};
	snprintf(ports[idx].name, sizeof(ports[idx].name), "tap %s", dev);
	if (watch(fd, EV_DATA, idx) < 0) {
		say(LOG_ERR, "epoll: %s", strerror(errno));
		return -1;
	}
	port_activate(idx);
	return 0;
}

static int open_ctl(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, probe;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		say(LOG_ERR, "control socket path too long: %s", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			say(LOG_ERR, "%s exists and is not a socket", path);
			return -1;
		}
		/* someone answering there means another switch runs */
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 &&
		    connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			say(LOG_ERR, "another switch already serves %s", path);
			close(probe);
			return -1;
		}
		if (probe >= 0)
			close(probe);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 128) < 0) {
		say(LOG_ERR, "cannot listen on %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Each unix port costs two descriptors; make sure we may have them. */
#define FDS_WANTED	(2 * MAX_PORTS + 32)

static void size_port_table(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < FDS_WANTED) {
			rl.rlim_cur = rl.rlim_max < FDS_WANTED ?
				      rl.rlim_max : FDS_WANTED;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < FDS_WANTED)
			max_ports = rl.rlim_cur > 40 ?
				    (rl.rlim_cur - 32) / 2 : 4;
	}
}

static int daemonize(const char *pidfile)
{
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0) {
		say(LOG_ERR, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		if (pidfile) {
			FILE *f = fopen(pidfile, "w");

			if (f) {
				fprintf(f, "%d\n", (int)pid);
				fclose(f);
			}
		}
		_exit(0);
	}
	setsid();
	if (chdir("/") < 0)
		return -1;
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	openlog(PROG, LOG_PID, LOG_DAEMON);
	use_syslog = true;
	return 0;
}

static void show_help(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-unix CTLSOCK] [-hub] [-tap DEV] [-daemon]\n"
		"                  [-pidfile FILE] [-quiet]\n"
		"  -unix CTLSOCK  control socket (default " DEF_CTL ")\n"
		"  -hub           repeat every frame to every port\n"
		"  -tap DEV       also connect the host TAP device DEV\n"
		"  -daemon        detach and log to syslog\n"
		"  -pidfile FILE  write the process id to FILE\n"
		"  -quiet         log only problems, not clients coming and going\n"
		);
}

static int absolute(const char *name, char *out)
{
	char cwd[PATH_MAX];

	if (name[0] == '/')
		return snprintf(out, PATH_MAX, "%s", name) < PATH_MAX ? 0 : -1;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	return snprintf(out, PATH_MAX, "%s/%s", cwd, name) < PATH_MAX ?
	       0 : -1;
}

static int run(void)
{
	struct epoll_event evs[64];
	struct signalfd_siginfo si;
	int i, n;

	while (!stop_sig) {
		/* sleep for good unless a timer of ours is running */
		n = epoll_wait(epfd, evs, 64,
			       nhello || listen_paused ? 1000 : -1);
		tick();
		if (n < 0) {
			if (errno == EINTR)
				continue;
			say(LOG_ERR, "epoll_wait: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			enum ev_kind kind = evs[i].data.u64 >> 32;
			int idx = (uint32_t)evs[i].data.u64;

			switch (kind) {
			case EV_LISTEN:
				on_listen();
				break;
			case EV_SIGNAL:
				if (read(sig_fd, &si, sizeof(si)) == sizeof(si))
					stop_sig = si.ssi_signo;
				break;
			case EV_CTL:
				if (ports[idx].kind == PORT_HELLO ||
				    ports[idx].kind == PORT_UNIX)
					on_ctl(idx);
				break;
			case EV_DATA:
				if (ports[idx].kind == PORT_UNIX)
					on_data_unix(idx);
				else if (ports[idx].kind == PORT_TAP)
					on_data_tap(idx);
				break;
			}
		}
		reap_hello();
		if (listen_paused && now_sec != listen_paused)
			listen_pause(false);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *ctl = DEF_CTL, *tap = NULL, *pidfile = NULL;
	bool daemon_mode = false, want_help = false;
	sigset_t block;
	int i, ret;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-unix") || !strcmp(o, "--unix")) {
			if (++i >= argc ||
			    (i + 1 < argc && argv[i + 1][0] != '-')) {
				say(LOG_ERR,
				    "-unix takes one socket path (-compat-v0 data sockets are not supported)");
				return 2;
			}
			ctl = argv[i];
		} else if (!strcmp(o, "-hub") || !strcmp(o, "--hub")) {
			hub_mode = true;
		} else if (!strcmp(o, "-tap") || !strcmp(o, "--tap")) {
			if (++i >= argc) {
				say(LOG_ERR, "-tap needs a device name");
				return 2;
			}
			tap = argv[i];
		} else if (!strcmp(o, "-daemon") || !strcmp(o, "--daemon")) {
			daemon_mode = true;
		} else if (!strcmp(o, "-pidfile") || !strcmp(o, "--pidfile")) {
			if (++i >= argc) {
				say(LOG_ERR, "-pidfile needs a file name");
				return 2;
			}
			pidfile = argv[i];
		} else if (!strcmp(o, "-quiet") || !strcmp(o, "--quiet")) {
			quiet = true;
		} else if (!strcmp(o, "-h") || !strcmp(o, "-help") ||
			   !strcmp(o, "--help")) {
			want_help = true;
		} else {
			say(LOG_ERR, "unknown option '%s'", o);
			show_help(stderr);
			return 2;
		}
	}

	if (want_help) {
		show_help(stdout);
		return 0;
	}

	/* keep absolute names: -daemon changes directory */
	if (absolute(ctl, ctl_path) < 0 ||
	    (pidfile && absolute(pidfile, pid_path) < 0)) {
		say(LOG_ERR, "path too long");
		return 1;
	}
	if (pidfile)
		pidfile = pid_path;

	signal(SIGPIPE, SIG_IGN);
	/* the stop signals are read from a descriptor, in the main loop */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);

	tick();
	size_port_table();
	for (i = 0; i < MAX_PORTS; i++) {
		ports[i].ctl = ports[i].data = -1;
		ports[i].active_idx = -1;
		ports[i].gen = 1;
	}
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) {
		say(LOG_ERR, "epoll_create1: %s", strerror(errno));
		return 1;
	}
	if (tap && open_tap(tap) < 0)
		return 1;
	listen_fd = open_ctl(ctl_path);
	if (listen_fd < 0)
		return 1;
	if (watch(listen_fd, EV_LISTEN, 0) < 0) {
		say(LOG_ERR, "epoll: %s", strerror(errno));
		return 1;
	}
	say(LOG_NOTICE, "%s attached to unix socket '%s'%s%s%s", PROG,
	    ctl_path, hub_mode ? " (hub)" : "", tap ? " and tap " : "",
	    tap ? tap : "");
	fflush(stderr);
	if (daemon_mode) {
		if (daemonize(pidfile) < 0)
			return 1;
	} else if (pidfile) {
		FILE *f = fopen(pidfile, "w");

		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}

	/*
	 * Made after -daemon forked: epoll would otherwise watch the parent's
	 * signal queue, not ours.
	 */
	sig_fd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sig_fd < 0 || watch(sig_fd, EV_SIGNAL, 0) < 0) {
		say(LOG_ERR, "signalfd: %s", strerror(errno));
		ret = 1;
	} else {
		ret = run();
	}
	for (i = 0; i < MAX_PORTS; i++)
		port_release(i, "switch exiting");
	unlink(ctl_path);
	if (pidfile)
		unlink(pidfile);
	say(LOG_NOTICE, "exiting%s", stop_sig ? " on signal" : "");
	return ret;
}
