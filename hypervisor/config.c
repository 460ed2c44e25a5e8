/* Parsing VM configurations: console words and the boot configuration file (pure logic). */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hypervisor/config.h"
#include "kernel/console/parse.h"

#define LINE_MAX_BYTES 512
#define WORDS_MAX 16

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

static int set_key(struct vm_config *c, const char *key, const char *val, char *err, size_t errlen)
{
	uint64_t n;

	if (!strcmp(key, "image")) {
		if (!*val || strlen(val) >= sizeof(c->image))
			return snprintf(err, errlen, "image= needs a file name under %zu characters", sizeof(c->image)), -1;
		strcpy(c->image, val);
	} else if (!strcmp(key, "mem")) {
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
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return snprintf(err, errlen, "autostart=%s: give yes or no", val), -1;
		c->autostart = !strcmp(val, "yes");
	} else {
		return snprintf(err, errlen, "unknown setting '%s' (image, mem, vcpus, cpus, autostart)", key), -1;
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
		return snprintf(err, errlen, "image= is required, e.g. image=hello.elf"), -1;
	return 0;
}

static void parse_line(char *line, unsigned no, config_add_fn add, void (*bad)(void *, unsigned, const char *),
		       void *ctx, int *errors)
{
	char *words[WORDS_MAX], err[160];
	const char *why = NULL;
	struct vm_config cfg;
	int n;

	line[strcspn(line, "#")] = 0;
	n = parse_split(line, words, WORDS_MAX, &why);
	if (n == 0)
		return;
	if (n < 0)
		snprintf(err, sizeof(err), "%s", why);
	else if (strcmp(words[0], "vm") || n < 2)
		snprintf(err, sizeof(err), "expected 'vm NAME image=FILE [mem=SIZE] [vcpus=N] [cpus=LIST] [autostart=yes]'");
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
