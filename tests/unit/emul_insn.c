/* Host unit tests of the MMIO instruction emulator against a table of encodings from the SDM's opcode map. */
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

/*
 * Each row is one instruction written as the SDM writes it, its bytes as
 * hex (SDM Vol 2D appendix A opcode map, Vol 2A 2.1 ModRM/SIB tables), and
 * what it must do starting from the registers of std_regs(): the linear
 * address, size and direction of its one access, the value written, the
 * register it changes and its new value, the arithmetic flags after, the
 * length. Every expected value is worked out by hand from the SDM.
 */

/* RFLAGS, SDM Vol 1 3.4.3.1. */
#define CF 0x001ull
#define PF 0x004ull
#define AF 0x010ull
#define ZF 0x040ull
#define SF 0x080ull
#define OF 0x800ull
#define ARITH (CF | PF | AF | ZF | SF | OF)

enum { M16 = 0, M32 = 1, M64 = 2 };              /* enum emul_mode's values */
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15, NONE = -1 };

struct row {
	const char *text;
	int mode;
	const char *hex;
	int err;             /* 0 = ok, else the enum emul_err value expected */
	unsigned len, size;
	char acc;            /* 'r' read, 'w' write, 'm' read then write */
	uint64_t la, dev, wval;
	int reg;
	uint64_t regval;
	uint64_t fl_in, fl_out;
};

#define ROW(t, m, h, l, s, a, la_, d, w, r, rv, fi, fo) \
	{ t, m, h, 0, l, s, a, la_, d, w, r, rv, fi, fo }
#define BAD(t, m, h, e) { t, m, h, e, 0, 0, 0, 0, 0, 0, NONE, 0, 0, 0 }

