// SPDX-License-Identifier: GPL-2.0
/*
 * Signals of guest tasks: the x86_64 rt signal frame.
 *
 * The frame is what x86_64 programs and their C libraries expect: the
 * return address (the sa_restorer the library registered), a ucontext
 * with the registers in a struct sigcontext, the siginfo, and the whole
 * XSAVE state of the thread, read from its host process (kernel/fpu.c)
 * and laid out as x86_64 Linux lays it out: the fxsave part with the
 * FP_XSTATE_MAGIC1 software words, the XSAVE header and components, then
 * FP_XSTATE_MAGIC2.  rt_sigreturn reads it all back.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/resume_user_mode.h>
#include <asm/sigcontext.h>
#include <asm/ucontext.h>
#include <asm/fpu.h>
#include <linux/slab.h>
#include <asm/unistd.h>
#include <host/user.h>

#include "um.h"

struct rt_sigframe {
	unsigned long pretcode;
	struct ucontext uc;
	struct siginfo info;
};

#define USER_CS	0x33
#define USER_SS	0x2b
/* flags a guest may change: the arithmetic ones, TF, DF, OF, AC */
#define FLAGS_USER_MASK	0x40dd5UL

/* where the software words sit in the fxsave area */
#define FX_SW_OFFSET	464

/* the FP part of a frame: the XSAVE image and the MAGIC2 word after it */
static unsigned int fp_frame_size(void)
{
	return uml_fpu_size() + FP_XSTATE_MAGIC2_SIZE;
}

unsigned long uml_sigframe_size(void)
{
	/* alignment of the FP part (64) and of the frame (16), red zone */
	return round_up(sizeof(struct rt_sigframe) + fp_frame_size() +
			64 + 16 + 128, 16);
}

static int fp_save(void __user *to)
{
	unsigned int size = uml_fpu_size();
	struct _fpx_sw_bytes sw = { };
	u32 magic2 = FP_XSTATE_MAGIC2;
	u8 *buf = kmalloc(size, GFP_KERNEL);
	int err = -ENOMEM;

	if (!buf)
		return err;
	err = uml_fpu_get(current, buf);
	if (err)
		goto out;
	if (size > HOST_FP_SIZE) {
		sw.magic1 = FP_XSTATE_MAGIC1;
		sw.extended_size = fp_frame_size();
		/* the host's regset puts XCR0 in the first word */
		sw.xfeatures = *(u64 *)(buf + FX_SW_OFFSET);
		sw.xstate_size = size;
	}
	memcpy(buf + FX_SW_OFFSET, &sw, sizeof(sw));
	err = -EFAULT;
	if (copy_to_user(to, buf, size) ||
	    (size > HOST_FP_SIZE && put_user(magic2, (u32 __user *)(to + size))))
		goto out;
	err = 0;
out:
	kfree(buf);
	return err;
}

/*
 * A frame with both magic words and our sizes is loaded whole; anything
 * else (a frame made by hand, an fxsave-only frame) restores the fxsave
 * part only.
 */
