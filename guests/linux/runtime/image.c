/* OCI image layouts: index.json → manifest → config and layers → a runnable bundle. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "image.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "layer.h"
#include "sha256.h"
#include "spec.h"

int image_digest_valid(const char *digest)
{
	const char *hex = strchr(digest, ':');
	size_t want;

	if (!hex)
		return 0;
	if (strncmp(digest, "sha256:", 7))
		return 0;
	want = 64;
	hex++;
	if (strlen(hex) != want)
		return 0;
	for (size_t i = 0; i < want; i++)
		if (!isxdigit((unsigned char)hex[i]) || isupper((unsigned char)hex[i]))
			return 0;
	return 1;
}

static struct json_object *load_json(const char *path, struct rt_err *e)
{
	cleanup_free char *text = NULL;
	struct json_object *o;

	if (read_file(path, &text, NULL, e) < 0)
		return NULL;
	o = json_tokener_parse(text);
	if (!o || !json_object_is_type(o, json_type_object)) {
		if (o)
			json_object_put(o);
		rt_fail(e, 0, "%s: not a JSON object", path);
		return NULL;
	}
	return o;
}

/* The blob file for DIGEST, once its content is checked against the digest. */
static char *blob_path(const char *layout, const char *digest, struct rt_err *e)
{
	char hex[65];
	char *p;

	if (!digest || !image_digest_valid(digest)) {
		rt_fail(e, 0, "image: bad digest \"%s\" (want sha256:<64 hex digits>)",
			digest ? digest : "");
		return NULL;
	}
	p = xasprintf("%s/blobs/sha256/%s", layout, digest + 7);
	if (sha256_file(p, hex, e) < 0) {
		free(p);
		return NULL;
	}
	if (strcmp(hex, digest + 7)) {
		rt_fail(e, 0, "image: blob %s does not match its digest (corrupt or altered)", digest);
		free(p);
		return NULL;
	}
	return p;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool ref_matches(struct json_object *desc, const char *ref)
{
	struct json_object *ann;
	const char *name;

	if (!ref)
		return true;
	if (!json_object_object_get_ex(desc, "annotations", &ann))
		return false;
	name = jstr(ann, "org.opencontainers.image.ref.name");
	return name && !strcmp(name, ref);
}

/* Follows index.json (and nested indexes) to the manifest's JSON. */
static struct json_object *find_manifest(const char *layout, const char *ref, struct rt_err *e)
{
	cleanup_free char *index_path = xasprintf("%s/index.json", layout);
	struct json_object *index = load_json(index_path, e), *mans, *pick = NULL;

	for (int depth = 0; index && depth < 4; depth++) {
		const char *mt;
		bool nested;
		cleanup_free char *path = NULL;

		if (!json_object_object_get_ex(index, "manifests", &mans) ||
		    !json_object_is_type(mans, json_type_array) || !json_object_array_length(mans)) {
			rt_fail(e, 0, "image: index has no manifests");
			break;
		}
		for (size_t i = 0; i < json_object_array_length(mans) && !pick; i++)
			if (ref_matches(json_object_array_get_idx(mans, i), depth ? NULL : ref))
				pick = json_object_array_get_idx(mans, i);
		if (!pick) {
			rt_fail(e, 0, "image: no manifest with ref name \"%s\"", ref);
			break;
		}
		path = blob_path(layout, jstr(pick, "digest"), e);
		mt = jstr(pick, "mediaType"); /* owned by pick: decide before it is released */
		nested = mt && strstr(mt, "index");
		json_object_put(index);
		pick = NULL;
		index = path ? load_json(path, e) : NULL;
		if (!index || !nested)
			return index;
	}
	if (index)
		json_object_put(index);
	return NULL;
}

static int apply_layers(const char *layout, struct json_object *manifest, const char *rootfs,
			struct rt_err *e)
{
	struct json_object *layers;

	if (!json_object_object_get_ex(manifest, "layers", &layers) ||
	    !json_object_is_type(layers, json_type_array))
		return rt_fail(e, 0, "image: manifest has no layers");
	for (size_t i = 0; i < json_object_array_length(layers); i++) {
		struct json_object *l = json_object_array_get_idx(layers, i);
		const char *mt = jstr(l, "mediaType");
		cleanup_free char *path = blob_path(layout, jstr(l, "digest"), e);

		if (!path)
			return -1;
		if (mt && (strstr(mt, "zstd") || strstr(mt, "nondistributable")))
			return rt_fail(e, 0, "image: layer %zu: media type %s is not supported", i, mt);
		if (layer_apply(path, rootfs, true, e) < 0)
			return rt_fail(e, e->errnum, "image: layer %zu: %s", i, e->msg);
	}
	return 0;
}

static struct json_object *strv_json(struct json_object *a, struct json_object *b)
{
	struct json_object *out = json_object_new_array();
	struct json_object *parts[] = { a, b };

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; parts[k] && json_object_is_type(parts[k], json_type_array) &&
				   i < json_object_array_length(parts[k]); i++)
			json_object_array_add(out, json_object_get(json_object_array_get_idx(parts[k], i)));
	return out;
}

