/* Prometheus text exposition format 0.0.4 writer (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NET_API_PROM_H
#define KERNEL_NET_API_PROM_H

#include <stdint.h>
#include "kernel/net/api/outbuf.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* "# HELP name help" and "# TYPE name type" (type: counter, gauge, untyped). */
void prom_family(struct outbuf *b, const char *name, const char *type, const char *help);
/*
 * One sample line: name{k1="v1",k2="v2"} value. `labels` holds key, value pairs and
 * ends with NULL (or is NULL); label values are escaped as the format says (\\, \", \n).
 */
void prom_u64(struct outbuf *b, const char *name, const char *const *labels, uint64_t value);
/* A value given in thousandths, written with three decimals: 1234 -> 1.234. */
void prom_milli(struct outbuf *b, const char *name, const char *const *labels, uint64_t thousandths);

#endif
