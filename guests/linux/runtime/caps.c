/* Linux capabilities: names, and applying the five sets to the calling process. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

#define N_CAPS ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

int cap_count(void)
{
	return N_CAPS;
}

int cap_from_name(const char *name)
{
	for (int i = 0; i < N_CAPS; i++)
		if (!strcasecmp(cap_names[i], name))
			return i;
	return -1;
}

const char *cap_name(int cap)
{
	return cap >= 0 && cap < N_CAPS ? cap_names[cap] : "?";
}

/* The highest capability the running kernel knows. */
int cap_last(void)
{
	static int last = -1;
	FILE *f;

	if (last >= 0)
		return last;
	last = N_CAPS - 1;
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f) {
		if (fscanf(f, "%d", &last) != 1 || last >= 64)
			last = N_CAPS - 1;
		fclose(f);
	}
	return last;
}

int caps_drop_bounding(const struct oci_caps *c, struct rt_err *e)
{
	for (int i = 0; i <= cap_last(); i++) {
		if (c->bounding & (1ULL << i))
			continue;
		if (prctl(PR_CAPBSET_DROP, i, 0, 0, 0) < 0 && errno != EINVAL)
			return rt_fail(e, errno, "drop bounding capability %s", cap_name(i));
	}
	return 0;
}

int caps_keep(struct rt_err *e)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return rt_fail(e, errno, "prctl(PR_SET_KEEPCAPS)");
	return 0;
}

int caps_apply(const struct oci_caps *c, struct rt_err *e)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(c->effective >> (32 * i));
		data[i].permitted = (uint32_t)(c->permitted >> (32 * i));
		data[i].inheritable = (uint32_t)(c->inheritable >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return rt_fail(e, errno, "capset");
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	for (int i = 0; i <= cap_last(); i++) {
		if (!(c->ambient & (1ULL << i)))
			continue;
		/* The kernel refuses (EPERM) an ambient capability that is not both permitted
		 * and inheritable, and EINVAL one it does not know; runc and crun leave such a
		 * capability out rather than fail, and so does bwrun. */
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) < 0 && errno != EPERM &&
		    errno != EINVAL)
			return rt_fail(e, errno, "raise ambient capability %s", cap_name(i));
	}
	return 0;
}

int caps_check_grantable(const struct oci_caps *c, struct rt_err *e)
{
	static const char *const sets[] = { "bounding", "effective", "inheritable", "permitted" };
	const uint64_t want[] = { c->bounding, c->effective, c->inheritable, c->permitted };

	for (int s = 0; s < 4; s++)
		for (int i = 0; i <= cap_last(); i++)
			if ((want[s] & (1ULL << i)) && prctl(PR_CAPBSET_READ, i, 0, 0, 0) == 0)
				return rt_fail(e, EPERM, "process.capabilities.%s: %s is not in the bounding set of the runtime (CapBnd in /proc/self/status), so the container cannot be given it",
					       sets[s], cap_name(i));
	return 0;
}
