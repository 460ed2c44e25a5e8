/* Parsing VM configurations: console words and the boot configuration file (pure logic). */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hypervisor/config.h"
#include "kernel/console/parse.h"

#define LINE_MAX_BYTES 512
#define WORDS_MAX 32

static int parse_cpu_number(const char *s, const char **end, unsigned *out)
{
	char *e;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &e, 10);
	if (v > 63)
		return -1;
	*out = (unsigned)v;
	*end = e;
	return 0;
}

int config_parse_cpus(const char *s, uint64_t *mask)
{
	*mask = 0;
	if (!strcmp(s, "all"))
		return 0;
	while (*s) {
		unsigned lo, hi;
		if (parse_cpu_number(s, &s, &lo))
			return -1;
		hi = lo;
		if (*s == '-' && parse_cpu_number(s + 1, &s, &hi))
			return -1;
		if (hi < lo)
			return -1;
		for (unsigned c = lo; c <= hi; c++)
			*mask |= 1ull << c;
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -1;
	}
	return *mask ? 0 : -1;
}

static int set_file(char *dst, const char *key, const char *val, char *err, size_t errlen)
{
	if (!*val || strlen(val) >= VM_FILE_MAX)
		return snprintf(err, errlen, "%s= needs a file name under %d characters", key, VM_FILE_MAX), -1;
	strcpy(dst, val);
	return 0;
}

static int set_yes_no(bool *dst, const char *key, const char *val, char *err, size_t errlen)
{
	if (strcmp(val, "yes") && strcmp(val, "no"))
		return snprintf(err, errlen, "%s=%s: give yes or no", key, val), -1;
	*dst = !strcmp(val, "yes");
	return 0;
}

/* disk=FILE or disk=FILE,ro: a virtio-blk disk backed by a boot module. */
static int set_disk(struct vm_boot *b, const char *val, char *err, size_t errlen)
{
	char file[VM_FILE_MAX + 3];
	size_t n = strlen(val);
	bool ro = false;

	if (b->disk_count == VM_DISKS_MAX)
		return snprintf(err, errlen, "at most %d disk= words", VM_DISKS_MAX), -1;
	if (n >= sizeof(file))
		return snprintf(err, errlen, "disk= needs a file name under %d characters", VM_FILE_MAX), -1;
	strcpy(file, val);
	if (n >= 3 && !strcmp(file + n - 3, ",ro"))
		file[n - 3] = 0, ro = true;
	if (strchr(file, ','))
		return snprintf(err, errlen, "disk=%s: give disk=FILE or disk=FILE,ro", val), -1;
	if (set_file(b->disks[b->disk_count].file, "disk", file, err, errlen))
		return -1;
	b->disks[b->disk_count++].ro = ro;
	return 0;
}

/* The words that name what the guest boots: kernel=/image=, initrd=, cmdline=, module=, debug_exit=. */
static int set_boot_key(struct vm_config *c, const char *key, const char *val, char *err, size_t errlen)
{
	struct vm_boot *b = &c->boot;

	if (!strcmp(key, "image") || !strcmp(key, "kernel")) {
		if (c->image[0])
			return snprintf(err, errlen, "give the image once, as kernel=FILE (or image=FILE)"), -1;
		return set_file(c->image, key, val, err, errlen);
	}
	if (!strcmp(key, "initrd")) {
		if (b->initrd[0])
			return snprintf(err, errlen, "initrd= given twice; a Linux guest takes one initramfs"), -1;
		return set_file(b->initrd, key, val, err, errlen);
	}
	if (!strcmp(key, "cmdline")) {
		if (strlen(val) >= sizeof(b->cmdline))
			return snprintf(err, errlen, "cmdline= is longer than %zu characters", sizeof(b->cmdline) - 1), -1;
		strcpy(b->cmdline, val);
		return 0;
	}
	if (!strcmp(key, "module")) {
		if (b->module_count == VM_MODULES_MAX)
			return snprintf(err, errlen, "at most %d module= words", VM_MODULES_MAX), -1;
		return set_file(b->modules[b->module_count++], key, val, err, errlen);
	}
	if (!strcmp(key, "debug_exit"))
		return set_yes_no(&b->debug_exit, key, val, err, errlen);
	if (!strcmp(key, "disk"))
		return set_disk(b, val, err, errlen);
	return 1; /* not a boot word */
}

