// SPDX-License-Identifier: GPL-2.0
/*
 * Guest address spaces: one host address space per mm, its mappings kept
 * in step with the mm's page tables, and one host process in it per guest
 * thread.
 *
 * The first thread to run in an mm starts the address space's first
 * process (mm->context.host_pid) and runs on it; each further thread gets
 * a clone of it (host_user_clone()), its own until it leaves the mm.
 * Every process of the address space sees a change to it at once, so a
 * flush is made once, by the stub of any one of them.
 *
 * A pte that changed carries _PAGE_NEEDSYNC.  A "TLB flush" of a range
 * walks it and turns each changed entry into a host mmap of the page's
 * offset in physical memory, or a munmap, run by the process's stub in
 * batches of up to HOST_BATCH_MAX calls per trip.  A page is mapped
 * readable only once young and writable only once dirty, so the first
 * access and the first write fault into the kernel and keep the accessed
 * and dirty bits true.  Missing tables unmap their whole span: the tables
 * of an unmapped range may be gone before the flush that follows.
 */
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/pgtable.h>
#include <linux/workqueue.h>
#include <asm/mmu_context.h>
#include <asm/fpu.h>
#include <asm/tlbflush.h>
#include <asm/unistd.h>
#include <uapi/linux/mman.h>
#include <host/layout.h>
#include <host/user.h>

#include "um.h"

struct sync_run {
	struct mm_struct *mm;
	struct host_batch_op *ops;
	int nops;
	int err;
	bool fresh;		/* a new process: nothing to unmap */
	bool hole;		/* met a missing table: maybe one just freed */
	/* the run being gathered: a mapping or an unmapping */
	int kind;		/* 0 none, 1 map, 2 unmap */
	unsigned long start, end, phys;
	int prot;
};

/*
 * The current thread's own process, if it is in @mm's address space and
 * traced by this CPU: stopped (the thread is in the kernel), so its stub
 * can work on the address space.  Not in an interrupt (another CPU's
 * flush, run here by an IPI): the current thread's process may be
 * running its guest then.  Called with interrupts off.
 */
static int own_stub_pid(struct mm_struct *mm)
{
	struct uml_host_thread *h = &current->thread.host;

	if (!in_interrupt() && current->mm == mm && h->pid > 0 &&
	    h->as_id == mm->context.as_id && h->cpu == smp_processor_id())
		return h->pid;
	return 0;
}

/*
 * A stopped process of @mm's address space to run the stub in: the
 * current thread's own (own_stub_pid()), else the first process, which
 * CPU 0 traces and, with more than one CPU, no thread runs on
 * (uml_thread_process()).
 */
static int mm_stub_pid(struct mm_struct *mm)
{
	return own_stub_pid(mm) ?: mm->context.host_pid;
}

/*
 * Batches of one address space are written in its one data page, and
 * with guest threads on several CPUs two of them may flush at once: a
 * lock per address space (hashed) keeps a batch whole from being
 * written to being run.  Held with interrupts off; nothing waits for
 * another CPU under it.
 */
#define SYNC_LOCK_BITS	6
static raw_spinlock_t sync_locks[1 << SYNC_LOCK_BITS] = {
	[0 ... (1 << SYNC_LOCK_BITS) - 1] = __RAW_SPIN_LOCK_UNLOCKED(sync_locks)
};

static raw_spinlock_t *sync_lock(struct mm_struct *mm)
{
	return &sync_locks[hash_ptr(mm, SYNC_LOCK_BITS)];
}

static void batch_flush(struct sync_run *s)
{
	int err, pid;

	if (!s->nops)
		return;
	s->ops[s->nops].nr = -1;
	pid = mm_stub_pid(s->mm);
	err = host_user_batch(pid);
	if (err && !s->err) {
		pr_err("uml: cannot update the host mappings of pid %d: %d\n",
		       pid, err);
		s->err = err;
	}
	s->nops = 0;
}