static const struct row rows[] = {
	/* MOV 88/89/8A/8B (SDM Vol 2B MOV) */
	ROW("mov [rbx], eax", M64, "89 03", 2, 4, 'w', 0xfee00000, 0, 0x44332211, NONE, 0, 0, 0),
	ROW("mov eax, [rbx]", M64, "8b 03", 2, 4, 'r', 0xfee00000, 0xdeadbeef, 0, RAX, 0xdeadbeef, 0, 0),
	ROW("mov rax, [rbx]", M64, "48 8b 03", 3, 8, 'r', 0xfee00000, 0x0123456789abcdef, 0, RAX, 0x0123456789abcdef, 0, 0),
	ROW("mov ax, [rbx]", M64, "66 8b 03", 3, 2, 'r', 0xfee00000, 0xbeef, 0, RAX, 0x887766554433beef, 0, 0),
	ROW("mov al, [rbx]", M64, "8a 03", 2, 1, 'r', 0xfee00000, 0x5a, 0, RAX, 0x887766554433225a, 0, 0),
	ROW("mov ah, [rbx]", M64, "8a 23", 2, 1, 'r', 0xfee00000, 0x5a, 0, RAX, 0x8877665544335a11, 0, 0),
	ROW("mov spl, [rbx]", M64, "40 8a 23", 3, 1, 'r', 0xfee00000, 0x5a, 0, RSP, 0x705a, 0, 0),
	ROW("mov [rbx], dh", M64, "88 33", 2, 1, 'w', 0xfee00000, 0, 0x32, NONE, 0, 0, 0),
	ROW("mov [rbx+rcx*4+0x20], edx", M64, "89 54 8b 20", 4, 4, 'w', 0xfee00060, 0, 0x76543210, NONE, 0, 0, 0),
	ROW("mov r9d, [r12+0x30]", M64, "45 8b 4c 24 30", 5, 4, 'r', 0xfee00030, 0xcafef00d, 0, R9, 0xcafef00d, 0, 0),
	ROW("mov [r13+0], r10", M64, "4d 89 55 00", 4, 8, 'w', 0xfee00010, 0, 0x1010101010101010, NONE, 0, 0, 0),
	ROW("mov [r8+r9*8-0x10], r11w", M64, "66 47 89 5c c8 f0", 6, 2, 'w', 0xfec00010, 0, 0xbbbb, NONE, 0, 0, 0),
	ROW("mov eax, [rip+0x1000]", M64, "8b 05 00 10 00 00", 6, 4, 'r', 0x101006, 0x11, 0, RAX, 0x11, 0, 0),
	ROW("mov eax, [0xfee00300] (SIB, no base)", M64, "8b 04 25 00 03 e0 fe", 7, 4, 'r', 0xfffffffffee00300, 1, 0, RAX, 1, 0, 0),
	ROW("mov eax, [ebx] (67: 32-bit address)", M64, "67 8b 03", 3, 4, 'r', 0xfee00000, 2, 0, RAX, 2, 0, 0),
	ROW("mov eax, fs:[rbx]", M64, "64 8b 03", 3, 4, 'r', 0xfee01000, 3, 0, RAX, 3, 0, 0),
	ROW("mov eax, gs:[rbx]", M64, "65 8b 03", 3, 4, 'r', 0xfee02000, 3, 0, RAX, 3, 0, 0),
	ROW("mov eax, es:[rbx] (ignored in 64-bit mode)", M64, "26 8b 03", 3, 4, 'r', 0xfee00000, 3, 0, RAX, 3, 0, 0),
	ROW("mov eax, [rbp+8] (no SS base in 64-bit mode)", M64, "8b 45 08", 3, 4, 'r', 0xfee00108, 3, 0, RAX, 3, 0, 0),
	ROW("REX then 66: REX ignored", M64, "48 66 8b 03", 4, 2, 'r', 0xfee00000, 0x1234, 0, RAX, 0x8877665544331234, 0, 0),
	ROW("rep mov [rbx], eax (F3 ignored)", M64, "f3 89 03", 3, 4, 'w', 0xfee00000, 0, 0x44332211, NONE, 0, 0, 0),
	ROW("mov eax, [rbx] after 13 prefixes (15 bytes)", M64, "66 66 66 66 66 66 66 66 66 66 66 66 2e 8b 03", 15, 2,
	    'r', 0xfee00000, 0x4321, 0, RAX, 0x8877665544334321, 0, 0),
	/* MOV C6/C7 */
	ROW("mov dword [rbx+0x300], 0x12345678", M64, "c7 83 00 03 00 00 78 56 34 12", 10, 4, 'w', 0xfee00300, 0,
	    0x12345678, NONE, 0, 0, 0),
	ROW("mov qword [rbx], -2", M64, "48 c7 03 fe ff ff ff", 7, 8, 'w', 0xfee00000, 0, 0xfffffffffffffffe, NONE, 0, 0, 0),
	ROW("mov byte [rbx], 0x80", M64, "c6 03 80", 3, 1, 'w', 0xfee00000, 0, 0x80, NONE, 0, 0, 0),
	ROW("mov word [rbx], 0x1234", M64, "66 c7 03 34 12", 5, 2, 'w', 0xfee00000, 0, 0x1234, NONE, 0, 0, 0),
	/* MOVZX/MOVSX 0F B6/B7/BE/BF */
	ROW("movzx eax, byte [rbx]", M64, "0f b6 03", 3, 1, 'r', 0xfee00000, 0xff, 0, RAX, 0xff, 0, 0),
	ROW("movzx eax, word [rbx]", M64, "0f b7 03", 3, 2, 'r', 0xfee00000, 0x8001, 0, RAX, 0x8001, 0, 0),
	ROW("movsx eax, byte [rbx]", M64, "0f be 03", 3, 1, 'r', 0xfee00000, 0x80, 0, RAX, 0xffffff80, 0, 0),
	ROW("movsx rax, word [rbx]", M64, "48 0f bf 03", 4, 2, 'r', 0xfee00000, 0x8001, 0, RAX, 0xffffffffffff8001, 0, 0),
	ROW("movsx ax, byte [rbx]", M64, "66 0f be 03", 4, 1, 'r', 0xfee00000, 0xfe, 0, RAX, 0x887766554433fffe, 0, 0),
	/* MOV A0-A3 (moffs) */
	ROW("mov eax, [moffs64 0xfee00020]", M64, "a1 20 00 e0 fe 00 00 00 00", 9, 4, 'r', 0xfee00020, 0x77, 0, RAX,
	    0x77, 0, 0),
	ROW("mov [moffs32 0xfee00030], al", M64, "67 a2 30 00 e0 fe", 6, 1, 'w', 0xfee00030, 0, 0x11, NONE, 0, 0, 0),
	ROW("mov rax, [moffs64]", M64, "48 a1 00 00 e0 fe 00 00 00 00", 10, 8, 'r', 0xfee00000, 5, 0, RAX, 5, 0, 0),
	/* Group 1 80/81/83 and the r/m,reg forms (SDM Vol 2A ADD, OR, ADC, SBB, AND, SUB, XOR, CMP) */
	ROW("or dword [rbx], 0x100", M64, "81 0b 00 01 00 00", 6, 4, 'm', 0xfee00000, 1, 0x101, NONE, 0, 0, 0),
	ROW("and dword [rbx], 0xfffffffe", M64, "83 23 fe", 3, 4, 'm', 0xfee00000, 1, 0, NONE, 0, CF | OF, ZF | PF),
	ROW("add dword [rbx], 1 (carry out)", M64, "83 03 01", 3, 4, 'm', 0xfee00000, 0xffffffff, 0, NONE, 0, 0,
	    CF | ZF | AF | PF),
	ROW("add dword [rbx], 1 (overflow)", M64, "83 03 01", 3, 4, 'm', 0xfee00000, 0x7fffffff, 0x80000000, NONE, 0, 0,
	    OF | SF | AF | PF),
	ROW("sub byte [rbx], 1", M64, "80 2b 01", 3, 1, 'm', 0xfee00000, 0, 0xff, NONE, 0, 0, CF | SF | AF | PF),
	ROW("cmp dword [rbx], 5", M64, "83 3b 05", 3, 4, 'r', 0xfee00000, 5, 0, NONE, 0, CF, ZF | PF),
	ROW("cmp eax, [rbx]", M64, "3b 03", 2, 4, 'r', 0xfee00000, 0x44332212, 0, NONE, 0, 0, CF | SF | AF | PF),
	ROW("xor [rbx], al", M64, "30 03", 2, 1, 'm', 0xfee00000, 0x11, 0, NONE, 0, 0, ZF | PF),
	ROW("add eax, [rbx]", M64, "03 03", 2, 4, 'r', 0xfee00000, 0x11111111, 0, RAX, 0x55443322, 0, PF),
	ROW("adc dword [rbx], 0 (CF=1)", M64, "83 13 00", 3, 4, 'm', 0xfee00000, 0x10, 0x11, NONE, 0, CF, PF),
	ROW("sbb dword [rbx], 0 (CF=1)", M64, "83 1b 00", 3, 4, 'm', 0xfee00000, 0, 0xffffffff, NONE, 0, CF,
	    CF | SF | AF | PF),
	ROW("sub qword [rbx], 1", M64, "48 83 2b 01", 4, 8, 'm', 0xfee00000, 0x8000000000000000, 0x7fffffffffffffff,
	    NONE, 0, 0, OF | AF | PF),
	ROW("and [rbx], r14", M64, "4c 21 33", 3, 8, 'm', 0xfee00000, 0x8000, 0x8000, NONE, 0, 0, PF),
	ROW("or al, [rbx]", M64, "0a 03", 2, 1, 'r', 0xfee00000, 0x80, 0, RAX, 0x8877665544332291, 0, SF),
	ROW("lock or dword [rbx], 1", M64, "f0 83 0b 01", 4, 4, 'm', 0xfee00000, 0x100, 0x101, NONE, 0, 0, 0),
	/* TEST 84/85, F6/F7 /0 */
	ROW("test dword [rbx], 4", M64, "f7 03 04 00 00 00", 6, 4, 'r', 0xfee00000, 4, 0, NONE, 0, CF | OF, 0),
	ROW("test [rbx], dl", M64, "84 13", 2, 1, 'r', 0xfee00000, 1, 0, NONE, 0, 0, ZF | PF),
	ROW("test byte [rbx], 0x80", M64, "f6 03 80", 3, 1, 'r', 0xfee00000, 0x81, 0, NONE, 0, 0, SF),
	/* XCHG 86/87 */
	ROW("xchg [rbx], eax", M64, "87 03", 2, 4, 'm', 0xfee00000, 0xabcdef01, 0x44332211, RAX, 0xabcdef01, 0, 0),
	ROW("lock xchg [rbx], ecx", M64, "f0 87 0b", 3, 4, 'm', 0xfee00000, 7, 0x10, RCX, 7, 0, 0),
	ROW("xchg [rbx], dl", M64, "86 13", 2, 1, 'm', 0xfee00000, 0xaa, 0x10, RDX, 0xfedcba98765432aa, 0, 0),
	/* BT/BTS/BTR/BTC (SDM Vol 2A BT: CF gets the bit) */
	ROW("bt dword [rbx], 5", M64, "0f ba 23 05", 4, 4, 'r', 0xfee00000, 0x20, 0, NONE, 0, 0, CF),
	ROW("bts dword [rbx], 1", M64, "0f ba 2b 01", 4, 4, 'm', 0xfee00000, 0, 2, NONE, 0, CF, 0),
	ROW("btr dword [rbx], ecx", M64, "0f b3 0b", 3, 4, 'm', 0xfee00000, 0x10000, 0, NONE, 0, 0, CF),
	ROW("btc dword [rbx], 33 (imm masked to 1)", M64, "0f ba 3b 21", 4, 4, 'm', 0xfee00000, 0, 2, NONE, 0, 0, 0),
	ROW("bt dword [rbx], r15d (bit string: +0x1c, bit 31)", M64, "44 0f a3 3b", 4, 4, 'r', 0xfee0001c, 0x80000000, 0,
	    NONE, 0, 0, CF),
	ROW("bt dword [rbx], r14d (offset -1: -4, bit 31)", M64, "44 0f a3 33", 4, 4, 'r', 0xfedffffc, 0x80000000, 0,
	    NONE, 0, 0, CF),
	/* 32-bit code (CS.D = 1): segment bases apply, 48 is DEC, 67 gives 16-bit addresses */
	ROW("mov [ebx], eax", M32, "89 03", 2, 4, 'w', 0xfee00000, 0, 0x44332211, NONE, 0, 0, 0),
	ROW("mov eax, es:[ebx]", M32, "26 8b 03", 3, 4, 'r', 0xfee10000, 9, 0, RAX, 9, 0, 0),
	ROW("mov [ebp+8], eax (SS)", M32, "89 45 08", 3, 4, 'w', 0xfee00208, 0, 0x44332211, NONE, 0, 0, 0),
	ROW("mov [esp], eax (SS)", M32, "89 04 24", 3, 4, 'w', 0x7100, 0, 0x44332211, NONE, 0, 0, 0),
	ROW("mov eax, [0xfee00300]", M32, "8b 05 00 03 e0 fe", 6, 4, 'r', 0xfee00300, 1, 0, RAX, 1, 0, 0),
	ROW("mov ax, [ebx]", M32, "66 8b 03", 3, 2, 'r', 0xfee00000, 0xbeef, 0, RAX, 0x887766554433beef, 0, 0),
	ROW("mov eax, [bx+si]", M32, "67 8b 00", 3, 4, 'r', 0x200, 1, 0, RAX, 1, 0, 0),
	ROW("mov eax, [moffs32]", M32, "a1 40 00 e0 fe", 5, 4, 'r', 0xfee00040, 6, 0, RAX, 6, 0, 0),
	ROW("adc byte [ebx], 0x7f (82 /2, valid outside 64-bit mode)", M32, "82 13 7f", 3, 1, 'm', 0xfee00000, 0, 0x80,
	    NONE, 0, CF, SF | OF | AF),
	/* 16-bit code (real mode): default 16-bit operands and addresses, 66/67 switch to 32 */
	ROW("mov [bp+di+0x10], al (SS)", M16, "88 43 10", 3, 1, 'w', 0x510, 0, 0x11, NONE, 0, 0, 0),
	ROW("mov eax, [bx+2]", M16, "66 8b 47 02", 4, 4, 'r', 0x2, 0x12345678, 0, RAX, 0x12345678, 0, 0),
	ROW("mov ax, [0x1234]", M16, "8b 06 34 12", 4, 2, 'r', 0x1234, 0xffff, 0, RAX, 0x887766554433ffff, 0, 0),
	ROW("mov [ebx], eax (66 67)", M16, "66 67 89 03", 4, 4, 'w', 0xfee00000, 0, 0x44332211, NONE, 0, 0, 0),
	ROW("mov [si-1], ax", M16, "89 44 ff", 3, 2, 'w', 0x1ff, 0, 0x2211, NONE, 0, 0, 0),
	ROW("mov ax, [bx+si+0xfe00] (wraps)", M16, "8b 80 00 fe", 4, 2, 'r', 0x0000, 1, 0, RAX, 0x8877665544330001, 0, 0),
	/* What it refuses */
	BAD("mov eax, ebx (no memory operand)", M64, "8b c3", EMUL_ERR_NO_MEMORY),
	BAD("16 bytes: 14 prefixes + 8b 03", M64, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 8b 03", EMUL_ERR_TOO_LONG),
	BAD("not byte [rbx] (F6 /2)", M64, "f6 13", EMUL_ERR_UNKNOWN),
	BAD("ud2", M64, "0f 0b", EMUL_ERR_UNKNOWN),
	BAD("82 in 64-bit mode", M64, "82 03 01", EMUL_ERR_UNKNOWN),
	BAD("movsb", M64, "a4", EMUL_ERR_UNKNOWN),
	BAD("stosd", M64, "ab", EMUL_ERR_UNKNOWN),
	BAD("C6 /1", M64, "c6 0b 01", EMUL_ERR_UNKNOWN),
	BAD("0F BA /0", M64, "0f ba 03 01", EMUL_ERR_UNKNOWN),
	BAD("dec eax in 32-bit code (not a REX)", M32, "48 8b 03", EMUL_ERR_UNKNOWN),
	BAD("vmovdqu (VEX)", M64, "c5 fe 6f 03", EMUL_ERR_UNKNOWN),
	BAD("mov dword [rbx+disp32], imm32 cut short", M64, "c7 83 00 03 00 00 78 56", EMUL_ERR_TRUNCATED),
	BAD("only prefixes", M64, "66 67 f0", EMUL_ERR_TRUNCATED),
	BAD("nothing", M64, "", EMUL_ERR_TRUNCATED),
};

static size_t parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	char *end;

	while (*s && n < max) {
		unsigned long v = strtoul(s, &end, 16);
		if (end == s)
			break;
		out[n++] = (uint8_t)v;
		s = end;
	}
	return n;
}

