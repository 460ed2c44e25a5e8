/* VM configurations from words (`vm create`) and from the boot configuration file. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_CONFIG_H
#define HYPERVISOR_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "hypervisor/vm.h"

#define VM_DEFAULT_MEM (16ull << 20)

/*
 * Builds a configuration from NAME and KEY=VALUE words: kernel=FILE (or its
 * older name image=FILE; required), initrd=FILE, cmdline=TEXT (quote it to
 * hold spaces), module=FILE (repeatable, in order), debug_exit=yes|no,
 * mem=SIZE (default 16M), vcpus=N (default 1), cpus=LIST ("0,2", "0-3" or
 * "all"; default all), autostart=yes|no. Syntax only: vm_create() checks the
 * values against the machine and the image. Returns 0, or -1 with `err`
 * naming the bad word.
 */
int vm_config_from_words(const char *name, int nwords, char **words, struct vm_config *cfg, char *err, size_t errlen);

/* Parses a CPU list into a mask of CPUs 0-63. 0 or -1. */
int config_parse_cpus(const char *s, uint64_t *mask);

/*
 * Takes one well-formed VM line: 0, or -1 with what is wrong in err (a VM that
 * cannot be created: its image is missing, the name is taken, ...).
 */
typedef int (*config_add_fn)(void *ctx, const struct vm_config *cfg, char *err, size_t errlen);

/*
 * The boot configuration file: one VM per line, `vm NAME KEY=VALUE...`, with
 * `#` comments and blank lines. Each well-formed line is handed to `add`; each
 * bad line, and each line `add` refuses, to `bad` with its number and what is
 * wrong. Parsing never stops early. Returns the number of bad lines.
 */
int config_parse_file(const char *text, size_t len, config_add_fn add,
		      void (*bad)(void *ctx, unsigned line, const char *why), void *ctx);

#endif
