// SPDX-License-Identifier: GPL-2.0
/*
 * Atomic futex operations on guest memory (asm/futex.h): one locked
 * instruction on the word, through the kernel's mapping of its page,
 * which is the same memory the guest's host processes map.  Called with
 * page faults disabled: a page that is not mapped for writing gives
 * -EFAULT, and the generic code faults it in and tries again.
 */
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <uapi/linux/futex.h>
#include <asm/futex.h>

#include "um.h"

static u32 *futex_word(u32 __user *uaddr, struct page **page)
{
	if (!access_ok(uaddr, sizeof(u32)))
		return NULL;
	return uml_user_page((unsigned long)uaddr, true, page);
}

int arch_futex_atomic_op_inuser(int op, u32 oparg, int *oval,
				u32 __user *uaddr)
{
	struct page *page;
	u32 *w = futex_word(uaddr, &page);
	u32 old;

	if (!w)
		return -EFAULT;
	switch (op) {
	case FUTEX_OP_SET:
		old = __atomic_exchange_n(w, oparg, __ATOMIC_SEQ_CST);
		break;
	case FUTEX_OP_ADD:
		old = __atomic_fetch_add(w, oparg, __ATOMIC_SEQ_CST);
		break;
	case FUTEX_OP_OR:
		old = __atomic_fetch_or(w, oparg, __ATOMIC_SEQ_CST);
		break;
	case FUTEX_OP_ANDN:
		old = __atomic_fetch_and(w, ~oparg, __ATOMIC_SEQ_CST);
		break;
	case FUTEX_OP_XOR:
		old = __atomic_fetch_xor(w, oparg, __ATOMIC_SEQ_CST);
		break;
	default:
		put_page(page);
		return -ENOSYS;
	}
	put_page(page);
	*oval = old;
	return 0;
}

int futex_atomic_cmpxchg_inatomic(u32 *uval, u32 __user *uaddr,
				  u32 oldval, u32 newval)
{
	struct page *page;
	u32 *w = futex_word(uaddr, &page);

	if (!w)
		return -EFAULT;
	*uval = cmpxchg(w, oldval, newval);
	put_page(page);
	return 0;
}
