/* Parsing and checking the words of every `ct` command before anything is sent to a guest agent. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/ct_args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/console/parse.h"

static const char *const op_names[CT_OP_COUNT] = {
	[CT_LIST] = "list", [CT_IMAGES] = "images", [CT_RUN] = "run", [CT_EXEC] = "exec", [CT_LOGS] = "logs",
	[CT_STOP] = "stop", [CT_KILL] = "kill", [CT_RM] = "rm", [CT_STATS] = "stats",
};

/* Positional words each subcommand takes: VM, then NAME, then IMAGE (run) or SIGNAL (kill, optional). */
static const uint8_t words_min[CT_OP_COUNT] = {
	[CT_LIST] = 1, [CT_IMAGES] = 1, [CT_RUN] = 3, [CT_EXEC] = 2, [CT_LOGS] = 2,
	[CT_STOP] = 2, [CT_KILL] = 2, [CT_RM] = 2, [CT_STATS] = 2,
};
static const uint8_t words_max[CT_OP_COUNT] = {
	[CT_LIST] = 1, [CT_IMAGES] = 1, [CT_RUN] = 3, [CT_EXEC] = 2, [CT_LOGS] = 2,
	[CT_STOP] = 2, [CT_KILL] = 3, [CT_RM] = 2, [CT_STATS] = 2,
};

/* The options each subcommand accepts, as a space-separated list for messages. */
static const char *const opts_of[CT_OP_COUNT] = {
	[CT_LIST] = "--json", [CT_IMAGES] = "--json",
	[CT_RUN] = "--mem=SIZE --pids=N --cpus=N --env=K=V -i", [CT_EXEC] = "-i", [CT_LOGS] = "-n LINES -f",
	[CT_STOP] = "--timeout S", [CT_KILL] = "", [CT_RM] = "", [CT_STATS] = "--json",
};

static int say(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       c == '-';
}

int ct_check_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > AGENT_NAME_MAX || s[0] == '.' || s[0] == '-')
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]))
			return -1;
	return 0;
}

/* An IMAGE: a name as `ct images` lists it, with ':' and '/' allowed for references. */
static int check_image(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > AGENT_NAME_MAX || s[0] == '.' || s[0] == '-' || s[0] == ':' || s[0] == '/')
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]) && s[i] != ':' && s[i] != '/')
			return -1;
	return 0;
}

static int check_vm_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > CT_VM_NAME_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return -1;
	return 0;
}

int ct_parse_cpus(const char *s, uint32_t *milli)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0, fdigits = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > CT_CPUS_MILLI_MAX / 1000)
			return -1;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits == 3)
				return -1;
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		if (!fdigits)
			return -1;
	}
	if (*p || (!digits && !fdigits))
		return -1;
	while (fdigits++ < 3)
		frac *= 10;
	whole = whole * 1000 + frac;
	if (whole < CT_CPUS_MILLI_MIN || whole > CT_CPUS_MILLI_MAX)
		return -1;
	*milli = (uint32_t)whole;
	return 0;
}

int ct_check_signal(const char *s)
{
	static const char *const names[] = {
		"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
		"ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
		"VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
	};
	uint64_t n;

	if (s[0] >= '0' && s[0] <= '9')
		return parse_u64(s, &n) == 0 && n >= 1 && n <= 64 && s[0] != '0' ? 0 : -1;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return 0;
	return -1;
}

static int check_env(const char *kv, char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');

	if (!eq || eq == kv)
		return say(err, errlen, "--env takes K=V, e.g. --env=PATH=/bin, not '%s'", kv);
	for (const char *p = kv; p < eq; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' ||
		      (p > kv && *p >= '0' && *p <= '9')))
			return say(err, errlen, "--env: the name in '%s' may hold only letters, digits and '_' "
				   "(not a digit first)", kv);
	if (strlen(kv) > AGENT_STR_MAX)
		return say(err, errlen, "--env: '%.20s...' is over %d bytes", kv, AGENT_STR_MAX);
	return 0;
}

