// SPDX-License-Identifier: GPL-2.0
/*
 * Signals of guest tasks: the x86_64 rt signal frame.
 *
 * The frame is what x86_64 programs and their C libraries expect: the
 * return address (the sa_restorer the library registered), a ucontext
 * with the registers in a struct sigcontext, the siginfo, and the FPU
 * state as a 512-byte fxsave image read from the guest's host process.
 * rt_sigreturn reads it all back.
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

static int fp_save(void __user *to)
{
	u8 fp[HOST_FP_SIZE] __aligned(16);
	int err = host_user_get_fp(current->mm->context.host_pid, fp);

	if (err)
		return err;
	return copy_to_user(to, fp, sizeof(fp)) ? -EFAULT : 0;
}

static int fp_restore(const void __user *from)
{
	u8 fp[HOST_FP_SIZE] __aligned(16);

	if (copy_from_user(fp, from, sizeof(fp)))
		return -EFAULT;
	return host_user_set_fp(current->mm->context.host_pid, fp);
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
	fp = round_down(sp - HOST_FP_SIZE, 64);
	sp = round_down(fp - sizeof(*frame), 16) - 8;
	frame = (struct rt_sigframe __user *)sp;
	if (!access_ok(frame, fp + HOST_FP_SIZE - sp))
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
	    put_user(UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS,
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
