/* Fuzz harness of the ct argument parser: any console line, split like the console, then ct_parse. */
/* SPDX-License-Identifier: MIT */

#include <string.h>
#include "kernel/console/ct_args.h"
#include "kernel/console/parse.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[256], *argv[PARSE_ARGV_MAX], err[256];
	const char *serr;
	struct ct_cmd c;
	int argc;

	if (size >= sizeof(line))
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if ((argc = parse_split(line, argv, PARSE_ARGV_MAX, &serr)) < 0)
		return 0;
	if (ct_parse(argc, argv, &c, err, sizeof(err))) {
		FUZZ_CHECK(err[0]);
		return 0;
	}
	/* what is accepted keeps the protocol's bounds (agent_proto.h) */
	FUZZ_CHECK(c.op < CT_OP_COUNT && c.vm && strlen(c.vm) <= CT_VM_NAME_MAX);
	FUZZ_CHECK(!c.name || ct_check_name(c.name) == 0);
	FUZZ_CHECK(!c.mem || (c.mem >= CT_MEM_MIN && c.mem <= CT_MEM_MAX));
	FUZZ_CHECK(c.pids <= CT_PIDS_MAX && c.cpus_milli <= CT_CPUS_MILLI_MAX && c.lines <= CT_LINES_MAX);
	FUZZ_CHECK(c.timeout_s <= CT_TIMEOUT_MAX && c.nenv <= AGENT_LIST_MAX && c.nargs <= AGENT_LIST_MAX);
	FUZZ_CHECK(!c.signal || ct_check_signal(c.signal) == 0);
	FUZZ_CHECK(c.op != CT_EXEC || c.nargs > 0);
	FUZZ_CHECK(c.op != CT_RUN || c.image);
	return 0;
}