static int set_key(struct vm_config *c, const char *key, const char *val, char *err, size_t errlen)
{
	uint64_t n;
	int rc = set_boot_key(c, key, val, err, errlen);

	if (rc <= 0)
		return rc;
	if (!strcmp(key, "mem")) {
		if (parse_size(val, &c->mem_bytes))
			return snprintf(err, errlen, "mem=%s is not a size (e.g. mem=64M)", val), -1;
	} else if (!strcmp(key, "vcpus")) {
		if (parse_u64(val, &n) || n == 0 || n > VM_MAX_VCPUS)
			return snprintf(err, errlen, "vcpus=%s: give 1 to %d", val, VM_MAX_VCPUS), -1;
		c->vcpus = (uint32_t)n;
	} else if (!strcmp(key, "cpus")) {
		if (config_parse_cpus(val, &c->cpu_mask))
			return snprintf(err, errlen, "cpus=%s: give a list like 0,1 or 0-3 or all", val), -1;
	} else if (!strcmp(key, "autostart")) {
		return set_yes_no(&c->autostart, key, val, err, errlen);
	} else if (!strcmp(key, "mmio_test")) {
		return set_yes_no(&c->mmio_test, key, val, err, errlen);
	} else {
		return snprintf(err, errlen, "unknown setting '%s' (kernel, image, initrd, cmdline, module, debug_exit, disk, "
			 "mem, vcpus, cpus, autostart, mmio_test)", key), -1;
	}
	return 0;
}

int vm_config_from_words(const char *name, int nwords, char **words, struct vm_config *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->mem_bytes = VM_DEFAULT_MEM;
	c->vcpus = 1;
	if (!vm_name_valid(name))
		return snprintf(err, errlen, "bad VM name: use 1-31 letters, digits, '.', '_' or '-'"), -1;
	strcpy(c->name, name);
	for (int i = 0; i < nwords; i++) {
		char key[16];
		const char *eq = strchr(words[i], '=');
		size_t klen = eq ? (size_t)(eq - words[i]) : 0;
		if (!eq || klen == 0 || klen >= sizeof(key))
			return snprintf(err, errlen, "expected KEY=VALUE, got a word without '='"), -1;
		memcpy(key, words[i], klen);
		key[klen] = 0;
		if (set_key(c, key, eq + 1, err, errlen))
			return -1;
	}
	if (!c->image[0])
		return snprintf(err, errlen, "kernel= (or image=) is required, e.g. kernel=hello.elf"), -1;
	return 0;
}

/* A '#' outside double quotes starts a comment; inside them (cmdline="a#b") it is text, as is \#. */
static void strip_comment(char *line)
{
	bool quoted = false;

	for (char *p = line; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == '#' && !quoted) {
			*p = 0;
			return;
		}
	}
}

static void parse_line(char *line, unsigned no, config_add_fn add, void (*bad)(void *, unsigned, const char *),
		       void *ctx, int *errors)
{
	char *words[WORDS_MAX], err[320];
	const char *why = NULL;
	struct vm_config cfg;
	int n;

	strip_comment(line);
	n = parse_split(line, words, WORDS_MAX, &why);
	if (n == 0 || (n > 0 && (!strcmp(words[0], "net") || !strcmp(words[0], "api"))))
		return; /* the management network's lines: kernel/net/net_config.c reads them */
	if (n < 0)
		snprintf(err, sizeof(err), "%s", why);
	else if (strcmp(words[0], "vm") || n < 2)
		snprintf(err, sizeof(err), "expected 'vm NAME kernel=FILE [initrd=FILE] [cmdline=\"...\"] [module=FILE]... [disk=FILE[,ro]]... [mem=SIZE] [vcpus=N] [cpus=LIST] [autostart=yes]'");
	else if (!vm_config_from_words(words[1], n - 2, words + 2, &cfg, err, sizeof(err))) {
		if (!add(ctx, &cfg, err, sizeof(err)))
			return;
	}
	bad(ctx, no, err);
	(*errors)++;
}

int config_parse_file(const char *text, size_t len, config_add_fn add,
		      void (*bad)(void *ctx, unsigned line, const char *why), void *ctx)
{
	char line[LINE_MAX_BYTES];
	unsigned no = 0;
	int errors = 0;
	size_t i = 0;

	while (i < len) {
		size_t start = i, n;
		while (i < len && text[i] != '\n')
			i++;
		n = i - start;
		no++;
		i++; /* past the newline */
		if (n >= sizeof(line) || memchr(text + start, 0, n)) {
			bad(ctx, no, n >= sizeof(line) ? "line too long" : "NUL byte in line");
			errors++;
			continue;
		}
		memcpy(line, text + start, n);
		line[n] = 0;
		parse_line(line, no, add, bad, ctx, &errors);
	}
	return errors;
}