static int fp_restore(const void __user *from)
{
	unsigned int size = uml_fpu_size();
	struct _fpx_sw_bytes sw;
	u8 *buf;
	u32 magic2;
	int err;

	if (copy_from_user(&sw, from + FX_SW_OFFSET, sizeof(sw)))
		return -EFAULT;
	if (size > HOST_FP_SIZE && sw.magic1 == FP_XSTATE_MAGIC1 &&
	    sw.xstate_size == size && sw.extended_size == fp_frame_size() &&
	    !get_user(magic2, (u32 __user *)(from + size)) &&
	    magic2 == FP_XSTATE_MAGIC2) {
		buf = kmalloc(size, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		err = -EFAULT;
		if (!copy_from_user(buf, from, size)) {
			memset(buf + FX_SW_OFFSET, 0, sizeof(sw));
			err = uml_fpu_set(current, buf);
		}
		kfree(buf);
		return err;
	}
	buf = kmalloc(HOST_FP_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	err = copy_from_user(buf, from, HOST_FP_SIZE) ? -EFAULT :
	      uml_fpu_set_fx(current, buf);
	kfree(buf);
	return err;
}

static int setup_rt_frame(struct ksignal *ksig, sigset_t *set,
			  struct pt_regs *regs)
{
	struct rt_sigframe __user *frame;
	struct sigcontext sc = { };
	unsigned long sp, fp;

	if (!(ksig->ka.sa.sa_flags & SA_RESTORER))
		return -EFAULT;

	sp = sigsp(regs->sp - 128, ksig);	/* past the red zone */
	fp = round_down(sp - fp_frame_size(), 64);
	sp = round_down(fp - sizeof(*frame), 16) - 8;
	frame = (struct rt_sigframe __user *)sp;
	if (!access_ok(frame, fp + fp_frame_size() - sp))
		return -EFAULT;

	sc.r8 = regs->r8;	sc.r9 = regs->r9;
	sc.r10 = regs->r10;	sc.r11 = regs->r11;
	sc.r12 = regs->r12;	sc.r13 = regs->r13;
	sc.r14 = regs->r14;	sc.r15 = regs->r15;
	sc.di = regs->di;	sc.si = regs->si;
	sc.bp = regs->bp;	sc.bx = regs->bx;
	sc.dx = regs->dx;	sc.ax = regs->ax;
	sc.cx = regs->cx;	sc.sp = regs->sp;
	sc.ip = regs->ip;	sc.flags = regs->flags;
	sc.cs = USER_CS;	sc.ss = USER_SS;
	sc.err = current->thread.error_code;
	sc.trapno = current->thread.trap_no;
	sc.cr2 = current->thread.cr2;
	sc.oldmask = set->sig[0];
	sc.fpstate = fp;

	if (fp_save((void __user *)fp) ||
	    put_user((unsigned long)ksig->ka.sa.sa_restorer, &frame->pretcode) ||
	    copy_siginfo_to_user(&frame->info, &ksig->info) ||
	    put_user(UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS |
		     (uml_fpu_size() > HOST_FP_SIZE ? UC_FP_XSTATE : 0),
		     &frame->uc.uc_flags) ||
	    put_user(NULL, &frame->uc.uc_link) ||
	    __save_altstack(&frame->uc.uc_stack, regs->sp) ||
	    copy_to_user(&frame->uc.uc_mcontext, &sc, sizeof(sc)) ||
	    copy_to_user(&frame->uc.uc_sigmask, set, sizeof(*set)))
		return -EFAULT;

	regs->di = ksig->sig;
	regs->si = (unsigned long)&frame->info;
	regs->dx = (unsigned long)&frame->uc;
	regs->ax = 0;
	regs->sp = sp;
	regs->ip = (unsigned long)ksig->ka.sa.sa_handler;
	regs->flags &= ~(0x100UL | 0x400UL);	/* TF, DF */
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = current_pt_regs();
	struct rt_sigframe __user *frame;
	struct sigcontext sc;
	sigset_t set;

	frame = (struct rt_sigframe __user *)(regs->sp - sizeof(long));
	current->restart_block.fn = do_no_restart_syscall;
	if (copy_from_user(&set, &frame->uc.uc_sigmask, sizeof(set)) ||
	    copy_from_user(&sc, &frame->uc.uc_mcontext, sizeof(sc)))
		goto bad;
	set_current_blocked(&set);

	regs->r8 = sc.r8;	regs->r9 = sc.r9;
	regs->r10 = sc.r10;	regs->r11 = sc.r11;
	regs->r12 = sc.r12;	regs->r13 = sc.r13;
	regs->r14 = sc.r14;	regs->r15 = sc.r15;
	regs->di = sc.di;	regs->si = sc.si;
	regs->bp = sc.bp;	regs->bx = sc.bx;
	regs->dx = sc.dx;	regs->ax = sc.ax;
	regs->cx = sc.cx;	regs->sp = sc.sp;
	regs->ip = sc.ip;
	regs->flags = (regs->flags & ~FLAGS_USER_MASK) |
		      (sc.flags & FLAGS_USER_MASK);
	regs->orig_ax = -1;	/* not a system call to restart */
	if (sc.fpstate && fp_restore((const void __user *)sc.fpstate))
		goto bad;
	if (restore_altstack(&frame->uc.uc_stack))
		goto bad;
	return regs->ax;
bad:
	force_sig(SIGSEGV);
	return 0;
}

static void handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	int failed = setup_rt_frame(ksig, sigmask_to_save(), regs);

	/* a single-stepping tracer stops at the handler's first instruction */
	signal_setup_done(failed, ksig, test_thread_flag(TIF_SINGLESTEP));
}

static bool in_syscall(struct pt_regs *regs)
{
	return (long)regs->orig_ax >= 0;
}

void arch_do_signal_or_restart(struct pt_regs *regs)
{
	struct ksignal ksig;

	if (get_signal(&ksig)) {
		if (in_syscall(regs)) {
			switch ((long)regs->ax) {
			case -ERESTART_RESTARTBLOCK:
			case -ERESTARTNOHAND:
				regs->ax = -EINTR;
				break;
			case -ERESTARTSYS:
				if (!(ksig.ka.sa.sa_flags & SA_RESTART)) {
					regs->ax = -EINTR;
					break;
				}
				fallthrough;
			case -ERESTARTNOINTR:
				regs->ax = regs->orig_ax;
				regs->ip -= 2;
				break;
			}
			regs->orig_ax = -1;
		}
		handle_signal(&ksig, regs);
		return;
	}

	if (in_syscall(regs)) {
		switch ((long)regs->ax) {
		case -ERESTARTNOHAND:
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
			regs->ax = regs->orig_ax;
			regs->ip -= 2;
			break;
		case -ERESTART_RESTARTBLOCK:
			regs->ax = __NR_restart_syscall;
			regs->ip -= 2;
			break;
		}
		regs->orig_ax = -1;
	}
	restore_saved_sigmask();
}
