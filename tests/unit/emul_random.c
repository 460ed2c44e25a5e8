/* Random tests of the MMIO emulator: ALU results and flags against the host CPU, addressing against a shadow encoder. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/emul/insn.h"

#define ROUNDS 20000
#define CF 0x001ull
#define AF 0x010ull
#define ARITH 0x8d5ull /* OF SF ZF AF PF CF, SDM Vol 1 3.4.3.1 */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13; /* xorshift64 */
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Values near the edges find carry and overflow mistakes that uniform values rarely hit. */
static uint64_t rnd_value(void)
{
	static const uint64_t edges[] = { 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
					  0xffffffff, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, 0xf, 0x10 };

	return rnd() & 1 ? edges[rnd() % 16] + (rnd() % 3) - 1 : rnd();
}

/* ---- The oracle: the same operation executed by the host CPU. ---- */

/* The stack below RSP is the red zone of the surrounding C code: step over it before PUSHF. */
#define HOST(insn, T, a, b, fl)                                                                       \
	do {                                                                                        \
		T x_ = (T)(a), y_ = (T)(b);                                                         \
		uint64_t f_ = (fl);                                                                 \
		__asm__ volatile("sub $128, %%rsp\n\tpush %[f]\n\tpopfq\n\t" insn " %[y], %[x]\n\t" \
				 "pushfq\n\tpop %[f]\n\tadd $128, %%rsp"                            \
				 : [x] "+r"(x_), [f] "+r"(f_)                                       \
				 : [y] "r"(y_)                                                      \
				 : "cc", "memory");                                                 \
		res = (uint64_t)x_;                                                                 \
		fl = f_;                                                                            \
	} while (0)

#define HOST_SIZES(mn)                                                        \
	switch (size) {                                                       \
	case 1: HOST(mn "b", uint8_t, a, b, fl); break;                       \
	case 2: HOST(mn "w", uint16_t, a, b, fl); break;                      \
	case 4: HOST(mn "l", uint32_t, a, b, fl); break;                      \
	default: HOST(mn "q", uint64_t, a, b, fl); break;                     \
	}

static uint64_t host_alu(unsigned op, unsigned size, uint64_t a, uint64_t b, uint64_t *rflags)
{
	uint64_t res = 0, fl = (*rflags & ARITH) | 0x2;

	switch (op) {
	case ALU_ADD: HOST_SIZES("add"); break;
	case ALU_OR: HOST_SIZES("or"); break;
	case ALU_ADC: HOST_SIZES("adc"); break;
	case ALU_SBB: HOST_SIZES("sbb"); break;
	case ALU_AND: HOST_SIZES("and"); break;
	case ALU_SUB: HOST_SIZES("sub"); break;
	case ALU_XOR: HOST_SIZES("xor"); break;
	default: HOST_SIZES("cmp"); res = a; break; /* CMP leaves its destination */
	}
	*rflags = fl & ARITH;
	return res;
}

/* ---- The fake device ---- */

struct dev {
	uint64_t value;
	bool written;
	uint64_t wval;
	unsigned wsize;
};

static uint64_t dev_read(void *ctx, unsigned size)
{
	(void)size;
	return ((struct dev *)ctx)->value;
}

static void dev_write(void *ctx, unsigned size, uint64_t value)
{
	struct dev *d = ctx;

	d->written = true;
	d->wval = value;
	d->wsize = size;
}

