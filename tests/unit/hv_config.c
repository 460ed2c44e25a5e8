/* Unit tests of VM configuration parsing: console words and the boot configuration file. */
/* SPDX-License-Identifier: MIT */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hypervisor/config.h"

static int words(const char *name, const char *line, struct vm_config *c, char *err)
{
	static char buf[256];
	char *w[16];
	int n = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && n < 16; t = strtok(NULL, " "))
		w[n++] = t;
	return vm_config_from_words(name, n, w, c, err, 160);
}

static void test_words_ok(void **state)
{
	struct vm_config c;
	char err[160];
	(void)state;
	assert_int_equal(words("web", "image=hello.elf mem=64M vcpus=2 cpus=0-1 autostart=yes", &c, err), 0);
	assert_string_equal(c.name, "web");
	assert_string_equal(c.image, "hello.elf");
	assert_int_equal(c.mem_bytes, 64ull << 20);
	assert_int_equal(c.vcpus, 2);
	assert_int_equal(c.cpu_mask, 3);
	assert_true(c.autostart);
	assert_int_equal(words("a", "image=x.elf", &c, err), 0);
	assert_int_equal(c.mem_bytes, VM_DEFAULT_MEM);
	assert_int_equal(c.vcpus, 1);
	assert_int_equal(c.cpu_mask, 0);
	assert_false(c.mmio_test);
	assert_int_equal(words("a", "image=mmio.elf mmio_test=yes", &c, err), 0);
	assert_true(c.mmio_test);
}

static void expect_bad(const char *name, const char *line, const char *needle)
{
	struct vm_config c;
	char err[160] = "";
	assert_int_equal(words(name, line, &c, err), -1);
	if (!strstr(err, needle))
		fail_msg("'%s' gave '%s', expected it to mention '%s'", line, err, needle);
}

static void test_words_bad(void **state)
{
	(void)state;
	expect_bad("web", "mem=64M", "kernel= (or image=) is required");
	expect_bad("web", "kernel=a image=b", "once");
	expect_bad("web", "kernel=a initrd=b initrd=c", "initrd= given twice");
	expect_bad("web", "kernel=a initrd=", "initrd= needs a file name");
	expect_bad("web", "kernel=a module=1 module=2 module=3 module=4 module=5 module=6 module=7 module=8 module=9",
		   "at most 8 module=");
	expect_bad("web", "kernel=a debug_exit=maybe", "debug_exit=maybe");
	expect_bad("web", "image=x.elf mem=lots", "mem=lots");
	expect_bad("web", "image=x.elf vcpus=0", "vcpus=0");
	expect_bad("web", "image=x.elf vcpus=99", "vcpus=99");
	expect_bad("web", "image=x.elf cpus=2-1", "cpus=2-1");
	expect_bad("web", "image=x.elf cpus=0,", "cpus=0,");
	expect_bad("web", "image=x.elf cpus=64", "cpus=64");
	expect_bad("web", "image=x.elf colour=red", "unknown setting 'colour'");
	expect_bad("web", "image=x.elf autostart=maybe", "autostart");
	expect_bad("web", "image=x.elf mmio_test=1", "mmio_test=1: give yes or no");
	expect_bad("web", "image=x.elf loose", "KEY=VALUE");
	expect_bad("bad name!", "image=x.elf", "bad VM name");
}

static void test_boot_words(void **state)
{
	struct vm_config c;
	char err[160];
	(void)state;
	assert_int_equal(words("lx", "kernel=bzImage initrd=rootfs.cpio.gz cmdline=console=ttyS0 mem=128M vcpus=2", &c, err), 0);
	assert_string_equal(c.image, "bzImage");
	assert_string_equal(c.boot.initrd, "rootfs.cpio.gz");
	assert_string_equal(c.boot.cmdline, "console=ttyS0");
	assert_int_equal(c.boot.module_count, 0);
	assert_false(c.boot.debug_exit);
	assert_int_equal(words("mb", "kernel=mb.elf module=a.bin module=b.bin debug_exit=yes cmdline=", &c, err), 0);
	assert_int_equal(c.boot.module_count, 2);
	assert_string_equal(c.boot.modules[0], "a.bin");
	assert_string_equal(c.boot.modules[1], "b.bin");
	assert_true(c.boot.debug_exit);
	assert_string_equal(c.boot.cmdline, "");
	assert_int_equal(words("lx", "kernel=bzImage disk=images.img,ro disk=scratch.img", &c, err), 0);
	assert_int_equal(c.boot.disk_count, 2);
	assert_string_equal(c.boot.disks[0].file, "images.img");
	assert_true(c.boot.disks[0].ro);
	assert_string_equal(c.boot.disks[1].file, "scratch.img");
	assert_false(c.boot.disks[1].ro);
}

