// SPDX-License-Identifier: GPL-2.0
/*
 * nettool: TCP throughput and UDP round trips, for the network tests and
 * bench/net (busybox has no such tool).
 *
 *   nettool tx HOST PORT SECS    connect, send for SECS seconds, report
 *   nettool rx HOST PORT         connect, receive until EOF, report
 *   nettool sink PORT            accept one connection, receive until EOF
 *   nettool source PORT SECS     accept one connection, send for SECS
 *   nettool ping HOST PORT N     N UDP round trips, one at a time
 *   nettool echo PORT N          answer N UDP datagrams, then exit
 *
 * Every mode gives up after a bounded time (alarm), so a lost peer never
 * hangs a test.  Reports are one line: "tx|rx BYTES bytes SECS s MBITS Mbit/s" or
 * "ping N rtt AVG us min MIN us".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char buf[256 * 1024];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_in addr(const char *host, const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };

	a.sin_port = htons(atoi(port));
	if (host && inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "nettool: bad address %s\n", host);
		exit(2);
	}
	return a;
}

static int connect_to(const char *host, const char *port)
{
	struct sockaddr_in a = addr(host, port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	return fd;
}

static int accept_on(const char *port)
{
	struct sockaddr_in a = addr(NULL, port);
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0), fd;

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1))
		die("listen");
	fd = accept(l, NULL, NULL);
	if (fd < 0)
		die("accept");
	close(l);
	return fd;
}

static void report(const char *what, unsigned long long bytes, double t)
{
	printf("%s %llu bytes %.3f s %.1f Mbit/s\n", what, bytes, t,
	       bytes * 8 / t / 1e6);
}

static void send_for(int fd, double secs)
{
	unsigned long long total = 0;
	double t0 = now(), t;

	while ((t = now() - t0) < secs) {
		ssize_t n = write(fd, buf, sizeof(buf));

		if (n <= 0)
			die("write");
		total += n;
	}
	shutdown(fd, SHUT_WR);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	report("tx", total, now() - t0);
}

static void recv_all(int fd)
{
	unsigned long long total = 0;
	double t0 = now();
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	report("rx", total, now() - t0);
}

static void udp_ping(const char *host, const char *port, int count)
{
	struct sockaddr_in a = addr(host, port);
	struct timeval tv = { .tv_sec = 2 };
	double sum = 0, min = 1e9;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i, ok = 0;

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("udp connect");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < count; i++) {
		double t0 = now(), d;

		if (send(fd, &i, sizeof(i), 0) < 0 ||
		    recv(fd, buf, sizeof(buf), 0) < 0)
			continue;
		d = (now() - t0) * 1e6;
		sum += d;
		if (d < min)
			min = d;
		ok++;
	}
	if (!ok) {
		fprintf(stderr, "nettool: no answers\n");
		exit(1);
	}
	printf("ping %d rtt %.1f us min %.1f us\n", ok, sum / ok, min);
}

static void udp_echo(const char *port, int count)
{
	struct sockaddr_in a = addr(NULL, port), from;
	socklen_t fl;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
		die("udp bind");
	for (i = 0; i < count; i++) {
		ssize_t n;

		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &fl);
		if (n >= 0)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl);
	}
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(argc > 4 && strcmp(m, "ping") ? atoi(argv[4]) + 60 : 120);
	if (!strcmp(m, "tx") && argc == 5)
		send_for(connect_to(argv[2], argv[3]), atof(argv[4]));
	else if (!strcmp(m, "rx") && argc == 4)
		recv_all(connect_to(argv[2], argv[3]));
	else if (!strcmp(m, "sink") && argc == 3)
		recv_all(accept_on(argv[2]));
	else if (!strcmp(m, "source") && argc == 4)
		send_for(accept_on(argv[2]), atof(argv[3]));
	else if (!strcmp(m, "ping") && argc == 5)
		udp_ping(argv[2], argv[3], atoi(argv[4]));
	else if (!strcmp(m, "echo") && argc == 4)
		udp_echo(argv[2], atoi(argv[3]));
	else {
		fprintf(stderr, "usage: nettool tx|rx|sink|source|ping|echo ...\n");
		return 2;
	}
	return 0;
}
