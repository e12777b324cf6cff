// SPDX-License-Identifier: GPL-2.0
/*
 * audit-check: system call auditing seen from an audit daemon's place.
 *
 * Registers itself as the audit daemon over NETLINK_AUDIT, adds the rule
 * "exit,always -S chdir", has a child call chdir() on a path that does not
 * exist and prints the SYSCALL record the kernel sends back.  Prints "audit: ok"
 * when the record names the x86_64 audit arch, the chdir number and the
 * ENOENT exit; otherwise says what was missing and exits 1.
 */
#define _GNU_SOURCE		/* memmem */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/netlink.h>

#define BUF_SIZE 9000

static int audit_fd;
static unsigned int seq;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void send_msg(int type, const void *data, size_t len)
{
	char buf[BUF_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	memset(buf, 0, NLMSG_SPACE(len));
	nh->nlmsg_len = NLMSG_LENGTH(len);
	nh->nlmsg_type = type;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nh->nlmsg_seq = ++seq;
	memcpy(NLMSG_DATA(nh), data, len);
	if (sendto(audit_fd, buf, nh->nlmsg_len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		die("sendto");
}

/* Receive until the ack of request @want; fail on a negative ack. */
static void wait_ack(unsigned int want, const char *what)
{
	char buf[BUF_SIZE] __attribute__((aligned(8)));

	for (;;) {
		ssize_t n = recv(audit_fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;

		if (n < 0)
			die("recv");
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			struct nlmsgerr *e = NLMSG_DATA(nh);

			if (nh->nlmsg_type != NLMSG_ERROR ||
			    nh->nlmsg_seq != want)
				continue;
			if (e->error) {
				errno = -e->error;
				die(what);
			}
			return;
		}
	}
}

int main(void)
{
	static char rbuf[sizeof(struct audit_rule_data)];
	struct audit_rule_data *rule = (struct audit_rule_data *)rbuf;
	struct audit_status st = { 0 };
	char buf[BUF_SIZE] __attribute__((aligned(8)));
	char want[64];
	int nr = SYS_chdir;
	int status;
	pid_t child;

	audit_fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
	if (audit_fd < 0)
		die("socket(NETLINK_AUDIT)");

	st.mask = AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID;
	st.enabled = 1;
	st.pid = getpid();
	send_msg(AUDIT_SET, &st, sizeof(st));
	wait_ack(seq, "AUDIT_SET");

	rule->flags = AUDIT_FILTER_EXIT;
	rule->action = AUDIT_ALWAYS;
	rule->mask[nr / 32] |= 1U << (nr % 32);
	send_msg(AUDIT_ADD_RULE, rule, sizeof(*rule));
	wait_ack(seq, "AUDIT_ADD_RULE");

	/*
	 * Tasks get an audit context when they are created, once auditing
	 * is on: the chdir is made by a child forked now.
	 */
	child = fork();
	if (child < 0)
		die("fork");
	if (!child)
		_exit(chdir("/no-such-dir-audit-check") == 0 || errno != ENOENT);
	if (waitpid(child, &status, 0) != child || status)
		die("chdir in the child should fail with ENOENT");

	snprintf(want, sizeof(want), "arch=%x syscall=%d success=no exit=%d",
		 AUDIT_ARCH_X86_64, nr, -ENOENT);
	for (;;) {
		struct pollfd p = { .fd = audit_fd, .events = POLLIN };
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		ssize_t n;

		if (poll(&p, 1, 5000) != 1) {
			fprintf(stderr, "audit: no SYSCALL record in 5 s\n");
			return 1;
		}
		n = recv(audit_fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			die("recv");
		for (; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			char *text = NLMSG_DATA(nh);
			int len = nh->nlmsg_len - NLMSG_HDRLEN;

			if (nh->nlmsg_type != AUDIT_SYSCALL)
				continue;
			printf("record: %.*s\n", len, text);
			if (!memmem(text, len, want, strlen(want))) {
				fprintf(stderr, "audit: record lacks \"%s\"\n",
					want);
				return 1;
			}
			printf("audit: ok\n");
			return 0;
		}
	}
}
