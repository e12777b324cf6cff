// SPDX-License-Identifier: GPL-2.0
/*
 * The library's host side: start the kernel on a host thread of its own,
 * queue the application's calls for it, stop it.
 *
 * A call is a struct host_lib_req on the calling thread's stack, put on
 * the list of outstanding requests; the caller then sleeps on the
 * request's done word (a futex).  When the kernel last found the list
 * empty it waits for the wake-up pipe, whose read end is a device IRQ of
 * the kernel: the caller writes a byte to it.  Otherwise a kernel task
 * will look at the list again on its own and no write is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <liblinux.h>
#include <host/boot.h>
#include <host/cpu.h>
#include <host/irq.h>
#include <host/lib.h>
#include <host/mem.h>
#include <host/time.h>

#define LIB_DEFAULT_MEM	(64UL << 20)
#define LIB_MAX_DISKS	16

enum lib_state { LIB_OFF, LIB_BOOTING, LIB_UP, LIB_DOWN };

static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
static struct host_lib_req *lib_list;	/* outstanding, oldest first */
static int lib_need_kick;
static int lib_pipe[2] = { -1, -1 };
static int lib_state;			/* enum lib_state, a futex word */
static int lib_exit_status;
static pthread_t lib_thread;
static jmp_buf lib_exit_jmp;

