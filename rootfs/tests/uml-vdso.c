// SPDX-License-Identifier: GPL-2.0
/*
 * uml-vdso: check the vDSO from inside the guest.
 *
 *   uml-vdso check   the vDSO is announced (AT_SYSINFO_EHDR), exports the
 *                    x86_64 names, agrees with the system calls, and its
 *                    clock_gettime costs far less than one system call
 *                    (so it made none); prints "vdso: ok" at the end
 *   uml-vdso bench N  ns per call: vDSO clock_gettime(CLOCK_MONOTONIC),
 *                    the libc call, and the system call
 *   uml-vdso timens  a child in a new time namespace with CLOCK_MONOTONIC
 *                    moved 1000 s ahead sees that through the vDSO
 *
 * A guest test program: built static into /usr/bin of the root image.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

typedef int (*gettime_fn)(clockid_t, struct timespec *);
typedef int (*gtod_fn)(struct timeval *, struct timezone *);
typedef time_t (*time_fn)(time_t *);
typedef int (*getcpu_fn)(unsigned int *, unsigned int *, void *);

static int failures;

#define CHECK(cond, ...) do {					\
	if (!(cond)) {						\
		printf("FAIL %s:%d: ", __func__, __LINE__);	\
		printf(__VA_ARGS__);				\
		printf("\n");					\
		failures++;					\
	}							\
} while (0)

/* the address of a versioned dynamic symbol of the vDSO, or NULL */
static void *vdso_sym(const char *name, const char *version)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)base;
	Elf64_Phdr *ph;
	Elf64_Dyn *dyn = NULL;
	Elf64_Sym *symtab = NULL;
	const char *strtab = NULL;
	Elf64_Word *hash = NULL;
	Elf64_Versym *versym = NULL;
	Elf64_Verdef *verdef = NULL;
	unsigned long load = 0;
	int i;

	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return NULL;
	ph = (Elf64_Phdr *)(base + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !load)
			load = base + ph[i].p_offset - ph[i].p_vaddr;
		else if (ph[i].p_type == PT_DYNAMIC)
			dyn = (Elf64_Dyn *)(base + ph[i].p_offset);
	}
	if (!dyn)
		return NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		unsigned long p = load + dyn->d_un.d_ptr;

		if (dyn->d_tag == DT_SYMTAB)
			symtab = (Elf64_Sym *)p;
		else if (dyn->d_tag == DT_STRTAB)
			strtab = (const char *)p;
		else if (dyn->d_tag == DT_HASH)
			hash = (Elf64_Word *)p;
		else if (dyn->d_tag == DT_VERSYM)
			versym = (Elf64_Versym *)p;
		else if (dyn->d_tag == DT_VERDEF)
			verdef = (Elf64_Verdef *)p;
	}
	if (!symtab || !strtab || !hash)
		return NULL;
	for (i = 0; i < (int)hash[1]; i++) {
		Elf64_Sym *s = &symtab[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
		    s->st_shndx == SHN_UNDEF || strcmp(strtab + s->st_name, name))
			continue;
		if (version && versym && verdef) {
			Elf64_Verdef *d = verdef;
			int ok = 0;

			for (;;) {
				if (d->vd_ndx == (versym[i] & 0x7fff)) {
					Elf64_Verdaux *a = (void *)((char *)d + d->vd_aux);

					ok = !strcmp(strtab + a->vda_name, version);
					break;
				}
				if (!d->vd_next)
					break;
				d = (void *)((char *)d + d->vd_next);
			}
			if (!ok)
				continue;
		}
		return (void *)(load + s->st_value);
	}
	return NULL;
}

static long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static long long now_mono(void)
{
	struct timespec ts;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts_ns(&ts);
}

/* ns per call of @fn over @n calls */
static double cost(gettime_fn fn, clockid_t clk, long n)
{
	struct timespec ts;
	long long t0 = now_mono();
	long i;

	for (i = 0; i < n; i++)
		fn(clk, &ts);
	return (double)(now_mono() - t0) / n;
}

