/* Linux bzImage loader: the 32-bit boot protocol of Documentation/arch/x86/boot.rst. */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <string.h>
#include "hypervisor/load/bzimage.h"
#include "hypervisor/load/boot_gdt.h"
#include "hypervisor/load/e820.h"
#include "hypervisor/load/layout.h"
#include "hypervisor/errf.h"
#include "hypervisor/load/le_bytes.h"

/*
 * Why the 32-bit entry: both backends already start vCPUs in 32-bit
 * protected mode with paging off, which is exactly the state boot.rst's
 * "32-bit boot protocol" asks for, so no identity-mapped page tables have to
 * be built in guest RAM (the 64-bit entry needs them) and the same path works
 * for 32- and 64-bit kernels. The real-mode setup code is not run: the zero
 * page it would fill is filled here.
 */

/* Setup header offsets in the image and in the zero page (boot.rst "The real-mode kernel header"). */
#define HDR_START 0x1F1
#define HDR_SETUP_SECTS 0x1F1
#define HDR_SYSSIZE 0x1F4
#define HDR_BOOT_FLAG 0x1FE
#define HDR_JUMP_LEN 0x201     /* the header ends at 0x202 + this byte */
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21C
#define HDR_HEAP_END_PTR 0x224
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22C
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_MIN_END 0x264      /* protocol 2.12 has every field up to init_size */
#define HDR_MAX_END 0x290      /* struct boot_params: the header area ends here */

#define BOOT_FLAG 0xAA55
#define HDRS_MAGIC 0x53726448u /* "HdrS" */
#define MIN_VERSION 0x020C     /* 2.12: xloadflags, and everything before it */
#define LOADED_HIGH 0x01       /* loadflags bit 0 */
#define CAN_USE_HEAP 0x80      /* loadflags bit 7 */
#define LOADER_UNDEFINED 0xFF  /* type_of_loader: a boot loader without an assigned id */
#define HEAP_END 0xFE00        /* heap_end_ptr: setup's stack and heap end at 64 KiB minus 0x200 */

/* Zero page fields (Documentation/arch/x86/zero-page.rst). */
#define ZP_SIZE 4096
#define ZP_ACPI_RSDP_ADDR 0x070
#define ZP_EXT_RAMDISK_IMAGE 0x0C0
#define ZP_EXT_RAMDISK_SIZE 0x0C4
#define ZP_EXT_CMD_LINE_PTR 0x0C8
#define ZP_E820_ENTRIES 0x1E8
#define ZP_E820_TABLE 0x2D0
#define ZP_E820_ENTRY_BYTES 20
#define ZP_E820_MAX 128

#define PAGE 4096ull

typedef unsigned long long ull;

bool bzimage_detect(const uint8_t *img, size_t len)
{
	return img && len >= HDR_MAGIC + 4 && le_read(img + HDR_BOOT_FLAG, 2) == BOOT_FLAG &&
	       le_read(img + HDR_MAGIC, 4) == HDRS_MAGIC;
}

