/* Prometheus text format writer: metric families, labels, escaping
 * (prometheus.io/docs/instrumenting/exposition_formats, "Text format details"). */
/* SPDX-License-Identifier: MIT */
#include "kernel/net/api/prom.h"

#include <inttypes.h>
#include <string.h>

/* HELP text escapes backslash and line feed. */
static void put_help(struct outbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			outbuf_puts(b, "\\\\");
		else if (*s == '\n')
			outbuf_puts(b, "\\n");
		else
			outbuf_append(b, s, 1);
	}
}

/* Label values escape backslash, double quote and line feed. */
static void put_label_value(struct outbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			outbuf_puts(b, "\\\\");
		else if (*s == '"')
			outbuf_puts(b, "\\\"");
		else if (*s == '\n')
			outbuf_puts(b, "\\n");
		else
			outbuf_append(b, s, 1);
	}
}

void prom_family(struct outbuf *b, const char *name, const char *type, const char *help)
{
	outbuf_printf(b, "# HELP %s ", name);
	put_help(b, help);
	outbuf_printf(b, "\n# TYPE %s %s\n", name, type);
}

static void put_name_labels(struct outbuf *b, const char *name, const char *const *labels)
{
	outbuf_puts(b, name);
	if (!labels || !labels[0])
		return;
	outbuf_puts(b, "{");
	for (size_t i = 0; labels[i] && labels[i + 1]; i += 2) {
		outbuf_printf(b, "%s%s=\"", i ? "," : "", labels[i]);
		put_label_value(b, labels[i + 1]);
		outbuf_puts(b, "\"");
	}
	outbuf_puts(b, "}");
}

void prom_u64(struct outbuf *b, const char *name, const char *const *labels, uint64_t value)
{
	put_name_labels(b, name, labels);
	outbuf_printf(b, " %" PRIu64 "\n", value);
}

void prom_milli(struct outbuf *b, const char *name, const char *const *labels, uint64_t thousandths)
{
	put_name_labels(b, name, labels);
	outbuf_printf(b, " %" PRIu64 ".%03" PRIu64 "\n", thousandths / 1000, thousandths % 1000);
}
