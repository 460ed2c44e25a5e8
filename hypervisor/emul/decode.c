/* The MMIO instruction decoder: prefixes, REX, ModRM/SIB/displacement, immediates, every byte bounds-checked. */
/* SPDX-License-Identifier: MIT */
#include <string.h>
#include "hypervisor/emul/insn.h"

/* Instruction format, SDM Vol 2A 2.1 (figure 2-1) and 2.2.1 (REX); operand and address sizes, 3.6 table 3-4. */

struct dec {
	const uint8_t *b;
	size_t avail;
	size_t pos;
	struct emul_insn *o;
	uint8_t rex;     /* 0 when absent */
	bool opsize66, addr67;
	uint8_t opsize;  /* bytes: 2, 4 or 8 */
};

#define REX_W 0x8
#define REX_R 0x4
#define REX_X 0x2
#define REX_B 0x1

/* The next instruction byte, or an error: past 15 bytes, or past what was fetched. */
static int next(struct dec *d, uint8_t *v)
{
	if (d->pos >= EMUL_INSN_MAX)
		return EMUL_ERR_TOO_LONG;
	if (d->pos >= d->avail)
		return EMUL_ERR_TRUNCATED;
	*v = d->b[d->pos];
	d->o->bytes[d->pos++] = *v;
	return EMUL_OK;
}

/* A little-endian immediate or displacement of `n` bytes, sign-extended to 64 bits. */
static int next_signed(struct dec *d, unsigned n, int64_t *v)
{
	uint64_t x = 0;
	uint8_t byte;
	int err;

	for (unsigned i = 0; i < n; i++) {
		if ((err = next(d, &byte)))
			return err;
		x |= (uint64_t)byte << (8 * i);
	}
	if (n < 8 && (x >> (8 * n - 1)) & 1)
		x |= ~0ull << (8 * n);
	*v = (int64_t)x;
	return EMUL_OK;
}

/* Legacy prefixes (SDM Vol 2A 2.1.1) and, in 64-bit mode, a REX right before the opcode (2.2.1). */
static int prefixes(struct dec *d, uint8_t *opcode)
{
	static const uint8_t seg_of[] = { [0x26 >> 3] = EMUL_SEG_ES, [0x2e >> 3] = EMUL_SEG_CS,
					  [0x36 >> 3] = EMUL_SEG_SS, [0x3e >> 3] = EMUL_SEG_DS };
	struct emul_insn *o = d->o;
	uint8_t b;
	int err;

	for (;;) {
		if ((err = next(d, &b)))
			return err;
		if (d->o->mode == EMUL_MODE64 && (b & 0xf0) == 0x40) {
			d->rex = b; /* a legacy prefix after it makes it void: reset below */
			continue;
		}
		switch (b) {
		case 0x66: d->opsize66 = true; break;
		case 0x67: d->addr67 = true; break;
		case 0xf0: o->lock = true; break;
		case 0xf2: case 0xf3: break; /* no string form among the emulated instructions */
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			if (o->mode != EMUL_MODE64) /* 64-bit mode ignores them (SDM Vol 1 3.3.7.1) */
				o->seg = seg_of[b >> 3];
			break;
		case 0x64: o->seg = EMUL_SEG_FS; break;
		case 0x65: o->seg = EMUL_SEG_GS; break;
		default:
			*opcode = b;
			return EMUL_OK;
		}
		d->rex = 0;
	}
}

static void sizes(struct dec *d)
{
	struct emul_insn *o = d->o;

	switch (o->mode) {
	case EMUL_MODE64:
		d->opsize = (d->rex & REX_W) ? 8 : d->opsize66 ? 2 : 4;
		o->addr_size = d->addr67 ? 4 : 8;
		break;
	case EMUL_MODE32:
		d->opsize = d->opsize66 ? 2 : 4;
		o->addr_size = d->addr67 ? 2 : 4;
		break;
	default:
		d->opsize = d->opsize66 ? 4 : 2;
		o->addr_size = d->addr67 ? 4 : 2;
		break;
	}
}

/* 16-bit addressing, SDM Vol 2A 2.1.5 table 2-1. */
static int modrm16(struct dec *d, uint8_t mod, uint8_t rm)
{
	/* BX=3, BP=5, SI=6, DI=7 */
	static const uint8_t base[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };
	static const uint8_t index[8] = { 6, 7, 6, 7, EMUL_NO_REG, EMUL_NO_REG, EMUL_NO_REG, EMUL_NO_REG };
	struct emul_insn *o = d->o;

	o->base = base[rm];
	o->index = index[rm];
	if (mod == 0 && rm == 6) {
		o->base = EMUL_NO_REG;
		return next_signed(d, 2, &o->disp);
	}
	if (o->seg == EMUL_SEG_DS && o->base == 5)
		o->seg = EMUL_SEG_SS; /* BP-based: SS by default (SDM Vol 1 3.7.5) */
	return mod == 1 ? next_signed(d, 1, &o->disp) : mod == 2 ? next_signed(d, 2, &o->disp) : EMUL_OK;
}

