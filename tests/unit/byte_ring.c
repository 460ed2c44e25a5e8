/* Host unit tests of the byte ring: positions, wrap-around, replay from 0, clamping of old positions. */
/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "kernel/byte_ring.h"

static uint8_t buf[16];
static struct byte_ring ring;

static int setup(void **state)
{
	(void)state;
	memset(buf, 0, sizeof(buf));
	byte_ring_init(&ring, buf, sizeof(buf));
	return 0;
}

static void test_empty(void **state)
{
	uint64_t pos = 0;
	char out[4];

	(void)state;
	assert_int_equal(byte_ring_written(&ring), 0);
	assert_int_equal(byte_ring_read(&ring, &pos, out, sizeof(out)), 0);
	assert_int_equal(pos, 0);
}

static void test_write_then_read(void **state)
{
	uint64_t pos = 0;
	char out[16] = { 0 };

	(void)state;
	byte_ring_write(&ring, "hello", 5);
	assert_int_equal(byte_ring_written(&ring), 5);
	assert_int_equal(byte_ring_read(&ring, &pos, out, 3), 3);
	assert_memory_equal(out, "hel", 3);
	assert_int_equal(pos, 3);
	assert_int_equal(byte_ring_read(&ring, &pos, out, sizeof(out)), 2);
	assert_memory_equal(out, "lo", 2);
	assert_int_equal(pos, 5);
	/* Tailing: nothing new, then new bytes. */
	assert_int_equal(byte_ring_read(&ring, &pos, out, sizeof(out)), 0);
	byte_ring_write(&ring, "!", 1);
	assert_int_equal(byte_ring_read(&ring, &pos, out, sizeof(out)), 1);
	assert_int_equal(out[0], '!');
}

static void test_wrap_keeps_newest(void **state)
{
	uint64_t pos = 0;
	char out[32];

	(void)state;
	byte_ring_write(&ring, "0123456789", 10);
	byte_ring_write(&ring, "abcdefghij", 10); /* 20 bytes into 16 */
	assert_int_equal(byte_ring_written(&ring), 20);
	/* Replay from 0 is clamped forward to the oldest byte held (position 4). */
	assert_int_equal(byte_ring_read(&ring, &pos, out, sizeof(out)), 16);
	assert_memory_equal(out, "456789abcdefghij", 16);
	assert_int_equal(pos, 20);
}

static void test_clamp_old_position(void **state)
{
	uint64_t pos = 2, late = 18;
	char out[32];

	(void)state;
	for (int i = 0; i < 5; i++)
		byte_ring_write(&ring, "ABCDEFGH", 8); /* 40 bytes */
	assert_int_equal(byte_ring_read(&ring, &pos, out, 4), 4);
	assert_int_equal(pos, 28);
	assert_memory_equal(out, "ABCD", 4); /* clamped to position 24 */
	assert_int_equal(byte_ring_read(&ring, &late, out, sizeof(out)), 16);
	assert_int_equal(late, 40);
	/* A position beyond the end reads nothing and is pulled back to the end. */
	late = 1000;
	assert_int_equal(byte_ring_read(&ring, &late, out, sizeof(out)), 0);
	assert_int_equal(late, 40);
}

static void test_long_write(void **state)
{
	uint64_t pos = 0;
	char in[50], out[32];

	(void)state;
	for (int i = 0; i < 50; i++)
		in[i] = (char)('a' + i % 26);
	byte_ring_write(&ring, in, sizeof(in));
	assert_int_equal(byte_ring_written(&ring), 50);
	assert_int_equal(byte_ring_read(&ring, &pos, out, sizeof(out)), 16);
	assert_memory_equal(out, in + 34, 16);
}

static void test_byte_by_byte_stream(void **state)
{
	uint64_t pos = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		uint8_t b = (uint8_t)(i * 7), got;

		byte_ring_write(&ring, &b, 1);
		assert_int_equal(byte_ring_read(&ring, &pos, &got, 1), 1);
		assert_int_equal(got, b);
	}
	assert_int_equal(pos, 1000);
}

static void test_bad_arguments(void **state)
{
	struct byte_ring odd;
	uint8_t small[12];
	uint64_t pos = 0;
	char out[4];

	(void)state;
	byte_ring_write(&ring, NULL, 3);
	byte_ring_write(NULL, "x", 1);
	assert_int_equal(byte_ring_written(&ring), 0);
	assert_int_equal(byte_ring_read(&ring, NULL, out, 1), 0);
	assert_int_equal(byte_ring_read(NULL, &pos, out, 1), 0);
	/* A size that is not a power of two holds nothing but still counts. */
	byte_ring_init(&odd, small, sizeof(small));
	byte_ring_write(&odd, "abc", 3);
	assert_int_equal(byte_ring_written(&odd), 3);
	assert_int_equal(byte_ring_read(&odd, &pos, out, sizeof(out)), 0);
}

/* One writer thread and one reader: the reader sees a prefix-consistent stream (no lost order). */
static struct byte_ring big;
static uint8_t big_buf[1 << 16];
#define STREAM_BYTES 200000

static void *writer(void *arg)
{
	(void)arg;
	for (uint32_t i = 0; i < STREAM_BYTES; i++) {
		uint8_t b = (uint8_t)(i % 251);

		byte_ring_write(&big, &b, 1);
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	pthread_t t;
	uint64_t pos = 0;
	uint8_t out[256];

	(void)state;
	byte_ring_init(&big, big_buf, sizeof(big_buf));
	assert_int_equal(pthread_create(&t, NULL, writer, NULL), 0);
	while (pos < STREAM_BYTES) {
		uint64_t start = pos;
		size_t n = byte_ring_read(&big, &pos, out, sizeof(out));

		for (size_t i = 0; i < n; i++)
			assert_int_equal(out[i], (pos - n + i) % 251);
		assert_true(pos >= start);
	}
	pthread_join(t, NULL);
	assert_int_equal(byte_ring_written(&big), STREAM_BYTES);
}

#define T(t) cmocka_unit_test_setup(t, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_empty),        T(test_write_then_read), T(test_wrap_keeps_newest), T(test_clamp_old_position),
		T(test_long_write),   T(test_byte_by_byte_stream), T(test_bad_arguments), T(test_two_threads),
	};

	return cmocka_run_group_tests_name("byte_ring", tests, NULL, NULL);
}
