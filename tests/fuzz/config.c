/* Fuzz harness of the boot configuration parser: any bytes as the file; every VM it accepts is well formed. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "hypervisor/config.h"
#include "hypervisor/vm.h"
#include "tests/fuzz/fuzz.h"

struct tally {
	unsigned lines, added, bad, last_bad_line;
};

static int add(void *ctx, const struct vm_config *c, char *err, size_t errlen)
{
	struct tally *t = ctx;
	size_t image_len = strnlen(c->image, sizeof(c->image));

	FUZZ_CHECK(strnlen(c->name, sizeof(c->name)) < sizeof(c->name) && vm_name_valid(c->name));
	FUZZ_CHECK(image_len > 0 && image_len < sizeof(c->image));
	FUZZ_CHECK(c->vcpus >= 1 && c->vcpus <= VM_MAX_VCPUS);
	FUZZ_CHECK(c->autostart == 0 || c->autostart == 1);
	(void)err, (void)errlen;
	t->added++;
	return 0;
}

static void bad(void *ctx, unsigned line, const char *why)
{
	struct tally *t = ctx;

	FUZZ_CHECK(line >= 1 && line <= t->lines && line > t->last_bad_line);
	FUZZ_CHECK(why && why[0] && strlen(why) < 512);
	t->last_bad_line = line;
	t->bad++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally t = { 0 };
	int errors;

	/* As the parser counts them: every LF ends a line, and bytes after the last LF are one more. */
	for (size_t i = 0; i < size; i++)
		t.lines += data[i] == '\n';
	t.lines += size && data[size - 1] != '\n';
	errors = config_parse_file((const char *)data, size, add, bad, &t);
	FUZZ_CHECK(errors >= 0 && (unsigned)errors == t.bad);
	FUZZ_CHECK(t.added + t.bad <= t.lines);
	return 0;
}
