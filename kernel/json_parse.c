/* A strict, allocation-free JSON parser (RFC 8259 2-8) with every dimension bounded by the caller. */
/* SPDX-License-Identifier: MIT */
#include "kernel/json_parse.h"

#include <string.h>

#define KEY_BUF 256 /* member names are compared decoded; key_max is clamped below this */

struct parser {
	const char *s;
	size_t pos, len;
	struct json_tok *tok;
	uint32_t n, cap;
	const struct json_limits *lim;
	const char *err;
};

static int fail(struct parser *p, const char *why)
{
	if (!p->err)
		p->err = why;
	return -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int hex4(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -1;
		v = v * 16 + d;
	}
	*out = v;
	return 0;
}

/* Writes code point `cp` as UTF-8 (RFC 3629 3) at out[*n..) if it fits; always advances *n. */
static void put_utf8(uint32_t cp, char *out, size_t cap, size_t *n)
{
	unsigned char b[4];
	size_t k;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	for (size_t i = 0; i < k; i++, (*n)++)
		if (out && *n < cap)
			out[*n] = (char)b[i];
}

/* One escape at s[0] == '\\' (RFC 8259 7); returns the bytes consumed, or 0 if it is bad. */
static size_t escape(const char *s, size_t avail, bool ascii, char *out, size_t cap, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	uint32_t cp, lo;

	if (avail < 2)
		return 0;
	if (s[1] != 'u') {
		if (!s[1] || !(hit = strchr(from, s[1])))
			return 0;
		put_utf8((uint32_t)(unsigned char)to[hit - from], out, cap, n);
		return 2;
	}
	if (avail < 6 || hex4(s + 2, &cp))
		return 0;
	if (ascii && (cp < 1 || cp > 0x7f))
		return 0;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return 0; /* a low surrogate alone */
	if (cp < 0xd800 || cp > 0xdbff) {
		put_utf8(cp, out, cap, n);
		return 6;
	}
	if (avail < 12 || s[6] != '\\' || s[7] != 'u' || hex4(s + 8, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return 0; /* a high surrogate not followed by a low one */
	put_utf8(0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00), out, cap, n);
	return 12;
}

/* Decodes the string body s[0..len) (escapes checked); *n gets the decoded length. 0 or -1. */
static int decode(const char *s, size_t len, bool ascii, char *out, size_t cap, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] == '\\') {
			size_t used = escape(s + i, len - i, ascii, out, cap, n);
			if (!used)
				return -1;
			i += used;
			continue;
		}
		if (out && *n < cap)
			out[*n] = s[i];
		(*n)++;
		i++;
	}
	return 0;
}

static int new_tok(struct parser *p, uint8_t type, size_t start, size_t len)
{
	struct json_tok *t;

	if (p->n >= p->cap)
		return fail(p, "too many values");
	t = &p->tok[p->n];
	t->type = type;
	t->start = (uint32_t)start;
	t->len = (uint32_t)len;
	t->count = 0;
	t->next = p->n + 1;
	return (int)p->n++;
}

/* A string at p->pos == '"'; `max` bounds its decoded length. Returns its token or -1. */
static int string(struct parser *p, uint32_t max)
{
	size_t start = ++p->pos, n;

	while (p->pos < p->len && p->s[p->pos] != '"') {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c < 0x20)
			return fail(p, "control character in a string");
		p->pos += (c == '\\' && p->pos + 1 < p->len) ? 2 : 1;
	}
	if (p->pos >= p->len)
		return fail(p, "unterminated string");
	if (decode(p->s + start, p->pos - start, p->lim->ascii_escapes, NULL, 0, &n))
		return fail(p, "bad escape in a string");
	if (n > max)
		return fail(p, "string too long");
	p->pos++;
	return new_tok(p, JSON_STRING, start, p->pos - 1 - start);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t digits(struct parser *p)
{
	size_t n = 0;

	while (p->pos < p->len && is_digit(p->s[p->pos])) {
		p->pos++;
		n++;
	}
	return n;
}