static int check_header(const uint8_t *img, size_t len, struct bzimage_plan *p, char *err, size_t errlen)
{
	uint64_t sects, syssize;

	if (!bzimage_detect(img, len))
		return errf(err, errlen, "not a Linux bzImage (no boot flag 0xAA55 and \"HdrS\" at 0x1FE)");
	if (len < HDR_MIN_END + 4)
		return errf(err, errlen, "bzImage truncated: %llu bytes, its setup header alone needs %u", (ull)len,
			    HDR_MIN_END + 4);
	p->version = (uint16_t)le_read(img + HDR_VERSION, 2);
	if (p->version < MIN_VERSION)
		return errf(err, errlen, "boot protocol %x.%02x is too old: 2.12 or newer is needed (Linux 3.8+)",
			    p->version >> 8, p->version & 0xFF);
	p->hdr_end = 0x202 + (uint64_t)img[HDR_JUMP_LEN];
	if (p->hdr_end < HDR_MIN_END + 4 || p->hdr_end > len)
		return errf(err, errlen, "bzImage setup header length %llu is wrong for protocol 2.12+ (file %llu bytes)",
			    (ull)(p->hdr_end - HDR_START), (ull)len);
	if (p->hdr_end > HDR_MAX_END)
		p->hdr_end = HDR_MAX_END; /* a longer header is padding in boot_params */
	if (!(img[HDR_LOADFLAGS] & LOADED_HIGH))
		return errf(err, errlen, "kernel is not a bzImage (loadflags 0x%02x lacks LOADED_HIGH)",
			    img[HDR_LOADFLAGS]);
	sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4; /* boot.rst: 0 means 4 */
	p->setup_bytes = (sects + 1) * 512;
	syssize = le_read(img + HDR_SYSSIZE, 4) * 16;
	if (p->setup_bytes >= len || syssize == 0 || syssize > len - p->setup_bytes)
		return errf(err, errlen, "bzImage truncated: %llu bytes, its header says %llu", (ull)len,
			    (ull)(p->setup_bytes + syssize));
	p->kernel_bytes = syssize;
	return 0;
}

/* pref_address, aligned up to kernel_alignment for a relocatable kernel; must fit with init_size in RAM. */
static int place_kernel(const uint8_t *img, uint64_t ram, struct bzimage_plan *p, char *err, size_t errlen)
{
	uint64_t pref = le_read(img + HDR_PREF_ADDRESS, 8), align = le_read(img + HDR_KERNEL_ALIGNMENT, 4);
	uint64_t init_size = le_read(img + HDR_INIT_SIZE, 4);

	if (img[HDR_RELOCATABLE]) {
		if (align < PAGE || (align & (align - 1)) || align > (1ull << 30))
			return errf(err, errlen, "bzImage kernel_alignment 0x%llx is not a power of two from 4K to 1G",
				    (ull)align);
		if (pref > UINT64_MAX - align)
			return errf(err, errlen, "bzImage pref_address 0x%llx is out of range", (ull)pref);
		pref = (pref + align - 1) & ~(align - 1);
	}
	if (init_size < p->kernel_bytes)
		return errf(err, errlen, "bzImage init_size 0x%llx is smaller than the kernel's 0x%llx bytes", (ull)init_size,
			    (ull)p->kernel_bytes);
	if (pref < LOAD_KERNEL_MIN || pref >= ram || init_size > ram - pref)
		return errf(err, errlen, "the kernel needs RAM up to 0x%llx but the VM has %llu MiB; give it more mem=",
			    (ull)(pref < LOAD_KERNEL_MIN ? LOAD_KERNEL_MIN : pref + init_size), (ull)(ram >> 20));
	p->kernel_gpa = pref;
	p->kernel_end = pref + init_size;
	return 0;
}

/* The initramfs goes as high as it may: below RAM's end and initrd_addr_max, page aligned, above the kernel. */
static int place_initrd(const uint8_t *img, const struct load_request *rq, struct bzimage_plan *p, char *err,
			size_t errlen)
{
	uint64_t top = rq->ram_bytes, max = le_read(img + HDR_INITRD_ADDR_MAX, 4), size = rq->initrd_len;

	p->initrd_gpa = 0;
	if (!rq->initrd || !size)
		return 0;
	if (max + 1 < top)
		top = max + 1; /* initrd_addr_max is the highest byte it may occupy */
	if (size > UINT32_MAX || size > top || ((top - size) & ~(PAGE - 1)) < p->kernel_end)
		return errf(err, errlen, "initramfs of %llu KiB does not fit between the kernel and 0x%llx; give the VM more mem=",
			    (ull)(size >> 10), (ull)top);
	p->initrd_gpa = (top - size) & ~(PAGE - 1);
	return 0;
}

