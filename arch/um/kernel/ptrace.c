// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace of guest tasks by guest tasks, as x86_64 Linux offers it.
 *
 * A traced task is stopped inside the kernel, so its general registers
 * are all in thread.regs (struct pt_regs, the layout of x86_64's struct
 * user_regs_struct): PTRACE_GETREGS and PEEKUSER read them there.  Its
 * FPU and extended state live in the thread's own host process (or in
 * the copy a new thread carries until it first runs): the regsets go
 * through kernel/fpu.c (uml_fpu_get/set, uml_fpu_get/set_fx).  Debug
 * registers are kept in thread.debugreg and loaded into the thread's
 * host process when it runs (kernel/user.c), so watchpoints are the host
 * CPU's.  Some hypervisors accept debug registers but never raise their
 * trap: a probe at boot finds out, and on such a host enabling a
 * breakpoint in DR7 fails with ENOSPC, as x86_64 answers when it has no
 * debug register left, instead of being accepted and never firing.
 *
 * Regsets: NT_PRSTATUS (general), NT_PRFPREG (fxsave), NT_X86_XSTATE.
 * System call stops, single step, seccomp and the event stops are the
 * generic code's, fed by kernel/syscall.c and kernel/user.c.
 */
#include <linux/elf.h>
#include <linux/elfcore.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/ptrace.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/fpu.h>
#include <asm/ptrace.h>
#include <host/user.h>

#include "um.h"

/* x86_64's struct user: the address space of PEEKUSER and POKEUSER */
struct user_x86_64 {
	struct pt_regs regs;
	int u_fpvalid, pad0;
	unsigned char i387[HOST_FP_SIZE];
	unsigned long u_tsize, u_dsize, u_ssize;
	unsigned long start_code, start_stack;
	long signal;
	int reserved, pad1;
	unsigned long u_ar0, u_fpstate, magic;
	char u_comm[32];
	unsigned long u_debugreg[8];
};

#define USER_DEBUGREG	offsetof(struct user_x86_64, u_debugreg)
static_assert(USER_DEBUGREG == 848);	/* as in x86_64 <sys/user.h> */

/* flags a tracer may change: CF PF AF ZF SF TF DF OF NT RF AC */
#define FLAGS_TRACER_MASK	0x54dd5UL
#define DR6_RESERVED		0xffff0ff0UL

enum uml_regset {
	REGSET_GENERAL,
	REGSET_FP,
	REGSET_XSTATE,
};

/* bytes of the XSAVE regset: 0 if the host has no XSAVE */
static unsigned int xstate_size(void)
{
	unsigned int size = uml_fpu_size();

	return size > HOST_FP_SIZE ? size : 0;
}

/* ---- general registers ---- */

static unsigned long *reg_word(struct pt_regs *regs, unsigned long off)
{
	return (unsigned long *)((char *)regs + off);
}

static int set_reg(struct task_struct *t, unsigned long off,
		   unsigned long val)
{
	struct pt_regs *regs = task_pt_regs(t);

	switch (off) {
	case offsetof(struct pt_regs, cs):
	case offsetof(struct pt_regs, ss):
	case offsetof(struct pt_regs, ds):
	case offsetof(struct pt_regs, es):
	case offsetof(struct pt_regs, fs):
	case offsetof(struct pt_regs, gs):
		/* selectors are the host's 64-bit user ones: kept */
		return 0;
	case offsetof(struct pt_regs, fs_base):
	case offsetof(struct pt_regs, gs_base):
		if (val >= TASK_SIZE)
			return -EIO;
		break;
	case offsetof(struct pt_regs, flags):
		val = (regs->flags & ~FLAGS_TRACER_MASK) |
		      (val & FLAGS_TRACER_MASK);
		break;
	}
	*reg_word(regs, off) = val;
	return 0;
}

static int genregs_get(struct task_struct *target,
		       const struct user_regset *regset, struct membuf to)
{
	return membuf_write(&to, task_pt_regs(target), sizeof(struct pt_regs));
}