static void batch_add(struct sync_run *s, long nr, long a0, long a1, long a2,
		      long a3, long a4, long a5)
{
	struct host_batch_op *op;

	if (s->nops == HOST_BATCH_MAX - 1)
		batch_flush(s);
	op = &s->ops[s->nops++];
	op->nr = nr;
	op->arg[0] = a0;
	op->arg[1] = a1;
	op->arg[2] = a2;
	op->arg[3] = a3;
	op->arg[4] = a4;
	op->arg[5] = a5;
	op->result = 0;
}

static void run_end(struct sync_run *s)
{
	unsigned long len = s->end - s->start;

	if (s->kind == 1)
		batch_add(s, __NR_mmap, s->start, len, s->prot,
			  MAP_SHARED | MAP_FIXED, UML_STUB_PHYSMEM_FD, s->phys);
	else if (s->kind == 2)
		batch_add(s, __NR_munmap, s->start, len, 0, 0, 0, 0);
	s->kind = 0;
}

static void run_unmap(struct sync_run *s, unsigned long start,
		      unsigned long end)
{
	if (s->fresh)
		return;
	if (s->kind == 2 && s->end == start) {
		s->end = end;
		return;
	}
	run_end(s);
	s->kind = 2;
	s->start = start;
	s->end = end;
}

static void run_map(struct sync_run *s, unsigned long addr,
		    unsigned long phys, int prot)
{
	if (s->kind == 1 && s->end == addr && s->prot == prot &&
	    s->phys + (addr - s->start) == phys) {
		s->end += PAGE_SIZE;
		return;
	}
	run_end(s);
	s->kind = 1;
	s->start = addr;
	s->end = addr + PAGE_SIZE;
	s->phys = phys;
	s->prot = prot;
}

static void sync_pte(struct sync_run *s, pte_t *ptep, unsigned long addr,
		     bool all)
{
	pte_t pte = *ptep;
	int prot = 0;

	if (!all && !pte_needsync(pte))
		return;
	if (pte_present(pte) && pte_young(pte) && !(pte_val(pte) & _PAGE_PROTNONE)) {
		prot = PROT_READ;
		if (pte_write(pte) && pte_dirty(pte))
			prot |= PROT_WRITE;
		if (pte_exec(pte))
			prot |= PROT_EXEC;
	}
	/*
	 * Another CPU may change the entry under its page table lock, which
	 * is not held here: the mark is only taken off the value read.  A
	 * change made after that marks the entry again, and its own flush
	 * comes after this batch (sync_lock()).
	 */
	if (pte_needsync(pte) &&
	    cmpxchg(&pte_val(*ptep), pte_val(pte),
		    pte_val(pte) & ~_PAGE_NEEDSYNC) != pte_val(pte)) {
		sync_pte(s, ptep, addr, all);
		return;
	}
	if (prot)
		run_map(s, addr, pte_pfn(pte) << PAGE_SHIFT, prot);
	else
		run_unmap(s, addr, addr + PAGE_SIZE);
}

static void sync_range(struct sync_run *s, unsigned long start,
		       unsigned long end, bool all)
{
	unsigned long addr = start, next;

	while (addr < end) {
		pgd_t *pgd = pgd_offset(s->mm, addr);
		p4d_t *p4d;
		pud_t *pud;
		pmd_t *pmd;
		pte_t *pte;

		next = min(pgd_addr_end(addr, end), end);
		p4d = p4d_offset(pgd, addr);
		if (p4d_none(*p4d)) {
			s->hole = true;
			run_unmap(s, addr, next);
			addr = next;
			continue;
		}
		next = min(pud_addr_end(addr, end), end);
		pud = pud_offset(p4d, addr);
		if (pud_none(*pud)) {
			s->hole = true;
			run_unmap(s, addr, next);
			addr = next;
			continue;
		}
		next = min(pmd_addr_end(addr, end), end);
		pmd = pmd_offset(pud, addr);
		if (pmd_none(*pmd)) {
			s->hole = true;
			run_unmap(s, addr, next);
			addr = next;
			continue;
		}
		pte = pte_offset_kernel(pmd, addr);
		for (; addr < next; addr += PAGE_SIZE, pte++)
			sync_pte(s, pte, addr, all);
	}
}