/* number = [ minus ] int [ frac ] [ exp ] (RFC 8259 6). */
static int number(struct parser *p)
{
	size_t start = p->pos;

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->len && is_digit(p->s[p->pos]))
			return fail(p, "leading zero in a number");
	} else if (!digits(p)) {
		return fail(p, "bad number");
	}
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (!digits(p))
			return fail(p, "bad number");
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!digits(p))
			return fail(p, "bad number");
	}
	if (p->pos - start > p->lim->num_max)
		return fail(p, "number too long");
	return new_tok(p, JSON_NUMBER, start, p->pos - start);
}

static int literal(struct parser *p, const char *word, uint8_t type)
{
	size_t n = strlen(word), start = p->pos;

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return fail(p, "unexpected character");
	p->pos += n;
	return new_tok(p, type, start, n);
}

static int value(struct parser *p, uint32_t depth);

static bool same_key(const struct parser *p, const struct json_tok *a, const struct json_tok *b)
{
	char x[KEY_BUF], y[KEY_BUF];
	size_t nx, ny;

	decode(p->s + a->start, a->len, false, x, sizeof(x), &nx);
	decode(p->s + b->start, b->len, false, y, sizeof(y), &ny);
	return nx == ny && nx <= sizeof(x) && memcmp(x, y, nx) == 0;
}

static int member(struct parser *p, int obj, uint32_t depth)
{
	uint32_t kmax = p->lim->key_max < KEY_BUF ? p->lim->key_max : KEY_BUF - 1;
	int key;

	if (p->pos >= p->len || p->s[p->pos] != '"')
		return fail(p, "expected a member name in double quotes");
	if ((key = string(p, kmax)) < 0)
		return -1;
	for (uint32_t k = (uint32_t)obj + 1; k < (uint32_t)key; k = p->tok[k + 1].next)
		if (same_key(p, &p->tok[k], &p->tok[key]))
			return fail(p, "duplicate member name");
	skip_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != ':')
		return fail(p, "expected ':' after a member name");
	p->pos++;
	skip_ws(p);
	return value(p, depth) < 0 ? -1 : 0;
}

/* An array or object at p->pos; `depth` is its own depth. */
static int container(struct parser *p, uint32_t depth)
{
	bool object = p->s[p->pos] == '{';
	char close = object ? '}' : ']';
	int at = new_tok(p, object ? JSON_OBJECT : JSON_ARRAY, p->pos, 0);

	if (at < 0)
		return -1;
	if (depth > p->lim->depth_max)
		return fail(p, "nested too deeply");
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
	} else {
		for (;;) {
			if (p->tok[at].count >= p->lim->members_max)
				return fail(p, object ? "too many members" : "too many elements");
			if ((object ? member(p, at, depth + 1) : value(p, depth + 1)) < 0)
				return -1;
			p->tok[at].count++;
			skip_ws(p);
			if (p->pos < p->len && p->s[p->pos] == ',') {
				p->pos++;
				skip_ws(p);
				continue;
			}
			if (p->pos < p->len && p->s[p->pos] == close) {
				p->pos++;
				break;
			}
			return fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	}
	p->tok[at].len = (uint32_t)(p->pos - p->tok[at].start);
	p->tok[at].next = p->n;
	return at;
}

static int value(struct parser *p, uint32_t depth)
{
	char c;

	if (p->pos >= p->len)
		return fail(p, "expected a value");
	c = p->s[p->pos];
	if (c == '{' || c == '[')
		return container(p, depth);
	if (c == '"')
		return string(p, p->lim->str_max);
	if (c == '-' || is_digit(c))
		return number(p);
	if (c == 't')
		return literal(p, "true", JSON_TRUE);
	if (c == 'f')
		return literal(p, "false", JSON_FALSE);
	if (c == 'n')
		return literal(p, "null", JSON_NULL);
	return fail(p, "unexpected character");
}

