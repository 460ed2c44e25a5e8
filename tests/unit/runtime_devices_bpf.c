/* Unit tests: the eBPF device program, run through a small interpreter of the eBPF
 * instructions it uses (Documentation/bpf/instruction-set.rst), against the rule order
 * the OCI spec and cgroup v1 define: the last matching rule decides, none denies. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "devices_bpf.h"

/* bpf_cgroup_dev_ctx.access_type: access << 16 | type (include/uapi/linux/bpf.h) */
enum { BLK = 1, CHR = 2, MKNOD = 1, READ = 2, WRITE = 4 };

/* Runs the program on one device access; fails the test on an unknown instruction or a
 * jump out of the program. Returns r0. */
static uint64_t run(const struct bpf_insn *p, size_t n, uint32_t type, uint32_t access,
		    uint32_t major, uint32_t minor)
{
	uint32_t ctx[3] = { access << 16 | type, major, minor };
	uint64_t r[11] = { 0 };

	r[1] = (uint64_t)(uintptr_t)ctx;
	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];
		uint64_t src = (i->code & 0x08) ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;
		uint32_t a = (uint32_t)r[i->dst_reg], b = (uint32_t)src;

		switch (i->code) {
		case 0x61: /* ldxw */
			r[i->dst_reg] = *(uint32_t *)((char *)(uintptr_t)r[i->src_reg] + i->off);
			break;
		case 0x54: r[i->dst_reg] = a & b; break;          /* and32 imm */
		case 0x74: r[i->dst_reg] = a >> b; break;         /* rsh32 imm */
		case 0xbc: r[i->dst_reg] = b; break;              /* mov32 reg */
		case 0xb7: r[i->dst_reg] = (uint64_t)(int64_t)i->imm; break; /* mov64 imm */
		case 0x56: case 0x5e:                             /* jne32 imm / reg */
			if (a != b)
				pc += i->off;
			break;
		case 0x95: return r[0];                           /* exit */
		default: fail_msg("unexpected opcode 0x%02x at %zu", i->code, pc);
		}
		assert_true(pc + 1 <= n);
	}
	fail_msg("the program ran off its end");
	return 2;
}

static struct oci_dev_rule rule(bool allow, char type, int64_t maj, int64_t min, unsigned acc)
{
	return (struct oci_dev_rule){ allow, type, maj, min, acc };
}

/* crun's and runc's spec: deny everything; runc's defaults still allow /dev/null etc. */
static void test_deny_all_keeps_defaults(void **state)
{
	struct oci_dev_rule rules[] = { rule(false, 'a', -1, -1, 7) };
	struct bpf_insn *p;
	size_t n = devices_bpf_build(rules, 1, &p);

	(void)state;
	assert_int_equal(run(p, n, CHR, READ | WRITE, 1, 3), 1);   /* /dev/null */
	assert_int_equal(run(p, n, CHR, READ, 1, 9), 1);           /* /dev/urandom */
	assert_int_equal(run(p, n, CHR, WRITE, 136, 7), 1);        /* /dev/pts/7 */
	assert_int_equal(run(p, n, CHR, MKNOD, 10, 229), 1);       /* mknod of anything */
	assert_int_equal(run(p, n, BLK, MKNOD, 8, 0), 1);
	assert_int_equal(run(p, n, BLK, READ, 8, 0), 0);           /* /dev/sda: denied */
	assert_int_equal(run(p, n, CHR, READ, 10, 229), 0);        /* /dev/fuse: denied */
	assert_int_equal(run(p, n, CHR, READ, 1, 1), 0);           /* /dev/mem: denied */
	free(p);
}

/* Later rules override earlier ones; access must be a subset of the rule's. */
static void test_order_and_access(void **state)
{
	struct oci_dev_rule rules[] = {
		rule(false, 'a', -1, -1, 7),
		rule(true, 'b', 7, -1, READ),          /* loop devices, read only */
		rule(false, 'b', 7, 3, 7),             /* but not loop3 */
		rule(true, 'c', 10, 229, READ | WRITE),
	};
	struct bpf_insn *p;
	size_t n = devices_bpf_build(rules, 4, &p);

	(void)state;
	assert_int_equal(run(p, n, BLK, READ, 7, 0), 1);
	assert_int_equal(run(p, n, BLK, WRITE, 7, 0), 0);
	assert_int_equal(run(p, n, BLK, READ | WRITE, 7, 0), 0);
	assert_int_equal(run(p, n, BLK, READ, 7, 3), 0);
	assert_int_equal(run(p, n, CHR, READ, 7, 0), 0);           /* a char 7:0 is not a loop */
	assert_int_equal(run(p, n, CHR, READ | WRITE, 10, 229), 1);
	assert_int_equal(run(p, n, BLK, READ, 10, 229), 0);
	assert_int_equal(run(p, n, CHR, READ, 10, 230), 0);
	free(p);
}

/* No rules at all (an empty list): only the defaults; an allow-all rule ends the program
 * early and everything is allowed. */
static void test_empty_and_allow_all(void **state)
{
	struct oci_dev_rule rules[] = { rule(false, 'a', -1, -1, 7), rule(true, 'a', -1, -1, 7) };
	struct bpf_insn *p;
	size_t n = devices_bpf_build(NULL, 0, &p);

	(void)state;
	assert_int_equal(run(p, n, BLK, READ, 8, 0), 0);
	assert_int_equal(run(p, n, CHR, READ, 1, 5), 1);
	free(p);
	n = devices_bpf_build(rules, 2, &p);
	assert_int_equal(run(p, n, BLK, READ | WRITE, 8, 0), 1);
	assert_int_equal(run(p, n, CHR, READ, 1, 1), 1);
	/* nothing after the allow-all block: the verifier refuses unreachable instructions */
	assert_int_equal(p[n - 1].code, 0x95);
	free(p);
}

/* Major and minor numbers above 2^31 compare as unsigned 32-bit values. */
static void test_large_numbers(void **state)
{
	struct oci_dev_rule rules[] = { rule(true, 'c', 4000000000LL, 5, 7) };
	struct bpf_insn *p;
	size_t n = devices_bpf_build(rules, 1, &p);

	(void)state;
	assert_int_equal(run(p, n, CHR, READ, 4000000000U, 5), 1);
	assert_int_equal(run(p, n, CHR, READ, 4000000001U, 5), 0);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deny_all_keeps_defaults),
		cmocka_unit_test(test_order_and_access),
		cmocka_unit_test(test_empty_and_allow_all),
		cmocka_unit_test(test_large_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