/*
 * Interrupts are off while the host processes of guests are worked on:
 * CPU 0's thread traces them all (ptrace binds a tracee to one thread),
 * and other CPUs have their flushes run there by an IPI (below), which
 * must not land in the middle of a stub run, of a batch being written in
 * the mm's data page, or of the bookkeeping of kept processes.
 */
static int sync_mm(struct mm_struct *mm, unsigned long start,
		   unsigned long end, bool fresh, bool *hole)
{
	struct sync_run s = {
		.mm = mm,
		.ops = page_address(mm->context.stub_page),
		.fresh = fresh,
	};
	unsigned long flags;

	start &= PAGE_MASK;
	end = min(PAGE_ALIGN(end), TASK_SIZE);
	raw_spin_lock_irqsave(sync_lock(mm), flags);
	if (start < end)
		sync_range(&s, start, end, fresh);
	run_end(&s);
	batch_flush(&s);
	raw_spin_unlock_irqrestore(sync_lock(mm), flags);
	if (hole)
		*hole = s.hole;
	return s.err;
}

/**
 * on_tracer() - run @fn(@arg) on CPU 0, whose thread traces the guests
 *
 * Directly on CPU 0 (interrupts off); from another CPU through an IPI,
 * waiting for it: a flush must reach the host before the caller frees the
 * page.  With interrupts off on another CPU the IPI could deadlock, so
 * @fn runs there (its ptrace calls then fail and say so): no caller in
 * the generic kernel is known to do that.
 */
static void on_tracer(smp_call_func_t fn, void *arg)
{
	unsigned long flags;

	local_irq_save(flags);
	if (!IS_ENABLED(CONFIG_SMP) || smp_processor_id() == 0 ||
	    WARN_ON_ONCE(irqs_disabled_flags(flags))) {
		fn(arg);
		local_irq_restore(flags);
		return;
	}
	local_irq_restore(flags);
	smp_call_function_single(0, fn, arg, 1);
}

struct flush_args {
	struct mm_struct *mm;
	unsigned long start, end;
	bool hole;
};

static void flush_on_tracer(void *data)
{
	struct flush_args *a = data;

	if (a->mm->context.host_pid > 0)
		sync_mm(a->mm, a->start, a->end, false, &a->hole);
}

static void nothing(void *unused)
{
}

/*
 * Page tables are freed right after the flush of the range they mapped
 * (the generic mmu_gather), and other CPUs walk an mm's tables without
 * its locks: a guest thread's kernel access to its memory
 * (kernel/uaccess.c) and its faults' flushes, with interrupts off.  When
 * the flush met a missing table, maybe one just taken out, every other
 * CPU is made to take an interrupt before the tables can be freed: none
 * is still walking them then.  Only for address spaces with more than
 * one user.
 */
static void tables_barrier(struct flush_args *a)
{
	if (a->hole && num_online_cpus() > 1 &&
	    atomic_read(&a->mm->mm_users) > 1 && !irqs_disabled() &&
	    !in_interrupt())
		smp_call_function(nothing, NULL, 1);
}

static void flush_range(struct mm_struct *mm, unsigned long start,
			unsigned long end, bool barrier)
{
	struct flush_args a = { .mm = mm, .start = start, .end = end };
	unsigned long flags;

	/*
	 * An mm with no users left is being torn down (exit_mmap()): its
	 * process is about to be emptied or killed as a whole, so undoing
	 * its mappings one by one would be a wasted trip.
	 */
	if (!mm || mm->context.host_pid <= 0 || !atomic_read(&mm->mm_users))
		return;
	/* a thread's own fault or system call: through its own process */
	local_irq_save(flags);
	if (own_stub_pid(mm)) {
		flush_on_tracer(&a);
		local_irq_restore(flags);
	} else {
		local_irq_restore(flags);
		on_tracer(flush_on_tracer, &a);
	}
	if (barrier)
		tables_barrier(&a);
}