int json_parse(struct json_doc *doc, const char *text, size_t len, struct json_tok *toks, uint32_t cap,
	       const struct json_limits *lim, const char **err)
{
	struct parser p = { .s = text, .len = len, .tok = toks, .cap = cap, .lim = lim };

	doc->text = text;
	doc->len = len;
	doc->tok = toks;
	doc->ntok = 0;
	if (len > UINT32_MAX)
		return *err = "text too long", -1;
	skip_ws(&p);
	if (value(&p, 1) < 0)
		return *err = p.err, -1;
	skip_ws(&p);
	if (p.pos != p.len)
		return *err = "bytes after the value", -1;
	doc->ntok = p.n;
	return 0;
}

static const struct json_tok *tok_at(const struct json_doc *doc, int at)
{
	return at >= 0 && (uint32_t)at < doc->ntok ? &doc->tok[at] : NULL;
}

int json_type_of(const struct json_doc *doc, int at)
{
	const struct json_tok *t = tok_at(doc, at);
	return t ? t->type : -1;
}

int json_first(const struct json_doc *doc, int at)
{
	const struct json_tok *t = tok_at(doc, at);
	return t && (t->type == JSON_ARRAY || t->type == JSON_OBJECT) && t->count ? at + 1 : -1;
}

int json_after(const struct json_doc *doc, int at)
{
	const struct json_tok *t = tok_at(doc, at);
	int parent;

	if (!t)
		return -1;
	/* the container holding `at` is the nearest earlier container whose subtree covers it */
	for (parent = at - 1; parent >= 0; parent--) {
		const struct json_tok *c = &doc->tok[parent];
		if ((c->type == JSON_ARRAY || c->type == JSON_OBJECT) && c->next > (uint32_t)at)
			break;
	}
	if (parent < 0 || t->next >= doc->tok[parent].next)
		return -1;
	return (int)t->next;
}

int json_get(const struct json_doc *doc, int obj, const char *key)
{
	const struct json_tok *o = tok_at(doc, obj);
	uint32_t k;

	if (!o || o->type != JSON_OBJECT)
		return -1;
	k = (uint32_t)obj + 1;
	for (uint32_t i = 0; i < o->count; i++, k = doc->tok[k + 1].next)
		if (json_str_eq(doc, (int)k, key))
			return (int)k + 1;
	return -1;
}

bool json_str_eq(const struct json_doc *doc, int at, const char *s)
{
	char buf[KEY_BUF];
	size_t n, want = strlen(s);

	if (want >= sizeof(buf) || json_get_str(doc, at, buf, sizeof(buf), &n))
		return false;
	return n == want && memcmp(buf, s, n) == 0;
}

int json_get_str(const struct json_doc *doc, int at, char *out, size_t cap, size_t *n)
{
	const struct json_tok *t = tok_at(doc, at);
	size_t got;

	if (!t || t->type != JSON_STRING || cap == 0)
		return -1;
	if (decode(doc->text + t->start, t->len, false, out, cap, &got) || got >= cap)
		return -1;
	out[got] = '\0';
	if (n)
		*n = got;
	return 0;
}

int json_get_bool(const struct json_doc *doc, int at, bool *out)
{
	const struct json_tok *t = tok_at(doc, at);

	if (!t || (t->type != JSON_TRUE && t->type != JSON_FALSE))
		return -1;
	*out = t->type == JSON_TRUE;
	return 0;
}

int json_get_int(const struct json_doc *doc, int at, int64_t min, int64_t max, int64_t *out)
{
	const struct json_tok *t = tok_at(doc, at);
	const char *s;
	uint64_t mag = 0, limit;
	bool neg;

	if (!t || t->type != JSON_NUMBER)
		return -1;
	s = doc->text + t->start;
	neg = s[0] == '-';
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (uint32_t i = neg; i < t->len; i++) {
		if (!is_digit(s[i]))
			return -1; /* a fraction or an exponent */
		if (mag > (limit - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		mag = mag * 10 + (uint64_t)(s[i] - '0');
	}
	int64_t v = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
