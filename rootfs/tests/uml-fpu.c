// SPDX-License-Identifier: GPL-2.0
/*
 * uml-fpu: FPU and vector state of guest threads and processes.
 *
 *   uml-fpu threads       4 threads each keep their own values live in
 *                         every ymm (and zmm, k) register across
 *                         sched_yield() and preemption
 *   uml-fpu signal        every vector register intact across signal
 *                         handlers that clobber them all; the frame
 *                         carries the XSAVE state with its magic words,
 *                         AT_MINSIGSTKSZ covers it
 *   uml-fpu fork          a forked child starts with its parent's
 *                         vector registers, MXCSR and x87 control word
 *   uml-fpu hold N FILE   N threads (main included) wait until FILE
 *                         exists (at most 30 s)
 *   uml-fpu exec          a second thread execs "echo exec-ok" while
 *                         two more threads run
 *   uml-fpu vfork         50 vfork+exec of /bin/true and 50 posix_spawn:
 *                         a CLONE_VM child on a clone of its parent's
 *                         process, until it execs
 *   uml-fpu mapread FILE  reading a MAP_SHARED, writable mapping of FILE
 *                         does not dirty it: its mtime stays (the write
 *                         bit of the fault, not a guess)
 *   uml-fpu segv          si_addr, cr2, trapno and the write bit of err
 *                         in SIGSEGV handlers: read and write faults on
 *                         PROT_NONE, read-only and unmapped memory
 *   uml-fpu core          4 threads spin with r12 = 0x5a5a0000 + i and
 *                         ymm2 = i+1 in each dword of its lower half,
 *                         i+101 in its upper half; then SIGABRT: a core
 *                         dump in which each thread has its own (the
 *                         upper half from the NT_X86_XSTATE note)
 *
 * Each prints "OK <name>" or "FAIL <name>: why" and exits non-zero on
 * failure.  The values live in registers only inside asm blocks that
 * make the system calls themselves, so no C library code runs between
 * setting and checking them.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <setjmp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <spawn.h>
#include <ucontext.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

static int has_avx512;

static int cpu_has_avx512(void)
{
	unsigned int a, b, c, d;
	unsigned long long xcr0;

	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 27)))		/* OSXSAVE */
		return 0;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	xcr0 = ((unsigned long long)d << 32) | a;
	if ((xcr0 & 0xe6) != 0xe6)	/* SSE, AVX, opmask, ZMM_Hi256, Hi16 */
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return !!(b & (1u << 16));	/* AVX512F */
}

/* 32 registers of 64 bytes, 8 opmask registers */
struct vregs {
	uint8_t z[32][64];
	uint64_t k[8];
};

static void fill(struct vregs *v, unsigned int seed)
{
	int i, j;

	for (i = 0; i < 32; i++)
		for (j = 0; j < 64; j++)
			v->z[i][j] = (uint8_t)(seed * 131 + i * 17 + j * 7 + 1);
	for (i = 0; i < 8; i++)
		v->k[i] = 0x0101010101010101ull * (uint8_t)(seed * 3 + i + 1);
	if (!has_avx512)
		for (i = 0; i < 32; i++)
			memset(v->z[i] + (i < 16 ? 32 : 0), 0, i < 16 ? 32 : 64);
	if (!has_avx512)
		memset(v->k, 0, sizeof(v->k));
}

#define YMM_LOAD(n)  "vmovdqu " #n "*64(%[in]), %%ymm" #n "\n\t"
#define YMM_STORE(n) "vmovdqu %%ymm" #n ", " #n "*64(%[out])\n\t"
#define ZMM_LOAD(n)  "vmovdqu64 " #n "*64(%[in]), %%zmm" #n "\n\t"
#define ZMM_STORE(n) "vmovdqu64 %%zmm" #n ", " #n "*64(%[out])\n\t"
#define K_LOAD(n)    "kmovq 2048+" #n "*8(%[in]), %%k" #n "\n\t"
#define K_STORE(n)   "kmovq %%k" #n ", 2048+" #n "*8(%[out])\n\t"

#define ALL16(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) \
		 M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)