static int sys_gettime(clockid_t clk, struct timespec *ts)
{
	return syscall(SYS_clock_gettime, clk, ts);
}

static void check_agrees(gettime_fn vgt, clockid_t clk, const char *name)
{
	int i, bad = 0;

	for (i = 0; i < 2000; i++) {
		struct timespec a, b, c;

		vgt(clk, &a);
		sys_gettime(clk, &b);
		vgt(clk, &c);
		if (ts_ns(&a) > ts_ns(&b) || ts_ns(&b) > ts_ns(&c))
			bad++;
	}
	CHECK(!bad, "%s: vDSO and system call out of order %d times in 2000",
	      name, bad);
}

/* the kernel's clocksource; 1 if the vDSO can read it without a trap */
static int check_clock_source(void)
{
	char buf[64] = "";
	int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      O_RDONLY);

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = 0;
		close(fd);
	}
	buf[strcspn(buf, "\n")] = 0;
	printf("clocksource: %s\n", buf);
	return !strcmp(buf, "tsc");
}

/* running on this project's kernel (its release ends in "-uml") */
static int our_kernel(void)
{
	struct utsname u;
	size_t n;

	if (uname(&u))
		return 0;
	n = strlen(u.release);
	return n > 4 && !strcmp(u.release + n - 4, "-uml");
}

static int check(void)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	gettime_fn vgt = vdso_sym("__vdso_clock_gettime", "LINUX_2.6");
	gtod_fn vgtod = vdso_sym("__vdso_gettimeofday", "LINUX_2.6");
	time_fn vtime = vdso_sym("__vdso_time", "LINUX_2.6");
	getcpu_fn vcpu = vdso_sym("__vdso_getcpu", "LINUX_2.6");
	gettime_fn vres = vdso_sym("__vdso_clock_getres", "LINUX_2.6");
	struct timespec ts, res;
	struct timeval tv;
	unsigned int cpu = 99, node = 99;
	double v, s;
	time_t t;
	int fast = check_clock_source();

	printf("AT_SYSINFO_EHDR: %#lx\n", base);
	CHECK(base, "no AT_SYSINFO_EHDR");
	CHECK(vgt && vgtod && vtime && vcpu && vres,
	      "missing symbol: clock_gettime %p gettimeofday %p time %p getcpu %p getres %p",
	      vgt, vgtod, vtime, vcpu, vres);
	if (failures)
		return 1;

	CHECK(vgt(CLOCK_MONOTONIC, &ts) == 0, "clock_gettime(MONOTONIC)");
	check_agrees(vgt, CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
	check_agrees(vgt, CLOCK_REALTIME, "CLOCK_REALTIME");
	check_agrees(vgt, CLOCK_BOOTTIME, "CLOCK_BOOTTIME");
	check_agrees(vgt, CLOCK_TAI, "CLOCK_TAI");
	/* the coarse clocks run a tick behind at most */
	vgt(CLOCK_MONOTONIC_COARSE, &ts);
	CHECK(llabs(ts_ns(&ts) - now_mono()) < 100000000LL,
	      "CLOCK_MONOTONIC_COARSE %lld ns off", ts_ns(&ts) - now_mono());

	CHECK(vgtod(&tv, NULL) == 0, "gettimeofday");
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	CHECK(llabs(tv.tv_sec * 1000000LL + tv.tv_usec - ts_ns(&ts) / 1000) < 100000,
	      "gettimeofday %ld.%06ld vs realtime %ld.%09ld", tv.tv_sec,
	      tv.tv_usec, ts.tv_sec, ts.tv_nsec);
	t = vtime(NULL);
	CHECK(llabs(t - (long)syscall(SYS_time, NULL)) <= 1, "time %ld", t);
	CHECK(vcpu(&cpu, &node, NULL) == 0 && cpu == 0 && node == 0,
	      "getcpu gave cpu %u node %u", cpu, node);
	syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
	CHECK(vres(CLOCK_MONOTONIC, &res) == 0 && ts_ns(&res) == ts_ns(&ts),
	      "clock_getres(MONOTONIC) %ld.%09ld, system call %ld.%09ld",
	      res.tv_sec, res.tv_nsec, ts.tv_sec, ts.tv_nsec);
	CHECK(vgt(12345, &ts) == -EINVAL, "a bad clock id is -EINVAL");

	/*
	 * Setting the clock shows in the vDSO at once.  Only inside our
	 * kernel: never move a host's clock.
	 */
	ts.tv_sec = 1900000000;		/* 2030 */
	ts.tv_nsec = 0;
	if (our_kernel() && clock_settime(CLOCK_REALTIME, &ts) == 0) {
		t = vtime(NULL);
		CHECK(t >= 1900000000 && t < 1900000010,
		      "time after clock_settime: %ld", t);
	}

	v = cost(vgt, CLOCK_MONOTONIC, fast ? 200000 : 2000);
	s = cost(sys_gettime, CLOCK_MONOTONIC, 2000);
	printf("clock_gettime: vdso %.1f ns, system call %.1f ns\n", v, s);
	/*
	 * A call that traps into the kernel costs microseconds here; with a
	 * clocksource the vDSO cannot read, it makes the system call.
	 */
	if (fast)
		CHECK(v < 1000 && v * 10 < s,
		      "the vDSO's clock_gettime costs %.1f ns (system call %.1f ns)",
		      v, s);
	else
		CHECK(v * 3 > s, "fallback: vDSO %.1f ns, system call %.1f ns",
		      v, s);
	printf(failures ? "vdso: FAILED\n" : fast ? "vdso: ok\n" :
	       "vdso: ok (system call fallback)\n");
	return failures != 0;
}

