// SPDX-License-Identifier: GPL-2.0
/*
 * swbench - frames per second and latency through uml_switch daemons.
 *
 *   swbench [-n FRAMES] [-p PINGS] [-r ROUNDS] [-i IDLE] [-s SIZE]...
 *	    NAME=BINARY...
 *
 * Every switch given is started on a private control socket and driven by
 * two synthetic clients that speak the daemon protocol as a UML kernel
 * does.  For each round and each switch, alternating so that drifts of the
 * machine hit all alike:
 *
 *   throughput: client A sends FRAMES unicast frames of SIZE bytes to
 *	client B as fast as the switch takes them, BATCH frames per system
 *	call (-b, default 32, so that the sender is not what limits the
 *	rate; -b 1 sends like a UML kernel); a thread counts what B
 *	receives.  Rate = frames received / time from first send to last
 *	receive; frames lost are reported.
 *   latency: A sends one frame to B, B's thread echoes it back to A;
 *	PINGS round trips, mean and percentiles in microseconds.
 *
 * With -i, IDLE more clients stay attached (and silent) during the
 * measurements, which shows how a switch copes with many ports.
 *
 * The switch's own CPU time per frame received comes from
 * /proc/PID/schedstat: the cost of a frame independent of what limits the
 * rate (on a small machine, the clients compete with the switch for CPU).
 *
 * The best round of each switch is reported, then the ratio of the first
 * switch to the second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uml/switch_proto.h>

#define MAX_SWITCHES	4
#define MAX_SIZES	4
#define RX_BATCH	64

struct client {
	int ctl;
	int data;
	struct sockaddr_un sw;	/* where to send frames */
	uint8_t mac[6];
};

struct result {
	double fps;		/* frames received per second */
	double cpu_us;		/* switch CPU time per frame received */
	double lost;		/* fraction of frames not received */
	double lat_mean, lat_p50, lat_p99;	/* microseconds */
};

struct sw {
	const char *name;
	const char *bin;
	pid_t pid;
	char ctl[108];
	struct result best[MAX_SIZES];
	double best_lat_mean, best_lat_p50, best_lat_p99;
};

static int nframes = 200000, npings = 20000, rounds = 3, nidle;
static int txbatch = 32;
static int sizes[MAX_SIZES], nsizes;
static char tmpdir[64];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "swbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void start_switch(struct sw *s, int idx)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	double end = now() + 10;
	int fd;

	snprintf(s->ctl, sizeof(s->ctl), "%s/ctl%d", tmpdir, idx);
	unlink(s->ctl);
	s->pid = fork();
	if (s->pid < 0)
		die("fork");
	if (s->pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execl(s->bin, s->bin, "-unix", s->ctl, (char *)NULL);
		_exit(127);
	}
	memcpy(sun.sun_path, s->ctl, strlen(s->ctl) + 1);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			close(fd);
			return;
		}
		close(fd);
		if (now() > end || waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			fprintf(stderr, "swbench: %s did not start\n", s->bin);
			exit(1);
		}
		usleep(10000);
	}
}

/* CPU time the process has used so far, in seconds. */
static double cpu_time(pid_t pid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns / 1e9;
}

static void stop_switch(struct sw *s)
{
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	unlink(s->ctl);
}

/*
 * Join the switch as a UML daemon device does.  @connect_back also
 * connects the data socket to the switch's, so the receiving side is
 * limited by socket buffers rather than by the host's small datagram
 * queue length; both switches get the same treatment.
 */
