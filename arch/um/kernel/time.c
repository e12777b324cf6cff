// SPDX-License-Identifier: GPL-2.0
/*
 * Time: the host's CLOCK_MONOTONIC is the clock source and sched_clock;
 * a one-shot host timer raising SIGALRM is the clock event device, one
 * per virtual CPU (each CPU's thread has its own timer and gets its own
 * signal), so an idle kernel with no timers due asks the host for no
 * wakeups at all.
 *
 * When the host keeps its own time with the TSC (its clocksource is the
 * TSC, or kvm-clock or Hyper-V's page over an invariant TSC), the TSC
 * becomes the clocksource once its rate is measured against the host's
 * clock (a twentieth of a second after boot): reading it costs no host
 * system call, and the vDSO (kernel/vdso.c) reads it in guests with the
 * same conversion the timekeeper uses.  While it is the clocksource, a
 * check every second or so (deferred while idle) holds it to the host's
 * CLOCK_MONOTONIC; should the two part (a TSC jump after a migration or
 * a host suspend), the kernel goes back to the host clock.
 */
#include <linux/clockchips.h>
#include <linux/clocksource.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/sched_clock.h>
#include <linux/delay.h>
#include <linux/timekeeping.h>
#include <linux/math64.h>
#include <linux/workqueue.h>
#include <asm/vdso/tsc.h>
#include <vdso/helpers.h>
#include <vdso/vsyscall.h>
#include <asm/irq.h>
#include <asm/setup.h>
#include <host/options.h>
#include <host/time.h>

#include "um.h"

/*
 * Host time spent stopped by the management console ("stop" .. "go"):
 * the guest's clocks leave it out, so its timers see no pause at all.
 */
static u64 uml_clock_offset;
static u64 uml_paused_at;
static bool uml_clock_paused;

static inline u64 uml_clock_ns(void)
{
	u64 now = READ_ONCE(uml_clock_paused) ? uml_paused_at : host_clock_ns();

	return now - READ_ONCE(uml_clock_offset);
}

/* the same for the TSC clocksource, in cycles; the vDSO gets a copy */
static u64 uml_tsc_offset;
static u64 uml_tsc_paused_at;

void uml_clock_pause(void)
{
	uml_paused_at = host_clock_ns();
	uml_tsc_paused_at = uml_rdtsc_ordered();
	WRITE_ONCE(uml_clock_paused, true);
}

unsigned long long uml_clock_resume(void)
{
	u64 paused = host_clock_ns() - uml_paused_at;
	struct vdso_data *vd = uml_vdso_kdata;
	unsigned long flags;
	int i;

	local_irq_save(flags);
	WRITE_ONCE(uml_clock_offset, uml_clock_offset + paused);
	WRITE_ONCE(uml_tsc_offset, uml_tsc_offset +
		   (uml_rdtsc_ordered() - uml_tsc_paused_at));
	if (vd) {
		vdso_write_begin(vd);
		for (i = 0; i < CS_BASES; i++)
			vd[i].arch_data.tsc_offset = uml_tsc_offset;
		vdso_write_end(vd);
	}
	WRITE_ONCE(uml_clock_paused, false);
	local_irq_restore(flags);
	return paused;
}

static u64 uml_clock_read(struct clocksource *cs)
{
	return uml_clock_ns();
}

/* nanoseconds of the host's monotonic clock, continuous, never wrapping */
static struct clocksource uml_clocksource = {
	.read = uml_clock_read, .mask = CLOCKSOURCE_MASK(64),
	.flags = CLOCK_SOURCE_IS_CONTINUOUS, .rating = 300,
	.name = "host-monotonic",
};

static u64 uml_tsc_read(struct clocksource *cs)
{
	u64 now = READ_ONCE(uml_clock_paused) ? uml_tsc_paused_at :
		  uml_rdtsc_ordered();

	return now - READ_ONCE(uml_tsc_offset);
}

static struct clocksource uml_tsc_clocksource = {
	.read = uml_tsc_read, .mask = CLOCKSOURCE_MASK(64),
	.flags = CLOCK_SOURCE_IS_CONTINUOUS, .rating = 400,
	.name = "tsc", .vdso_clock_mode = VDSO_CLOCKMODE_TSC,
};

/* the first sample of the TSC against the host clock, taken at boot */
static unsigned long long tsc_tsc0, tsc_ns0;
/* the measured rate, and the host clocksource that made the TSC usable */
static u64 tsc_hz;
static const char *tsc_host_cs;

/*
 * Keeping the TSC in step: the TSC clocksource's time and the host clock
 * (both without management-console stops) at the last check.
 */
static u64 check_cyc, check_ns;
static void uml_tsc_check(struct work_struct *work);
static DECLARE_DEFERRABLE_WORK(uml_tsc_check_work, uml_tsc_check);

/*
 * Not every second: a deferrable work that runs then keeps an otherwise
 * idle machine waking (its kworker arms the fair server's 1 s timer,
 * whose wake-up finds the next check due).
 */
#define TSC_CHECK_EVERY		(10 * HZ)
/* allowed parting per check: the host's NTP slew (< 500 ppm) and 100 us */
#define TSC_CHECK_PPM		1000
#define TSC_CHECK_SLACK_NS	(100 * NSEC_PER_USEC)

