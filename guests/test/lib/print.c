/* printf-lite for the test guests: %s %c %d %u %x %llu %llx with a 0 flag and width; no libgcc needed. */
/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "runtime.h"

struct spec {
	bool zero, is_long_long;
	uint32_t width;
};

static void emit_padded(const char *digits, uint32_t n, const struct spec *sp, bool negative)
{
	uint32_t len = n + (negative ? 1 : 0);

	if (negative && sp->zero)
		uart_putc('-');
	for (; len < sp->width; len++)
		uart_putc(sp->zero ? '0' : ' ');
	if (negative && !sp->zero)
		uart_putc('-');
	while (n--)
		uart_putc(digits[n]);
}

static void emit_hex(uint64_t v, const struct spec *sp)
{
	char d[16];
	uint32_t n = 0;

	do {
		d[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	emit_padded(d, n, sp, false);
}

/* Decimal by subtracting powers of ten: 32-bit code cannot divide 64-bit values without libgcc. */
static void emit_dec(uint64_t v, const struct spec *sp, bool negative)
{
	char d[20];
	uint32_t n = 0;
	uint64_t pow = 1;
	uint64_t pows[20];
	bool started = false;

	for (int i = 0; i < 20; i++, pow *= 10)
		pows[i] = pow;
	for (int i = 19; i >= 0; i--) {
		char digit = '0';

		while (v >= pows[i]) {
			v -= pows[i];
			digit++;
		}
		if (digit != '0' || started || i == 0) {
			started = true;
			d[n++] = digit;
		}
	}
	for (uint32_t i = 0; i < n / 2; i++) { /* emit_padded wants least significant first */
		char t = d[i];
		d[i] = d[n - 1 - i];
		d[n - 1 - i] = t;
	}
	emit_padded(d, n, sp, negative);
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){ 0 };
	if (*f == '0') {
		sp->zero = true;
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (uint32_t)(*f++ - '0');
	if (f[0] == 'l' && f[1] == 'l') {
		sp->is_long_long = true;
		f += 2;
	}
	return f;
}

static void emit_conversion(char c, const struct spec *sp, va_list *ap)
{
	uint64_t u;
	int64_t s;

	switch (c) {
	case 's':
		uart_puts(va_arg(*ap, const char *));
		break;
	case 'c':
		uart_putc((char)va_arg(*ap, int));
		break;
	case 'd':
		s = sp->is_long_long ? va_arg(*ap, int64_t) : va_arg(*ap, int32_t);
		emit_dec(s < 0 ? 0 - (uint64_t)s : (uint64_t)s, sp, s < 0);
		break;
	case 'u':
	case 'x':
		u = sp->is_long_long ? va_arg(*ap, uint64_t) : va_arg(*ap, uint32_t);
		if (c == 'u')
			emit_dec(u, sp, false);
		else
			emit_hex(u, sp);
		break;
	default:
		uart_putc('%');
		uart_putc(c);
		break;
	}
}

void gvprintf(const char *fmt, va_list ap)
{
	va_list aq;
	struct spec sp;

	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			uart_putc(*f);
			continue;
		}
		f = parse_spec(f + 1, &sp);
		if (*f == 0)
			break;
		if (*f == '%')
			uart_putc('%');
		else
			emit_conversion(*f, &sp, &aq);
	}
	va_end(aq);
}

void gprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
}
