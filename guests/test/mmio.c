/* Test guest `mmio`: the same instructions on RAM and on the emulated test device must give the same results. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"

/*
 * Needs a VM created with mmio_test=yes (hypervisor/dev/testdev.h): scratch
 * registers at 0xFEBFF000 that behave like RAM, and an access counter at
 * +0x100. Each form runs once on a RAM buffer and once on the device from
 * the same contents; the register result, the arithmetic flags and the
 * memory after must agree, and the device must have seen the accesses.
 * This runs with paging off, then with 32-bit paging (4 MiB pages), then
 * with PAE paging (2 MiB pages), so the hypervisor's instruction fetch walks
 * each kind of table. Last, an instruction the emulator does not handle
 * (NOT on device memory) stops the VM, with its bytes in the reason.
 */
#define DEV 0xFEBFF000u
#define DEV_COUNT (DEV + 0x100u)
#define DEV_LAST_SIZE (DEV + 0x104u)
#define SCRATCH 32u
#define ARITH 0x8d5u /* OF SF ZF AF PF CF */
#define AF 0x10u

struct res {
	uint32_t eax, flags;
};

typedef void (*form_fn)(volatile uint8_t *p, struct res *r);

/* EAX in, EBX = the memory operand's base; EAX and EFLAGS out. */
#define FORM(fname, insn)                                                                        \
	static void fname(volatile uint8_t *p, struct res *r)                                    \
	{                                                                                        \
		uint32_t a = 0x8badf00du, f;                                                     \
		__asm__ volatile("pushl $0\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %1"               \
				 : "+a"(a), "=r"(f) : "b"(p)                                      \
				 : "ecx", "memory", "cc");                                        \
		r->eax = a, r->flags = f;                                                        \
	}

FORM(f_mov_load, "movl 4(%%ebx), %%eax")
FORM(f_mov_store, "movl %%eax, 8(%%ebx)")
FORM(f_mov_store16, "movw %%ax, 6(%%ebx)")
FORM(f_mov_load8, "movb 3(%%ebx), %%al")
FORM(f_mov_load_ah, "movb 5(%%ebx), %%ah")
FORM(f_mov_store_ah, "movb %%ah, 1(%%ebx)")
FORM(f_mov_imm32, "movl $0x12345678, 12(%%ebx)")
FORM(f_mov_imm8, "movb $0x99, 2(%%ebx)")
FORM(f_mov_imm16, "movw $0xbeef, 10(%%ebx)")
FORM(f_mov_sib, "movl $3, %%ecx\n\tmovl (%%ebx,%%ecx,4), %%eax")
FORM(f_movzb, "movzbl 7(%%ebx), %%eax")
FORM(f_movzw, "movzwl 6(%%ebx), %%eax")
FORM(f_movsb, "movsbl 7(%%ebx), %%eax")
FORM(f_movsw, "movswl 6(%%ebx), %%eax")
FORM(f_add_rm_r, "addl %%eax, 4(%%ebx)")
FORM(f_add_r_rm, "addl 4(%%ebx), %%eax")
FORM(f_sub_imm8, "subl $1, 16(%%ebx)")
FORM(f_and_imm32, "andl $0xff00ff00, 4(%%ebx)")
FORM(f_or_imm8_byte, "orb $0x80, 3(%%ebx)")
FORM(f_xor_r_rm, "xorl 4(%%ebx), %%eax")
FORM(f_cmp_imm, "cmpl $0x100, 4(%%ebx)")
FORM(f_cmp_r_rm, "cmpl 8(%%ebx), %%eax")
FORM(f_adc, "stc\n\tadcl $0, 16(%%ebx)")
FORM(f_sbb, "stc\n\tsbbw $0, 16(%%ebx)")
FORM(f_test_imm, "testl $0x80000000, 4(%%ebx)")
FORM(f_test_r, "testb %%al, 3(%%ebx)")
FORM(f_xchg, "xchgl %%eax, 12(%%ebx)")
FORM(f_lock_or, "lock orl $1, 8(%%ebx)")
FORM(f_bt_imm, "btl $9, 4(%%ebx)")
FORM(f_bts_imm, "btsl $31, 8(%%ebx)")
FORM(f_btr_reg, "movl $35, %%ecx\n\tbtrl %%ecx, (%%ebx)")
FORM(f_btc_reg_neg, "movl $-1, %%ecx\n\tbtcl %%ecx, 8(%%ebx)")
FORM(f_fs_override, "movl %%fs:4(%%ebx), %%eax")
FORM(f_word_prefix, "addw $0x7fff, 16(%%ebx)")