/* 32/64-bit addressing with SIB, SDM Vol 2A 2.1.5 tables 2-2 and 2-3, RIP-relative 2.2.1.6. */
static int modrm32(struct dec *d, uint8_t mod, uint8_t rm, bool *segdef_ss)
{
	struct emul_insn *o = d->o;
	uint8_t sib;
	int err;

	if (rm == 4) {
		if ((err = next(d, &sib)))
			return err;
		o->scale = (uint8_t)(1u << (sib >> 6));
		o->index = (uint8_t)(((sib >> 3) & 7) | ((d->rex & REX_X) ? 8 : 0));
		if (o->index == 4)
			o->index = EMUL_NO_REG;
		if ((sib & 7) == 5 && mod == 0) {
			o->base = EMUL_NO_REG;
			return next_signed(d, 4, &o->disp);
		}
		o->base = (uint8_t)((sib & 7) | ((d->rex & REX_B) ? 8 : 0));
	} else if (rm == 5 && mod == 0) {
		o->base = EMUL_NO_REG;
		o->rip_rel = o->mode == EMUL_MODE64;
		return next_signed(d, 4, &o->disp);
	} else {
		o->base = (uint8_t)(rm | ((d->rex & REX_B) ? 8 : 0));
	}
	*segdef_ss = o->base == 4 || o->base == 5; /* ESP/EBP as base: SS (SDM Vol 1 3.7.5) */
	return mod == 1 ? next_signed(d, 1, &o->disp) : mod == 2 ? next_signed(d, 4, &o->disp) : EMUL_OK;
}

/* ModRM and what follows it up to the immediate; *reg gets the reg field with REX.R. */
static int modrm(struct dec *d, uint8_t *reg)
{
	struct emul_insn *o = d->o;
	uint8_t m, mod, rm;
	bool ss = false;
	int err;

	if ((err = next(d, &m)))
		return err;
	mod = m >> 6;
	rm = m & 7;
	*reg = (uint8_t)(((m >> 3) & 7) | ((d->rex & REX_R) ? 8 : 0));
	if (mod == 3)
		return EMUL_ERR_NO_MEMORY;
	if (o->addr_size == 2)
		return modrm16(d, mod, rm);
	if ((err = modrm32(d, mod, rm, &ss)))
		return err;
	if (ss && o->seg == EMUL_SEG_DS)
		o->seg = EMUL_SEG_SS;
	return EMUL_OK;
}

/* The register operand of size `size`: AH-BH for 4-7 at byte size without REX (SDM Vol 2A 2.1.5 table 2-2 note, 2.2.1.2). */
static void set_reg(struct dec *d, uint8_t reg, unsigned size)
{
	d->o->reg = reg;
	d->o->reg_size = (uint8_t)size;
	d->o->high8 = size == 1 && !d->rex && reg >= 4 && reg <= 7;
}

/* An immediate of `n` bytes sign-extended (ib, iw, id; an id with REX.W is sign-extended to 64). */
static int imm(struct dec *d, unsigned n)
{
	return next_signed(d, n, (int64_t *)&d->o->imm);
}

/* iz: imm16 for 16-bit operands, else imm32 (SDM Vol 2A A.2.2). */
static unsigned iz(const struct dec *d)
{
	return d->opsize == 2 ? 2 : 4;
}

/* Forms "op r/m, reg" and "op reg, r/m" of one-byte opcodes: `byte` for even opcodes. */
static int rm_reg(struct dec *d, uint8_t opcode, uint8_t kind)
{
	unsigned size = (opcode & 1) ? d->opsize : 1;
	uint8_t reg;
	int err;

	d->o->kind = kind;
	d->o->mem_size = (uint8_t)size;
	if ((err = modrm(d, &reg)))
		return err;
	set_reg(d, reg, size);
	return EMUL_OK;
}

/* Group 1 (80, 81, 82, 83): /reg is the operation, the source an immediate. */
static int group1(struct dec *d, uint8_t opcode)
{
	struct emul_insn *o = d->o;
	unsigned size = opcode == 0x81 || opcode == 0x83 ? d->opsize : 1;
	uint8_t reg;
	int err;

	if (opcode == 0x82 && o->mode == EMUL_MODE64)
		return EMUL_ERR_UNKNOWN; /* invalid in 64-bit mode, SDM Vol 2D A.3 table A-2 */
	o->kind = EMUL_ALU;
	o->mem_size = (uint8_t)size;
	if ((err = modrm(d, &reg)))
		return err;
	o->op = reg & 7;
	o->reg = EMUL_NO_REG;
	return imm(d, opcode == 0x81 ? iz(d) : 1);
}