static void join(struct client *c, const char *ctl, int n, bool connect_back)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct switch_request req;
	static int seq;
	ssize_t got = 0, r;

	c->ctl = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(sun.sun_path, ctl, strlen(ctl) + 1);
	if (connect(c->ctl, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die("connect to switch");
	c->data = socket(AF_UNIX, SOCK_DGRAM, 0);
	memset(&req, 0, sizeof(req));
	req.magic = SWITCH_MAGIC;
	req.version = SWITCH_VERSION;
	req.type = SWITCH_REQ_NEW_CONTROL;
	req.sock.family = AF_UNIX;
	snprintf(req.sock.path + 1, sizeof(req.sock.path) - 1,
		 "swbench.%d.%d", (int)getpid(), seq++);
	if (bind(c->data, (struct sockaddr *)&req.sock, sizeof(req.sock)) < 0)
		die("bind");
	if (write(c->ctl, &req, sizeof(req)) != sizeof(req))
		die("control request");
	while (got < (ssize_t)sizeof(c->sw)) {
		r = read(c->ctl, (char *)&c->sw + got, sizeof(c->sw) - got);
		if (r <= 0)
			die("control answer");
		got += r;
	}
	if (connect_back &&
	    connect(c->data, (struct sockaddr *)&c->sw, sizeof(c->sw)) < 0)
		die("connect to data socket");
	memcpy(c->mac, "\xfe\xfd\x00\x00\x00", 5);
	c->mac[5] = n;
}

static void leave(struct client *c)
{
	close(c->ctl);
	close(c->data);
}

static void make_frame(uint8_t *buf, size_t len, const struct client *to,
		       const struct client *from)
{
	memset(buf, 0x5a, len);
	if (to)
		memcpy(buf, to->mac, 6);
	else
		memset(buf, 0xff, 6);
	memcpy(buf + 6, from->mac, 6);
	buf[12] = 0x88;
	buf[13] = 0xb5;
}

static void send_to_switch(struct client *c, const void *buf, size_t len)
{
	while (sendto(c->data, buf, len, 0, (struct sockaddr *)&c->sw,
		      sizeof(c->sw)) < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != ENOBUFS)
			die("send");
	}
}

/* Send @count copies of a frame with as few system calls as possible. */
static void send_batch(struct client *c, const void *buf, size_t len,
		       int count)
{
	struct mmsghdr msg[RX_BATCH];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	int i, n, done = 0;

	if (count == 1) {
		send_to_switch(c, buf, len);
		return;
	}
	for (i = 0; i < count; i++) {
		memset(&msg[i], 0, sizeof(msg[i]));
		msg[i].msg_hdr.msg_name = &c->sw;
		msg[i].msg_hdr.msg_namelen = sizeof(c->sw);
		msg[i].msg_hdr.msg_iov = &iov;
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < count) {
		n = sendmmsg(c->data, msg + done, count - done, 0);
		if (n > 0)
			done += n;
		else if (errno != EINTR && errno != EAGAIN && errno != ENOBUFS)
			die("sendmmsg");
	}
}