static void test_disk_words_refused(void **state)
{
	(void)state;
	expect_bad("lx", "kernel=a disk=", "disk= needs a file name");
	expect_bad("lx", "kernel=a disk=,ro", "disk= needs a file name");
	expect_bad("lx", "kernel=a disk=x.img,rw", "disk=x.img,rw: give disk=FILE or disk=FILE,ro");
	expect_bad("lx", "kernel=a disk=a,b,ro", "give disk=FILE or disk=FILE,ro");
	expect_bad("lx", "kernel=a disk=1 disk=2 disk=3 disk=4 disk=5", "at most 4 disk=");
}

/* A quoted cmdline= in the boot configuration keeps its spaces and a '#', like on the console. */
static int quoted_add(void *ctx, const struct vm_config *c, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	*(struct vm_config *)ctx = *c;
	return 0;
}

static void quoted_bad(void *ctx, unsigned line, const char *why)
{
	(void)ctx;
	fail_msg("line %u refused: %s", line, why);
}

static void test_file_quoted_cmdline(void **state)
{
	const char *text = "vm linux0 kernel=bzImage cmdline=\"console=ttyS0 init=/init # not a comment\" mem=64M # comment\n";
	struct vm_config c;
	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(config_parse_file(text, strlen(text), quoted_add, quoted_bad, &c), 0);
	assert_string_equal(c.name, "linux0");
	assert_string_equal(c.boot.cmdline, "console=ttyS0 init=/init # not a comment");
	assert_int_equal(c.mem_bytes, 64ull << 20);
	text = "vm esc kernel=bzImage cmdline=a\\#b # comment\n";
	assert_int_equal(config_parse_file(text, strlen(text), quoted_add, quoted_bad, &c), 0);
	assert_string_equal(c.boot.cmdline, "a#b");
}

static void test_cpu_lists(void **state)
{
	uint64_t m;
	(void)state;
	assert_int_equal(config_parse_cpus("0,2,5-7", &m), 0);
	assert_int_equal(m, 0xe5);
	assert_int_equal(config_parse_cpus("all", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(config_parse_cpus("63", &m), 0);
	assert_int_equal(m, 1ull << 63);
	assert_int_equal(config_parse_cpus("", &m), -1);
	assert_int_equal(config_parse_cpus("a", &m), -1);
	assert_int_equal(config_parse_cpus("1--2", &m), -1);
}

struct collected {
	int good;
	char names[8][32];
	unsigned bad_lines[8];
	int bad;
};

/* Refuses a VM named "taken", as the kernel refuses a line whose VM cannot be created. */
static int add(void *ctx, const struct vm_config *c, char *err, size_t errlen)
{
	struct collected *col = ctx;
	if (!strcmp(c->name, "taken"))
		return snprintf(err, errlen, "vm taken: exists"), -1;
	snprintf(col->names[col->good++ & 7], 32, "%s", c->name);
	return 0;
}

static void bad(void *ctx, unsigned line, const char *why)
{
	struct collected *col = ctx;
	assert_non_null(why);
	col->bad_lines[col->bad++ & 7] = line;
}

static void test_file(void **state)
{
	const char *text = "# Bulwark boot configuration\n"
			   "vm hello1 image=hello.elf mem=16M autostart=yes\n"
			   "\n"
			   "vm broken image=hello.elf mem=huge\n"
			   "   vm hello2 image=hello.elf   # trailing comment\n"
			   "container nope\n"
			   "vm \"unterminated\n"
			   "vm taken image=hello.elf\n"
			   "vm last image=spin.elf";
	struct collected col;
	(void)state;
	memset(&col, 0, sizeof(col));
	assert_int_equal(config_parse_file(text, strlen(text), add, bad, &col), 4);
	assert_int_equal(col.good, 3);
	assert_string_equal(col.names[0], "hello1");
	assert_string_equal(col.names[1], "hello2");
	assert_string_equal(col.names[2], "last");
	assert_int_equal(col.bad_lines[0], 4);
	assert_int_equal(col.bad_lines[1], 6);
	assert_int_equal(col.bad_lines[2], 7);
	assert_int_equal(col.bad_lines[3], 8); /* well formed, but refused by add */
}

static void test_file_garbage(void **state)
{
	static char text[4096];
	struct collected col;
	uint32_t seed = 99;
	(void)state;
	for (int round = 0; round < 2000; round++) {
		size_t len = 0;
		memset(&col, 0, sizeof(col));
		for (; len < sizeof(text) && len < (size_t)(round % 4000); len++) {
			seed = seed * 1103515245u + 12345u;
			text[len] = (char)(seed >> 16);
		}
		(void)config_parse_file(text, len, add, bad, &col);
	}
	/* An overlong line is refused, not cut. */
	memset(text, 'a', sizeof(text));
	memset(&col, 0, sizeof(col));
	assert_int_equal(config_parse_file(text, sizeof(text), add, bad, &col), 1);
	assert_int_equal(col.good, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_ok),    cmocka_unit_test(test_words_bad), cmocka_unit_test(test_cpu_lists),
		cmocka_unit_test(test_file),        cmocka_unit_test(test_file_garbage),
		cmocka_unit_test(test_boot_words),
		cmocka_unit_test(test_disk_words_refused),
		cmocka_unit_test(test_file_quoted_cmdline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
