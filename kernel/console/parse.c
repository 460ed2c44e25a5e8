/* Splits console lines into words and decodes numbers, sizes and options. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/parse.h"

#include <stdio.h>
#include <string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Copies one word from *src to *dst (dst never runs ahead of src). Returns 0 or -1. */
static int split_word(char **src, char **dst, const char **err)
{
	char *s = *src, *d = *dst;
	bool quoted = false;

	for (; *s && (quoted || !is_space(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (*s == '\\' && (!quoted || s[1] == '"' || s[1] == '\\')) {
			if (!*++s) {
				*err = "a backslash at the end of the line has nothing to escape";
				return -1;
			}
		}
		*d++ = *s;
	}
	if (quoted) {
		*err = "unterminated quote (a \" has no closing \")";
		return -1;
	}
	*src = s;
	*dst = d;
	return 0;
}

int parse_split(char *line, char **argv, int max, const char **err)
{
	char *src = line, *dst = line;
	int argc = 0;

	for (;;) {
		while (is_space(*src))
			src++;
		if (!*src)
			break;
		if (argc == max) {
			*err = "too many words in one command";
			return -1;
		}
		argv[argc++] = dst;
		if (split_word(&src, &dst, err) < 0)
			return -1;
		bool more = *src != '\0';
		*dst++ = '\0'; /* may overwrite the separator at src: read first */
		src += more;
	}
	return argc;
}

static int digit_value(char c, unsigned base)
{
	unsigned v;

	if (c >= '0' && c <= '9')
		v = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		v = (unsigned)(c - 'A' + 10);
	else
		return -1;
	return v < base ? (int)v : -1;
}

/* Parses the leading digits of `s`; *end points after them. Returns 0 or -1. */
static int parse_digits(const char *s, uint64_t *out, const char **end)
{
	unsigned base = 10;
	uint64_t v = 0;
	const char *p = s;
	int d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2], 16) >= 0) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p, base) < 0)
		return -1;
	for (; (d = digit_value(*p, base)) >= 0; p++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -1;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	*end = p;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	const char *end;

	if (parse_digits(s, out, &end) < 0 || *end)
		return -1;
	return 0;
}

/* log2 of the multiplier a size suffix names, or -1. */
static int size_shift(const char *suffix)
{
	static const char letters[] = "KMGT";
	const char *l;

	if (!*suffix)
		return 0;
	l = strchr(letters, *suffix & ~0x20);
	if (!l || !*l)
		return -1;
	suffix++;
	if (*suffix && strcmp(suffix, "iB") && strcmp(suffix, "B"))
		return -1;
	return 10 * (int)(l - letters + 1);
}

int parse_size(const char *s, uint64_t *bytes)
{
	const char *end;
	uint64_t v;
	int shift;

	if (parse_digits(s, &v, &end) < 0 || (shift = size_shift(end)) < 0)
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*bytes = v << shift;
	return 0;
}

struct parse_opt *parse_opt_find(struct parse_opt *opts, size_t nopts, const char *name)
{
	for (size_t i = 0; i < nopts; i++)
		if (strcmp(opts[i].name, name) == 0)
			return &opts[i];
	return NULL;
}

/* Decodes option argv[*i] (and maybe its value at argv[*i + 1]). Returns 0 or -1. */
static int parse_one_opt(int argc, char **argv, int *i, struct parse_opt *opts, size_t nopts,
			 char *err, size_t errlen)
{
	char name[PARSE_ERR_MAX];
	const char *arg = argv[*i], *eq = strchr(arg, '='), *val = NULL;
	size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
	struct parse_opt *o;

	snprintf(name, sizeof(name), "%.*s", (int)nlen, arg);
	o = parse_opt_find(opts, nopts, name);
	if (!o) {
		snprintf(err, errlen, "unknown option '%s'", name);
		return -1;
	}
	if (!o->takes_number) {
		if (eq) {
			snprintf(err, errlen, "option '%s' takes no value", name);
			return -1;
		}
		o->seen = true;
		return 0;
	}
	val = eq ? eq + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
	if (!val) {
		snprintf(err, errlen, "option '%s' needs a number", name);
		return -1;
	}
	if (parse_u64(val, &o->value) < 0) {
		snprintf(err, errlen, "option '%s' needs a number, not '%s'", name, val);
		return -1;
	}
	o->seen = true;
	return 0;
}

static bool is_option(const char *arg)
{
	return arg[0] == '-' && arg[1] != '\0';
}

int parse_opts(int *argc, char **argv, struct parse_opt *opts, size_t nopts, char *err, size_t errlen)
{
	int kept = 1, i = 1;
	bool only_words = false;

	for (; i < *argc; i++) {
		if (!only_words && strcmp(argv[i], "--") == 0) {
			only_words = true;
		} else if (!only_words && is_option(argv[i])) {
			if (parse_one_opt(*argc, argv, &i, opts, nopts, err, errlen) < 0)
				return -1;
		} else {
			argv[kept++] = argv[i];
		}
	}
	*argc = kept;
	return 0;
}
