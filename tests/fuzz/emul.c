/* Fuzz harness of the MMIO instruction decoder and executor: any bytes as code, in any mode, with registers from the input. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/emul/insn.h"
#include "tests/fuzz/fuzz.h"

/*
 * Input: byte 0 picks the mode (mod 3), bytes 1-8 seed the registers, the
 * rest is the code. What must hold: the length is within 15 and within the
 * bytes given, a decoded access has a size of 1, 2, 4 or 8, and executing it
 * makes at most one read and one write of exactly that size.
 */
struct bus_log {
	int reads, writes;
	unsigned size;
	uint64_t value;
};

static uint64_t rd(void *ctx, unsigned size)
{
	struct bus_log *b = ctx;

	b->reads++;
	FUZZ_CHECK(size == b->size);
	return b->value;
}

static void wr(void *ctx, unsigned size, uint64_t value)
{
	struct bus_log *b = ctx;

	(void)value;
	b->writes++;
	FUZZ_CHECK(size == b->size);
}

static void seed_regs(struct vcpu_regs *r, uint64_t seed)
{
	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < 16; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		*vcpu_gpr(r, i) = seed;
	}
	r->rip = seed >> 7;
	r->rflags = 0x2 | (seed & 0x8d5);
	r->fs.base = seed >> 3;
	r->ds.base = (uint32_t)(seed >> 11);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emul_insn in;
	struct vcpu_regs r, before;
	struct bus_log log = { 0 };
	const struct emul_bus bus = { rd, wr, &log };
	uint64_t seed = 0;
	int err;

	if (size < 9)
		return 0;
	memcpy(&seed, data + 1, 8);
	err = emul_decode(data + 9, size - 9, (enum emul_mode)(data[0] % 3), &in);
	FUZZ_CHECK(in.len <= EMUL_INSN_MAX && in.len <= size - 9);
	FUZZ_CHECK(err >= EMUL_OK && err <= EMUL_ERR_NO_MEMORY);
	FUZZ_CHECK(emul_err_name(err)[0] != '?');
	if (err)
		return 0;
	FUZZ_CHECK(in.mem_size == 1 || in.mem_size == 2 || in.mem_size == 4 || in.mem_size == 8);
	FUZZ_CHECK(memcmp(in.bytes, data + 9, in.len) == 0);
	seed_regs(&r, seed);
	before = r;
	log.size = in.mem_size;
	log.value = seed;
	(void)emul_linear(&in, &r);
	emul_execute(&in, &r, &bus);
	FUZZ_CHECK(log.reads <= 1 && log.writes <= 1 && log.reads + log.writes >= 1);
	FUZZ_CHECK(memcmp(&r.cr0, &before.cr0, sizeof(r) - offsetof(struct vcpu_regs, cr0)) == 0);
	return 0;
}
