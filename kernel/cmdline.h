/* The kernel command line (GRUB's multiboot2 line, or bulwark/cmdline.txt on the ESP). */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>

/* Whether `word` appears in `cmdline` as a whole space-separated word. */
bool cmdline_has(const char *cmdline, const char *word);

#endif
