/* The MMIO instruction emulator: decoded instructions, the decoder and the executor (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_EMUL_INSN_H
#define HYPERVISOR_EMUL_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hypervisor/vcpu_regs.h"

/*
 * The emulator handles the instructions a guest uses on device memory: the
 * ones that fault in EPT/NPT because their memory operand is an emulated
 * MMIO register. It decodes one instruction from bytes the caller fetched at
 * CS:RIP, says which memory access it makes (linear address, size,
 * direction), performs it through the caller's read/write callbacks, and
 * applies its effects on the general registers, RFLAGS and RIP.
 *
 * Supported (SDM Vol 2 opcode map, appendix A): MOV 88/89/8A/8B, C6 /0,
 * C7 /0, A0-A3 (moffs); MOVZX 0F B6/B7, MOVSX 0F BE/BF; ADD/OR/ADC/SBB/AND/
 * SUB/XOR/CMP in the r/m,reg and reg,r/m forms (00-3B) and group 1 (80, 81,
 * 82 outside 64-bit mode, 83); TEST 84/85 and F6/F7 /0; XCHG 86/87; BT/BTS/
 * BTR/BTC 0F A3/AB/B3/BB and 0F BA /4-/7. Prefixes: 66, 67, segment
 * overrides, LOCK, F2/F3 (ignored: none of these instructions has a string
 * form), REX. STOS/MOVS are not emulated: Linux's readX/writeX and the APIC,
 * IOAPIC and virtio-mmio drivers use single MOVs (and XCHG for the APIC on
 * CPUs with erratum 11AP), never string instructions, on these registers.
 */

#define EMUL_INSN_MAX 15 /* SDM Vol 2A 2.3.11: longer is #GP */

enum emul_mode { EMUL_MODE16 = 0, EMUL_MODE32, EMUL_MODE64 };

enum emul_kind {
	EMUL_STORE,   /* memory <- register or immediate */
	EMUL_LOAD,    /* register <- memory (zero- or sign-extended for MOVZX/MOVSX) */
	EMUL_ALU,     /* memory op= source, or register op= memory; flags */
	EMUL_TEST,    /* flags of memory AND source; nothing written */
	EMUL_XCHG,    /* register <-> memory */
	EMUL_BT,      /* CF <- bit of memory; BTS/BTR/BTC write it back */
};

enum emul_alu { ALU_ADD = 0, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };
enum emul_bitop { BIT_BT = 0, BIT_BTS, BIT_BTR, BIT_BTC };

/* Segment registers in their SDM Vol 2A 3.4.2.1 (Sreg) order. */
enum emul_seg { EMUL_SEG_ES = 0, EMUL_SEG_CS, EMUL_SEG_SS, EMUL_SEG_DS, EMUL_SEG_FS, EMUL_SEG_GS };

#define EMUL_NO_REG 0xff

struct emul_insn {
	uint8_t bytes[EMUL_INSN_MAX];
	uint8_t len;
	uint8_t mode;        /* enum emul_mode it was decoded in */
	uint8_t kind;        /* enum emul_kind */
	uint8_t op;          /* enum emul_alu for EMUL_ALU, enum emul_bitop for EMUL_BT */
	uint8_t mem_size;    /* bytes of the memory operand: 1, 2, 4 or 8 */
	uint8_t reg_size;    /* bytes of the register operand (MOVZX/MOVSX: the destination) */
	bool sign_extend;    /* EMUL_LOAD: MOVSX */
	bool reg_is_dst;     /* EMUL_ALU: the register is the destination (02, 03, ...) */
	uint8_t reg;         /* register operand, x86 number 0-15, or EMUL_NO_REG for an immediate */
	bool high8;          /* reg 4-7 name AH, CH, DH, BH (byte operand, no REX) */
	uint64_t imm;        /* the immediate, sign-extended to 64 bits where the SDM says so */
	bool lock;
	/* The memory operand: seg:[base + index * scale + disp], or rip-relative, or moffs. */
	uint8_t seg;         /* enum emul_seg after overrides */
	uint8_t base, index; /* register numbers, or EMUL_NO_REG */
	uint8_t scale;       /* 1, 2, 4, 8 */
	uint8_t addr_size;   /* 2, 4 or 8 */
	bool rip_rel;
	int64_t disp;
};

enum emul_err {
	EMUL_OK = 0,
	EMUL_ERR_UNKNOWN,    /* an opcode (or a form of it) this emulator does not handle */
	EMUL_ERR_TOO_LONG,   /* more than 15 bytes */
	EMUL_ERR_TRUNCATED,  /* the instruction continues past the bytes that could be fetched */
	EMUL_ERR_NO_MEMORY,  /* a register-only form (mod = 3): it cannot be what faulted */
};

const char *emul_err_name(int err);

/* The mode of the code the vCPU runs: CR0.PE, RFLAGS.VM, EFER.LMA with CS.L, CS.D (SDM Vol 3A 2.2, 5.2.1). */
enum emul_mode emul_mode_of(const struct vcpu_regs *r);

/* Decodes the instruction at the start of bytes[0..avail). EMUL_OK or an enum emul_err; `out` is filled either way. */
int emul_decode(const uint8_t *bytes, size_t avail, enum emul_mode mode, struct emul_insn *out);

/*
 * The linear address the instruction accesses: segment base (FS and GS only,
 * in 64-bit mode) + effective address truncated to the address size. For
 * BT with a register bit offset this includes the bit string's byte offset
 * (SDM Vol 2A 3.1.1.9), i.e. it is the address the access really touches.
 */
uint64_t emul_linear(const struct emul_insn *in, const struct vcpu_regs *r);

/* The device side of the one memory access; `size` is in->mem_size. */
struct emul_bus {
	uint64_t (*read)(void *ctx, unsigned size);
	void (*write)(void *ctx, unsigned size, uint64_t value);
	void *ctx;
};

/*
 * Performs the instruction: at most one read and one write through `bus`,
 * then the register, RFLAGS (arithmetic flags only) and RIP effects on `r`.
 * It cannot fail on a decoded instruction.
 */
void emul_execute(const struct emul_insn *in, struct vcpu_regs *r, const struct emul_bus *bus);

/* Arithmetic of the ALU ops at `size` bytes: returns the result, updates OF SF ZF AF PF CF in *rflags. */
uint64_t emul_alu_op(unsigned op, unsigned size, uint64_t a, uint64_t b, uint64_t *rflags);

#endif
