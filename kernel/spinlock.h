/* Spinlocks for data shared between CPUs; usable on the host for unit tests. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	volatile uint32_t locked;
};

#define SPINLOCK_INIT { 0 }

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#ifndef BULWARK_HOST_TEST
/* Takes the lock with interrupts off; returns the RFLAGS to restore. */
static inline uint64_t spin_lock_irqsave(struct spinlock *l)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
	spin_unlock(l);
	if (flags & (1u << 9)) /* RFLAGS.IF, SDM Vol 1 3.4.3 */
		__asm__ volatile("sti" ::: "memory");
}
#else
static inline uint64_t spin_lock_irqsave(struct spinlock *l)
{
	spin_lock(l);
	return 0;
}
static inline void spin_unlock_irqrestore(struct spinlock *l, uint64_t flags)
{
	(void)flags;
	spin_unlock(l);
}
#endif

#endif