static void tsc_check_sample(u64 *cyc, u64 *ns)
{
	unsigned long flags;

	local_irq_save(flags);
	*cyc = uml_tsc_read(NULL);
	*ns = uml_clock_ns();
	local_irq_restore(flags);
}

static void uml_tsc_check(struct work_struct *work)
{
	u64 cyc, ns, dns, dtsc;
	s64 err;

	tsc_check_sample(&cyc, &ns);
	dns = ns - check_ns;
	dtsc = mul_u64_u64_div_u64(cyc - check_cyc, NSEC_PER_SEC, tsc_hz);
	err = (s64)(dtsc - dns);
	if (abs(err) > div_u64(dns, 1000000 / TSC_CHECK_PPM) +
		       TSC_CHECK_SLACK_NS) {
		pr_warn("clocksource: the TSC parted from the host clock by %lld us in %llu ms; back to host-monotonic\n",
			div_s64(err, NSEC_PER_USEC), div_u64(dns, NSEC_PER_MSEC));
		clocksource_unregister(&uml_tsc_clocksource);
		return;
	}
	check_cyc = cyc;
	check_ns = ns;
	schedule_delayed_work(&uml_tsc_check_work, TSC_CHECK_EVERY);
}

/* 50 ms between the samples: the rate to about a millionth */
#define TSC_MEASURE_NS	(50 * NSEC_PER_MSEC)

/*
 * Late in boot, before init runs (so the switch is part of the boot log,
 * not of a user's session): the second sample, at least TSC_MEASURE_NS
 * after the first, and the TSC registered at the measured rate.
 */
static int __init uml_tsc_init(void)
{
	unsigned long long tsc, ns;
	u64 hz;

	if (!tsc_ns0)
		return 0;
	for (;;) {
		host_tsc_sample(&tsc, &ns);
		if (ns - tsc_ns0 >= TSC_MEASURE_NS)
			break;
		msleep(5);
	}
	hz = mul_u64_u64_div_u64(tsc - tsc_tsc0, NSEC_PER_SEC, ns - tsc_ns0);
	if (hz < 1000000) {
		pr_warn("clocksource: the host TSC runs at %llu Hz; not used\n",
			hz);
		return 0;
	}
	pr_info("clocksource: host TSC at %llu.%06llu MHz (host clock %s)\n",
		hz / 1000000, hz % 1000000, tsc_host_cs);
	tsc_hz = hz;
	if (hz <= U32_MAX)
		clocksource_register_hz(&uml_tsc_clocksource, hz);
	else
		clocksource_register_khz(&uml_tsc_clocksource,
					 div_u64(hz, 1000));
	tsc_check_sample(&check_cyc, &check_ns);
	schedule_delayed_work(&uml_tsc_check_work, TSC_CHECK_EVERY);
	return 0;
}
late_initcall(uml_tsc_init);

static u64 notrace uml_sched_clock(void)
{
	return uml_clock_ns();
}

/*
 * Waking up on time.  The host signals a timer tens of microseconds after
 * it is due (its own timer latency, then waking this thread), and the task
 * the timer wakes needs a ptrace round trip more before it runs: a guest
 * sleep used to end about twice as late as the same sleep on the host.  So,
 * as KVM does for a guest's LAPIC timer, each CPU sets its host timer early
 * by an amount learnt from how late the signals come, and spins the rest
 * of the way in the interrupt.  The amount follows the median lateness
 * (a step up for each late signal, a step down for each early one), so
 * that half the signals need no spin and the others a short one; it never
 * exceeds timer_advance= (microseconds, 0 turns the advance off), which
 * bounds the host CPU an interrupt can spend waiting.
 */
#define TIMER_ADVANCE_DEFAULT_US	50
#define TIMER_ADVANCE_LIMIT_US		1000
#define TIMER_ADVANCE_STEP_NS		500
/* later than this, the signal waited for a busy host: not a sample */
#define TIMER_LATE_SAMPLE_NS		(1000 * NSEC_PER_USEC)

static u64 timer_advance_max = TIMER_ADVANCE_DEFAULT_US * NSEC_PER_USEC;
/* a CPU's advance, and whether its host timer was set early by all of it */
struct uml_timer_advance {
	u64 ns;
	bool full;
};
static DEFINE_PER_CPU(struct uml_timer_advance, uml_timer_advance);

/* "N" microseconds, at most TIMER_ADVANCE_LIMIT_US; NULL or a message */
static const char *timer_advance_parse(const char *s, u64 *ns)
{
	unsigned long v = 0;

	if (*s < '0' || *s > '9')
		return "not a number of microseconds (write timer_advance=US, 0 for none)";
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (v > TIMER_ADVANCE_LIMIT_US)
			return "too large (at most 1000 us)";
	}
	if (*s)
		return "not a number of microseconds (write timer_advance=US, 0 for none)";
	*ns = v * NSEC_PER_USEC;
	return NULL;
}

static const char *timer_advance_check(const char *arg)
{
	u64 ns;

	return timer_advance_parse(arg, &ns);
}

