/* Test guest `mmio`: the same instructions on RAM and on the emulated test device must give the same results. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include "runtime.h"
#include "x86.h"

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

/*
 * Long mode (SDM Vol 3A 10.8.5): 4-level tables identity-mapping 4 GiB with
 * the 2 MiB page directories of the PAE run, a GDT with a 64-bit code segment
 * (0x18: L = 1), then lm_tests runs 64-bit forms on the device (REX.W, REX.R/
 * X/B, SIB with R12, moffs64, MOVZX/MOVSX into 64-bit registers, a 64-bit
 * OR and XCHG) and stores what it read into lm_out, checked here in 32-bit C.
 */
static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt64[512] __attribute__((aligned(4096)));
static uint64_t gdt64[4] __attribute__((aligned(8)));
static struct __attribute__((packed)) {
	uint16_t limit;
	uint32_t base;
} gdt64_desc;
uint64_t lm_out[8];

__asm__(".text\n"
	".code64\n"
	"lm_tests:\n\t"
	"mov %esp, %esp\n\t"                     /* RSP's upper half zero */
	"mov $0xfebff000, %ebx\n\t"
	"movabs $0x1122334455667788, %rax\n\t"
	"mov %rax, (%rbx)\n\t"                   /* 48 89 03: 8-byte store */
	"mov (%rbx), %rcx\n\t"                   /* 48 8b 0b */
	"mov %rcx, 0(%rdi)\n\t"
	"movabs 0xfebff000, %eax\n\t"            /* a1 + moffs64 */
	"mov %rax, 8(%rdi)\n\t"
	"movabs $0xfedcba987, %r9\n\t"
	"mov %r9d, 0x10(%rbx)\n\t"               /* 44 89 4b 10: REX.R */
	"mov $0x10, %r12d\n\t"
	"movzbl 1(%rbx,%r12,1), %r10d\n\t"        /* REX.R.X: the byte at +0x11 */
	"mov %r10, 16(%rdi)\n\t"
	"movswq 0x12(%rbx), %r11\n\t"             /* 4c 0f bf: the word at +0x12, sign-extended */
	"mov %r11, 24(%rdi)\n\t"
	"orq $-1, 0x18(%rbx)\n\t"                 /* 48 83 4b 18 ff */
	"mov 0x18(%rbx), %rax\n\t"
	"mov %rax, 32(%rdi)\n\t"
	"mov $1, %eax\n\t"
	"xchg %rax, 0x18(%rbx)\n\t"               /* 48 87 43 18 */
	"mov %rax, 40(%rdi)\n\t"
	"mov 0x18(%rbx), %rax\n\t"
	"mov %rax, 48(%rdi)\n\t"
	"ret\n"
	".code32\n");

/* Reads EFER and writes it back: a hypervisor that does not virtualise it yet raises #GP. */
static uint64_t efer_roundtrip(uint32_t unused)
{
	(void)unused;
	wrmsr(0xc0000080u, rdmsr(0xc0000080u));
	return 0;
}

