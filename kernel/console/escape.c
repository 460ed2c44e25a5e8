/* Escapes untrusted text for the terminal and for JSON. */
/* SPDX-License-Identifier: MIT */
#include "kernel/console/escape.h"

#include <stdio.h>
#include <string.h>

/* Appends `piece` if it fits whole; returns 0, or -1 when out of room. */
static int append(char *out, size_t outlen, size_t *at, const char *piece)
{
	size_t n = strlen(piece);

	if (*at + n >= outlen)
		return -1;
	memcpy(out + *at, piece, n + 1);
	*at += n;
	return 0;
}

static void text_piece(unsigned char c, char piece[8])
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(piece, 8, "%c", c);
	else
		snprintf(piece, 8, "\\x%02x", c);
}

static void json_piece(unsigned char c, char piece[8])
{
	if (c == '"' || c == '\\')
		snprintf(piece, 8, "\\%c", c);
	else if (c >= 0x20 && c < 0x7f)
		snprintf(piece, 8, "%c", c);
	else
		snprintf(piece, 8, "\\u%04x", c);
}

static char *escape_with(const char *in, char *out, size_t outlen, void (*piece_of)(unsigned char, char *))
{
	char piece[8];
	size_t at = 0;

	if (outlen == 0)
		return out;
	out[0] = '\0';
	for (; *in; in++) {
		piece_of((unsigned char)*in, piece);
		if (append(out, outlen, &at, piece) < 0)
			break;
	}
	return out;
}

char *escape_text(const char *in, char *out, size_t outlen)
{
	return escape_with(in, out, outlen, text_piece);
}

char *escape_json(const char *in, char *out, size_t outlen)
{
	return escape_with(in, out, outlen, json_piece);
}
