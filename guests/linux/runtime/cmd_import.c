/* Command import: an OCI image layout unpacked into a bundle. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <getopt.h>

#include "commands.h"
#include "image.h"

int cmd_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "ref", required_argument, 0, 'r' },
					       { 0, 0, 0, 0 } };
	const char *ref = NULL;
	struct rt_err e = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c != 'r')
			return cmd_usage_error(ctx, "unknown option");
		ref = optarg;
	}
	if (argc - optind != 2)
		return cmd_usage_error(ctx, "expected an image layout and a bundle directory");
	if (image_import(argv[optind], ref, argv[optind + 1], &e) < 0) {
		rt_err_print(&e);
		return 1;
	}
	return 0;
}
