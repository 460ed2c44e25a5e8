/* Fuzz harness of bwrun's OCI config parser and validator: any bytes as config.json. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "config.h"
#include "validate.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct oci_config c;
	struct rt_err e = { 0 };

	FUZZ_CHECK(text);
	memcpy(text, data, size);
	text[size] = '\0'; /* config_load() hands the parser a NUL-terminated file */
	if (config_parse(text, &c, &e) == 0) {
		e.msg[0] = '\0';
		if (config_validate(&c, &e) < 0)
			FUZZ_CHECK(e.msg[0] != '\0');
	} else {
		FUZZ_CHECK(e.msg[0] != '\0');
	}
	FUZZ_CHECK(memchr(e.msg, '\0', sizeof(e.msg)));
	config_free(&c);
	free(text);
	return 0;
}