/* Both clients announce themselves so the switch learns their addresses. */
static void introduce(struct client *a, struct client *b)
{
	uint8_t buf[64], junk[2048];
	int i;

	for (i = 0; i < 3; i++) {
		make_frame(buf, sizeof(buf), NULL, a);
		send_to_switch(a, buf, sizeof(buf));
		make_frame(buf, sizeof(buf), NULL, b);
		send_to_switch(b, buf, sizeof(buf));
	}
	usleep(50000);
	while (recv(a->data, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	while (recv(b->data, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
}

struct rx_arg {
	struct client *c;
	long want;
	long got;
	double last;
	int stop;		/* accessed with __atomic builtins */
};

static void *rx_thread(void *p)
{
	struct rx_arg *a = p;
	static uint8_t bufs[RX_BATCH][2048];
	struct mmsghdr msg[RX_BATCH];
	struct iovec iov[RX_BATCH];
	struct pollfd pfd = { .fd = a->c->data, .events = POLLIN };
	int i, n;

	for (i = 0; i < RX_BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		memset(&msg[i], 0, sizeof(msg[i]));
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	while (a->got < a->want &&
	       !__atomic_load_n(&a->stop, __ATOMIC_RELAXED)) {
		n = recvmmsg(a->c->data, msg, RX_BATCH, MSG_DONTWAIT, NULL);
		if (n > 0) {
			__atomic_store_n(&a->got, a->got + n, __ATOMIC_RELAXED);
			a->last = now();
			continue;
		}
		poll(&pfd, 1, 100);
	}
	return NULL;
}

static struct result throughput(struct sw *s, int size)
{
	struct client a, b;
	struct rx_arg rx = { 0 };
	struct result res = { 0 };
	pthread_t th;
	uint8_t buf[2048];
	double t0, end, cpu0;
	int i;

	join(&a, s->ctl, 1, false);
	join(&b, s->ctl, 2, true);
	introduce(&a, &b);
	rx.c = &b;
	rx.want = nframes;
	pthread_create(&th, NULL, rx_thread, &rx);
	make_frame(buf, size, &b, &a);
	cpu0 = cpu_time(s->pid);
	t0 = now();
	for (i = 0; i < nframes; i += txbatch)
		send_batch(&a, buf, size, nframes - i < txbatch ?
			   nframes - i : txbatch);
	/* give the last frames time to come through, not more */
	end = now() + 1.0;
	while (__atomic_load_n(&rx.got, __ATOMIC_RELAXED) < nframes &&
	       now() < end)
		usleep(1000);
	__atomic_store_n(&rx.stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	if (rx.got > 0) {
		res.fps = rx.got / (rx.last - t0);
		res.cpu_us = (cpu_time(s->pid) - cpu0) * 1e6 / rx.got;
	}
	res.lost = 1.0 - (double)rx.got / nframes;
	leave(&a);
	leave(&b);
	return res;
}

struct echo_arg {
	struct client *b;
	struct client *a;
	int stop;		/* accessed with __atomic builtins */
};

static void *echo_thread(void *p)
{
	struct echo_arg *e = p;
	struct pollfd pfd = { .fd = e->b->data, .events = POLLIN };
	uint8_t buf[2048];
	ssize_t n;

	while (!__atomic_load_n(&e->stop, __ATOMIC_RELAXED)) {
		n = recv(e->b->data, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			poll(&pfd, 1, 100);
			continue;
		}
		memcpy(buf, e->a->mac, 6);
		memcpy(buf + 6, e->b->mac, 6);
		send_to_switch(e->b, buf, n);
	}
	return NULL;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static struct result latency(struct sw *s)
{
	struct client a, b;
	struct echo_arg e = { 0 };
	struct result res = { 0 };
	struct pollfd pfd;
	pthread_t th;
	uint8_t buf[64], in[2048];
	double *rtt, t, sum = 0;
	int i, done = 0;

	rtt = calloc(npings, sizeof(*rtt));
	join(&a, s->ctl, 1, true);
	join(&b, s->ctl, 2, true);
	introduce(&a, &b);
	e.a = &a;
	e.b = &b;
	pthread_create(&th, NULL, echo_thread, &e);
	make_frame(buf, sizeof(buf), &b, &a);
	pfd.fd = a.data;
	pfd.events = POLLIN;
	for (i = 0; i < npings; i++) {
		t = now();
		send_to_switch(&a, buf, sizeof(buf));
		if (poll(&pfd, 1, 1000) <= 0)
			continue;	/* lost: not counted */
		if (recv(a.data, in, sizeof(in), 0) <= 0)
			continue;
		rtt[done] = (now() - t) * 1e6;
		sum += rtt[done++];
	}
	__atomic_store_n(&e.stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	if (done) {
		qsort(rtt, done, sizeof(*rtt), cmp_double);
		res.lat_mean = sum / done;
		res.lat_p50 = rtt[done / 2];
		res.lat_p99 = rtt[done * 99 / 100];
	}
	free(rtt);
	leave(&a);
	leave(&b);
	return res;
}

static void show_help(void)
{
	fprintf(stderr,
		"usage: swbench [-n FRAMES] [-p PINGS] [-r ROUNDS] [-i IDLE] [-b BATCH] [-s SIZE]... NAME=SWITCH...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct client idle[500];
	struct sw sws[MAX_SWITCHES];
	int nsw = 0, opt, r, i, k;

	signal(SIGPIPE, SIG_IGN);
	while ((opt = getopt(argc, argv, "b:i:n:p:r:s:")) != -1) {
		switch (opt) {
		case 'b':
			txbatch = atoi(optarg);
			break;
		case 'i':
			nidle = atoi(optarg);
			break;
		case 'n':
			nframes = atoi(optarg);
			break;
		case 'p':
			npings = atoi(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 's':
			if (nsizes == MAX_SIZES)
				show_help();
			sizes[nsizes++] = atoi(optarg);
			break;
		default:
			show_help();
		}
	}
	if (!nsizes)
		sizes[nsizes++] = 64;
	for (i = 0; i < nsizes; i++)
		if (sizes[i] < 14 || sizes[i] > 1514)
			show_help();
	for (; optind < argc && nsw < MAX_SWITCHES; optind++) {
		char *eq = strchr(argv[optind], '=');

		if (!eq)
			show_help();
		*eq = '\0';
		memset(&sws[nsw], 0, sizeof(sws[nsw]));
		sws[nsw].name = argv[optind];
		sws[nsw].bin = eq + 1;
		nsw++;
	}
	if (nsw == 0 || nframes <= 0 || npings <= 0 || rounds <= 0 ||
	    nidle < 0 || nidle > 500 || txbatch < 1 || txbatch > RX_BATCH)
		show_help();
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/swbench.XXXXXX");
	if (!mkdtemp(tmpdir))
		die("mkdtemp");

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < nsw; i++) {
			struct sw *s = &sws[i];
			struct result lat;

			start_switch(s, i);
			for (k = 0; k < nidle; k++)
				join(&idle[k], s->ctl, 100 + k, false);
			for (k = 0; k < nsizes; k++) {
				struct result t = throughput(s, sizes[k]);

				printf("round %d %-8s %4d bytes: %9.0f frames/s, %5.2f%% lost, %.2f us switch CPU/frame\n",
				       r + 1, s->name, sizes[k], t.fps,
				       t.lost * 100, t.cpu_us);
				if (t.fps > s->best[k].fps)
					s->best[k] = t;
			}
			lat = latency(s);
			printf("round %d %-8s latency: mean %.1f us, p50 %.1f us, p99 %.1f us\n",
			       r + 1, s->name, lat.lat_mean, lat.lat_p50,
			       lat.lat_p99);
			if (!s->best_lat_mean || lat.lat_mean < s->best_lat_mean) {
				s->best_lat_mean = lat.lat_mean;
				s->best_lat_p50 = lat.lat_p50;
				s->best_lat_p99 = lat.lat_p99;
			}
			for (k = 0; k < nidle; k++)
				leave(&idle[k]);
			stop_switch(s);
			fflush(stdout);
		}
	}
	rmdir(tmpdir);

	printf("\nbest of %d rounds (%d frames sent %d per call, %d round trips, %d idle clients):\n",
	       rounds, nframes, txbatch, npings, nidle);
	for (i = 0; i < nsw; i++) {
		for (k = 0; k < nsizes; k++)
			printf("%-8s %4d bytes: %9.0f frames/s (%.2f%% lost), %.2f us switch CPU/frame\n",
			       sws[i].name, sizes[k], sws[i].best[k].fps,
			       sws[i].best[k].lost * 100,
			       sws[i].best[k].cpu_us);
		printf("%-8s latency: mean %.1f us, p50 %.1f us, p99 %.1f us\n",
		       sws[i].name, sws[i].best_lat_mean, sws[i].best_lat_p50,
		       sws[i].best_lat_p99);
	}
	if (nsw >= 2) {
		for (k = 0; k < nsizes; k++) {
			printf("ratio %s/%s frames/s at %d bytes: %.2f\n",
			       sws[0].name, sws[1].name, sizes[k],
			       sws[0].best[k].fps / sws[1].best[k].fps);
			printf("ratio %s/%s frames per CPU second at %d bytes: %.2f\n",
			       sws[0].name, sws[1].name, sizes[k],
			       sws[1].best[k].cpu_us / sws[0].best[k].cpu_us);
		}
		printf("ratio %s/%s mean latency: %.2f\n", sws[0].name,
		       sws[1].name, sws[0].best_lat_mean / sws[1].best_lat_mean);
	}
	return 0;
}