UML_OPTION(timer_advance, "timer_advance=", "timer_advance=US",
	   "set host timers up to US microseconds early and spin to the due time (default 50, 0: never)",
	   timer_advance_check);

static int __init timer_advance_setup(char *arg)
{
	u64 ns;

	if (!timer_advance_parse(arg, &ns))
		timer_advance_max = ns;
	return 1;
}
__setup("timer_advance=", timer_advance_setup);

static int uml_timer_next_event(unsigned long delta,
				struct clock_event_device *evt)
{
	struct uml_timer_advance *adv = this_cpu_ptr(&uml_timer_advance);

	adv->full = delta > adv->ns;
	return host_timer_oneshot(adv->full ? delta - adv->ns : 1);
}

/*
 * In the timer interrupt, before the event handler: wait for the event
 * the host timer was set early for, and learn from how early or late the
 * signal came.  A signal far earlier than any advance is a stale one (the
 * timer was set again after it was raised): the handler finds nothing due.
 */
static void uml_timer_wait_due(struct clock_event_device *evt)
{
	struct uml_timer_advance *adv = this_cpu_ptr(&uml_timer_advance);
	ktime_t due = evt->next_event;
	s64 late = ktime_to_ns(ktime_sub(ktime_get(), due));
	u64 stop;

	if (!timer_advance_max || due == KTIME_MAX)
		return;
	if (late >= 0) {
		if (adv->full && late < TIMER_LATE_SAMPLE_NS)
			adv->ns = min(adv->ns + TIMER_ADVANCE_STEP_NS,
				      timer_advance_max);
		return;
	}
	if (-late > adv->ns + TIMER_ADVANCE_STEP_NS)
		return;
	/* a short timer set for "now" says nothing about the lateness */
	if (adv->full)
		adv->ns = adv->ns > TIMER_ADVANCE_STEP_NS ?
			  adv->ns - TIMER_ADVANCE_STEP_NS : 0;
	/* on the host's clock too: the guest's stands still while stopped */
	stop = host_clock_ns() - late;
	while (ktime_before(ktime_get(), due) && host_clock_ns() < stop)
		cpu_relax();
}

static int uml_timer_shutdown(struct clock_event_device *evt)
{
	host_timer_cancel();
	return 0;
}

/* one per virtual CPU, each on its thread's own host timer */
static DEFINE_PER_CPU(struct clock_event_device, uml_clockevents);

static irqreturn_t uml_timer_interrupt(int irq, void *dev)
{
	struct clock_event_device *evt = dev;

	uml_timer_wait_due(evt);
	evt->event_handler(evt);
	return IRQ_HANDLED;
}

/**
 * uml_clockevent_start() - the clock event device of the CPU this runs on
 *
 * Called by each CPU for itself, with interrupts disabled: the boot CPU
 * from time_init(), the others as they come up.  A CPU coming back from
 * hot-unplug keeps the host timer it had.
 */
void uml_clockevent_start(void)
{
	struct clock_event_device *evt = this_cpu_ptr(&uml_clockevents);
	unsigned int cpu = smp_processor_id();
	int err = host_timer_init();

	if (err)
		panic("CPU%u: cannot create the host timer: %d", cpu, err);
	*evt = (struct clock_event_device) {
		.name			= "host-timer",
		.features		= CLOCK_EVT_FEAT_ONESHOT,
		.rating			= 300,
		.set_next_event		= uml_timer_next_event,
		.set_state_shutdown	= uml_timer_shutdown,
		.set_state_oneshot_stopped = uml_timer_shutdown,
		.tick_resume		= uml_timer_shutdown,
		.irq			= TIMER_IRQ,
		.cpumask		= cpumask_of(cpu),
	};
	enable_percpu_irq(TIMER_IRQ, 0);
	clockevents_config_and_register(evt, NSEC_PER_SEC, 1000, ULONG_MAX);
}

void read_persistent_clock64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(host_realtime_ns());
}

void __init time_init(void)
{
	if (__request_percpu_irq(TIMER_IRQ, uml_timer_interrupt, IRQF_TIMER,
				 "timer", &uml_clockevents))
		panic("cannot get the timer IRQ");

	clocksource_register_hz(&uml_clocksource, NSEC_PER_SEC);
	/*
	 * The library has no guests, hence no vDSO to serve, and its start
	 * must not wait for the measurement: it keeps host-monotonic.
	 */
	if (!IS_ENABLED(CONFIG_UML_LIB))
		tsc_host_cs = host_tsc_usable();
	if (tsc_host_cs)
		host_tsc_sample(&tsc_tsc0, &tsc_ns0);
	sched_clock_register(uml_sched_clock, 64, NSEC_PER_SEC);

	uml_clockevent_start();
}

/* busy waits spin on the host clock; there is no loop to calibrate */
void uml_delay_ns(unsigned long ns)
{
	u64 end = host_clock_ns() + ns;

	while (host_clock_ns() < end)
		cpu_relax();
}
EXPORT_SYMBOL(uml_delay_ns);

unsigned long calibrate_delay_is_known(void)
{
	return 1000000000UL / HZ;
}