/* Looks NAME up in ROOTFS/etc/passwd (or group); returns the id or -1. */
static long lookup_id(const char *rootfs, const char *file, const char *name, long *gid)
{
	cleanup_free char *path = xasprintf("%s/etc/%s", rootfs, file);
	cleanup_fclose FILE *f = fopen(path, "re");
	char line[1024];

	while (f && fgets(line, sizeof(line), f)) {
		char *save = NULL, *n = strtok_r(line, ":", &save);
		char *id;

		strtok_r(NULL, ":", &save);
		id = strtok_r(NULL, ":", &save);
		if (!n || !id || strcmp(n, name))
			continue;
		if (gid) {
			char *g = strtok_r(NULL, ":", &save);

			*gid = g ? atol(g) : 0;
		}
		return atol(id);
	}
	return -1;
}

static int resolve_user(const char *user, const char *rootfs, long *uid, long *gid,
			struct rt_err *e)
{
	cleanup_free char *u = xstrdup(user);
	char *g = strchr(u, ':');

	*gid = 0;
	if (g)
		*g++ = '\0';
	if (isdigit((unsigned char)u[0]))
		*uid = atol(u);
	else if ((*uid = lookup_id(rootfs, "passwd", u, gid)) < 0)
		return rt_fail(e, 0, "image: user \"%s\" not found in /etc/passwd", u);
	if (g && isdigit((unsigned char)g[0]))
		*gid = atol(g);
	else if (g && (*gid = lookup_id(rootfs, "group", g, NULL)) < 0)
		return rt_fail(e, 0, "image: group \"%s\" not found in /etc/group", g);
	if (*uid < 0 || *uid > UINT32_MAX || *gid < 0 || *gid > UINT32_MAX)
		return rt_fail(e, 0, "image: user \"%s\": uid or gid outside 0-4294967295", user);
	return 0;
}

static bool has_path(struct json_object *env)
{
	for (size_t i = 0; i < json_object_array_length(env); i++)
		if (!strncmp(json_object_get_string(json_object_array_get_idx(env, i)), "PATH=", 5))
			return true;
	return false;
}

/* Env, Entrypoint and Cmd are arrays of strings (image-spec config.md); null means absent. */
static int strv_check(struct json_object *a, const char *name, struct rt_err *e)
{
	if (!a)
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return rt_fail(e, 0, "image: config.%s is not an array of strings", name);
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!json_object_is_type(json_object_array_get_idx(a, i), json_type_string))
			return rt_fail(e, 0, "image: config.%s[%zu] is not a string", name, i);
	return 0;
}

/*
 * What the runtime spec (config.md "process") needs of the values an image config
 * supplies: string arrays, NAME=VALUE environment entries, a program name, an
 * absolute working directory. Checked here so import refuses the image by name
 * instead of writing a config.json that create would refuse.
 */
static int image_config_check(struct json_object *ep, struct json_object *cmd,
			      struct json_object *env, const char *wd, struct rt_err *e)
{
	struct json_object *first;

	if (strv_check(ep, "Entrypoint", e) < 0 || strv_check(cmd, "Cmd", e) < 0 ||
	    strv_check(env, "Env", e) < 0)
		return -1;
	for (size_t i = 0; env && i < json_object_array_length(env); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(env, i));

		if (!strchr(s, '=') || s[0] == '=')
			return rt_fail(e, 0, "image: config.Env[%zu] \"%s\" is not NAME=VALUE", i, s);
	}
	first = ep && json_object_array_length(ep) ? ep : cmd;
	if (first && json_object_array_length(first) &&
	    !json_object_get_string(json_object_array_get_idx(first, 0))[0])
		return rt_fail(e, 0, "image: config.%s[0] is empty: no program to run",
			       first == ep ? "Entrypoint" : "Cmd");
	if (wd && wd[0] && wd[0] != '/')
		return rt_fail(e, 0, "image: config.WorkingDir \"%s\" is not an absolute path", wd);
	return 0;
}