static const struct {
	const char *name;
	form_fn fn;
	uint32_t accesses; /* device accesses the form makes */
	bool logic;        /* AF is undefined after it: not compared */
} forms[] = {
	{ "mov load", f_mov_load, 1, false },
	{ "mov store", f_mov_store, 1, false },
	{ "mov store 16-bit", f_mov_store16, 1, false },
	{ "mov load 8-bit", f_mov_load8, 1, false },
	{ "mov load to ah", f_mov_load_ah, 1, false },
	{ "mov store from ah", f_mov_store_ah, 1, false },
	{ "mov imm32", f_mov_imm32, 1, false },
	{ "mov imm8", f_mov_imm8, 1, false },
	{ "mov imm16", f_mov_imm16, 1, false },
	{ "mov sib", f_mov_sib, 1, false },
	{ "movzx byte", f_movzb, 1, false },
	{ "movzx word", f_movzw, 1, false },
	{ "movsx byte", f_movsb, 1, false },
	{ "movsx word", f_movsw, 1, false },
	{ "add r/m, r", f_add_rm_r, 2, false },
	{ "add r, r/m", f_add_r_rm, 1, false },
	{ "sub imm8", f_sub_imm8, 2, false },
	{ "and imm32", f_and_imm32, 2, true },
	{ "or imm8 byte", f_or_imm8_byte, 2, true },
	{ "xor r, r/m", f_xor_r_rm, 1, true },
	{ "cmp imm", f_cmp_imm, 1, false },
	{ "cmp r, r/m", f_cmp_r_rm, 1, false },
	{ "adc", f_adc, 2, false },
	{ "sbb 16-bit", f_sbb, 2, false },
	{ "test imm", f_test_imm, 1, true },
	{ "test r", f_test_r, 1, true },
	{ "xchg", f_xchg, 2, false },
	{ "lock or", f_lock_or, 2, true },
	{ "bt imm", f_bt_imm, 1, false },
	{ "bts imm", f_bts_imm, 2, false },
	{ "btr reg (bit string)", f_btr_reg, 2, false },
	{ "btc reg (negative offset)", f_btc_reg_neg, 2, false },
	{ "fs override", f_fs_override, 1, false },
	{ "16-bit add", f_word_prefix, 2, false },
};

static uint8_t ram_buf[SCRATCH] __attribute__((aligned(16)));

static uint32_t dev_read32(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

/* The same bytes into RAM and the device, with 32-bit stores only (no string instructions on the device). */
static void fill(uint32_t seed)
{
	for (uint32_t i = 0; i < SCRATCH; i += 4) {
		seed = seed * 1103515245u + 12345u;
		*(volatile uint32_t *)(ram_buf + i) = seed;
		*(volatile uint32_t *)(DEV + i) = seed;
	}
}

static bool run_form(unsigned i, uint32_t seed)
{
	struct res a, b;
	uint32_t before, mask = forms[i].logic ? ARITH & ~AF : ARITH;

	fill(seed);
	forms[i].fn(ram_buf, &a);
	before = dev_read32(DEV_COUNT);
	forms[i].fn((volatile uint8_t *)DEV, &b);
	if (dev_read32(DEV_COUNT) - before != forms[i].accesses) {
		gprintf("mmio: %s: %u device accesses, expected %u\n", forms[i].name, dev_read32(DEV_COUNT) - before,
			forms[i].accesses);
		return false;
	}
	if (a.eax != b.eax || (a.flags & mask) != (b.flags & mask)) {
		gprintf("mmio: %s: eax %x flags %x on the device, %x %x on RAM\n", forms[i].name, b.eax, b.flags & mask,
			a.eax, a.flags & mask);
		return false;
	}
	for (uint32_t k = 0; k < SCRATCH; k += 4)
		if (dev_read32(DEV + k) != *(volatile uint32_t *)(ram_buf + k)) {
			gprintf("mmio: %s: memory at +%u is %x on the device, %x in RAM\n", forms[i].name, k,
				dev_read32(DEV + k), *(volatile uint32_t *)(ram_buf + k));
			return false;
		}
	return true;
}

static unsigned run_all(const char *paging)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		for (uint32_t seed = 1; seed <= 3; seed++)
			if (!run_form(i, seed * 0x9e3779b9u + i)) {
				bad++;
				break;
			}
	gprintf("mmio: %s: %u forms, %u failed\n", paging, (unsigned)(sizeof(forms) / sizeof(forms[0])), bad);
	return bad;
}

