/* A strict parser for flat JSON objects (RFC 8259 4, 6, 7), bounded in every dimension. */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api/json_in.h"

#include <string.h>

struct cursor {
	const char *p, *end;
	const char *err;
};

static void ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int bad(struct cursor *c, const char *why)
{
	c->err = why;
	return -1;
}

static int escape(struct cursor *c, char *ch)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	int v = 0;

	if (c->p >= c->end)
		return bad(c, "unterminated string");
	if (*c->p != 'u') {
		if (!(hit = strchr(from, *c->p)) || !*c->p)
			return bad(c, "bad escape in a string");
		*ch = to[hit - from];
		c->p++;
		return 0;
	}
	if (c->end - c->p < 5)
		return bad(c, "short \\u escape");
	for (int i = 1; i <= 4; i++) {
		int h = hexval(c->p[i]);
		if (h < 0)
			return bad(c, "bad \\u escape");
		v = v * 16 + h;
	}
	if (v < 1 || v > 0x7f)
		return bad(c, "only ASCII \\u escapes are accepted");
	*ch = (char)v;
	c->p += 5;
	return 0;
}

static int string(struct cursor *c, char *out, size_t max)
{
	size_t n = 0;

	c->p++; /* the opening quote */
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		if ((unsigned char)ch < 0x20)
			return bad(c, "control character in a string");
		if (ch == '\\' && escape(c, &ch))
			return -1;
		if (n + 1 >= max)
			return bad(c, "string too long");
		out[n++] = ch;
	}
	if (c->p >= c->end)
		return bad(c, "unterminated string");
	c->p++;
	out[n] = 0;
	return 0;
}

static int scalar(struct cursor *c, struct json_member *m)
{
	size_t n = 0;

	if (c->p < c->end && *c->p == '"') {
		m->is_string = 1;
		return string(c, m->value, sizeof(m->value));
	}
	m->is_string = 0;
	if (c->end - c->p >= 4 && !strncmp(c->p, "true", 4))
		n = 4;
	else if (c->end - c->p >= 5 && !strncmp(c->p, "false", 5))
		n = 5;
	else {
		if (c->p < c->end && *c->p == '-')
			n++;
		while (c->p + n < c->end && c->p[n] >= '0' && c->p[n] <= '9')
			n++;
		if (n == 0 || (n == 1 && *c->p == '-'))
			return bad(c, "values must be strings, integers or booleans");
		if ((c->p[*c->p == '-'] == '0') && n > (size_t)(1 + (*c->p == '-')))
			return bad(c, "leading zero in a number");
	}
	if (n >= sizeof(m->value))
		return bad(c, "number too long");
	memcpy(m->value, c->p, n);
	m->value[n] = 0;
	c->p += n;
	return 0;
}

static int member(struct cursor *c, struct json_member *out, int count)
{
	struct json_member *m = &out[count];

	if (c->p >= c->end || *c->p != '"')
		return bad(c, "expected a member name in double quotes");
	if (string(c, m->key, sizeof(m->key)))
		return -1;
	for (int i = 0; i < count; i++)
		if (!strcmp(out[i].key, m->key))
			return bad(c, "duplicate member name");
	ws(c);
	if (c->p >= c->end || *c->p++ != ':')
		return bad(c, "expected ':' after a member name");
	ws(c);
	return scalar(c, m);
}

int json_in_object(const char *text, size_t len, struct json_member *out, int max, const char **err)
{
	struct cursor c = { text, text + len, NULL };
	int count = 0;

	ws(&c);
	if (c.p >= c.end || *c.p++ != '{')
		return *err = "the body must be a JSON object", -1;
	ws(&c);
	if (c.p < c.end && *c.p == '}')
		c.p++;
	else
		for (;;) {
			if (count >= max)
				return *err = "too many members", -1;
			if (member(&c, out, count))
				return *err = c.err, -1;
			count++;
			ws(&c);
			if (c.p < c.end && *c.p == ',') {
				c.p++;
				ws(&c);
				continue;
			}
			if (c.p < c.end && *c.p == '}') {
				c.p++;
				break;
			}
			return *err = "expected ',' or '}'", -1;
		}
	ws(&c);
	if (c.p != c.end)
		return *err = "bytes after the object", -1;
	return count;
}