static int bench(long n)
{
	gettime_fn vgt = vdso_sym("__vdso_clock_gettime", "LINUX_2.6");
	double best_v = 1e18, best_l = 1e18, best_s = 1e18;
	int r;

	for (r = 0; r < 5; r++) {
		double v = vgt ? cost(vgt, CLOCK_MONOTONIC, n) : 0;
		double l = cost(clock_gettime, CLOCK_MONOTONIC, n);
		double s = cost(sys_gettime, CLOCK_MONOTONIC, n / 50 + 1);

		if (v < best_v)
			best_v = v;
		if (l < best_l)
			best_l = l;
		if (s < best_s)
			best_s = s;
	}
	printf("vdso_ns=%.1f libc_ns=%.1f syscall_ns=%.1f\n",
	       vgt ? best_v : -1.0, best_l, best_s);
	return 0;
}

static int timens(void)
{
	gettime_fn vgt = vdso_sym("__vdso_clock_gettime", "LINUX_2.6");
	struct timespec ts;
	int fd, status;
	long long before;
	pid_t pid;

	if (!vgt || unshare(CLONE_NEWTIME)) {
		printf("timens: unshare: %s\n", strerror(errno));
		return 1;
	}
	fd = open("/proc/self/timens_offsets", O_WRONLY);
	if (fd < 0 || write(fd, "monotonic 1000 0", 16) != 16) {
		printf("timens: offsets: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	vgt(CLOCK_MONOTONIC, &ts);
	before = ts_ns(&ts);
	pid = fork();
	if (pid == 0) {
		struct timespec s;

		vgt(CLOCK_MONOTONIC, &ts);
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &s);
		printf("timens: parent %lld child vdso %lld syscall %lld\n",
		       before, ts_ns(&ts), ts_ns(&s));
		_exit(ts_ns(&ts) - before > 999000000000LL &&
		      llabs(ts_ns(&ts) - ts_ns(&s)) < 1000000000LL ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	printf(WIFEXITED(status) && !WEXITSTATUS(status) ?
	       "timens: ok\n" : "timens: FAILED\n");
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "bench"))
		return bench(argc > 2 ? atol(argv[2]) : 1000000);
	if (argc > 1 && !strcmp(argv[1], "timens"))
		return timens();
	return check();
}