/* The value of option `name`: "--name=V" or "--name V". NULL (and err) when it has none. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, const char *example, char *err,
			     size_t errlen)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (a[n] == '=')
		return a + n + 1;
	if (*i + 1 < argc && strcmp(argv[*i + 1], "--"))
		return argv[++*i];
	say(err, errlen, "option '%s' needs a value, e.g. %s", name, example);
	return NULL;
}

static bool is_opt(const char *a, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(a, name, n) && (a[n] == '\0' || a[n] == '=');
}

static int opt_number(const char *v, const char *name, uint64_t lo, uint64_t hi, const char *example, uint64_t *out,
		      char *err, size_t errlen)
{
	if (parse_u64(v, out) || *out < lo || *out > hi)
		return say(err, errlen, "option '%s' takes %llu to %llu, not '%s'; e.g. %s", name, (unsigned long long)lo,
			   (unsigned long long)hi, v, example);
	return 0;
}

static bool allows(enum ct_op op, const char *opt)
{
	const char *list = opts_of[op], *hit = strstr(list, opt);
	size_t n = strlen(opt);

	return hit && (hit == list || hit[-1] == ' ') && (hit[n] == '\0' || hit[n] == ' ' || hit[n] == '=');
}

/* One option at argv[*i] for `c->op`. */
static int option(int argc, char **argv, int *i, struct ct_cmd *c, char *err, size_t errlen)
{
	const char *a = argv[*i], *v;
	uint64_t n;

	if ((is_opt(a, "--json") || is_opt(a, "-i") || is_opt(a, "-f")) && strchr(a, '='))
		return say(err, errlen, "option '%.*s' takes no value", (int)(strchr(a, '=') - a), a);
	if (!strcmp(a, "--json") && allows(c->op, "--json"))
		return c->json = true, 0;
	if (!strcmp(a, "-i") && allows(c->op, "-i"))
		return c->interactive = true, 0;
	if (!strcmp(a, "-f") && allows(c->op, "-f"))
		return c->follow = true, 0;
	if (is_opt(a, "--mem") && allows(c->op, "--mem")) {
		if (!(v = opt_value(argc, argv, i, "--mem", "--mem=64M", err, errlen)))
			return -1;
		if (parse_size(v, &c->mem) || c->mem < CT_MEM_MIN || c->mem > CT_MEM_MAX)
			return say(err, errlen, "--mem takes a size from 1M to 1T with K, M, G or T, e.g. --mem=64M, "
				   "not '%s' (leave it out for no limit)", v);
		return 0;
	}
	if (is_opt(a, "--pids") && allows(c->op, "--pids")) {
		if (!(v = opt_value(argc, argv, i, "--pids", "--pids=64", err, errlen)) ||
		    opt_number(v, "--pids", 1, CT_PIDS_MAX, "--pids=64", &n, err, errlen))
			return -1;
		return c->pids = (uint32_t)n, 0;
	}
	if (is_opt(a, "--cpus") && allows(c->op, "--cpus")) {
		if (!(v = opt_value(argc, argv, i, "--cpus", "--cpus=0.5", err, errlen)))
			return -1;
		if (ct_parse_cpus(v, &c->cpus_milli))
			return say(err, errlen, "--cpus takes a number of CPUs from 0.01 to 1024 with at most 3 decimals, "
				   "e.g. --cpus=0.5, not '%s'", v);
		return 0;
	}
	if (is_opt(a, "--env") && allows(c->op, "--env")) {
		if (!(v = opt_value(argc, argv, i, "--env", "--env=K=V", err, errlen)) || check_env(v, err, errlen))
			return -1;
		if (c->nenv >= AGENT_LIST_MAX)
			return say(err, errlen, "at most %d --env options", AGENT_LIST_MAX);
		return c->env[c->nenv++] = v, 0;
	}
	if (is_opt(a, "-n") && allows(c->op, "-n")) {
		if (!(v = opt_value(argc, argv, i, "-n", "-n 20", err, errlen)) ||
		    opt_number(v, "-n", 1, CT_LINES_MAX, "-n 20", &n, err, errlen))
			return -1;
		return c->lines = (uint32_t)n, 0;
	}
	if (is_opt(a, "--timeout") && allows(c->op, "--timeout")) {
		if (!(v = opt_value(argc, argv, i, "--timeout", "--timeout 30", err, errlen)) ||
		    opt_number(v, "--timeout", 1, CT_TIMEOUT_MAX, "--timeout 30", &n, err, errlen))
			return -1;
		return c->timeout_s = (uint32_t)n, 0;
	}
	if (opts_of[c->op][0])
		return say(err, errlen, "ct %s has no option '%s' (it takes %s)", op_names[c->op], a, opts_of[c->op]);
	return say(err, errlen, "ct %s takes no options, not '%s'", op_names[c->op], a);
}

