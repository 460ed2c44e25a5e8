/* The MMIO instruction executor: the one device access and its register, RFLAGS and RIP effects. */
/* SPDX-License-Identifier: MIT */
#include "hypervisor/emul/insn.h"

#define FL_CF (1ull << 0) /* SDM Vol 1 3.4.3.1 */

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t sign_extend(uint64_t v, unsigned size)
{
	unsigned sh = 64 - 8 * size;

	return size >= 8 ? v : (uint64_t)((int64_t)(v << sh) >> sh);
}

/* Register operand reads and writes at operand size (SDM Vol 1 3.4.1.1: 32-bit writes zero the upper half). */
static uint64_t reg_get(struct vcpu_regs *r, uint8_t reg, unsigned size, bool high8)
{
	if (high8)
		return (*vcpu_gpr(r, reg - 4) >> 8) & 0xff;
	return *vcpu_gpr(r, reg) & mask_of(size);
}

static void reg_set(struct vcpu_regs *r, uint8_t reg, unsigned size, bool high8, uint64_t v)
{
	uint64_t *p;

	if (high8) {
		p = vcpu_gpr(r, reg - 4);
		*p = (*p & ~0xff00ull) | (v & 0xff) << 8;
		return;
	}
	p = vcpu_gpr(r, reg);
	if (size >= 4)
		*p = v & mask_of(size);
	else
		*p = (*p & ~mask_of(size)) | (v & mask_of(size));
}

static const struct vcpu_seg *seg_reg(const struct vcpu_regs *r, uint8_t seg)
{
	switch (seg) {
	case EMUL_SEG_ES: return &r->es;
	case EMUL_SEG_CS: return &r->cs;
	case EMUL_SEG_SS: return &r->ss;
	case EMUL_SEG_FS: return &r->fs;
	case EMUL_SEG_GS: return &r->gs;
	default: return &r->ds;
	}
}

/* BT with a register offset addresses a bit string: the offset is signed, its high part picks the operand (SDM Vol 2A BT). */
static int64_t bit_string_bytes(const struct emul_insn *in, struct vcpu_regs *r)
{
	int64_t off = (int64_t)sign_extend(reg_get(r, in->reg, in->mem_size, false), in->mem_size);
	int64_t bits = 8 * in->mem_size;

	return (off >= 0 ? off / bits : -((-off + bits - 1) / bits)) * in->mem_size;
}

uint64_t emul_linear(const struct emul_insn *in, const struct vcpu_regs *r)
{
	struct vcpu_regs *rw = (struct vcpu_regs *)r; /* vcpu_gpr takes a mutable pointer; nothing is written */
	uint64_t ea = (uint64_t)in->disp, base;

	if (in->rip_rel)
		ea += r->rip + in->len;
	if (in->base != EMUL_NO_REG)
		ea += *vcpu_gpr(rw, in->base);
	if (in->index != EMUL_NO_REG)
		ea += *vcpu_gpr(rw, in->index) * in->scale;
	if (in->kind == EMUL_BT && in->reg != EMUL_NO_REG)
		ea += (uint64_t)bit_string_bytes(in, rw);
	ea &= mask_of(in->addr_size);
	/* SDM Vol 3A 3.4.4: in 64-bit mode only FS and GS have a base; elsewhere linear addresses are 32 bits. */
	if (in->mode == EMUL_MODE64)
		return in->seg == EMUL_SEG_FS || in->seg == EMUL_SEG_GS ? ea + seg_reg(r, in->seg)->base : ea;
	base = seg_reg(r, in->seg)->base;
	return (ea + base) & 0xffffffffull;
}

/* The source operand of a store, ALU op or TEST: the register or the immediate. */
static uint64_t source(const struct emul_insn *in, struct vcpu_regs *r)
{
	if (in->reg == EMUL_NO_REG)
		return in->imm & mask_of(in->mem_size);
	return reg_get(r, in->reg, in->reg_size, in->high8);
}

static void alu(const struct emul_insn *in, struct vcpu_regs *r, const struct emul_bus *bus)
{
	uint64_t mem = bus->read(bus->ctx, in->mem_size), res;

	if (in->reg_is_dst) {
		res = emul_alu_op(in->op, in->mem_size, reg_get(r, in->reg, in->reg_size, in->high8), mem, &r->rflags);
		if (in->op != ALU_CMP)
			reg_set(r, in->reg, in->reg_size, in->high8, res);
		return;
	}
	res = emul_alu_op(in->op, in->mem_size, mem, source(in, r), &r->rflags);
	if (in->op != ALU_CMP)
		bus->write(bus->ctx, in->mem_size, res);
}

/* SDM Vol 2A BT/BTS/BTR/BTC: CF gets the bit; ZF is unchanged, OF SF AF PF undefined (left unchanged here). */
static void bit_op(const struct emul_insn *in, struct vcpu_regs *r, const struct emul_bus *bus)
{
	uint64_t mem = bus->read(bus->ctx, in->mem_size);
	uint64_t n = (in->reg == EMUL_NO_REG ? in->imm : reg_get(r, in->reg, in->mem_size, false)) & (8u * in->mem_size - 1);
	uint64_t bit = 1ull << n;

	r->rflags = (r->rflags & ~FL_CF) | ((mem & bit) ? FL_CF : 0);
	switch (in->op) {
	case BIT_BTS: bus->write(bus->ctx, in->mem_size, mem | bit); break;
	case BIT_BTR: bus->write(bus->ctx, in->mem_size, mem & ~bit); break;
	case BIT_BTC: bus->write(bus->ctx, in->mem_size, mem ^ bit); break;
	default: break;
	}
}

static void load(const struct emul_insn *in, struct vcpu_regs *r, const struct emul_bus *bus)
{
	uint64_t v = bus->read(bus->ctx, in->mem_size) & mask_of(in->mem_size);

	if (in->sign_extend)
		v = sign_extend(v, in->mem_size);
	reg_set(r, in->reg, in->reg_size, in->high8, v);
}

static void xchg(const struct emul_insn *in, struct vcpu_regs *r, const struct emul_bus *bus)
{
	uint64_t mem = bus->read(bus->ctx, in->mem_size);

	bus->write(bus->ctx, in->mem_size, reg_get(r, in->reg, in->reg_size, in->high8));
	reg_set(r, in->reg, in->reg_size, in->high8, mem);
}

/* The next RIP wraps at the code size: IP in 16-bit code, EIP in 32-bit code. */
static uint64_t next_rip(const struct emul_insn *in, uint64_t rip)
{
	rip += in->len;
	return in->mode == EMUL_MODE64 ? rip : in->mode == EMUL_MODE32 ? (uint32_t)rip : (uint16_t)rip;
}

void emul_execute(const struct emul_insn *in, struct vcpu_regs *r, const struct emul_bus *bus)
{
	uint64_t fl;

	switch (in->kind) {
	case EMUL_STORE: bus->write(bus->ctx, in->mem_size, source(in, r)); break;
	case EMUL_LOAD: load(in, r, bus); break;
	case EMUL_ALU: alu(in, r, bus); break;
	case EMUL_TEST:
		fl = r->rflags;
		emul_alu_op(ALU_AND, in->mem_size, bus->read(bus->ctx, in->mem_size), source(in, r), &fl);
		r->rflags = fl;
		break;
	case EMUL_XCHG: xchg(in, r, bus); break;
	case EMUL_BT: bit_op(in, r, bus); break;
	default: break;
	}
	r->rip = next_rip(in, r->rip);
}