static void std_regs(struct vcpu_regs *r, int mode)
{
	memset(r, 0, sizeof(*r));
	r->rax = 0x8877665544332211ull;
	r->rcx = 0x10;
	r->rdx = 0xfedcba9876543210ull;
	r->rbx = 0xfee00000;
	r->rsp = 0x7000;
	r->rbp = 0xfee00100;
	r->rsi = 0xfee00200;
	r->rdi = 0xfee00300;
	r->r8 = 0xfec00000;
	r->r9 = 4;
	r->r10 = 0x1010101010101010ull;
	r->r11 = 0xbbbb;
	r->r12 = 0xfee00000;
	r->r13 = 0xfee00010;
	r->r14 = 0xffffffffffffffffull;
	r->r15 = 0xff;
	r->rip = mode == M16 ? 0x0100 : 0x100000;
	r->rflags = 0x2;
	r->es.base = 0x10000;
	r->ss.base = 0x100;
	r->fs.base = 0x1000;
	r->gs.base = 0x2000;
}

/* The fake device: one access of each kind at most, recorded. */
struct fake {
	uint64_t dev;
	int reads, writes;
	unsigned rsize, wsize;
	uint64_t wval;
	char order[3];
};

static uint64_t fake_read(void *ctx, unsigned size)
{
	struct fake *f = ctx;

	f->reads++;
	f->rsize = size;
	strncat(f->order, "r", 2);
	return f->dev;
}

