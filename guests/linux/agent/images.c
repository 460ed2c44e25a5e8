/* Images: what the images disk (mounted read-only at /images) holds, one OCI image layout
 * directory or tar per image, named after it; each imported once with `bwrun import`. */
/* SPDX-License-Identifier: MIT */
#include "agent.h"
#include "tarfind.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

/* An entry's image name: a directory's name, a tar's name without ".tar"; NULL if neither. */
static bool entry_name(const char *dir, const char *ent, char *name, bool *is_tar)
{
	char *path = xasprintf("%s/%s", dir, ent);
	struct stat st;
	size_t n = strlen(ent);
	bool ok = false;

	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			char *idx = xasprintf("%s/index.json", path);
			ok = access(idx, R_OK) == 0 && n <= AGENT_NAME_MAX;
			free(idx);
			*is_tar = false;
			if (ok)
				memcpy(name, ent, n + 1);
		} else if (S_ISREG(st.st_mode) && n > 4 && !strcmp(ent + n - 4, ".tar") &&
			   n - 4 <= AGENT_NAME_MAX) {
			memcpy(name, ent, n - 4);
			name[n - 4] = '\0';
			*is_tar = true;
			ok = true;
		}
	}
	free(path);
	return ok && agent_name_valid(name, strlen(name));
}

char *image_path(const struct agent *a, const char *name)
{
	char *dir = xasprintf("%s/%s", a->o.images, name), *idx = xasprintf("%s/index.json", dir);
	struct stat st;

	if (access(idx, R_OK) == 0) {
		free(idx);
		return dir;
	}
	free(idx);
	free(dir);
	dir = xasprintf("%s/%s.tar", a->o.images, name);
	if (stat(dir, &st) == 0 && S_ISREG(st.st_mode))
		return dir;
	free(dir);
	return NULL;
}

static uint64_t tree_bytes;
static int add_size(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)p;
	(void)f;
	if (flag == FTW_F)
		tree_bytes += (uint64_t)st->st_size;
	return 0;
}

/* The ref name of the layout's first manifest (OCI image-layout index.json annotations). */
static struct json_object *ref_of(struct json_object *o)
{
	struct json_object *m, *ann, *ref, *out = NULL;

	if (o && json_object_object_get_ex(o, "manifests", &m) &&
	    json_object_is_type(m, json_type_array) && json_object_array_length(m) > 0 &&
	    json_object_object_get_ex(json_object_array_get_idx(m, 0), "annotations", &ann) &&
	    json_object_object_get_ex(ann, "org.opencontainers.image.ref.name", &ref) &&
	    json_object_is_type(ref, json_type_string))
		out = json_object_new_string(json_object_get_string(ref));
	json_object_put(o);
	return out ? out : json_object_new_string("");
}

static ssize_t pread_fd(void *ctx, uint64_t off, void *buf, size_t n)
{
	return pread(*(int *)ctx, buf, n, (off_t)off);
}

#define INDEX_MAX 65536

static struct json_object *layout_ref(const char *path, bool is_tar)
{
	char *idx, buf[INDEX_MAX + 1];
	struct json_object *o;
	ssize_t n;
	int fd;

	if (!is_tar) {
		idx = xasprintf("%s/index.json", path);
		o = json_object_from_file(idx);
		free(idx);
		return ref_of(o);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : tar_find(pread_fd, &fd, "index.json", buf, INDEX_MAX);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		return json_object_new_string("");
	buf[n] = '\0';
	return ref_of(json_tokener_parse(buf));
}

void op_images(struct agent *a, const struct agent_req *r)
{
	struct json_object *list = json_object_new_array(), *res = json_object_new_object();
	struct dirent **ents = NULL;
	int n = scandir(a->o.images, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char name[AGENT_NAME_MAX + 1];
		bool is_tar;
		if (ents[i]->d_name[0] != '.' && entry_name(a->o.images, ents[i]->d_name, name, &is_tar)) {
			struct json_object *im = json_object_new_object();
			char *path = xasprintf("%s/%s", a->o.images, ents[i]->d_name);
			struct stat st;
			json_object_object_add(im, "name", json_object_new_string(name));
			json_object_object_add(im, "ref", layout_ref(path, is_tar));
			tree_bytes = 0;
			if (is_tar && stat(path, &st) == 0)
				tree_bytes = (uint64_t)st.st_size;
			else if (!is_tar) {
				char *in = xasprintf("%s/.", path); /* through a symlink */
				nftw(in, add_size, 16, FTW_PHYS);
				free(in);
			}
			json_object_object_add(im, "size", json_object_new_int64((int64_t)tree_bytes));
			json_object_array_add(list, im);
			free(path);
		}
		free(ents[i]);
	}
	free(ents);
	json_object_object_add(res, "images", list);
	agent_send(a, agent_reply_ok(r->id, res));
}

char *image_base(const struct agent *a, const char *name)
{
	return xasprintf("%s/images/%s", a->o.work, name);
}

struct job *image_import(struct agent *a, const char *name, job_done_fn done)
{
	static unsigned seq;
	char *src = image_path(a, name), *dir = xasprintf("%s/images", a->o.work);
	char *tmp = xasprintf("%s/.%s.%u.tmp", dir, name, ++seq);
	const char *argv[] = { "import", src, tmp, NULL };
	struct job *j = NULL;

	mkdir(a->o.work, 0700);
	mkdir(dir, 0700);
	free(dir);
	/* Each import unpacks into its own directory; the first to finish is kept. */
	if (src)
		j = job_start(a, argv, -1, -1, true, 10 * a->bwrun_timeout_ms, done);
	free(src);
	if (!j) {
		free(tmp);
		return NULL;
	}
	j->tmp = tmp;
	return j;
}

int image_imported(struct job *j, const char *name, const struct agent *a, char *msg, size_t size)
{
	char *dst = image_base(a, name);
	struct stat st;
	int rc = 0;

	if (!job_ok(j)) {
		job_message(j, msg, size);
		rc = -1;
	} else if (stat(dst, &st) < 0 && rename(j->tmp, dst) < 0) {
		snprintf(msg, size, "rename %s: %s", j->tmp, strerror(errno));
		rc = -1;
	}
	rm_rf(j->tmp); /* a failed import's remains, or the copy another import beat */
	free(dst);
	return rc;
}
