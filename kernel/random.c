/* Random numbers from RDSEED/RDRAND (Intel DRNG Software Implementation Guide 5.2, SDM Vol 1 7.3.17). */
/* SPDX-License-Identifier: MIT */
#include "kernel/random.h"

#include "kernel/arch/x86.h"

#define RETRIES 10 /* DRNG guide 5.2.1: RDRAND failing 10 times in a row means a broken generator */

static bool rdseed64(uint64_t *v)
{
	unsigned char ok;
	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

static bool rdrand64(uint64_t *v)
{
	unsigned char ok;
	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

bool random_hw_u64(uint64_t *out)
{
	bool has_seed = (cpuid(7, 0).ebx >> 18) & 1; /* CPUID.(EAX=07H,ECX=0):EBX.RDSEED[bit 18] */
	bool has_rand = (cpuid(1, 0).ecx >> 30) & 1; /* CPUID.01H:ECX.RDRAND[bit 30] */

	for (int i = 0; has_seed && i < RETRIES; i++)
		if (rdseed64(out))
			return true;
	for (int i = 0; has_rand && i < RETRIES; i++)
		if (rdrand64(out))
			return true;
	return false;
}

uint64_t random_u64(void)
{
	static uint64_t state;
	uint64_t z;

	if (random_hw_u64(&z))
		return z;
	/* splitmix64 over the TSC */
	state += rdtsc() + 0x9e3779b97f4a7c15ull;
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}
