// SPDX-License-Identifier: GPL-2.0
/*
 * Guest address spaces: one host address space per mm, its mappings kept
 * in step with the mm's page tables, and one host process in it per guest
 * thread.
 *
 * The first thread to run in an mm starts the address space's first
 * process (mm->context.host_pid), on the CPU it runs on, whose thread
 * then traces it (mm->context.host_cpu).  With one CPU the thread runs on
 * it; each further thread, and with more than one CPU every thread, gets
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
 * this CPU traces (on_mm_tracer()) and, with more than one CPU, no thread
 * runs on (make_thread_process()).
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
 * ptrace binds a tracee to one host thread, the mm's first process is
 * traced by one CPU's, and other CPUs have their flushes run there by an
 * IPI (below), which must not land in the middle of a stub run, of a
 * batch being written in the mm's data page, or of the bookkeeping of
 * spare and kept processes.  With sync_lock(@mm) held.
 */
static int sync_mm_locked(struct mm_struct *mm, unsigned long start,
			  unsigned long end, bool fresh, bool *hole)
{
	struct sync_run s = {
		.mm = mm,
		.ops = page_address(mm->context.stub_page),
		.fresh = fresh,
	};

	start &= PAGE_MASK;
	end = min(PAGE_ALIGN(end), TASK_SIZE);
	if (start < end)
		sync_range(&s, start, end, fresh);
	run_end(&s);
	batch_flush(&s);
	if (hole)
		*hole = s.hole;
	return s.err;
}

static int sync_mm(struct mm_struct *mm, unsigned long start,
		   unsigned long end, bool *hole)
{
	unsigned long flags;
	int err;

	raw_spin_lock_irqsave(sync_lock(mm), flags);
	err = sync_mm_locked(mm, start, end, false, hole);
	raw_spin_unlock_irqrestore(sync_lock(mm), flags);
	return err;
}

/* serialises the attaching of a first process whose CPU went offline */
static DEFINE_RAW_SPINLOCK(first_attach_lock);

/*
 * With interrupts off: the CPU that traces @mm's first process.  One
 * left without a tracer (host_cpu -1) is attached here first; if it is
 * gone, the address space is given up and its next thread makes another.
 */
static int mm_tracer_cpu(struct mm_struct *mm)
{
	int cpu = READ_ONCE(mm->context.host_cpu);

	if (cpu >= 0)
		return cpu;
	cpu = smp_processor_id();
	raw_spin_lock(&first_attach_lock);
	if (READ_ONCE(mm->context.host_cpu) == -1) {
		if (host_user_attach(mm->context.host_pid, cpu)) {
			pr_err("uml: host process %d of an address space lost\n",
			       mm->context.host_pid);
			WRITE_ONCE(mm->context.host_pid, 0);
			mm->context.as_id = 0;
		}
		WRITE_ONCE(mm->context.host_cpu, cpu);
	}
	raw_spin_unlock(&first_attach_lock);
	return READ_ONCE(mm->context.host_cpu);
}

struct mm_call {
	struct mm_struct *mm;
	void (*fn)(struct mm_struct *mm, void *arg);
	void *arg;
	bool done;
};

static void mm_call_here(void *data)
{
	struct mm_call *c = data;

	if (READ_ONCE(c->mm->context.host_cpu) != smp_processor_id())
		return;		/* it moved: the caller asks again */
	c->fn(c->mm, c->arg);
	c->done = true;
}

/**
 * on_mm_tracer() - run @fn(@mm, @arg) on the CPU that traces @mm's first
 * process
 *
 * Here (interrupts off) if this CPU does; else through an IPI, waiting
 * for it: a flush must reach the host before the caller frees the page.
 * With interrupts off on another CPU the IPI could deadlock, so @fn runs
 * here (its ptrace calls then fail and say so), as it does when that CPU
 * went offline without letting go of the process (an mm no task holds):
 * no caller in the generic kernel is known to do the first.
 */
static void on_mm_tracer(struct mm_struct *mm,
			 void (*fn)(struct mm_struct *mm, void *arg),
			 void *arg)
{
	struct mm_call c = { .mm = mm, .fn = fn, .arg = arg };
	unsigned long flags;
	int cpu;

	for (;;) {
		local_irq_save(flags);
		cpu = mm_tracer_cpu(mm);
		if (!IS_ENABLED(CONFIG_SMP) || cpu == smp_processor_id() ||
		    WARN_ON_ONCE(irqs_disabled_flags(flags))) {
			fn(mm, arg);
			local_irq_restore(flags);
			return;
		}
		local_irq_restore(flags);
		if (smp_call_function_single(cpu, mm_call_here, &c, 1) &&
		    READ_ONCE(mm->context.host_cpu) == cpu) {
			local_irq_save(flags);
			fn(mm, arg);
			local_irq_restore(flags);
			return;
		}
		if (c.done)
			return;
	}
}