static void fake_write(void *ctx, unsigned size, uint64_t value)
{
	struct fake *f = ctx;

	f->writes++;
	f->wsize = size;
	f->wval = value;
	strncat(f->order, "w", 2);
}

static uint64_t *gpr(struct vcpu_regs *r, int i)
{
	return vcpu_gpr(r, (unsigned)i);
}

/* Names the row and the expression when a value differs. */
#define EQ(a, b)                                                                                       \
	do {                                                                                           \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);          \
		if (a_ != b_)                                                                          \
			fail_msg("%s: %s is %#llx, expected %#llx", w->text, #a, a_, b_);              \
	} while (0)

static void check_row(const struct row *w)
{
	uint8_t bytes[32];
	size_t n = parse_hex(w->hex, bytes, sizeof(bytes));
	struct emul_insn in;
	struct vcpu_regs r, before;
	struct fake f = { .dev = w->dev };
	const struct emul_bus bus = { fake_read, fake_write, &f };
	int err = emul_decode(bytes, n, (enum emul_mode)w->mode, &in);

	EQ(err, w->err);
	if (w->err)
		return;
	EQ(in.len, w->len);
	EQ(in.mem_size, w->size);
	EQ(memcmp(in.bytes, bytes, w->len), 0);
	std_regs(&r, w->mode);
	r.rflags |= w->fl_in;
	before = r;
	EQ(emul_linear(&in, &r), w->la);
	emul_execute(&in, &r, &bus);
	switch (w->acc) {
	case 'r': EQ(strcmp(f.order, "r"), 0); EQ(f.rsize, w->size); break;
	case 'w': EQ(strcmp(f.order, "w"), 0); break;
	default: EQ(strcmp(f.order, "rw"), 0); EQ(f.rsize, w->size); break;
	}
	if (f.writes) {
		EQ(f.wsize, w->size);
		EQ(f.wval, w->wval);
	}
	for (int i = 0; i < 16; i++)
		EQ(*gpr(&r, i), i == w->reg ? w->regval : *gpr(&before, i));
	EQ(r.rflags & ARITH, w->fl_out);
	EQ(r.rflags & ~ARITH, before.rflags & ~ARITH);
	EQ(r.rip, before.rip + w->len);
}