#define HI16(M) M(16) M(17) M(18) M(19) M(20) M(21) M(22) M(23) \
		M(24) M(25) M(26) M(27) M(28) M(29) M(30) M(31)
#define K8(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)

/*
 * The part of hold_*() between the loads and the stores: system call
 * %[nr] (args %[a0], %[a1]), then %[spin] turns of a busy loop, %[loops]
 * times; the result stays in rax.
 */
#define SYSCALL_LOOP			\
	"1:\n\t"			\
	"movq %[nr], %%rax\n\t"		\
	"movq %[a0], %%rdi\n\t"		\
	"movq %[a1], %%rsi\n\t"		\
	"syscall\n\t"			\
	"movq %[spin], %%rcx\n\t"	\
	"2: decq %%rcx\n\t"		\
	"jnz 2b\n\t"			\
	"decq %[loops]\n\t"		\
	"jnz 1b\n\t"

/*
 * Load every vector register from @in, make system call @nr (args in
 * @a0, @a1) @loops times with @spin iterations of busy loop after each,
 * then store every register to @out.  Returns the last call's result.
 */
static long hold_ymm(const struct vregs *in, struct vregs *out, long nr,
		     long a0, long a1, long loops, long spin)
{
	long ret;

	__asm__ volatile(
		ALL16(YMM_LOAD)
		SYSCALL_LOOP
		ALL16(YMM_STORE)
		: "=&a"(ret), [loops] "+r"(loops)
		: [in] "r"(in), [out] "r"(out), [nr] "m"(nr), [a0] "m"(a0),
		  [a1] "m"(a1), [spin] "m"(spin)
		: "rcx", "rdi", "rsi", "r11", "memory",
		  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15");
	return ret;
}

__attribute__((target("avx512f,avx512bw")))
static long hold_zmm(const struct vregs *in, struct vregs *out, long nr,
		     long a0, long a1, long loops, long spin)
{
	long ret;

	__asm__ volatile(
		ALL16(ZMM_LOAD) HI16(ZMM_LOAD) K8(K_LOAD)
		SYSCALL_LOOP
		ALL16(ZMM_STORE) HI16(ZMM_STORE) K8(K_STORE)
		: "=&a"(ret), [loops] "+r"(loops)
		: [in] "r"(in), [out] "r"(out), [nr] "m"(nr), [a0] "m"(a0),
		  [a1] "m"(a1), [spin] "m"(spin)
		: "rcx", "rdi", "rsi", "r11", "memory",
		  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19",
		  "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25",
		  "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31",
		  "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
	return ret;
}

static long hold(const struct vregs *in, struct vregs *out, long nr,
		 long a0, long a1, long loops, long spin)
{
	memset(out, 0, sizeof(*out));
	if (has_avx512)
		return hold_zmm(in, out, nr, a0, a1, loops, spin);
	return hold_ymm(in, out, nr, a0, a1, loops, spin);
}

/* the first register that differs, or -1 */
static int compare(const struct vregs *a, const struct vregs *b)
{
	int i;

	for (i = 0; i < 32; i++)
		if (memcmp(a->z[i], b->z[i], 64))
			return i;
	for (i = 0; i < 8; i++)
		if (a->k[i] != b->k[i])
			return 32 + i;
	return -1;
}

/* threads */

#define NTHREADS 4
static int thread_bad[NTHREADS];

static void *vec_thread(void *p)
{
	int id = (int)(long)p;
	struct vregs in, out;
	int round, r;

	fill(&in, id + 1);
	for (round = 0; round < 20; round++) {
		/* 50 yields with some work between them: preempted too */
		hold(&in, &out, SYS_sched_yield, 0, 0, 50, 20000);
		r = compare(&in, &out);
		if (r >= 0) {
			thread_bad[id] = r + 1;
			break;
		}
	}
	return NULL;
}

static int test_threads(void)
{
	pthread_t t[NTHREADS];
	int i, bad = 0;

	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, vec_thread, (void *)(long)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NTHREADS; i++)
		if (thread_bad[i]) {
			printf("FAIL threads: thread %d lost register %d\n",
			       i, thread_bad[i] - 1);
			bad = 1;
		}
	if (!bad)
		printf("OK threads (%s)\n", has_avx512 ? "zmm" : "ymm");
	return bad;
}

/* signals */

static volatile int handled;
static volatile int frame_bad;
static unsigned long minsigstksz;

__attribute__((target("avx512f")))
static void clobber_zmm(void)
{
	__asm__ volatile(
		"vpternlogd $0xff, %%zmm0, %%zmm0, %%zmm0\n\t"
#define CLOB(n) "vmovdqa64 %%zmm0, %%zmm" #n "\n\t"
		CLOB(1) CLOB(2) CLOB(3) CLOB(4) CLOB(5) CLOB(6) CLOB(7)
		CLOB(8) CLOB(9) CLOB(10) CLOB(11) CLOB(12) CLOB(13) CLOB(14)
		CLOB(15) CLOB(16) CLOB(17) CLOB(18) CLOB(19) CLOB(20)
		CLOB(21) CLOB(22) CLOB(23) CLOB(24) CLOB(25) CLOB(26)
		CLOB(27) CLOB(28) CLOB(29) CLOB(30) CLOB(31)
		"kxnorq %%k0, %%k0, %%k1\n\t"
		"kmovq %%k1, %%k2\n\t" "kmovq %%k1, %%k3\n\t"
		"kmovq %%k1, %%k4\n\t" "kmovq %%k1, %%k5\n\t"
		"kmovq %%k1, %%k6\n\t" "kmovq %%k1, %%k7\n\t"
		"kmovq %%k1, %%k0\n\t"
		::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19",
		  "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25",
		  "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31",
		  "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7");
}

static void clobber_ymm(void)
{
	__asm__ volatile(
		"vpcmpeqd %%ymm0, %%ymm0, %%ymm0\n\t"
#define CLOBY(n) "vmovdqa %%ymm0, %%ymm" #n "\n\t"
		CLOBY(1) CLOBY(2) CLOBY(3) CLOBY(4) CLOBY(5) CLOBY(6)
		CLOBY(7) CLOBY(8) CLOBY(9) CLOBY(10) CLOBY(11) CLOBY(12)
		CLOBY(13) CLOBY(14) CLOBY(15)
		::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15");
}

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
	uint32_t magic1, ext, size, magic2;

	handled++;
	/* the frame: fxsave part, software words, MAGIC2 after the image */
	if (!(uc->uc_flags & 1)) {		/* UC_FP_XSTATE */
		frame_bad = 1;
	} else {
		memcpy(&magic1, fp + 464, 4);
		memcpy(&ext, fp + 468, 4);
		memcpy(&size, fp + 480, 4);
		memcpy(&magic2, fp + size, 4);
		if (magic1 != 0x46505853 || magic2 != 0x46505845 ||
		    ext != size + 4)
			frame_bad = 2;
		else if (minsigstksz < size + 4 + 64)
			frame_bad = 3;
	}
	if (has_avx512)
		clobber_zmm();
	else
		clobber_ymm();
}

static int test_signal(void)
{
	struct sigaction sa = { 0 };
	struct vregs in, out;
	int r, round;

	minsigstksz = getauxval(AT_MINSIGSTKSZ);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	for (round = 0; round < 20; round++) {
		fill(&in, round + 7);
		/* kill(getpid(), SIGUSR1) from inside the asm, 10 times */
		hold(&in, &out, SYS_kill, getpid(), SIGUSR1, 10, 1000);
		r = compare(&in, &out);
		if (r >= 0) {
			printf("FAIL signal: register %d changed by a handler\n",
			       r);
			return 1;
		}
	}
	if (handled != 200) {
		printf("FAIL signal: %d handlers ran, not 200\n", handled);
		return 1;
	}
	if (frame_bad) {
		printf("FAIL signal: frame check %d (AT_MINSIGSTKSZ %lu)\n",
		       frame_bad, minsigstksz);
		return 1;
	}
	printf("OK signal (%s, AT_MINSIGSTKSZ %lu)\n",
	       has_avx512 ? "zmm" : "ymm", minsigstksz);
	return 0;
}

/* fork */

static int test_fork(void)
{
	struct vregs in, out;
	unsigned int mxcsr = 0x1f80 | (3 << 13), m = 0;	/* round to zero */
	unsigned short cw = 0x037f & ~0x0300, c = 0;	/* single precision */
	unsigned int old_mxcsr;
	unsigned short old_cw;
	long pid;
	int status;

	fill(&in, 42);
	__asm__ volatile("stmxcsr %0" : "=m"(old_mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(old_cw));
	__asm__ volatile("ldmxcsr %0" :: "m"(mxcsr));
	__asm__ volatile("fldcw %0" :: "m"(cw));
	/* fork with the registers live: the child stores its own */
	pid = hold(&in, &out, SYS_fork, 0, 0, 1, 1);
	if (pid == 0) {
		__asm__ volatile("stmxcsr %0" : "=m"(m));
		__asm__ volatile("fnstcw %0" : "=m"(c));
		if (m != mxcsr || c != cw)
			_exit(2);
		_exit(compare(&in, &out) >= 0 ? 3 : 0);
	}
	__asm__ volatile("ldmxcsr %0" :: "m"(old_mxcsr));
	__asm__ volatile("fldcw %0" :: "m"(old_cw));
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("FAIL fork: no child\n");
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("FAIL fork: child's %s differ from its parent's\n",
		       WEXITSTATUS(status) == 2 ? "MXCSR/x87 control word" :
		       "vector registers");
		return 1;
	}
	printf("OK fork\n");
	return 0;
}

/* hold */

static const char *hold_file;

static void *hold_thread(void *p)
{
	int i;

	for (i = 0; i < 600 && access(hold_file, F_OK); i++)
		usleep(50000);
	return NULL;
}

static int test_hold(int n, const char *file)
{
	pthread_t t[64];
	int i;

	hold_file = file;
	if (n < 1 || n > 64)
		return 1;
	for (i = 1; i < n; i++)
		pthread_create(&t[i], NULL, hold_thread, NULL);
	printf("holding %d threads\n", n);
	fflush(stdout);
	hold_thread(NULL);
	for (i = 1; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

/* exec from a multithreaded process */

static void *spin_thread(void *p)
{
	for (;;)
		sched_yield();
	return NULL;
}

static void *exec_thread(void *p)
{
	char *argv[] = { "echo", "exec-ok", NULL };

	usleep(100000);
	execv("/bin/echo", argv);
	printf("FAIL exec: execv\n");
	exit(1);
}

static int test_exec(void)
{
	pthread_t t[3];

	pthread_create(&t[0], NULL, spin_thread, NULL);
	pthread_create(&t[1], NULL, spin_thread, NULL);
	pthread_create(&t[2], NULL, exec_thread, NULL);
	for (;;)
		pause();
	return 1;
}

/* a read through a shared writable mapping */

static int test_mapread(const char *file)
{
	struct stat before, after;
	char buf[4096] = "data", *p;
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	int sum = 0, i;

	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) ||
	    fsync(fd) || fstat(fd, &before)) {
		printf("FAIL mapread: cannot make %s\n", file);
		return 1;
	}
	sleep(1);			/* a new mtime would differ */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("FAIL mapread: mmap\n");
		return 1;
	}
	for (i = 0; i < 4096; i++)
		sum += ((volatile char *)p)[i];
	msync(p, 4096, MS_SYNC);
	munmap(p, 4096);
	fstat(fd, &after);
	close(fd);
	if (before.st_mtim.tv_sec != after.st_mtim.tv_sec ||
	    before.st_mtim.tv_nsec != after.st_mtim.tv_nsec) {
		printf("FAIL mapread: a read changed the mtime (sum %d)\n", sum);
		return 1;
	}
	printf("OK mapread\n");
	return 0;
}

