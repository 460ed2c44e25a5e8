/* The API's flat JSON bodies, read through the one JSON parser (kernel/json_parse.c). */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api/json_in.h"

#include <string.h>

#include "kernel/json_parse.h"

#define TOKS_MAX (1 + 2 * JSON_IN_MAX_MEMBERS + 1) /* the object, a name and a value per member, one over */

static const struct json_limits flat_limits = {
	.depth_max = 2, /* lets a nested value be seen, and refused below by its type */
	.str_max = JSON_IN_VALUE_MAX - 1,
	.key_max = JSON_IN_KEY_MAX - 1,
	.members_max = JSON_IN_MAX_MEMBERS,
	.num_max = JSON_IN_VALUE_MAX - 1,
	.ascii_escapes = true,
};

/* Copies member value token `v` into `m` as the API has always seen it. 0 or -1 with *err. */
static int flat_value(const struct json_doc *doc, int v, struct json_member *m, const char **err)
{
	const struct json_tok *t = &doc->tok[v];
	int64_t ignored;

	m->is_string = t->type == JSON_STRING;
	if (t->type == JSON_STRING)
		return json_get_str(doc, v, m->value, sizeof(m->value), NULL) ? (*err = "string too long", -1) : 0;
	if (t->type == JSON_NUMBER && json_get_int(doc, v, INT64_MIN, INT64_MAX, &ignored))
		return *err = "numbers must be integers", -1;
	if (t->type != JSON_NUMBER && t->type != JSON_TRUE && t->type != JSON_FALSE)
		return *err = "values must be strings, integers or booleans", -1;
	memcpy(m->value, doc->text + t->start, t->len);
	m->value[t->len] = '\0';
	return 0;
}

int json_in_object(const char *text, size_t len, struct json_member *out, int max, const char **err)
{
	struct json_tok toks[TOKS_MAX];
	struct json_limits lim = flat_limits;
	struct json_doc doc;
	int count = 0;

	if (max < 0 || max > JSON_IN_MAX_MEMBERS)
		max = JSON_IN_MAX_MEMBERS;
	lim.members_max = (uint32_t)max;
	if (json_parse(&doc, text, len, toks, TOKS_MAX, &lim, err))
		return -1;
	if (doc.tok[0].type != JSON_OBJECT)
		return *err = "the body must be a JSON object", -1;
	for (int k = json_first(&doc, 0); k >= 0; k = json_after(&doc, k + 1), count++) {
		if (json_get_str(&doc, k, out[count].key, sizeof(out[count].key), NULL))
			return *err = "member name too long", -1;
		if (flat_value(&doc, k + 1, &out[count], err))
			return -1;
	}
	return count;
}