static uint64_t mask_of(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* Prefixes for a 64-bit-mode operand of `size` bytes: 66 for 2, REX.W for 8 (SDM Vol 2A 2.2.1.2). */
static size_t size_prefix(uint8_t *b, unsigned size, uint8_t rex_rb)
{
	size_t n = 0;

	if (size == 2)
		b[n++] = 0x66;
	if (size == 8 || rex_rb)
		b[n++] = (uint8_t)(0x40 | (size == 8 ? 8 : 0) | rex_rb);
	return n;
}

/*
 * One random ALU instruction on [rbx] in 64-bit mode: "op [rbx], reg",
 * "op reg, [rbx]" or group 1 with an immediate; its memory result, register
 * result and flags must be what the host CPU computes.
 */
static void one_alu_round(void)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	unsigned op = rnd() % 8, size = sizes[rnd() % 4], form = rnd() % 3;
	uint8_t reg = (uint8_t)(rnd() % 16), b[16];
	uint64_t mem = rnd_value(), regval = rnd_value(), flin = rnd() & ARITH, fl_expect = flin, expect, imm = 0;
	struct vcpu_regs r = { 0 };
	struct dev d = { .value = mem & mask_of(size) };
	const struct emul_bus bus = { dev_read, dev_write, &d };
	struct emul_insn in;
	size_t n;
	int err;

	if (reg == 3 || (size == 1 && reg >= 4 && reg < 8))
		reg = 8 + (reg & 7); /* not RBX (the base), and no AH-BH: those need a model of their own */
	n = size_prefix(b, size, reg >= 8 ? 0x4 : 0); /* REX.R */
	if (form == 2) {
		n = size_prefix(b, size, 0);
		b[n++] = size == 1 ? 0x80 : (rnd() & 1) ? 0x81 : 0x83;
		b[n++] = (uint8_t)(op << 3 | 3); /* mod 00, /op, rm = rbx */
		imm = rnd_value();
		if (b[n - 2] == 0x81) {
			uint32_t v = (uint32_t)imm;
			unsigned isz = size == 2 ? 2 : 4;
			memcpy(b + n, &v, isz);
			n += isz;
			imm = isz == 2 ? (uint64_t)(int64_t)(int16_t)v : (uint64_t)(int64_t)(int32_t)v;
		} else {
			b[n++] = (uint8_t)imm;
			imm = (uint64_t)(int64_t)(int8_t)imm;
		}
	} else {
		b[n++] = (uint8_t)(op << 3 | (form == 1 ? 2 : 0) | (size == 1 ? 0 : 1));
		b[n++] = (uint8_t)((reg & 7) << 3 | 3);
	}
	r.rbx = 0xfee00000;
	r.rflags = 0x2 | flin;
	if (form != 2)
		*vcpu_gpr(&r, reg) = regval;
	err = emul_decode(b, n, EMUL_MODE64, &in);
	assert_int_equal(err, EMUL_OK);
	assert_int_equal(in.len, n);
	emul_execute(&in, &r, &bus);
	if (form == 1) {
		expect = host_alu(op, size, regval, mem, &fl_expect);
		uint64_t want = op == ALU_CMP ? regval : size >= 4 ? expect & mask_of(size)
								: (regval & ~mask_of(size)) | (expect & mask_of(size));
		assert_int_equal(*vcpu_gpr(&r, reg), want);
		assert_false(d.written);
	} else {
		expect = host_alu(op, size, mem, form == 2 ? imm : regval, &fl_expect);
		assert_int_equal(d.written, op != ALU_CMP);
		if (d.written) {
			assert_int_equal(d.wsize, size);
			assert_int_equal(d.wval & mask_of(size), expect & mask_of(size));
		}
	}
	/* AF is undefined after AND, OR, XOR (SDM Vol 2A): compare it for the arithmetic ops only. */
	uint64_t cmp_mask = op == ALU_AND || op == ALU_OR || op == ALU_XOR ? ARITH & ~AF : ARITH;
	if ((r.rflags & cmp_mask) != (fl_expect & cmp_mask))
		fail_msg("op %u size %u form %u mem %#llx reg %#llx imm %#llx cf %llu: flags %#llx, CPU %#llx", op, size,
			 form, (unsigned long long)mem, (unsigned long long)regval, (unsigned long long)imm,
			 (unsigned long long)(flin & CF), (unsigned long long)(r.rflags & ARITH),
			 (unsigned long long)fl_expect);
}

static void test_alu_against_host_cpu(void **state)
{
	(void)state;
	for (int i = 0; i < ROUNDS; i++)
		one_alu_round();
}

/* ---- Addressing: a shadow encoder picks the operand, the emulator must find the same address. ---- */

struct operand {
	int base, index;     /* -1: none */
	unsigned scale;
	int64_t disp;
	unsigned disp_size;  /* 0, 1 or 4 */
};

/* Encodes ModRM (+SIB, +disp) for [base + index*scale + disp] in 32/64-bit addressing (SDM Vol 2A tables 2-2, 2-3). */
static size_t encode_mem(uint8_t *b, uint8_t reg, const struct operand *o, uint8_t *rex)
{
	static const uint8_t ss[9] = { [1] = 0, [2] = 1, [4] = 2, [8] = 3 };
	size_t n = 0;
	unsigned mod = o->disp_size == 1 ? 1 : o->disp_size == 4 ? 2 : 0;
	bool sib = o->index >= 0 || o->base < 0 || (o->base & 7) == 4;

	if (o->base < 0)
		mod = 0; /* SIB base 101 with mod 00: disp32, no base */
	*rex |= (reg & 8) ? 0x4 : 0;
	if (sib) {
		b[n++] = (uint8_t)(mod << 6 | (reg & 7) << 3 | 4);
		unsigned idx = o->index >= 0 ? (unsigned)o->index : 4;
		*rex |= (idx & 8) ? 0x2 : 0;
		*rex |= o->base >= 0 && (o->base & 8) ? 0x1 : 0;
		b[n++] = (uint8_t)(ss[o->scale] << 6 | (idx & 7) << 3 | (o->base >= 0 ? (o->base & 7) : 5));
	} else {
		*rex |= (o->base & 8) ? 0x1 : 0;
		b[n++] = (uint8_t)(mod << 6 | (reg & 7) << 3 | (o->base & 7));
	}
	if (o->base < 0 || o->disp_size == 4) {
		int32_t v = (int32_t)o->disp;
		memcpy(b + n, &v, 4);
		n += 4;
	} else if (o->disp_size == 1) {
		b[n++] = (uint8_t)o->disp;
	}
	return n;
}