static void test_encoding_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
}

/* Every prefix of a good instruction shorter than it is truncated, never decoded. */
static void test_truncation_at_every_length(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t bytes[32];
		size_t n = parse_hex(rows[i].hex, bytes, sizeof(bytes));
		struct emul_insn in;

		if (rows[i].err)
			continue;
		for (size_t k = 0; k < n; k++)
			assert_int_equal(emul_decode(bytes, k, (enum emul_mode)rows[i].mode, &in), EMUL_ERR_TRUNCATED);
	}
}

/* The next IP wraps at 16 bits in 16-bit code and at 32 bits in 32-bit code (SDM Vol 1 3.5). */
static void test_rip_wraps_at_code_size(void **state)
{
	static const uint8_t mov[] = { 0x89, 0x03 };
	struct fake f = { 0 };
	const struct emul_bus bus = { fake_read, fake_write, &f };
	struct emul_insn in;
	struct vcpu_regs r;

	(void)state;
	std_regs(&r, M16);
	r.rip = 0xffff;
	assert_int_equal(emul_decode(mov, 2, EMUL_MODE16, &in), EMUL_OK);
	emul_execute(&in, &r, &bus);
	assert_int_equal(r.rip, 0x1);
	std_regs(&r, M32);
	r.rip = 0xffffffff;
	assert_int_equal(emul_decode(mov, 2, EMUL_MODE32, &in), EMUL_OK);
	emul_execute(&in, &r, &bus);
	assert_int_equal(r.rip, 0x1);
}

