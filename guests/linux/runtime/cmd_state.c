/* Commands state, list and ps: what exists and what runs, as tables or runc-style JSON. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "commands.h"
#include "container.h"

static void print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_SPACED |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
}

int cmd_state(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct ct_state st;
	struct rt_err e = { 0 };
	struct json_object *o;

	if (argc != 2)
		return cmd_usage_error(ctx, "expected exactly one container id");
	if (container_load(ctx->root, argv[1], &st, NULL, &e) < 0) {
		rt_err_print(&e);
		return 1;
	}
	o = state_to_oci_json(&st, state_status(ctx->root, &st));
	print_json(o);
	json_object_put(o);
	state_free(&st);
	return 0;
}

static int parse_format(struct cmd_ctx *ctx, int argc, char **argv, bool *json, bool *quiet)
{
	static const struct option opts[] = {
		{ "format", required_argument, 0, 'f' },
		{ "quiet", no_argument, 0, 'q' },
		{ 0, 0, 0, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:q", opts, NULL)) != -1) {
		if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			*json = !strcmp(optarg, "json");
		else if (c == 'q' && quiet)
			*quiet = true;
		else
			return cmd_usage_error(ctx, "bad option (--format takes table or json)");
	}
	return 0;
}

static struct json_object *list_states(const char *root)
{
	struct json_object *a = json_object_new_array();
	DIR *d = opendir(root);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		struct ct_state st;

		if (de->d_name[0] == '.' || state_load(root, de->d_name, &st, NULL) < 0)
			continue;
		json_object_array_add(a, state_to_oci_json(&st, state_status(root, &st)));
		state_free(&st);
	}
	if (d)
		closedir(d);
	return a;
}

static const char *jstr(struct json_object *o, const char *k)
{
	return json_object_get_string(json_object_object_get(o, k));
}

int cmd_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	bool json = false, quiet = false;
	struct json_object *a;

	if (parse_format(ctx, argc, argv, &json, &quiet) || optind != argc)
		return cmd_usage_error(ctx, "unexpected arguments");
	a = list_states(ctx->root);
	if (json) {
		puts(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		if (!quiet)
			printf("%-12s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS",
			       "BUNDLE", "CREATED", "OWNER");
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			struct json_object *o = json_object_array_get_idx(a, i);

			if (quiet)
				printf("%s\n", jstr(o, "id"));
			else
				printf("%-12s %-8s %-10s %-40s %-32s %s\n", jstr(o, "id"),
				       jstr(o, "pid"), jstr(o, "status"), jstr(o, "bundle"),
				       jstr(o, "created"), "root");
		}
	}
	json_object_put(a);
	return 0;
}

static void print_proc(pid_t pid)
{
	char path[64], buf[256] = "";
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	f = fopen(path, "re");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	for (size_t i = 0; i + 1 < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
	printf("%-8d %s\n", (int)pid, buf);
}

int cmd_ps(struct cmd_ctx *ctx, int argc, char **argv)
{
	bool json = false;
	struct ct_state st;
	struct rt_err e = { 0 };
	pid_t *pids = NULL;
	int n;

	if (parse_format(ctx, argc, argv, &json, NULL) || optind != argc - 1)
		return cmd_usage_error(ctx, "expected one container id");
	if (container_load(ctx->root, argv[optind], &st, NULL, &e) < 0) {
		rt_err_print(&e);
		return 1;
	}
	n = st.cgroup[0] ? cgroup_pids(st.cgroup, &pids, &e) : 0;
	state_free(&st);
	if (n < 0) {
		rt_err_print(&e);
		return 1;
	}
	if (json) {
		printf("[");
		for (int i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		printf("]\n");
	} else {
		printf("%-8s %s\n", "PID", "CMD");
		for (int i = 0; i < n; i++)
			print_proc(pids[i]);
	}
	free(pids);
	return 0;
}
