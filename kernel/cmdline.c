/* Looking up words on the kernel command line (pure logic). */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/cmdline.h"

bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	if (!n)
		return false;
	for (const char *p = cmdline; (p = strstr(p, word)) != NULL; p++) {
		bool starts = p == cmdline || p[-1] == ' ' || p[-1] == '\t';
		bool ends = p[n] == 0 || p[n] == ' ' || p[n] == '\t';
		if (starts && ends)
			return true;
	}
	return false;
}