void uml_flush_user_range(struct mm_struct *mm, unsigned long start,
			  unsigned long end)
{
	flush_range(mm, start, end, true);
}

/**
 * uml_flush_fault_range() - push a guest fault's new entries to the host
 *
 * As uml_flush_user_range(), but frees no table after: no barrier.
 */
void uml_flush_fault_range(struct mm_struct *mm, unsigned long start,
			   unsigned long end)
{
	flush_range(mm, start, end, false);
}

static void uml_mm_process_lost(struct mm_struct *mm);

/*
 * The first host process of @mm, started if need be.  A new process gets
 * every mapping the mm already has (after fork, or when the previous
 * process died).  Return: its pid, or a negative errno.
 */
static int uml_mm_process(struct mm_struct *mm)
{
	static unsigned long long last_as_id;
	unsigned long flags;
	int pid;

	if (mm->context.host_pid > 0)
		return mm->context.host_pid;
	if (!mm->context.stub_page) {
		mm->context.stub_page = alloc_pages(GFP_KERNEL | __GFP_ZERO,
						    UML_STUB_DATA_ORDER);
		if (!mm->context.stub_page)
			return -ENOMEM;
	}
	local_irq_save(flags);
	pid = host_user_create(page_to_phys(mm->context.stub_page));
	if (pid < 0)
		goto out;
	mm->context.host_pid = pid;
	mm->context.host_used = false;
	mm->context.as_id = ++last_as_id;
	if (sync_mm(mm, 0, TASK_SIZE, true, NULL)) {
		uml_mm_process_lost(mm);
		pid = -ENOMEM;
	}
out:
	local_irq_restore(flags);
	return pid;
}

/*
 * The host address space of @mm is gone or useless: give up its first
 * process.  Clones of it that threads still hold no longer match the
 * mm's as_id; each thread drops its own at its next run.
 */
static void uml_mm_process_lost(struct mm_struct *mm)
{
	unsigned long flags;

	local_irq_save(flags);
	/* kept for reuse, the process must run rdtsc again */
	if (mm->context.tsc_off && mm->context.host_pid > 0)
		host_user_set_tsc(mm->context.host_pid, 0);
	mm->context.tsc_off = false;
	host_user_destroy(mm->context.host_pid);
	mm->context.host_pid = 0;
	mm->context.host_used = false;
	mm->context.as_id = 0;
	local_irq_restore(flags);
}

/*
 * @t gives up its host process.  @mm: the mm it belongs to, when the
 * process is alive and in its address space: a clone is then kept for
 * the mm's next thread, the first process marked free.
 */
static void thread_drop(struct task_struct *t, struct mm_struct *mm)
{
	struct uml_host_thread *h = &t->thread.host;
	bool live = mm && mm->context.host_pid > 0 &&
		    mm->context.as_id == h->as_id;
	unsigned long flags;

	if (h->pid <= 0)
		return;
	local_irq_save(flags);
	/*
	 * Kept and first processes are CPU 0's: a process that another CPU
	 * traces, or that this CPU does not, is killed (any thread may kill
	 * and reap a child of the kernel).
	 */
	if (h->cpu != 0 || smp_processor_id() != 0)
		live = false;
	/* a process kept for another thread must not keep its watchpoints */
	if (live && h->debugreg[7]) {
		memset(h->debugreg, 0, sizeof(h->debugreg));
		host_user_set_debugregs(h->pid, h->debugreg);
	}
	if (h->own && live)
		host_user_clone_done(mm->context.host_pid, h->pid);
	else if (h->own)
		host_user_kill(h->pid);
	else if (live)
		mm->context.host_used = false;
	h->pid = 0;
	h->own = false;
	h->as_id = 0;
	h->cpu = 0;
	memset(h->debugreg, 0, sizeof(h->debugreg));
	local_irq_restore(flags);
}