/* vfork and posix_spawn: CLONE_VM children that exec */

extern char **environ;

static int test_vfork(void)
{
	char *argv[] = { "true", NULL };
	int i, status;
	pid_t pid;

	for (i = 0; i < 100; i++) {
		if (i < 50) {
			pid = vfork();
			if (pid == 0) {
				execv("/bin/true", argv);
				_exit(127);
			}
		} else if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv,
				       environ)) {
			pid = -1;
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("FAIL vfork: child %d: status %#x\n", i, status);
			return 1;
		}
	}
	printf("OK vfork\n");
	return 0;
}

/* what a SIGSEGV handler sees */

static sigjmp_buf segv_jmp;
static volatile unsigned long seen_addr, seen_cr2, seen_err, seen_trapno;
static volatile int seen_code;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	seen_addr = (unsigned long)si->si_addr;
	seen_code = si->si_code;
	seen_cr2 = uc->uc_mcontext.gregs[REG_CR2];
	seen_err = uc->uc_mcontext.gregs[REG_ERR];
	seen_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
	siglongjmp(segv_jmp, 1);
}

static int segv_case(const char *name, volatile char *p, int write,
		     int code)
{
	seen_addr = seen_cr2 = seen_err = seen_trapno = 0;
	seen_code = 0;
	if (!sigsetjmp(segv_jmp, 1)) {
		if (write)
			*p = 1;
		else
			(void)*p;
		printf("FAIL segv: %s did not fault\n", name);
		return 1;
	}
	if (seen_addr != (unsigned long)p || seen_cr2 != (unsigned long)p ||
	    seen_trapno != 14 || !!(seen_err & 2) != write ||
	    !(seen_err & 4) || seen_code != code) {
		printf("FAIL segv: %s: addr %#lx cr2 %#lx err %#lx trapno %lu "
		       "code %d (want %p, write %d, code %d)\n", name,
		       seen_addr, seen_cr2, seen_err, seen_trapno, seen_code,
		       p, write, code);
		return 1;
	}
	return 0;
}