static int check_words(struct ct_cmd *c, const char **w, uint32_t n, char *err, size_t errlen)
{
	static const char *const what[3] = { "VM", "NAME", "IMAGE" };

	if (n < words_min[c->op])
		return say(err, errlen, "missing %s", what[n]);
	if (n > words_max[c->op])
		return say(err, errlen, "unexpected word '%s'%s", w[words_max[c->op]],
			   c->op == CT_RUN || c->op == CT_EXEC ? " (a command goes after --)" : "");
	if (check_vm_name(w[0]))
		return say(err, errlen, "'%s' is not a VM name ('vm list' shows them)", w[0]);
	c->vm = w[0];
	if (n >= 2 && ct_check_name(w[1]))
		return say(err, errlen, "'%s' is not a container name: 1 to %d of A-Z a-z 0-9 _ . - "
			   "(not '.' or '-' first), e.g. web-1", w[1], AGENT_NAME_MAX);
	c->name = n >= 2 ? w[1] : NULL;
	if (c->op == CT_RUN && check_image(w[2]))
		return say(err, errlen, "'%s' is not an image name; 'ct images %s' lists them", w[2], c->vm);
	if (c->op == CT_RUN)
		c->image = w[2];
	if (c->op == CT_KILL && n == 3) {
		if (ct_check_signal(w[2]))
			return say(err, errlen, "'%s' is not a signal: a number 1 to 64 or a name such as TERM, KILL, "
				   "HUP, INT", w[2]);
		c->signal = w[2];
	}
	return 0;
}

int ct_parse(int argc, char **argv, struct ct_cmd *out, char *err, size_t errlen)
{
	const char *words[CT_WORDS_MAX];
	uint32_t nwords = 0;
	int i = 1, op;

	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	for (op = 0; op < CT_OP_COUNT && (argc < 1 || strcmp(argv[0], op_names[op])); op++)
		;
	if (op == CT_OP_COUNT)
		return say(err, errlen, "unknown ct command '%s'; type 'help ct' for the list", argc ? argv[0] : "");
	out->op = (enum ct_op)op;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			if (option(argc, argv, &i, out, err, errlen))
				return -1;
			continue;
		}
		if (nwords == CT_WORDS_MAX)
			return say(err, errlen, "too many words");
		words[nwords++] = argv[i];
	}
	if (i < argc && out->op != CT_RUN && out->op != CT_EXEC)
		return say(err, errlen, "ct %s takes no command after --", op_names[out->op]);
	for (; i < argc; i++) {
		if (out->nargs >= AGENT_LIST_MAX || strlen(argv[i]) > AGENT_STR_MAX)
			return say(err, errlen, "the command is over %d words or a word over %d bytes", AGENT_LIST_MAX,
				   AGENT_STR_MAX);
		out->args[out->nargs++] = argv[i];
	}
	if (check_words(out, words, nwords, err, errlen))
		return -1;
	if (out->op == CT_EXEC && !out->nargs)
		return say(err, errlen, "missing the command: put it after --, e.g. ct exec %s %s -- ps", out->vm,
			   out->name);
	return 0;
}
