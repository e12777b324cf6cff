// SPDX-License-Identifier: GPL-2.0
/*
 * memstore: an example of the kernel as a library.  The application keeps
 * its data in a filesystem of the kernel in memory (a tmpfs mounted in
 * liblinux) and exports it over a TCP port of the host, one thread per
 * client, every thread calling into the kernel at once.
 *
 *   memstore [-p PORT]        (default 7070, on 127.0.0.1)
 *
 * The protocol, one request per line:
 *   PUT NAME LEN\n<LEN bytes>   -> "OK\n"
 *   GET NAME\n                  -> "OK LEN\n<LEN bytes>" or "ERR text\n"
 *   LIST\n                      -> "OK N\n" and N lines "NAME SIZE"
 *   DEL NAME\n                  -> "OK\n"
 *   STAT\n                      -> "OK used-bytes free-bytes\n" (statfs)
 * NAME is one path component.  SIGINT or SIGTERM stop it cleanly.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <liblinux.h>

#define DATA	"/data"

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	stopping = 1;
}

static int send_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

static int reply(int fd, const char *fmt, long a, long b)
{
	char line[128];
	int n = snprintf(line, sizeof(line), fmt, a, b);

	return send_all(fd, line, n);
}

static int good_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") &&
		strcmp(name, "..") && strlen(name) < 200;
}

static void do_put(int c, FILE *in, const char *name, long len)
{
	char path[256], buf[65536];
	int fd;

	snprintf(path, sizeof(path), DATA "/%s", name);
	fd = liblinux_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	while (len > 0) {
		size_t want = len < (long)sizeof(buf) ? (size_t)len : sizeof(buf);
		size_t n = fread(buf, 1, want, in);

		if (!n)
			break;
		if (fd >= 0 && liblinux_write(fd, buf, n) != (ssize_t)n) {
			liblinux_close(fd);
			fd = -ENOSPC;
		}
		len -= n;
	}
	if (fd >= 0)
		liblinux_close(fd);
	if (fd < 0)
		send_all(c, "ERR cannot store\n", 17);
	else
		send_all(c, "OK\n", 3);
}

static void do_get(int c, const char *name)
{
	char path[256], buf[65536];
	struct stat st;
	long n;
	int fd;

	snprintf(path, sizeof(path), DATA "/%s", name);
	fd = liblinux_open(path, O_RDONLY, 0);
	if (fd < 0 || liblinux_fstat(fd, &st)) {
		send_all(c, "ERR no such name\n", 17);
		if (fd >= 0)
			liblinux_close(fd);
		return;
	}
	reply(c, "OK %ld\n", st.st_size, 0);
	while ((n = liblinux_read(fd, buf, sizeof(buf))) > 0)
		if (send_all(c, buf, n))
			break;
	liblinux_close(fd);
}

static void do_list(int c)
{
	char d[8192], out[65536], path[256];
	size_t used = 0;
	long n, count = 0;
	int fd = liblinux_open(DATA, O_RDONLY | O_DIRECTORY, 0);

	if (fd < 0) {
		send_all(c, "ERR\n", 4);
		return;
	}
	while ((n = liblinux_getdents(fd, d, sizeof(d))) > 0) {
		long pos;

		for (pos = 0; pos < n;) {
			struct liblinux_dirent64 *e = (void *)(d + pos);
			struct stat st;

			pos += e->d_reclen;
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), DATA "/%s", e->d_name);
			if (liblinux_stat(path, &st) ||
			    used + strlen(e->d_name) + 24 > sizeof(out))
				continue;
			used += sprintf(out + used, "%s %ld\n", e->d_name,
					(long)st.st_size);
			count++;
		}
	}
	liblinux_close(fd);
	reply(c, "OK %ld\n", count, 0);
	send_all(c, out, used);
}

static void *client(void *arg)
{
	int c = (long)arg;
	FILE *in = fdopen(dup(c), "r");
	char line[512], name[256];
	long len;

	while (in && fgets(line, sizeof(line), in)) {
		if (sscanf(line, "PUT %255s %ld", name, &len) == 2 &&
		    good_name(name) && len >= 0) {
			do_put(c, in, name, len);
		} else if (sscanf(line, "GET %255s", name) == 1 &&
			   good_name(name)) {
			do_get(c, name);
		} else if (sscanf(line, "DEL %255s", name) == 1 &&
			   good_name(name)) {
			char path[300];

			snprintf(path, sizeof(path), DATA "/%s", name);
			if (liblinux_unlink(path))
				send_all(c, "ERR no such name\n", 17);
			else
				send_all(c, "OK\n", 3);
		} else if (!strcmp(line, "LIST\n")) {
			do_list(c);
		} else if (!strcmp(line, "STAT\n")) {
			struct statfs sf;

			if (liblinux_statfs(DATA, &sf))
				send_all(c, "ERR\n", 4);
			else
				reply(c, "OK %ld %ld\n",
				      (long)((sf.f_blocks - sf.f_bfree) * sf.f_bsize),
				      (long)(sf.f_bavail * sf.f_bsize));
		} else {
			send_all(c, "ERR bad request\n", 16);
		}
	}
	if (in)
		fclose(in);
	close(c);
	return NULL;
}

int main(int argc, char **argv)
{
	struct liblinux_params params = { .mem = 128UL << 20 };
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_stop };
	int port = 7070, one = 1, s, err;

	if (argc == 3 && !strcmp(argv[1], "-p")) {
		port = atoi(argv[2]);
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [-p PORT]\n", argv[0]);
		return 2;
	}
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "%s: -p: not a port number\n", argv[0]);
		return 2;
	}
	err = liblinux_start(&params);
	if (!err)
		err = liblinux_mkdir(DATA, 0755);
	if (!err)
		err = liblinux_mount("memstore", DATA, "tmpfs", 0, "size=64m");
	if (err) {
		fprintf(stderr, "%s: kernel: %s\n", argv[0], strerror(-err));
		return 1;
	}

	s = socket(AF_INET, SOCK_STREAM, 0);
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s < 0 || bind(s, (void *)&addr, sizeof(addr)) || listen(s, 16)) {
		perror("memstore: 127.0.0.1");
		liblinux_stop();
		return 1;
	}
	/* no SA_RESTART: accept() returns on SIGINT and SIGTERM */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("memstore: listening on 127.0.0.1:%d\n", port);
	fflush(stdout);
	while (!stopping) {
		int c = accept(s, NULL, NULL);
		pthread_t th;

		if (c < 0)
			continue;
		if (pthread_create(&th, NULL, client, (void *)(long)c))
			close(c);
		else
			pthread_detach(th);
	}
	close(s);
	err = liblinux_stop();
	printf("memstore: stopped%s\n", err ? " (with errors)" : "");
	return err ? 1 : 0;
}