static int test_segv(void)
{
	struct sigaction sa = { 0 };
	char *none, *ro, *gone;
	int bad = 0;

	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, 4096);
	(void)*(volatile char *)ro;		/* mapped, readable */
	bad |= segv_case("read of PROT_NONE", none + 8, 0, SEGV_ACCERR);
	bad |= segv_case("write of PROT_NONE", none + 16, 1, SEGV_ACCERR);
	bad |= segv_case("write of read-only", ro + 24, 1, SEGV_ACCERR);
	bad |= segv_case("read of unmapped", gone + 32, 0, SEGV_MAPERR);
	bad |= segv_case("write of unmapped", gone + 40, 1, SEGV_MAPERR);
	if (!bad)
		printf("OK segv\n");
	return bad;
}

/* a core dump with the registers of each thread */

static volatile int spinning;

static void *core_thread(void *p)
{
	unsigned long id = (unsigned long)p;
	unsigned int v[8] __attribute__((aligned(32))) = {
		id + 1, id + 1, id + 1, id + 1,
		id + 101, id + 101, id + 101, id + 101 };

	__sync_fetch_and_add(&spinning, 1);
	__asm__ volatile(
		"movq %0, %%r12\n\t"
		"vmovdqa %1, %%ymm2\n\t"
		"1: pause\n\t"
		"jmp 1b"
		:: "r"(0x5a5a0000UL + id), "m"(v) : "r12", "xmm2");
	return NULL;
}

static int test_core(void)
{
	pthread_t t[4];
	long i;

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, core_thread, (void *)i);
	while (spinning < 4)
		usleep(10000);
	usleep(200000);
	abort();
	return 1;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* the checks that take no argument */
static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "threads", test_threads },
	{ "signal", test_signal },
	{ "fork", test_fork },
	{ "vfork", test_vfork },
	{ "segv", test_segv },
	{ "core", test_core },
	{ "exec", test_exec },
};

int main(int argc, char **argv)
{
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	has_avx512 = cpu_has_avx512();
	for (i = 0; argc > 1 && i < ARRAY_SIZE(tests); i++)
		if (!strcmp(argv[1], tests[i].name))
			return tests[i].fn();
	if (argc > 2 && !strcmp(argv[1], "mapread"))
		return test_mapread(argv[2]);
	if (argc > 3 && !strcmp(argv[1], "hold"))
		return test_hold(atoi(argv[2]), argv[3]);
	fprintf(stderr, "usage: uml-fpu threads|signal|fork|exec|vfork|mapread FILE|segv|core|hold N FILE\n");
	return 2;
}