static void random_operand(struct operand *o, unsigned nregs)
{
	o->base = rnd() % 5 == 0 ? -1 : (int)(rnd() % nregs);
	o->index = rnd() % 2 ? -1 : (int)(rnd() % nregs);
	if (o->index == 4)
		o->index = -1; /* index 100 means none */
	o->scale = 1u << (rnd() % 4);
	o->disp_size = (unsigned[]){ 0, 1, 4 }[rnd() % 3];
	if (o->base >= 0 && (o->base & 7) == 5 && o->disp_size == 0)
		o->disp_size = 1; /* mod 00 with rm/base 101 means disp32 without base */
	o->disp = o->disp_size == 1 ? (int8_t)rnd() : o->disp_size == 4 || o->base < 0 ? (int32_t)rnd() : 0;
}

/* One random MOV load or store in 64- or 32-bit mode; the address and the register effect follow the model. */
static void one_mov_round(void)
{
	bool m64 = rnd() & 1, store = rnd() & 1;
	unsigned nregs = m64 ? 16 : 8;
	unsigned size = m64 ? (unsigned[]){ 2, 4, 8 }[rnd() % 3] : (unsigned[]){ 2, 4 }[rnd() % 2];
	uint8_t reg = (uint8_t)(rnd() % nregs), b[16], rex = 0, body[12];
	struct operand o;
	struct vcpu_regs r = { 0 };
	uint64_t regs[16], ea, old;
	struct dev d = { .value = rnd() };
	const struct emul_bus bus = { dev_read, dev_write, &d };
	struct emul_insn in;
	size_t n = 0, m;

	random_operand(&o, nregs);
	for (unsigned i = 0; i < 16; i++)
		regs[i] = *vcpu_gpr(&r, i) = m64 ? rnd() : (uint32_t)rnd();
	r.ds.base = m64 ? 0 : (uint32_t)rnd();
	r.ss.base = m64 ? 0 : (uint32_t)rnd();
	r.rip = 0x1000;
	m = encode_mem(body, reg, &o, &rex);
	if (size == 2)
		b[n++] = 0x66;
	if (size == 8)
		rex |= 0x8;
	if (rex)
		b[n++] = 0x40 | rex;
	b[n++] = store ? 0x89 : 0x8b;
	memcpy(b + n, body, m);
	n += m;
	assert_int_equal(emul_decode(b, n, m64 ? EMUL_MODE64 : EMUL_MODE32, &in), EMUL_OK);
	assert_int_equal(in.len, n);
	assert_int_equal(in.mem_size, size);
	ea = (uint64_t)o.disp + (o.base >= 0 ? regs[o.base] : 0) + (o.index >= 0 ? regs[o.index] * o.scale : 0);
	if (!m64) /* 32-bit: EA wraps at 4 GiB, then DS (SS for ESP/EBP bases) is added, wrapping again */
		ea = ((uint32_t)ea + (o.base == 4 || o.base == 5 ? r.ss.base : r.ds.base)) & 0xffffffffull;
	assert_int_equal(emul_linear(&in, &r), ea);
	old = regs[reg];
	emul_execute(&in, &r, &bus);
	if (store) {
		assert_true(d.written);
		assert_int_equal(d.wsize, size);
		assert_int_equal(d.wval, old & mask_of(size));
		assert_int_equal(*vcpu_gpr(&r, reg), old);
	} else {
		uint64_t want = size == 2 ? (old & ~0xffffull) | (d.value & 0xffff) : d.value & mask_of(size);
		assert_false(d.written);
		assert_int_equal(*vcpu_gpr(&r, reg), want);
	}
	assert_int_equal(r.rip, 0x1000 + n);
}

static void test_addressing_against_shadow_encoder(void **state)
{
	(void)state;
	for (int i = 0; i < ROUNDS; i++)
		one_mov_round();
}

/* Random bytes never crash the decoder, and what it accepts is at most 15 bytes long and inside the input. */
static void test_random_bytes(void **state)
{
	uint8_t b[EMUL_INSN_MAX + 4];
	struct emul_insn in;

	(void)state;
	for (int i = 0; i < 10 * ROUNDS; i++) {
		size_t n = rnd() % sizeof(b);
		for (size_t k = 0; k < n; k++)
			b[k] = (uint8_t)rnd();
		int err = emul_decode(b, n, (enum emul_mode)(rnd() % 3), &in);
		assert_true(in.len <= EMUL_INSN_MAX && in.len <= n);
		if (err == EMUL_OK)
			assert_true(in.mem_size == 1 || in.mem_size == 2 || in.mem_size == 4 || in.mem_size == 8);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu_against_host_cpu),
		cmocka_unit_test(test_addressing_against_shadow_encoder),
		cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