struct new_process {
	struct mm_struct *mm;
	void *fp;
	bool own;
};

/*
 * On CPU 0: the mm's first process if no thread runs on it, else a clone
 * of it, with the thread's FPU state loaded.  May sleep.
 */
static long make_thread_process(void *arg)
{
	struct new_process *n = arg;
	struct mm_struct *mm = n->mm;
	unsigned long flags;
	int pid;

	pid = uml_mm_process(mm);
	if (pid < 0)
		return pid;
	local_irq_save(flags);
	/*
	 * With more than one CPU the first process runs no thread: it is
	 * where CPU 0 runs the flushes of other CPUs, while a thread of the
	 * mm may be running its guest (mm_stub_pid()).
	 */
	if (!mm->context.host_used && num_possible_cpus() == 1) {
		mm->context.host_used = true;
		n->own = false;
	} else {
		pid = host_user_clone(mm->context.host_pid, mm_stub_pid(mm));
		n->own = true;
	}
	/* best effort: a refused image leaves the process's own state */
	if (pid > 0)
		host_user_set_xstate(pid, n->fp);
	local_irq_restore(flags);
	return pid;
}

/**
 * uml_thread_process() - the host process the current thread runs on
 *
 * Made on the thread's first run in its mm (and after exec): the mm's
 * first process if no thread runs on it, else a clone of it.  A new
 * process gets the thread's FPU state: the copy a forked thread carries
 * (uml_fpu_fork()), or the state of a fresh program.  Processes are made
 * by CPU 0, which traces every first process; a thread on another CPU
 * then takes its process over (kernel/handover.c).  May sleep.
 * Return: the pid, or a negative errno.
 */
int uml_thread_process(void)
{
	struct task_struct *t = current;
	struct uml_host_thread *h = &t->thread.host;
	struct mm_struct *mm = t->mm;
	struct new_process n = { .mm = mm, .fp = h->fp };
	long pid;

	if (h->pid > 0 && h->as_id == mm->context.as_id)
		return h->pid;
	thread_drop(t, NULL);		/* of an address space now gone */
	if (num_possible_cpus() == 1)
		pid = make_thread_process(&n);
	else
		pid = work_on_cpu(0, make_thread_process, &n);
	if (pid < 0)
		return pid;
	h->pid = pid;
	h->own = n.own;
	h->cpu = 0;
	h->as_id = mm->context.as_id;
	/* a clone of a process with rdtsc off starts with it off */
	h->tsc_sigsegv = mm->context.tsc_off ? -1 : 0;
	uml_fpu_release(t);
	return pid;
}

/**
 * uml_thread_process_lost() - the current thread's host process died
 *
 * If it was its mm's first process, the whole host address space goes
 * with it; the next thread to run makes a new one with every mapping.
 */
void uml_thread_process_lost(void)
{
	struct task_struct *t = current;
	struct uml_host_thread *h = &t->thread.host;
	struct mm_struct *mm = t->mm;

	if (h->pid > 0 && !h->own && mm && mm->context.host_pid == h->pid)
		uml_mm_process_lost(mm);
	thread_drop(t, NULL);		/* dead: not kept */
}

void uml_thread_leave_mm(struct task_struct *tsk, struct mm_struct *mm)
{
	thread_drop(tsk, mm);
}

static void lost_on_tracer(void *mm)
{
	uml_mm_process_lost(mm);
}

void destroy_context(struct mm_struct *mm)
{
	/* every thread has left: no clone of this address space is left */
	if (mm->context.host_pid > 0)
		on_tracer(lost_on_tracer, mm);
	if (mm->context.stub_page)
		__free_pages(mm->context.stub_page, UML_STUB_DATA_ORDER);
	mm->context.stub_page = NULL;
}