int bzimage_check(const uint8_t *img, size_t len, const struct load_request *rq, struct bzimage_plan *p,
		  char *err, size_t errlen)
{
	const char *cmdline = rq->cmdline ? rq->cmdline : "";
	uint64_t cmdline_size;

	memset(p, 0, sizeof(*p));
	if (check_header(img, len, p, err, errlen) || place_kernel(img, rq->ram_bytes, p, err, errlen))
		return -1;
	/* xloadflags needs no bit here: the 32-bit entry exists in every kernel, and nothing goes above 4 GiB. */
	p->cmdline_len = strlen(cmdline);
	cmdline_size = le_read(img + HDR_CMDLINE_SIZE, 4);
	if (p->cmdline_len > cmdline_size || p->cmdline_len >= LOAD_CMDLINE_MAX)
		return errf(err, errlen, "command line of %llu bytes is longer than the kernel takes (%llu)", (ull)p->cmdline_len,
			    (ull)(cmdline_size < LOAD_CMDLINE_MAX ? cmdline_size : LOAD_CMDLINE_MAX - 1));
	return place_initrd(img, rq, p, err, errlen);
}

static void fill_zero_page(uint8_t *zp, const uint8_t *img, const struct load_request *rq,
			   const struct bzimage_plan *p)
{
	struct e820_entry map[E820_MAX];
	unsigned n = e820_build(rq->ram_bytes, map);

	memset(zp, 0, ZP_SIZE);
	memcpy(zp + HDR_START, img + HDR_START, p->hdr_end - HDR_START);
	zp[HDR_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	zp[HDR_LOADFLAGS] |= CAN_USE_HEAP;
	le_write(zp + HDR_HEAP_END_PTR, HEAP_END, 2);
	le_write(zp + HDR_CODE32_START, p->kernel_gpa, 4);
	le_write(zp + HDR_CMD_LINE_PTR, LOAD_CMDLINE_GPA, 4);
	le_write(zp + ZP_EXT_CMD_LINE_PTR, 0, 4);
	le_write(zp + HDR_RAMDISK_IMAGE, p->initrd_gpa, 4);
	le_write(zp + HDR_RAMDISK_SIZE, p->initrd_gpa ? rq->initrd_len : 0, 4);
	le_write(zp + ZP_EXT_RAMDISK_IMAGE, 0, 4);
	le_write(zp + ZP_EXT_RAMDISK_SIZE, 0, 4);
	le_write(zp + ZP_ACPI_RSDP_ADDR, rq->acpi_rsdp, 8);
	zp[ZP_E820_ENTRIES] = (uint8_t)n;
	for (unsigned i = 0; i < n && i < ZP_E820_MAX; i++) {
		uint8_t *e = zp + ZP_E820_TABLE + i * ZP_E820_ENTRY_BYTES;
		le_write(e, map[i].base, 8);
		le_write(e + 8, map[i].length, 8);
		le_write(e + 16, map[i].type, 4);
	}
}

int bzimage_load(const uint8_t *img, size_t len, const struct load_request *rq, const struct guest_writer *w,
		 struct boot_entry *entry, char *err, size_t errlen)
{
	const char *cmdline = rq->cmdline ? rq->cmdline : "";
	struct bzimage_plan p;
	uint8_t zp[ZP_SIZE];

	if (bzimage_check(img, len, rq, &p, err, errlen))
		return -1;
	memset(entry, 0, sizeof(*entry));
	boot_gdt_write(w, entry);
	fill_zero_page(zp, img, rq, &p);
	w->copy(w->ctx, LOAD_INFO_GPA, zp, sizeof(zp));
	w->copy(w->ctx, LOAD_CMDLINE_GPA, cmdline, p.cmdline_len + 1);
	w->copy(w->ctx, p.kernel_gpa, img + p.setup_bytes, p.kernel_bytes);
	if (p.initrd_gpa)
		w->copy(w->ctx, p.initrd_gpa, rq->initrd, rq->initrd_len);
	/* boot.rst, 32-bit boot protocol: ESI = boot_params; EBP, EDI, EBX = 0; interrupts off. */
	entry->rip = p.kernel_gpa;
	entry->rsi = LOAD_INFO_GPA;
	return 0;
}
