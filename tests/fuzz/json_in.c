/* Fuzz harness of the API's JSON body parser: any bytes; what it accepts stays within its limits. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/net/api/json_in.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_member m[JSON_IN_MAX_MEMBERS];
	const char *err = NULL;
	int n = json_in_object((const char *)data, size, m, JSON_IN_MAX_MEMBERS, &err);

	FUZZ_CHECK(n >= -1 && n <= JSON_IN_MAX_MEMBERS);
	if (n < 0)
		FUZZ_CHECK(err && err[0]);
	for (int i = 0; i < n; i++) {
		FUZZ_CHECK(strlen(m[i].key) < JSON_IN_KEY_MAX && strlen(m[i].value) < JSON_IN_VALUE_MAX);
		for (int k = 0; k < i; k++)
			FUZZ_CHECK(strcmp(m[i].key, m[k].key) != 0);
	}
	return 0;
}