static void futex_wait(int *word, int val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void set_state(int state)
{
	__atomic_store_n(&lib_state, state, __ATOMIC_SEQ_CST);
	futex_wake(&lib_state);
}

int host_lib_fd(void)
{
	return lib_pipe[0];
}

void host_lib_drain(void)
{
	char buf[64];

	while (read(lib_pipe[0], buf, sizeof(buf)) > 0)
		;
}

struct host_lib_req *host_lib_take(int *more)
{
	struct host_lib_req *r, *found = NULL;

	*more = 0;
	pthread_mutex_lock(&lib_lock);
	for (r = lib_list; r; r = r->next) {
		if (r->taken)
			continue;
		if (found) {
			*more = 1;
			break;
		}
		found = r;
	}
	if (found)
		found->taken = 1;
	else
		lib_need_kick = 1;
	pthread_mutex_unlock(&lib_lock);
	return found;
}

/* off the list and answered; called with lib_lock held */
static void req_finish(struct host_lib_req *req)
{
	struct host_lib_req **p;

	for (p = &lib_list; *p; p = &(*p)->next) {
		if (*p == req) {
			*p = req->next;
			break;
		}
	}
	__atomic_store_n(&req->done, 1, __ATOMIC_SEQ_CST);
	futex_wake(&req->done);
}

void host_lib_done(struct host_lib_req *req)
{
	pthread_mutex_lock(&lib_lock);
	req_finish(req);
	pthread_mutex_unlock(&lib_lock);
}

void host_lib_booted(void)
{
	set_state(LIB_UP);
}

void host_lib_exit(int status)
{
	lib_exit_status = status;
	host_timer_cancel();
	pthread_mutex_lock(&lib_lock);
	while (lib_list) {
		struct host_lib_req *req = lib_list;

		/* the power-off request itself succeeded */
		req->ret = req->nr == HOST_LIB_POWEROFF && !status ? 0 : -ESHUTDOWN;
		req_finish(req);
	}
	set_state(LIB_DOWN);
	pthread_mutex_unlock(&lib_lock);
	longjmp(lib_exit_jmp, 1);
}

static void *kernel_main(void *unused)
{
	if (!setjmp(lib_exit_jmp)) {
		/* this thread is the boot CPU: current is read through %gs */
		host_cpu_self_set(&uml_cpu_selves[0]);
		host_signals_init();
		uml_run_on_stack(uml_kernel_entry, uml_init_stack_top());
	}
	return NULL;
}

static long lib_call(long nr, const long *args)
{
	struct host_lib_req req = { .nr = nr };
	int kick;

	memcpy(req.args, args, sizeof(req.args));
	pthread_mutex_lock(&lib_lock);
	if (__atomic_load_n(&lib_state, __ATOMIC_SEQ_CST) != LIB_UP) {
		pthread_mutex_unlock(&lib_lock);
		return -ESHUTDOWN;
	}
	req.next = NULL;
	if (lib_list) {
		struct host_lib_req *last = lib_list;

		while (last->next)
			last = last->next;
		last->next = &req;
	} else {
		lib_list = &req;
	}
	kick = lib_need_kick;
	lib_need_kick = 0;
	pthread_mutex_unlock(&lib_lock);

	if (kick)
		while (write(lib_pipe[1], "", 1) < 0 && errno == EINTR)
			;
	while (!__atomic_load_n(&req.done, __ATOMIC_SEQ_CST))
		futex_wait(&req.done, 0);
	return req.ret;
}

long liblinux_syscall(long nr, ...)
{
	long args[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		args[i] = va_arg(ap, long);
	va_end(ap);
	if (nr < 0)
		return -ENOSYS;
	return lib_call(nr, args);
}

/* append " fmt" to the boot command line; -E2BIG when it is full */
static int cmdline_add(size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(uml_boot_cmdline + *len, UML_CMDLINE_SIZE - *len, fmt,
		      ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= UML_CMDLINE_SIZE - *len)
		return -E2BIG;
	*len += n;
	return 0;
}

#define IS_ERR_PATH(p)	((unsigned long)(p) >= (unsigned long)-4095)

/*
 * The host path the block driver opens for @d (/proc/self/fd/N in
 * @fdpath for a descriptor), or a negative errno cast to a pointer.
 */
static const char *disk_path(const struct liblinux_disk *d, char *fdpath)
{
	const char *path = d->path;

	if (!path) {
		if (d->fd < 0 || fcntl(d->fd, F_GETFD) < 0)
			return (const char *)(long)-EBADF;
		snprintf(fdpath, 32, "/proc/self/fd/%d", d->fd);
		path = fdpath;
	}
	/* the block driver's option syntax has no quoting */
	if (!*path || strchr(path, ' ') || strchr(path, ',') ||
	    strlen(path) > PATH_MAX)
		return (const char *)(long)-EINVAL;
	return path;
}

static int build_cmdline(const struct liblinux_params *p)
{
	const char *env = getenv("LIBLINUX_VERBOSE");
	int verbose = p->verbose || (env && *env == '1');
	size_t len = 0;
	int i, err;

	/*
	 * No console input (con0 reads a pipe nobody writes), kernel messages
	 * to stderr or nowhere.
	 */
	if (verbose) {
		static int idle_in[2] = { -1, -1 };

		if (idle_in[0] < 0 && pipe2(idle_in, O_CLOEXEC))
			return -errno;
		err = cmdline_add(&len, "con=null con0=fd:%d,fd:2", idle_in[0]);
	} else {
		err = cmdline_add(&len, "con=null quiet");
	}
	for (i = 0; !err && i < p->ndisks; i++) {
		char fdpath[32];
		const char *path = disk_path(&p->disks[i], fdpath);

		if (IS_ERR_PATH(path))
			return (long)path;
		err = cmdline_add(&len, " ubd%d%s=%s", i,
				  p->disks[i].readonly ? "r" : "", path);
	}
	if (!err && p->cmdline && *p->cmdline)
		err = cmdline_add(&len, " %s", p->cmdline);
	return err;
}

int liblinux_start(const struct liblinux_params *params)
{
	static const struct liblinux_params none;
	const struct liblinux_params *p = params ? params : &none;
	unsigned long mem = p->mem ? p->mem : LIB_DEFAULT_MEM;
	sigset_t all, old;
	int err, state;

	if (__atomic_load_n(&lib_state, __ATOMIC_SEQ_CST) != LIB_OFF)
		return -EBUSY;
	if (mem < (16UL << 20) || p->ndisks < 0 || p->ndisks > LIB_MAX_DISKS ||
	    (p->ndisks && !p->disks))
		return -EINVAL;
	err = build_cmdline(p);
	if (err)
		return err;
	if (pipe2(lib_pipe, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	uml_physmem_size = mem & ~4095UL;
	err = host_physmem_create(uml_physmem_size);
	if (err)
		return err;

	lib_state = LIB_BOOTING;
	/* the kernel's thread starts with every signal blocked */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&lib_thread, NULL, kernel_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		lib_state = LIB_DOWN;
		return -err;
	}
	while ((state = __atomic_load_n(&lib_state, __ATOMIC_SEQ_CST)) ==
	       LIB_BOOTING)
		futex_wait(&lib_state, LIB_BOOTING);
	if (state != LIB_UP) {
		pthread_join(lib_thread, NULL);
		return -EIO;
	}
	return 0;
}

/* the mount points of /proc/mounts, in order; NULL on failure */
static char *read_mounts(size_t *len)
{
	size_t size = 0, used = 0;
	char *buf = NULL;
	int fd = liblinux_open("/proc/mounts", O_RDONLY, 0);

	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n;

		if (used + 4096 > size) {
			char *nb = realloc(buf, size + 65536);

			if (!nb)
				break;
			buf = nb;
			size += 65536;
		}
		n = liblinux_read(fd, buf + used, size - used - 1);
		if (n <= 0)
			break;
		used += n;
	}
	liblinux_close(fd);
	if (buf)
		buf[used] = '\0';
	*len = used;
	return buf;
}

/* unmount everything but / itself, the last mounted first */
static int unmount_all(void)
{
	size_t len;
	char *buf = read_mounts(&len);
	char *lines[256];
	int n = 0, err = 0;
	char *line, *save;

	if (!buf)
		return -ENOMEM;
	for (line = strtok_r(buf, "\n", &save); line && n < 256;
	     line = strtok_r(NULL, "\n", &save)) {
		char *dir = strchr(line, ' ');
		char *end;

		if (!dir)
			continue;
		dir++;
		end = strchr(dir, ' ');
		if (end)
			*end = '\0';
		if (strcmp(dir, "/"))
			lines[n++] = dir;
	}
	while (n--) {
		int e = liblinux_umount(lines[n], 0);

		if (e && e != -EINVAL && !err)
			err = e;
	}
	free(buf);
	return err;
}

int liblinux_stop(void)
{
	static const long no_args[6];
	int err;

	if (__atomic_load_n(&lib_state, __ATOMIC_SEQ_CST) != LIB_UP)
		return -ESHUTDOWN;
	liblinux_syscall(SYS_close_range, 0L, ~0UL, 0L);
	err = unmount_all();
	liblinux_sync();
	lib_call(HOST_LIB_POWEROFF, no_args);
	pthread_join(lib_thread, NULL);
	if (!err && lib_exit_status)
		err = -EIO;
	return err;
}

int liblinux_config(const char *spec, int remove, char *msg, size_t len)
{
	long args[6] = { (long)spec, remove, (long)msg, (long)len };

	if (msg && len)
		msg[0] = '\0';
	if (!spec)
		return -EINVAL;
	return lib_call(HOST_LIB_CONFIG, args);
}

int liblinux_disk_add(const struct liblinux_disk *disk)
{
	char fdpath[32], node[16];
	struct stat st;
	const char *path;
	char *spec;
	int n, err = -ENOSPC;

	if (!disk)
		return -EINVAL;
	path = disk_path(disk, fdpath);
	if (IS_ERR_PATH(path))
		return (long)path;
	spec = malloc(strlen(path) + 16);
	if (!spec)
		return -ENOMEM;
	for (n = 0; n < LIB_MAX_DISKS; n++) {
		/* the disks there are have their nodes in devtmpfs */
		snprintf(node, sizeof(node), "/dev/ubd%c", 'a' + n);
		if (!liblinux_stat(node, &st))
			continue;
		sprintf(spec, "ubd%d%s=%s", n, disk->readonly ? "r" : "", path);
		err = liblinux_config(spec, 0, NULL, 0);
		/* another thread took this number first: try the next */
		if (err == -EBUSY && !liblinux_stat(node, &st))
			continue;
		break;
	}
	free(spec);
	if (n == LIB_MAX_DISKS)
		return -ENOSPC;
	return err ? err : n;
}

int liblinux_disk_remove(int n)
{
	char spec[16];

	if (n < 0 || n >= LIB_MAX_DISKS)
		return -ENODEV;
	snprintf(spec, sizeof(spec), "ubd%d", n);
	return liblinux_config(spec, 1, NULL, 0);
}