struct flush_args {
	struct mm_struct *mm;
	unsigned long start, end;
	bool hole;
};

static void flush_here(struct mm_struct *mm, void *data)
{
	struct flush_args *a = data;

	if (mm->context.host_pid > 0)
		sync_mm(mm, a->start, a->end, &a->hole);
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
		flush_here(mm, &a);
		local_irq_restore(flags);
	} else {
		local_irq_restore(flags);
		on_mm_tracer(mm, flush_here, &a);
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
 * With interrupts off: the first host process of @mm, started on this
 * CPU if it has none; a new one gets every mapping the mm already has
 * (after fork, or when the previous process died).  Two threads of the
 * mm may ask at once on two CPUs: sync_lock() makes one of them start
 * it.  Return: its pid, or a negative errno.
 */
static int uml_mm_process(struct mm_struct *mm)
{
	static atomic64_t last_as_id;
	raw_spinlock_t *lock = sync_lock(mm);
	int cpu = smp_processor_id();
	int pid;

	lockdep_assert_irqs_disabled();
	if (READ_ONCE(mm->context.host_pid) > 0)
		return mm->context.host_pid;
	raw_spin_lock(lock);
	pid = mm->context.host_pid;
	if (pid > 0)
		goto out;
	pid = host_user_create(cpu, page_to_phys(mm->context.stub_page));
	if (pid < 0)
		goto out;
	mm->context.host_used = false;
	mm->context.as_id = atomic64_inc_return(&last_as_id);
	WRITE_ONCE(mm->context.host_cpu, cpu);
	/* the CPU before the pid: on_mm_tracer() reads them the other way */
	smp_store_release(&mm->context.host_pid, pid);
	if (sync_mm_locked(mm, 0, TASK_SIZE, true, NULL)) {
		raw_spin_unlock(lock);
		uml_mm_process_lost(mm);
		return -ENOMEM;
	}
out:
	raw_spin_unlock(lock);
	return pid;
}

/*
 * The host address space of @mm is gone or useless: give up its first
 * process.  Clones of it that threads still hold no longer match the
 * mm's as_id; each thread drops its own at its next run.  On the CPU
 * that traces it, interrupts off.
 */
static void uml_mm_process_lost(struct mm_struct *mm)
{
	bool tsc_off = mm->context.tsc_off;

	/* kept for reuse, the process must run rdtsc again */
	if (tsc_off && mm->context.host_pid > 0)
		host_user_set_tsc(mm->context.host_pid, 0);
	mm->context.tsc_off = false;
	/*
	 * With more than one CPU every thread runs on a clone: the clones
	 * kept for the process stay with it as a spare, so the next address
	 * space has them (a fork+exit then makes no host process).  Not
	 * those of an mm with rdtsc off, and not with one CPU, where only
	 * multithreaded programs make clones: a spare stays a single process.
	 */
	host_user_destroy(smp_processor_id(), mm->context.host_pid,
			  !tsc_off && num_possible_cpus() > 1);
	WRITE_ONCE(mm->context.host_pid, 0);
	mm->context.host_used = false;
	mm->context.as_id = 0;
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
	bool keep;

	if (h->pid <= 0)
		return;
	local_irq_save(flags);
	/*
	 * A clone is kept by the CPU that traces it and the first process
	 * (host_user_clone() looks there); one on another CPU is killed (any
	 * thread may kill and reap a child of the kernel).
	 */
	keep = live && h->own && h->cpu == smp_processor_id() &&
	       READ_ONCE(mm->context.host_cpu) == h->cpu;
	/* a process kept for another thread must not keep its watchpoints */
	if (keep && h->debugreg[7]) {
		memset(h->debugreg, 0, sizeof(h->debugreg));
		host_user_set_debugregs(h->pid, h->debugreg);
	}
	if (keep)
		host_user_clone_done(h->cpu, mm->context.host_pid, h->pid);
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
	void *fp;
	int pid;
	int cpu;
	bool own;
	bool lost;	/* the first process went meanwhile */
};

/*
 * On the CPU that traces @mm's first process, interrupts off: that
 * process for the thread if no thread runs on it and there is one CPU,
 * else a clone of it; with the thread's FPU state loaded.  With more
 * than one CPU the first process runs no thread: it is where other CPUs'
 * flushes run while threads of the mm may be running their guests
 * (mm_stub_pid()).
 */
static void make_thread_process(struct mm_struct *mm, void *arg)
{
	struct new_process *n = arg;
	int cpu = smp_processor_id();
	int pid;

	n->lost = mm->context.host_pid <= 0;
	if (n->lost)
		return;		/* the caller makes another and asks again */
	if (!mm->context.host_used && num_possible_cpus() == 1) {
		mm->context.host_used = true;
		pid = mm->context.host_pid;
		n->own = false;
	} else {
		pid = host_user_clone(cpu, mm->context.host_pid,
				      mm_stub_pid(mm));
		n->own = true;
	}
	/* best effort: a refused image leaves the process's own state */
	if (pid > 0)
		host_user_set_xstate(pid, n->fp);
	n->pid = pid;
	n->cpu = cpu;
}

/**
 * uml_thread_process() - the host process the current thread runs on
 *
 * Made on the thread's first run in its mm (and after exec): the mm's
 * first process if no thread runs on it, else a clone of it.  A new
 * process gets the thread's FPU state: the copy a forked thread carries
 * (uml_fpu_fork()), or the state of a fresh program.  An mm's first
 * process is started by the CPU its first thread runs on, and its clones
 * are made by the CPU that traces it; a thread on another CPU then takes
 * its clone over (kernel/handover.c).  May sleep.
 * Return: the pid, or a negative errno.
 */
int uml_thread_process(void)
{
	struct task_struct *t = current;
	struct uml_host_thread *h = &t->thread.host;
	struct mm_struct *mm = t->mm;
	struct new_process n = { .fp = h->fp };
	struct page *page;
	unsigned long flags;
	int pid;

	if (h->pid > 0 && h->as_id == mm->context.as_id)
		return h->pid;
	thread_drop(t, NULL);		/* of an address space now gone */
	if (!READ_ONCE(mm->context.stub_page)) {
		page = alloc_pages(GFP_KERNEL | __GFP_ZERO, UML_STUB_DATA_ORDER);
		if (!page)
			return -ENOMEM;
		if (cmpxchg(&mm->context.stub_page, NULL, page))
			__free_pages(page, UML_STUB_DATA_ORDER);
	}
	do {
		local_irq_save(flags);
		pid = uml_mm_process(mm);
		local_irq_restore(flags);
		if (pid < 0)
			return pid;
		on_mm_tracer(mm, make_thread_process, &n);
	} while (n.lost);
	if (n.pid < 0)
		return n.pid;
	h->pid = n.pid;
	h->own = n.own;
	h->cpu = n.cpu;
	h->as_id = mm->context.as_id;
	/* a clone of a process with rdtsc off starts with it off */
	h->tsc_sigsegv = mm->context.tsc_off ? -1 : 0;
	uml_fpu_release(t);
	return n.pid;
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
	unsigned long flags;

	local_irq_save(flags);
	if (h->pid > 0 && !h->own && mm && mm->context.host_pid == h->pid)
		uml_mm_process_lost(mm);
	local_irq_restore(flags);
	thread_drop(t, NULL);		/* dead: not kept */
}

void uml_thread_leave_mm(struct task_struct *tsk, struct mm_struct *mm)
{
	thread_drop(tsk, mm);
}

static void lost_here(struct mm_struct *mm, void *unused)
{
	if (mm->context.host_pid > 0)
		uml_mm_process_lost(mm);
}

/**
 * uml_mm_cpu_down() - CPU @cpu goes offline: let go of @mm's first process
 *
 * Run on the dying CPU with every other CPU stopped, for the mm of each
 * task; the next CPU that needs the process attaches it (mm_tracer_cpu()).
 */
void uml_mm_cpu_down(struct mm_struct *mm, int cpu)
{
	if (mm->context.host_pid > 0 &&
	    READ_ONCE(mm->context.host_cpu) == cpu) {
		host_user_detach(mm->context.host_pid);
		WRITE_ONCE(mm->context.host_cpu, -1);
	}
}

void destroy_context(struct mm_struct *mm)
{
	/* every thread has left: no clone of this address space is left */
	if (mm->context.host_pid > 0)
		on_mm_tracer(mm, lost_here, NULL);
	if (mm->context.stub_page)
		__free_pages(mm->context.stub_page, UML_STUB_DATA_ORDER);
	mm->context.stub_page = NULL;
}