int image_apply_config(struct json_object *spec, struct json_object *cfg, const char *rootfs,
		       struct rt_err *e)
{
	struct json_object *proc = json_object_object_get(spec, "process");
	struct json_object *ep = NULL, *cmd = NULL, *env = NULL, *args, *user;
	const char *wd = jstr(cfg, "WorkingDir"), *u = jstr(cfg, "User");
	long uid = 0, gid = 0;

	if (cfg) {
		json_object_object_get_ex(cfg, "Entrypoint", &ep);
		json_object_object_get_ex(cfg, "Cmd", &cmd);
		json_object_object_get_ex(cfg, "Env", &env);
	}
	if (image_config_check(ep, cmd, env, wd, e) < 0)
		return -1;
	args = strv_json(ep, cmd);
	if (!json_object_array_length(args))
		json_object_array_add(args, json_object_new_string("sh"));
	json_object_object_add(proc, "args", args);
	env = strv_json(env, NULL);
	if (!has_path(env))
		json_object_array_add(env, json_object_new_string(
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
	json_object_object_add(proc, "env", env);
	json_object_object_add(proc, "cwd", json_object_new_string(wd && wd[0] ? wd : "/"));
	if (u && u[0] && resolve_user(u, rootfs, &uid, &gid, e) < 0)
		return -1;
	user = json_object_new_object();
	json_object_object_add(user, "uid", json_object_new_int64(uid));
	json_object_object_add(user, "gid", json_object_new_int64(gid));
	json_object_object_add(proc, "user", user);
	return 0;
}

static int write_config(const char *layout, struct json_object *manifest, const char *bundle,
			const char *rootfs, struct rt_err *e)
{
	struct json_object *cdesc, *img, *spec;
	cleanup_free char *path = NULL, *out = xasprintf("%s/config.json", bundle);
	const char *text;
	int r;

	if (!json_object_object_get_ex(manifest, "config", &cdesc))
		return rt_fail(e, 0, "image: manifest has no config");
	path = blob_path(layout, jstr(cdesc, "digest"), e);
	img = path ? load_json(path, e) : NULL;
	if (!img)
		return -1;
	spec = spec_default(false);
	r = image_apply_config(spec, json_object_object_get(img, "config"), rootfs, e);
	if (r == 0) {
		text = json_object_to_json_string_ext(spec, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_SPACED |
							    JSON_C_TO_STRING_NOSLASHESCAPE);
		r = write_file(out, text, strlen(text), e);
	}
	json_object_put(spec);
	json_object_put(img);
	return r;
}

static int import_dir(const char *layout, const char *ref, const char *bundle,
		      const char *rootfs, struct rt_err *e)
{
	struct json_object *manifest = find_manifest(layout, ref, e);
	int r;

	if (!manifest)
		return -1;
	r = apply_layers(layout, manifest, rootfs, e);
	if (r == 0)
		r = write_config(layout, manifest, bundle, rootfs, e);
	json_object_put(manifest);
	return r;
}

int image_import(const char *layout, const char *ref, const char *bundle, struct rt_err *e)
{
	cleanup_free char *rootfs = xasprintf("%s/rootfs", bundle);
	cleanup_free char *cfg = xasprintf("%s/config.json", bundle);
	cleanup_free char *tmp = NULL;
	struct stat st;
	int r;

	if (stat(layout, &st) < 0)
		return rt_fail(e, errno, "image layout %s", layout);
	if (path_exists(rootfs) || path_exists(cfg))
		return rt_fail(e, 0, "%s already holds a rootfs or config.json; remove them first",
			       bundle);
	if (mkdir_p(rootfs, 0755, e) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		tmp = xasprintf("%s/.layout", bundle);
		if (mkdir_p(tmp, 0700, e) < 0 || layer_apply(layout, tmp, false, e) < 0) {
			r = -1;
			goto out;
		}
		layout = tmp;
	}
	r = import_dir(layout, ref, bundle, rootfs, e);
out:
	if (tmp)
		rm_rf(tmp);
	if (r < 0) {
		rm_rf(rootfs);
		unlink(cfg);
	}
	return r;
}
