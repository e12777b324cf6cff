// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's directory on the host: UML_DIR/UMID/ with "pid" and the
 * management console's socket.  Claimed by main() before boot, removed by
 * host_exit() and host_reexec(), so every way the process ends (power
 * off, halt, reboot, panic, a signal from the host) leaves nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <host/options.h>
#include <host/umid.h>

/* a reboot re-executes us; a made-up name is kept across it */
#define UMID_ENV	"UML_REBOOT_UMID"

static char umid_name[80];
static char umid_dir[4096];
static int umid_made_up;
static pid_t umid_owner;

static const char *check_uml_dir(const char *val)
{
	if (!*val)
		return "empty directory name";
	if (strlen(val) > 3000)
		return "directory name too long";
	return NULL;
}

UML_OPTION(uml_dir, "uml_dir=", "uml_dir=DIR",
	   "parent of the machine's directory (default ~/.uml)",
	   check_uml_dir);

const char *host_umid_name(void)
{
	return umid_name;
}

int host_umid_generated(void)
{
	return umid_made_up;
}

int host_umid_path(const char *file, char *buf, unsigned long len)
{
	int n = snprintf(buf, len, "%s/%s", umid_dir, file);

	return n < 0 || (unsigned long)n >= len ? -ENAMETOOLONG : 0;
}

/* mkdir -p, the last level private to us */
static int make_parent(const char *path)
{
	char tmp[4096];
	char *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static void default_parent(char *buf, size_t len)
{
	const char *home = getenv("HOME");

	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
	}
	if (home)
		snprintf(buf, len, "%s/.uml", home);
	else
		snprintf(buf, len, "/tmp/uml");
}

static void make_up_name(void)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[8];
	unsigned int i;

	if (getrandom(r, sizeof(r), 0) != sizeof(r)) {
		unsigned long x = getpid() ^ (unsigned long)&r;

		for (i = 0; i < sizeof(r); i++, x >>= 5)
			r[i] = x;
	}
	memcpy(umid_name, "uml-", 4);
	for (i = 0; i < sizeof(r); i++)
		umid_name[4 + i] = digits[r[i] % (sizeof(digits) - 1)];
	umid_name[4 + i] = '\0';
	umid_made_up = 1;
}

/* remove every file in the directory, then the directory; signal safe */
static void remove_dir(const char *dir)
{
	char buf[2048];
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;

	if (fd >= 0) {
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
			long off = 0;

			while (off < n) {
				struct dirent64 *d = (void *)(buf + off);

				if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
					unlinkat(fd, d->d_name, 0);
				off += d->d_reclen;
			}
		}
		close(fd);
	}
	rmdir(dir);
}

/* the pid in DIR/pid if that process is alive (and not us), else 0 */
static long live_owner(const char *dir)
{
	char path[4200], buf[32];
	long pid;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/pid", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	if (pid <= 0 || pid == getpid())
		return 0;
	if (kill(pid, 0) == 0 || errno == EPERM)
		return pid;
	return 0;
}

/* somebody answers on DIR/mconsole (a kernel without a pid file) */
static int socket_alive(const char *dir)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, ok;

	if (snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/mconsole", dir) >=
	    (int)sizeof(sun.sun_path))
		return 0;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	ok = !connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	return ok;
}

static int write_pid(void)
{
	char path[4200], buf[32];
	int fd, n;

	snprintf(path, sizeof(path), "%s/pid", umid_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, n) != n) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return 0;
}

int host_umid_init(const char *umid, const char *uml_dir)
{
	char parent[3100];
	const char *kept = getenv(UMID_ENV);
	long pid;
	int err, tries;

	if (umid) {
		snprintf(umid_name, sizeof(umid_name), "%s", umid);
	} else if (kept && *kept && strlen(kept) < 16 && !strchr(kept, '/')) {
		snprintf(umid_name, sizeof(umid_name), "%s", kept);
		umid_made_up = 1;
	} else {
		make_up_name();
	}
	unsetenv(UMID_ENV);

	if (uml_dir)
		snprintf(parent, sizeof(parent), "%s", uml_dir);
	else
		default_parent(parent, sizeof(parent));
	/* the socket's path must fit a unix socket address */
	if (snprintf(umid_dir, sizeof(umid_dir), "%s/%s", parent, umid_name) +
	    sizeof("/mconsole") > sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(stderr,
			"linux: %s/mconsole is too long for a unix socket (at most %zu bytes): choose a shorter uml_dir= or umid=\n",
			umid_dir,
			sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
		return -1;
	}

	err = make_parent(parent);
	if (err) {
		fprintf(stderr, "linux: cannot make the directory %s: %s\n",
			parent, strerror(-err));
		return -1;
	}
	for (tries = 0; tries < 3; tries++) {
		if (!mkdir(umid_dir, 0700))
			break;
		if (errno != EEXIST) {
			fprintf(stderr, "linux: cannot make %s: %s\n",
				umid_dir, strerror(errno));
			return -1;
		}
		pid = live_owner(umid_dir);
		if (pid) {
			fprintf(stderr,
				"linux: umid '%s' is in use by process %ld (%s)\n",
				umid_name, pid, umid_dir);
			return -1;
		}
		if (socket_alive(umid_dir)) {
			fprintf(stderr,
				"linux: umid '%s' is in use: a kernel answers on %s/mconsole\n",
				umid_name, umid_dir);
			return -1;
		}
		/* a dead machine's leftovers: take the name over */
		remove_dir(umid_dir);
	}
	if (tries == 3) {
		fprintf(stderr, "linux: cannot take over %s\n", umid_dir);
		return -1;
	}
	umid_owner = getpid();
	err = write_pid();
	if (err) {
		fprintf(stderr, "linux: cannot write %s/pid: %s\n", umid_dir,
			strerror(-err));
		host_umid_cleanup();
		return -1;
	}
	return 0;
}

void host_umid_cleanup(void)
{
	/* helpers forked from us share the variables but not the directory */
	if (!umid_owner || getpid() != umid_owner)
		return;
	remove_dir(umid_dir);
	umid_owner = 0;
}

/* called by host_reexec(): the next image keeps a made-up name */
void host_umid_before_reexec(void)
{
	if (umid_made_up)
		setenv(UMID_ENV, umid_name, 1);
	host_umid_cleanup();
}
