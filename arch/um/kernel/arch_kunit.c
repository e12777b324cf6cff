// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the port's own mechanisms: the no-fault copy and its
 * fault fixup, vmalloc mappings mirrored to the host, the interrupt flag,
 * the host timer and clock, and option parsing.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kernel_stat.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/irq.h>
#include <host/boot.h>
#include <host/layout.h>

static void nofault_copy_test(struct kunit *test)
{
	unsigned long val = 0x1234, out = 0;
	/* the top of vmalloc space is reserved and never mapped */
	void *hole = (void *)(UML_VMALLOC_END - PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, copy_from_kernel_nofault(&out, &val, sizeof(val)), 0);
	KUNIT_EXPECT_EQ(test, out, 0x1234UL);
	KUNIT_EXPECT_EQ(test, copy_from_kernel_nofault(&out, hole, sizeof(out)),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, copy_to_kernel_nofault(hole, &val, sizeof(val)),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, copy_from_kernel_nofault(&out, NULL, sizeof(out)),
			-EFAULT);
}

static void vmalloc_mapping_test(struct kunit *test)
{
	size_t size = 5 * PAGE_SIZE + 123;
	unsigned char *a, *b, *p;
	size_t i;

	a = vmalloc(size);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(a));
	for (i = 0; i < size; i++)
		a[i] = i * 7;
	for (i = 0; i < size; i++)
		if (a[i] != (unsigned char)(i * 7))
			break;
	KUNIT_EXPECT_EQ(test, i, size);
	/* the same bytes through the linear map of each page */
	p = page_address(vmalloc_to_page(a + 3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, *p, (unsigned char)(3 * PAGE_SIZE * 7));
	vfree(a);

	b = vzalloc(size);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b[0] | b[size - 1], 0);
	vfree(b);
}

static void irq_flag_test(struct kunit *test)
{
	unsigned long flags, outer;

	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	local_irq_save(outer);
	KUNIT_EXPECT_TRUE(test, irqs_disabled());
	local_irq_save(flags);
	local_irq_restore(flags);
	KUNIT_EXPECT_TRUE(test, irqs_disabled());
	local_irq_restore(outer);
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
}

static void timer_interrupt_test(struct kunit *test)
{
	unsigned long j0 = jiffies;
	ktime_t t0 = ktime_get();
	unsigned int cpu, n0;

	/* the clock event fires while this task sleeps, jiffies move on */
	msleep(50);
	KUNIT_EXPECT_GE(test, ktime_ms_delta(ktime_get(), t0), 50);
	KUNIT_EXPECT_GT(test, jiffies, j0);

	/*
	 * A busy wait with interrupts off: this CPU's timer is held and
	 * replayed.  With other CPUs online one of them may keep jiffies
	 * going meanwhile: what must not move is this CPU's count of timer
	 * interrupts.
	 */
	local_irq_disable();
	cpu = smp_processor_id();
	n0 = kstat_irqs_cpu(TIMER_IRQ, cpu);
	j0 = jiffies;
	mdelay(30);
	KUNIT_EXPECT_EQ(test, kstat_irqs_cpu(TIMER_IRQ, cpu), n0);
	if (num_online_cpus() == 1)
		KUNIT_EXPECT_EQ(test, jiffies, j0);
	local_irq_enable();
	msleep(20);
	KUNIT_EXPECT_GT(test, jiffies, j0);
}

static void parse_size_test(struct kunit *test)
{
	const char *end;

	KUNIT_EXPECT_EQ(test, uml_parse_size("256M", &end), 256ULL << 20);
	KUNIT_EXPECT_EQ(test, *end, '\0');
	KUNIT_EXPECT_EQ(test, uml_parse_size("1G", NULL), 1ULL << 30);
	KUNIT_EXPECT_EQ(test, uml_parse_size("4096", NULL), 4096ULL);
	KUNIT_EXPECT_EQ(test, uml_parse_size("lots", &end), 0ULL);
	uml_parse_size("12Mx", &end);
	KUNIT_EXPECT_EQ(test, *end, 'x');
}

static struct kunit_case uml_arch_cases[] = {
	KUNIT_CASE(nofault_copy_test),
	KUNIT_CASE(vmalloc_mapping_test),
	KUNIT_CASE(irq_flag_test),
	KUNIT_CASE(timer_interrupt_test),
	KUNIT_CASE(parse_size_test),
	{}
};

static struct kunit_suite uml_arch_suite = {
	.name = "uml_arch",
	.test_cases = uml_arch_cases,
};
kunit_test_suite(uml_arch_suite);

MODULE_DESCRIPTION("KUnit tests of the UML port");
MODULE_LICENSE("GPL");
