/* Arithmetic and flags of the emulated ALU instructions (ADD OR ADC SBB AND SUB XOR CMP, TEST). */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/emul/insn.h"

/* RFLAGS bits, SDM Vol 1 3.4.3.1 figure 3-8. */
#define FL_CF (1ull << 0)
#define FL_PF (1ull << 2)
#define FL_AF (1ull << 4)
#define FL_ZF (1ull << 6)
#define FL_SF (1ull << 7)
#define FL_OF (1ull << 11)
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* PF: set when the low byte of the result has an even number of 1 bits. */
static bool parity_even(uint64_t v)
{
	return !(__builtin_popcount((unsigned)(v & 0xff)) & 1);
}

/*
 * CF and OF from the carry vector of the addition a + b = res (per bit:
 * carry out of bit i), top bit of the operand; a subtraction a - b is
 * a + ~b + 1, whose carry is the inverse of the borrow.
 */
uint64_t emul_alu_op(unsigned op, unsigned size, uint64_t a, uint64_t b, uint64_t *rflags)
{
	uint64_t m = mask_of(size), top = 8ull * size - 1, cin = *rflags & FL_CF, res, fl = 0;
	uint64_t carries = 0;
	bool arith = true, sub = false;

	a &= m;
	b &= m;
	switch (op) {
	case ALU_ADD: res = a + b; break;
	case ALU_ADC: res = a + b + cin; break;
	case ALU_SUB: case ALU_CMP: res = a - b; sub = true; break;
	case ALU_SBB: res = a - b - cin; sub = true; break;
	case ALU_AND: res = a & b; arith = false; break;
	case ALU_OR: res = a | b; arith = false; break;
	default: res = a ^ b; arith = false; break;
	}
	res &= m;
	if (arith) {
		/* carry out of each bit of a + b' + c, with b' = ~b for a subtraction */
		uint64_t bb = sub ? ~b & m : b;
		carries = (a & bb) | ((a | bb) & ~res);
		if ((carries >> top) & 1)
			fl |= sub ? 0 : FL_CF;
		else
			fl |= sub ? FL_CF : 0;
		if (((a ^ res) & (bb ^ res)) >> top & 1)
			fl |= FL_OF;
		if ((a ^ b ^ res) & 0x10)
			fl |= FL_AF;
	}
	if (res == 0)
		fl |= FL_ZF;
	if ((res >> top) & 1)
		fl |= FL_SF;
	if (parity_even(res))
		fl |= FL_PF;
	*rflags = (*rflags & ~FL_ARITH) | fl;
	return res;
}