/* moffs (A1/A3): absolute addresses only, so checked against a known value. */
static unsigned run_moffs(void)
{
	uint32_t v;

	*(volatile uint32_t *)(DEV + 0x10) = 0xa1b2c3d4u;
	__asm__ volatile("movl 0xfebff010, %0" : "=a"(v));
	__asm__ volatile("movl %0, 0xfebff014" ::"a"(v ^ 0xffffffffu) : "memory");
	if (v != 0xa1b2c3d4u || dev_read32(DEV + 0x14) != 0x5e4d3c2bu || dev_read32(DEV_LAST_SIZE) != 4) {
		gprintf("mmio: moffs: read %x, then %x\n", v, dev_read32(DEV + 0x14));
		return 1;
	}
	return 0;
}

/*
 * An instruction whose bytes cross a page boundary: "mov (%ebx), %eax; ret"
 * placed so that its second byte starts the next page. With paging on, the
 * two code pages are both identity-mapped; the fetch must join them.
 */
static uint8_t code_pages[2 * 4096] __attribute__((aligned(4096)));

static unsigned run_straddling_fetch(void)
{
	uint8_t *at = code_pages + 4096 - 1;
	uint32_t v;

	at[0] = 0x8b, at[1] = 0x03, at[2] = 0xc3; /* 8B /r: mov eax, [ebx]; C3: ret */
	*(volatile uint32_t *)DEV = 0x600dc0deu;
	__asm__ volatile("call *%1" : "=a"(v) : "r"(at), "b"(DEV) : "ecx", "edx", "memory");
	if (v != 0x600dc0deu) {
		gprintf("mmio: straddling fetch read %x\n", v);
		return 1;
	}
	return 0;
}

/* 32-bit paging with 4 MiB pages (SDM Vol 3A 4.3): PDE = base | PS | RW | P. */
static uint32_t pd32[1024] __attribute__((aligned(4096)));
/* PAE (SDM Vol 3A 4.4): 4 PDPTEs (P only), 4 page directories of 2 MiB pages. */
static uint64_t pdpt[4] __attribute__((aligned(32)));
static uint64_t pd_pae[4][512] __attribute__((aligned(4096)));

static void paging_off(void)
{
	uint32_t cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" ::"r"(cr0 & ~0x80000000u) : "memory");
}

static void paging_on(uint32_t cr3, uint32_t cr4_bits)
{
	uint32_t cr0, cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" ::"r"((cr4 & ~0x30u) | cr4_bits));
	__asm__ volatile("mov %0, %%cr3" ::"r"(cr3) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" ::"r"(cr0 | 0x80000000u) : "memory");
}

static unsigned run_suite(const char *paging)
{
	return run_all(paging) + run_moffs() + run_straddling_fetch();
}

void guest_main(uint32_t ram_bytes)
{
	unsigned bad;
	uint32_t v;

	/* Without mmio_test=yes the first access below stops the VM ("outside its RAM"). */
	gprintf("mmio: start ram=0x%x\n", ram_bytes);
	bad = run_suite("paging off");
	for (uint32_t i = 0; i < 1024; i++)
		pd32[i] = (i << 22) | 0x83;
	paging_on((uint32_t)pd32, 0x10); /* CR4.PSE */
	bad += run_suite("32-bit paging");
	paging_off();
	for (uint32_t i = 0; i < 4; i++) {
		pdpt[i] = (uint32_t)pd_pae[i] | 0x1;
		for (uint32_t k = 0; k < 512; k++)
			pd_pae[i][k] = ((uint64_t)i << 30) | ((uint64_t)k << 21) | 0x83;
	}
	paging_on((uint32_t)pdpt, 0x20); /* CR4.PAE */
	bad += run_suite("PAE paging");
	gprintf("mmio: %s\n", bad ? "FAILED" : "all forms agree");
	/* NOT r/m32 (F7 /2) is not emulated: the VM must stop here with the bytes f7 13 logged. */
	gprintf("mmio: trying an instruction the emulator does not handle\n");
	__asm__ volatile("notl (%%ebx)" ::"b"(DEV) : "memory");
	v = dev_read32(DEV);
	gprintf("mmio: survived an unemulated instruction (%x)\n", v);
}