static int genregs_set(struct task_struct *target,
		       const struct user_regset *regset,
		       unsigned int pos, unsigned int count,
		       const void *kbuf, const void __user *ubuf)
{
	struct pt_regs new = *task_pt_regs(target);
	unsigned long off;
	int ret;

	ret = user_regset_copyin(&pos, &count, &kbuf, &ubuf, &new, 0,
				 sizeof(new));
	if (ret)
		return ret;
	for (off = 0; off < sizeof(new); off += sizeof(long)) {
		if (*reg_word(&new, off) == *reg_word(task_pt_regs(target), off))
			continue;
		ret = set_reg(target, off, *reg_word(&new, off));
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- FPU: the fxsave image ---- */

/* what a task that never ran has: x87 and SSE in their reset state */
static void fp_init_image(u8 *fp)
{
	memset(fp, 0, HOST_FP_SIZE);
	*(u16 *)fp = 0x37f;			/* FCW */
	*(u32 *)(fp + 24) = 0x1f80;		/* MXCSR */
	*(u32 *)(fp + 28) = 0xffff;		/* MXCSR_MASK */
}

static int fpregs_get(struct task_struct *target,
		      const struct user_regset *regset, struct membuf to)
{
	u8 fp[HOST_FP_SIZE] __aligned(16);

	if (uml_fpu_get_fx(target, fp))
		fp_init_image(fp);
	return membuf_write(&to, fp, sizeof(fp));
}

static int fpregs_set(struct task_struct *target,
		      const struct user_regset *regset,
		      unsigned int pos, unsigned int count,
		      const void *kbuf, const void __user *ubuf)
{
	u8 fp[HOST_FP_SIZE] __aligned(16);
	int ret;

	/* a thread with no state yet (stopped at exec): the reset one */
	if (uml_fpu_get_fx(target, fp))
		fp_init_image(fp);
	ret = user_regset_copyin(&pos, &count, &kbuf, &ubuf, fp, 0,
				 sizeof(fp));
	if (ret)
		return ret;
	/* MXCSR bits the CPU does not have would fault on the host */
	*(u32 *)(fp + 24) &= 0xffff;
	ret = uml_fpu_set_fx(target, fp);
	return ret == -ESRCH ? -EIO : ret;
}

/* ---- extended state: the XSAVE area (AVX, AVX-512, ...) ---- */

static int xstate_active(struct task_struct *target,
			 const struct user_regset *regset)
{
	return regset->n;
}

static int xstate_get(struct task_struct *target,
		      const struct user_regset *regset, struct membuf to)
{
	unsigned int size = xstate_size();
	u8 *buf;
	int ret;

	if (!size)
		return -ENODEV;
	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = uml_fpu_get(target, buf);
	if (ret) {
		memset(buf, 0, size);
		fp_init_image(buf);
	}
	ret = membuf_write(&to, buf, size);
	kfree(buf);
	return ret;
}

static int xstate_set(struct task_struct *target,
		      const struct user_regset *regset,
		      unsigned int pos, unsigned int count,
		      const void *kbuf, const void __user *ubuf)
{
	unsigned int size = xstate_size();
	u8 *buf;
	int ret;

	if (!size)
		return -ENODEV;
	/* as on x86_64: the whole area at once */
	if (pos || count != size)
		return -EFAULT;
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = user_regset_copyin(&pos, &count, &kbuf, &ubuf, buf, 0, size);
	if (!ret)
		ret = uml_fpu_set(target, buf);
	kfree(buf);
	if (ret == -ESRCH)
		ret = -EIO;
	return ret;
}

static struct user_regset uml_regsets[] __ro_after_init = {
	[REGSET_GENERAL] = {
		.core_note_type = NT_PRSTATUS,
		.n = sizeof(struct pt_regs) / sizeof(long),
		.size = sizeof(long), .align = sizeof(long),
		.regset_get = genregs_get, .set = genregs_set,
	},
	[REGSET_FP] = {
		.core_note_type = NT_PRFPREG,
		.n = HOST_FP_SIZE / sizeof(long),
		.size = sizeof(long), .align = sizeof(long),
		.regset_get = fpregs_get, .set = fpregs_set,
	},
	[REGSET_XSTATE] = {
		.core_note_type = NT_X86_XSTATE,
		.size = sizeof(u64), .align = sizeof(u64),
		.active = xstate_active,
		.regset_get = xstate_get, .set = xstate_set,
	},
};

static const struct user_regset_view uml_x86_64_view = {
	.name = "x86_64",
	.e_machine = EM_X86_64,
	.regsets = uml_regsets,
	.n = ARRAY_SIZE(uml_regsets),
};

const struct user_regset_view *task_user_regset_view(struct task_struct *task)
{
	return &uml_x86_64_view;
}

/* the XSAVE area's size is the host CPU's */
static int __init uml_regsets_init(void)
{
	uml_regsets[REGSET_XSTATE].n = xstate_size() / sizeof(u64);
	return 0;
}
core_initcall(uml_regsets_init);

/* ---- debug registers ---- */

/* whether the host's debug registers raise their trap (probed at boot) */
static bool uml_debugregs_fire;

static int __init uml_debugregs_probe(void)
{
	int r;

	/* no guests to debug in the library: no child to fork and trace */
	if (IS_ENABLED(CONFIG_UML_LIB))
		return 0;
	r = host_debugregs_fire();

	uml_debugregs_fire = r > 0;
	if (r > 0)
		pr_info("ptrace: hardware watchpoints: the host's debug registers\n");
	else
		pr_info("ptrace: the host's debug registers never fire (%d): watchpoints refused\n",
			r);
	return 0;
}
core_initcall(uml_debugregs_probe);

static unsigned long get_debugreg(struct task_struct *t, int n)
{
	if (n == 6)
		return t->thread.debugreg[6] ^ DR6_RESERVED;
	if (n == 4 || n == 5)
		return 0;
	return t->thread.debugreg[n];
}

/* DR7: for each enabled slot, its type (R/W bits) and length (LEN bits) */
static int check_dr7(struct task_struct *t, unsigned long dr7)
{
	static const unsigned long len_bytes[4] = { 1, 2, 8, 4 };
	int i;

	for (i = 0; i < 4; i++) {
		unsigned long rw = (dr7 >> (16 + 4 * i)) & 3;
		unsigned long len = (dr7 >> (18 + 4 * i)) & 3;

		if (!((dr7 >> (2 * i)) & 3))
			continue;
		if (!uml_debugregs_fire)
			return -ENOSPC;
		if (rw == 2 || (rw == 0 && len != 0))	/* I/O; wide exec */
			return -EINVAL;
		if (t->thread.debugreg[i] & (len_bytes[len] - 1))
			return -EINVAL;
	}
	return 0;
}

static int set_debugreg(struct task_struct *t, int n, unsigned long val)
{
	int ret;

	switch (n) {
	case 0 ... 3:
		if (val >= TASK_SIZE)
			return -EINVAL;
		break;
	case 6:
		val ^= DR6_RESERVED;
		break;
	case 7:
		ret = check_dr7(t, val);
		if (ret)
			return ret;
		break;
	default:
		return -EIO;		/* there are no DR4 and DR5 */
	}
	t->thread.debugreg[n] = val;
	return 0;
}

/* ---- PEEKUSER / POKEUSER ---- */

static int peek_user(struct task_struct *child, unsigned long addr,
		     unsigned long __user *datap)
{
	unsigned long val = 0;

	if ((addr & (sizeof(long) - 1)) || addr >= sizeof(struct user_x86_64))
		return -EIO;
	if (addr < sizeof(struct pt_regs))
		val = *reg_word(task_pt_regs(child), addr);
	else if (addr >= USER_DEBUGREG)
		val = get_debugreg(child, (addr - USER_DEBUGREG) / sizeof(long));
	return put_user(val, datap);
}

static int poke_user(struct task_struct *child, unsigned long addr,
		     unsigned long data)
{
	if ((addr & (sizeof(long) - 1)) || addr >= sizeof(struct user_x86_64))
		return -EIO;
	if (addr < sizeof(struct pt_regs))
		return set_reg(child, addr, data);
	if (addr >= USER_DEBUGREG)
		return set_debugreg(child, (addr - USER_DEBUGREG) / sizeof(long),
				    data);
	return 0;	/* the rest of struct user is not writable: ignored */
}
long arch_ptrace(struct task_struct *child, long request,
		 unsigned long addr, unsigned long data)
{
	const struct user_regset_view *view = &uml_x86_64_view;
	void __user *datap = (void __user *)data;

	switch (request) {
	case PTRACE_PEEKUSR:
		return peek_user(child, addr, datap);
	case PTRACE_POKEUSR:
		return poke_user(child, addr, data);
	case PTRACE_GETREGS:
		return copy_regset_to_user(child, view, REGSET_GENERAL, 0,
					   sizeof(struct pt_regs), datap);
	case PTRACE_SETREGS:
		return copy_regset_from_user(child, view, REGSET_GENERAL, 0,
					     sizeof(struct pt_regs), datap);
	case PTRACE_GETFPREGS:
		return copy_regset_to_user(child, view, REGSET_FP, 0,
					   HOST_FP_SIZE, datap);
	case PTRACE_SETFPREGS:
		return copy_regset_from_user(child, view, REGSET_FP, 0,
					     HOST_FP_SIZE, datap);
	default:
		return ptrace_request(child, request, addr, data);
	}
}

void user_enable_single_step(struct task_struct *child)
{
	set_tsk_thread_flag(child, TIF_SINGLESTEP);
}

void user_disable_single_step(struct task_struct *child)
{
	clear_tsk_thread_flag(child, TIF_SINGLESTEP);
}

void ptrace_disable(struct task_struct *child)
{
	user_disable_single_step(child);
	clear_tsk_thread_flag(child, TIF_SYSCALL_EMU);
}
