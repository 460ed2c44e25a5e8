/* Host unit tests of per-CPU ASID generations: never 0, never shared within a generation, any number of vCPUs. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hypervisor/svm/asid.h"

struct vcpu_asid {
	uint32_t asid;
	uint64_t gen;
};

static void test_fresh_vcpus_get_distinct_asids(void **state)
{
	struct asid_space s;
	struct vcpu_asid v[15];
	uint32_t seen[16] = { 0 };

	(void)state;
	memset(v, 0, sizeof(v));
	asid_space_init(&s, 16);
	for (int i = 0; i < 15; i++) {
		assert_int_equal(asid_assign(&s, &v[i].asid, &v[i].gen), i == 0 ? ASID_NEW_FLUSH_ALL : ASID_NEW);
		assert_in_range(v[i].asid, 1, 15);
		assert_int_equal(seen[v[i].asid]++, 0);
	}
	for (int i = 0; i < 15; i++) /* still theirs */
		assert_int_equal(asid_assign(&s, &v[i].asid, &v[i].gen), ASID_KEEP);
}

/* The sixteenth vCPU starts a new generation: everyone else's ASID is stale and the TLB is flushed once. */
static void test_generation_rollover(void **state)
{
	struct asid_space s;
	struct vcpu_asid v[40];

	(void)state;
	memset(v, 0, sizeof(v));
	asid_space_init(&s, 16);
	for (int i = 0; i < 15; i++)
		asid_assign(&s, &v[i].asid, &v[i].gen);
	assert_int_equal(asid_assign(&s, &v[15].asid, &v[15].gen), ASID_NEW_FLUSH_ALL);
	assert_int_equal(v[15].asid, 1);
	assert_int_not_equal(asid_assign(&s, &v[0].asid, &v[0].gen), ASID_KEEP);
	assert_int_equal(v[0].asid, 2);
	/* Within one generation no two vCPUs hold the same ASID, however many there are. */
	for (int round = 0; round < 5; round++) {
		uint32_t seen[16] = { 0 };
		for (int i = 0; i < 40; i++) {
			asid_assign(&s, &v[i].asid, &v[i].gen);
			assert_in_range(v[i].asid, 1, 15);
		}
		for (int i = 0; i < 40; i++)
			if (v[i].gen == s.gen)
				assert_int_equal(seen[v[i].asid]++, 0);
	}
}

/* The first ASID a CPU hands out flushes everything: entries left by whatever ran before are not trusted. */
static void test_first_generation_flushes(void **state)
{
	struct asid_space s;
	struct vcpu_asid a = { 0, 0 }, b = { 0, 0 };

	(void)state;
	asid_space_init(&s, 16);
	assert_int_equal(asid_assign(&s, &a.asid, &a.gen), ASID_NEW_FLUSH_ALL);
	assert_int_equal(a.asid, 1);
	assert_int_equal(asid_assign(&s, &b.asid, &b.gen), ASID_NEW);
	assert_int_equal(b.asid, 2);
	assert_int_equal(asid_assign(&s, &a.asid, &a.gen), ASID_KEEP);
}

static void test_no_guest_asids(void **state)
{
	struct asid_space s;
	struct vcpu_asid v = { 0, 0 };

	(void)state;
	asid_space_init(&s, 1);
	assert_int_equal(asid_assign(&s, &v.asid, &v.gen), ASID_NEW_FLUSH_ALL);
	assert_int_equal(asid_assign(&s, &v.asid, &v.gen), ASID_NEW_FLUSH_ALL); /* flushed every time */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_vcpus_get_distinct_asids),
		cmocka_unit_test(test_generation_rollover),
		cmocka_unit_test(test_first_generation_flushes),
		cmocka_unit_test(test_no_guest_asids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