static unsigned run_long_mode(void)
{
	static const uint64_t want[7] = { 0x1122334455667788ull, 0x55667788ull, 0xa9, 0xffffffffffffedcbull, ~0ull,
					  ~0ull, 1 };
	unsigned bad = 0;
	uint64_t unused;

	if (run_guarded(efer_roundtrip, 0, &unused)) {
		gprintf("mmio: long mode: skipped, EFER is not writable here\n");
		return 0;
	}
	for (uint32_t i = 0; i < 4; i++)
		pdpt64[i] = (uint32_t)pd_pae[i] | 0x3;
	pml4[0] = (uint32_t)pdpt64 | 0x3;
	gdt64[1] = 0x00cf9a000000ffffull; /* 0x08: 32-bit code, as start.S */
	gdt64[2] = 0x00cf92000000ffffull; /* 0x10: data */
	gdt64[3] = 0x00af9a000000ffffull; /* 0x18: 64-bit code (L = 1, D = 0) */
	gdt64_desc.limit = sizeof(gdt64) - 1;
	gdt64_desc.base = (uint32_t)gdt64;
	__asm__ volatile("lgdt %0\n\t"
			 "mov %%cr4, %%eax\n\tor $0x20, %%eax\n\tmov %%eax, %%cr4\n\t"     /* PAE */
			 "mov %1, %%cr3\n\t"
			 "mov $0xc0000080, %%ecx\n\trdmsr\n\tor $0x100, %%eax\n\twrmsr\n\t" /* EFER.LME */
			 "mov %%cr0, %%eax\n\tor $0x80000000, %%eax\n\tmov %%eax, %%cr0\n\t" /* IA-32e */
			 "ljmp $0x18, $1f\n"
			 ".code64\n1:\n\t"
			 "call lm_tests\n\t"
			 "pushq $0x08\n\t"
			 "lea 2f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 ".code32\n2:\n\t"
			 "mov %%cr0, %%eax\n\tand $0x7fffffff, %%eax\n\tmov %%eax, %%cr0\n\t" /* leaves IA-32e */
			 "mov $0xc0000080, %%ecx\n\trdmsr\n\tand $0xfffffeff, %%eax\n\twrmsr\n\t"
			 "mov %%cr4, %%eax\n\tand $0xffffffdf, %%eax\n\tmov %%eax, %%cr4"
			 :
			 : "m"(gdt64_desc), "r"(pml4), "D"(lm_out)
			 : "eax", "ebx", "ecx", "edx", "memory", "cc");
	for (unsigned i = 0; i < 7; i++)
		if (lm_out[i] != want[i]) {
			gprintf("mmio: long mode: result %u is %llx, expected %llx\n", i, lm_out[i], want[i]);
			bad++;
		}
	gprintf("mmio: long mode: 7 results, %u wrong\n", bad);
	return bad;
}

static unsigned run_suite(const char *paging)
{
	return run_all(paging) + run_moffs() + run_straddling_fetch();
}

/* Guest TSC cycles per emulated device load, beside a CPUID exit (handled without an instruction fetch). */
#define COST_ROUNDS 1000u

static uint32_t per_round(uint64_t start)
{
	uint64_t d = rdtsc() - start;

	return d > 0xffffffffull ? 0xffffffffu / COST_ROUNDS : (uint32_t)d / COST_ROUNDS; /* no 64-bit division */
}

static void report_cost(void)
{
	uint64_t t0 = rdtsc();
	uint32_t load, exit;

	for (uint32_t i = 0; i < COST_ROUNDS; i++)
		(void)dev_read32(DEV + 4 * (i & 7));
	load = per_round(t0);
	t0 = rdtsc();
	for (uint32_t i = 0; i < COST_ROUNDS; i++)
		(void)cpuid(0, 0);
	exit = per_round(t0);
	gprintf("mmio: cost: %u TSC cycles per emulated load, %u per CPUID exit\n", load, exit);
}

void guest_main(uint32_t ram_bytes)
{
	unsigned bad;
	uint32_t v;

	/* Without mmio_test=yes the first access below stops the VM ("outside its RAM"). */
	gprintf("mmio: start ram=0x%x\n", ram_bytes);
	bad = run_suite("paging off");
	report_cost();
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
	paging_off();
	bad += run_long_mode();
	gprintf("mmio: %s\n", bad ? "FAILED" : "all forms agree");
	/* NOT r/m32 (F7 /2) is not emulated: the VM must stop here with the bytes f7 13 logged. */
	gprintf("mmio: trying an instruction the emulator does not handle\n");
	__asm__ volatile("notl (%%ebx)" ::"b"(DEV) : "memory");
	v = dev_read32(DEV);
	gprintf("mmio: survived an unemulated instruction (%x)\n", v);
}
