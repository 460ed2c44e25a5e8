/* linux.resources.devices on cgroup v2: an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE
 * built from the allow list, loaded and attached with bpf(2) (no library). */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "devices_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* runc's specconv.AllowedDevices: what every container may use whatever the config says;
 * appended after the config's rules, so they win. */
static const struct oci_dev_rule default_rules[] = {
	{ true, 'c', -1, -1, DEV_ACC_MKNOD },
	{ true, 'b', -1, -1, DEV_ACC_MKNOD },
	{ true, 'c', 1, 3, 7 },   /* /dev/null */
	{ true, 'c', 1, 8, 7 },   /* /dev/random */
	{ true, 'c', 1, 7, 7 },   /* /dev/full */
	{ true, 'c', 5, 0, 7 },   /* /dev/tty */
	{ true, 'c', 1, 5, 7 },   /* /dev/zero */
	{ true, 'c', 1, 9, 7 },   /* /dev/urandom */
	{ true, 'c', 5, 1, 7 },   /* /dev/console */
	{ true, 'c', 136, -1, 7 }, /* /dev/pts/N */
	{ true, 'c', 5, 2, 7 },   /* /dev/ptmx */
};

#define N_DEFAULT (sizeof(default_rules) / sizeof(default_rules[0]))

/* include/uapi/linux/bpf.h: struct bpf_cgroup_dev_ctx { __u32 access_type (access << 16 |
 * type); __u32 major; __u32 minor; }, BPF_DEVCG_DEV_BLOCK 1, BPF_DEVCG_DEV_CHAR 2. */
#define CTX_ACCESS_TYPE 0
#define CTX_MAJOR 4
#define CTX_MINOR 8

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };

	return i;
}

/* One rule: each test that fails jumps past the block; all passing sets r0 and exits. */
static size_t emit_rule(const struct oci_dev_rule *r, struct bpf_insn *p)
{
	size_t n = 0, jumps[4], nj = 0;

	if (r->type != 'a') {
		jumps[nj++] = n;
		p[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, 2, 0, 0,
			      r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	}
	if ((r->access & 7) != 7) {
		p[n++] = insn(BPF_ALU | BPF_MOV | BPF_X, 1, 3, 0, 0);
		p[n++] = insn(BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, (int32_t)r->access);
		jumps[nj++] = n;
		p[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_X, 1, 3, 0, 0);
	}
	if (r->major != -1) {
		jumps[nj++] = n;
		p[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, 4, 0, 0, (int32_t)(uint32_t)r->major);
	}
	if (r->minor != -1) {
		jumps[nj++] = n;
		p[n++] = insn(BPF_JMP32 | BPF_JNE | BPF_K, 5, 0, 0, (int32_t)(uint32_t)r->minor);
	}
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, r->allow ? 1 : 0);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (size_t j = 0; j < nj; j++)
		p[jumps[j]].off = (int16_t)(n - jumps[j] - 1);
	return n;
}

size_t devices_bpf_build(const struct oci_dev_rule *rules, size_t n, struct bpf_insn **out)
{
	size_t total = n + N_DEFAULT, k = 0;
	struct bpf_insn *p = xcalloc(6 + total * 8 + 2, sizeof(*p));

	/* r2 = device type, r3 = requested access, r4 = major, r5 = minor */
	p[k++] = insn(BPF_LDX | BPF_W | BPF_MEM, 2, 1, CTX_ACCESS_TYPE, 0);
	p[k++] = insn(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
	p[k++] = insn(BPF_LDX | BPF_W | BPF_MEM, 3, 1, CTX_ACCESS_TYPE, 0);
	p[k++] = insn(BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
	p[k++] = insn(BPF_LDX | BPF_W | BPF_MEM, 4, 1, CTX_MAJOR, 0);
	p[k++] = insn(BPF_LDX | BPF_W | BPF_MEM, 5, 1, CTX_MINOR, 0);
	/* Last rule first: the first block that matches is the last rule that matches. A rule
	 * that matches everything ends the program (the verifier refuses unreachable code). */
	for (size_t i = total; i-- > 0;) {
		const struct oci_dev_rule *r = i >= n ? &default_rules[i - n] : &rules[i];

		k += emit_rule(r, p + k);
		if (r->type == 'a' && (r->access & 7) == 7 && r->major == -1 && r->minor == -1) {
			*out = p;
			return k;
		}
	}
	p[k++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[k++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	*out = p;
	return k;
}

static long bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int prog_load(const struct bpf_insn *p, size_t n, struct rt_err *e)
{
	static char log[65536];
	union bpf_attr a;
	int fd, err;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uint64_t)(uintptr_t)p;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t)"GPL";
	fd = (int)bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0)
		return fd;
	/* Again with the verifier's log, for the error (a log that does not fit is ENOSPC). */
	err = errno;
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	log[0] = '\0';
	fd = (int)bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0)
		return fd;
	return rt_fail(e, err, "linux.resources.devices: load the eBPF device program (verifier: %.300s)",
		       log[0] ? log : "no log");
}

/* The BPF_CGROUP_DEVICE programs attached to CG now (ids), so that an update can detach
 * bwrun's earlier program once the new one is in place. */
static int attached_ids(int cg, uint32_t *ids, uint32_t max)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)cg;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (uint64_t)(uintptr_t)ids;
	a.query.prog_cnt = max;
	if (bpf(BPF_PROG_QUERY, &a) < 0)
		return 0;
	return (int)a.query.prog_cnt;
}

static void detach_id(int cg, uint32_t id)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	fd = (int)bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0)
		return;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cg;
	a.attach_bpf_fd = (uint32_t)fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	bpf(BPF_PROG_DETACH, &a);
	close(fd);
}

int devices_bpf_apply(const char *dir, const struct oci_resources *r, struct rt_err *e)
{
	cleanup_free struct bpf_insn *p = NULL;
	size_t n = devices_bpf_build(r->dev_rules, r->n_dev_rules, &p);
	cleanup_close int cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int prog = -1;
	uint32_t old[64];
	int n_old;
	union bpf_attr a;

	if (cg < 0)
		return rt_fail(e, errno, "linux.resources.devices: open cgroup %s", dir);
	n_old = attached_ids(cg, old, 64);
	prog = prog_load(p, n, e);
	if (prog < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cg;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (bpf(BPF_PROG_ATTACH, &a) < 0)
		return rt_fail(e, errno, "linux.resources.devices: attach the eBPF device program to %s",
			       dir);
	for (int i = 0; i < n_old; i++)
		detach_id(cg, old[i]);
	return 0;
}