/* The mode from CR0.PE, RFLAGS.VM, EFER.LMA, CS.L and CS.D (SDM Vol 3A 2.2, 5.2.1). */
static void test_mode_of(void **state)
{
	struct vcpu_regs r = { 0 };

	(void)state;
	assert_int_equal(emul_mode_of(&r), EMUL_MODE16);              /* real mode */
	r.cr0 = 1;
	r.cs.attr = 0x409b;                                            /* D=1 */
	assert_int_equal(emul_mode_of(&r), EMUL_MODE32);
	r.rflags = 1u << 17;                                           /* virtual-8086 */
	assert_int_equal(emul_mode_of(&r), EMUL_MODE16);
	r.rflags = 2;
	r.cs.attr = 0x009b;
	assert_int_equal(emul_mode_of(&r), EMUL_MODE16);              /* 16-bit protected mode */
	r.efer = 0x500;                                                /* LME | LMA */
	r.cs.attr = 0x209b;                                            /* L=1 */
	assert_int_equal(emul_mode_of(&r), EMUL_MODE64);
	r.cs.attr = 0x409b;                                            /* compatibility mode, 32-bit */
	assert_int_equal(emul_mode_of(&r), EMUL_MODE32);
	r.efer = 0x100;                                                /* LME without LMA: not IA-32e yet */
	r.cs.attr = 0x209b;
	assert_int_equal(emul_mode_of(&r), EMUL_MODE16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoding_table),
		cmocka_unit_test(test_truncation_at_every_length),
		cmocka_unit_test(test_rip_wraps_at_code_size),
		cmocka_unit_test(test_mode_of),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