/* C6 /0, C7 /0 (MOV r/m, imm) and F6 /0, F7 /0 (TEST r/m, imm); other /reg values are not handled. */
static int rm_imm(struct dec *d, uint8_t opcode, uint8_t kind)
{
	struct emul_insn *o = d->o;
	unsigned size = (opcode & 1) ? d->opsize : 1;
	uint8_t reg;
	int err;

	o->kind = kind;
	o->mem_size = (uint8_t)size;
	o->reg = EMUL_NO_REG;
	if ((err = modrm(d, &reg)))
		return err;
	if ((reg & 7) != 0)
		return EMUL_ERR_UNKNOWN;
	if (kind == EMUL_TEST)
		o->op = ALU_AND;
	return imm(d, size == 1 ? 1 : iz(d));
}

/* A0-A3: MOV between AL/eAX and the memory at an address-size offset (SDM Vol 2B MOV, note on moffs). */
static int moffs(struct dec *d, uint8_t opcode)
{
	struct emul_insn *o = d->o;
	unsigned size = (opcode & 1) ? d->opsize : 1;
	int64_t off;
	int err;

	o->kind = opcode & 2 ? EMUL_STORE : EMUL_LOAD;
	o->mem_size = (uint8_t)size;
	set_reg(d, 0, size);
	o->base = o->index = EMUL_NO_REG;
	if ((err = next_signed(d, o->addr_size, &off)))
		return err;
	o->disp = o->addr_size == 8 ? off : (int64_t)((uint64_t)off & ((1ull << (8 * o->addr_size)) - 1));
	return EMUL_OK;
}

/* Two-byte opcodes 0F xx: MOVZX/MOVSX and the bit tests. */
static int twobyte(struct dec *d)
{
	struct emul_insn *o = d->o;
	uint8_t op, reg;
	int err;

	if ((err = next(d, &op)))
		return err;
	switch (op) {
	case 0xb6: case 0xb7: case 0xbe: case 0xbf: /* MOVZX, MOVSX r, r/m8 or r/m16 */
		o->kind = EMUL_LOAD;
		o->sign_extend = op >= 0xbe;
		o->mem_size = (op & 1) ? 2 : 1;
		if ((err = modrm(d, &reg)))
			return err;
		set_reg(d, reg, d->opsize);
		return EMUL_OK;
	case 0xa3: case 0xab: case 0xb3: case 0xbb: /* BT, BTS, BTR, BTC r/m, r */
		o->op = (op >> 3) & 3;
		return rm_reg(d, 1, EMUL_BT);
	case 0xba: /* group 8: BT, BTS, BTR, BTC r/m, imm8 (/4-/7) */
		o->kind = EMUL_BT;
		o->mem_size = d->opsize;
		o->reg = EMUL_NO_REG;
		if ((err = modrm(d, &reg)))
			return err;
		if ((reg & 7) < 4)
			return EMUL_ERR_UNKNOWN;
		o->op = (reg & 7) - 4;
		return imm(d, 1);
	default:
		return EMUL_ERR_UNKNOWN;
	}
}

static int opcode(struct dec *d, uint8_t op)
{
	struct emul_insn *o = d->o;

	if (op < 0x40 && (op & 7) < 4) { /* ADD OR ADC SBB AND SUB XOR CMP, SDM Vol 2D table A-2 rows 0-3 */
		o->op = op >> 3;
		o->reg_is_dst = op & 2;
		return rm_reg(d, op, EMUL_ALU);
	}
	switch (op) {
	case 0x80: case 0x81: case 0x82: case 0x83: return group1(d, op);
	case 0x84: case 0x85: o->op = ALU_AND; return rm_reg(d, op, EMUL_TEST);
	case 0x86: case 0x87: return rm_reg(d, op, EMUL_XCHG);
	case 0x88: case 0x89: return rm_reg(d, op, EMUL_STORE);
	case 0x8a: case 0x8b: return rm_reg(d, op, EMUL_LOAD);
	case 0xa0: case 0xa1: case 0xa2: case 0xa3: return moffs(d, op);
	case 0xc6: case 0xc7: return rm_imm(d, op, EMUL_STORE);
	case 0xf6: case 0xf7: return rm_imm(d, op, EMUL_TEST);
	case 0x0f: return twobyte(d);
	default: return EMUL_ERR_UNKNOWN;
	}
}

int emul_decode(const uint8_t *bytes, size_t avail, enum emul_mode mode, struct emul_insn *out)
{
	struct dec d = { .b = bytes, .avail = avail, .o = out };
	uint8_t op;
	int err;

	memset(out, 0, sizeof(*out));
	out->mode = (uint8_t)mode;
	out->seg = EMUL_SEG_DS;
	out->base = out->index = out->reg = EMUL_NO_REG;
	out->scale = 1;
	err = prefixes(&d, &op);
	if (!err) {
		sizes(&d);
		err = opcode(&d, op);
	}
	out->len = (uint8_t)d.pos;
	return err;
}

const char *emul_err_name(int err)
{
	switch (err) {
	case EMUL_OK: return "ok";
	case EMUL_ERR_UNKNOWN: return "instruction not emulated";
	case EMUL_ERR_TOO_LONG: return "longer than 15 bytes";
	case EMUL_ERR_TRUNCATED: return "runs past the bytes that could be fetched";
	case EMUL_ERR_NO_MEMORY: return "no memory operand";
	default: return "?";
	}
}
