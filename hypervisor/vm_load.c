/* Loading a VM's image: its kind from the bytes, its files, ACPI tables, and every vCPU's boot state. */
/* SPDX-License-Identifier: MIT */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hypervisor/vm_load.h"
#include "hypervisor/gmem.h"
#include "hypervisor/guest_context.h"
#include "hypervisor/load/bzimage.h"
#include "hypervisor/load/elf.h"
#include "hypervisor/load/image_kind.h"
#include "hypervisor/load/multiboot.h"
#include "hypervisor/dev/vplatform.h"
#include "hypervisor/dev/acpi_build.h"
#include "hypervisor/dev/platform.h"
#include "hypervisor/dev/virtio/virtio.h"
#include "kernel/kernel.h"
#include "kernel/mm/paging.h"
#include "hypervisor/errf.h"

static const struct boot_module *module_bytes(const char *name, const uint8_t **bytes)
{
	const struct boot_module *m = kernel_find_module(name);
	if (m)
		*bytes = phys_to_virt(m->base);
	return m;
}

/* The files a configuration names exist, and fit the kind of its kernel. */
static int check_boot_files(const struct vm_config *c, enum image_kind kind, char *err, size_t errlen)
{
	const struct vm_boot *b = &c->boot;

	if (b->initrd[0] && !kernel_find_module(b->initrd))
		return errf(err, errlen, "no initrd '%s' was loaded at boot; 'vm images' lists them", b->initrd);
	for (uint32_t i = 0; i < b->module_count; i++)
		if (!kernel_find_module(b->modules[i]))
			return errf(err, errlen, "no module '%s' was loaded at boot; 'vm images' lists them", b->modules[i]);
	for (uint32_t i = 0; i < b->disk_count; i++)
		if (!kernel_find_module(b->disks[i].file))
			return errf(err, errlen, "no disk '%s' was loaded at boot; 'vm images' lists them", b->disks[i].file);
	if (kind == IMAGE_ELF && (b->initrd[0] || b->cmdline[0] || b->module_count))
		return errf(err, errlen, "'%s' is a plain ELF guest: initrd=, cmdline= and module= need a Linux or Multiboot kernel",
			    c->image);
	if (kind == IMAGE_MULTIBOOT && b->initrd[0])
		return errf(err, errlen, "'%s' is a Multiboot kernel: give it its files as module=FILE, not initrd=", c->image);
	if (kind == IMAGE_BZIMAGE && b->module_count)
		return errf(err, errlen, "'%s' is a Linux kernel: it takes one initrd=FILE, not module=", c->image);
	return 0;
}

int vm_load_check(const struct vm_config *c, char *err, size_t errlen)
{
	const uint8_t *bytes = NULL;
	const struct boot_module *m = module_bytes(c->image, &bytes);
	enum image_kind kind;

	if (!m)
		return errf(err, errlen, "no guest image '%s' was loaded at boot; 'vm images' lists them", c->image);
	kind = image_kind_detect(bytes, m->size);
	if (kind == IMAGE_UNKNOWN)
		return errf(err, errlen, "'%s' is not an ELF, Multiboot or Linux bzImage file", c->image);
	return check_boot_files(c, kind, err, errlen) ? -1 : (int)kind;
}

/* What every vCPU starts from: 32-bit protected mode, flat segments, paging and interrupts off. */
static void reset_vcpu_regs(struct vcpu *v, uint64_t rip, uint16_t cs_sel, uint16_t ds_sel)
{
	const struct vcpu_seg code = { cs_sel, 0xffffffff, 0xc09b, 0 }, data = { ds_sel, 0xffffffff, 0xc093, 0 };
	struct vcpu_regs *r = &v->regs;

	memset(r, 0, sizeof(*r));
	r->rip = rip;
	r->rflags = 0x2;
	r->cr0 = 0x31; /* PE, ET, NE: SDM Vol 3A 2.5 */
	r->cs = code;
	r->ds = r->es = r->fs = r->gs = r->ss = data;
	r->tr = (struct vcpu_seg){ 0, 0x67, 0x8b, 0 };   /* busy 32-bit TSS, SDM Vol 3C 27.3.1.2 */
	r->ldtr = (struct vcpu_seg){ 0, 0, SEG_ATTR_UNUSABLE, 0 };
	r->gdtr.limit = r->idtr.limit = 0xffff;
	fpu_reset(&v->fpu);
	guest_context_reset(v);
	v->mtrr_def_type = 0x806; /* as firmware leaves it: MTRRs on, default write-back (SDM Vol 3A 12.11.2.1) */
	v->halted_until_ns = 0;
	v->pv_system_time = 0;
	v->pv_eoi_msr = 0;
	v->pv_eoi_offered = false;
	v->wait_sipi = false;
}

/* An ELF guest: every vCPU at the entry, code 0x08, data 0x10, EBX = RAM size, ESI = vCPU number (README). */
static void reset_elf_vcpu(struct vm *vm, struct vcpu *v)
{
	reset_vcpu_regs(v, vm->entry, 0x08, 0x10);
	v->regs.rbx = vm->mem_bytes;
	v->regs.rsi = v->index;
}

/* A Linux or Multiboot guest: vCPU 0 as its loader says; the others wait for INIT/SIPI. */
static void reset_platform_vcpu(struct vcpu *v, const struct boot_entry *e)
{
	reset_vcpu_regs(v, e->rip, e->cs, e->ds);
	if (v->index != 0) {
		v->wait_sipi = true;
		return;
	}
	v->regs.rax = e->rax;
	v->regs.rbx = e->rbx;
	v->regs.rsi = e->rsi;
	v->regs.gdtr.base = e->gdt_base;
	v->regs.gdtr.limit = e->gdt_limit;
}

static void writer_copy(void *ctx, uint64_t gpa, const void *src, size_t n)
{
	gmem_copy_in(ctx, gpa, src, n);
}

static void writer_zero(void *ctx, uint64_t gpa, size_t n)
{
	gmem_fill_zero(ctx, gpa, n);
}

/* The initramfs and modules the VM's configuration names, as the loaders take them. */
static int gather_files(const struct vm *vm, struct load_request *rq, struct load_module *mods, char *err,
			size_t errlen)
{
	const struct vm_boot *b = &vm->boot;
	const struct boot_module *m;

	rq->ram_bytes = vm->mem_bytes;
	rq->cmdline = b->cmdline;
	if (b->initrd[0]) {
		if (!(m = module_bytes(b->initrd, &rq->initrd)))
			return errf(err, errlen, "initrd '%s' is gone", b->initrd);
		rq->initrd_len = m->size;
	}
	for (uint32_t i = 0; i < b->module_count; i++) {
		if (!(m = module_bytes(b->modules[i], &mods[i].data)))
			return errf(err, errlen, "module '%s' is gone", b->modules[i]);
		mods[i].len = m->size;
		mods[i].string = b->modules[i];
	}
	rq->modules = mods;
	rq->module_count = b->module_count;
	return 0;
}

/*
 * The VM's ACPI tables at PLAT_ACPI_BASE, RSDP first (ACPI 6.4 5.2.5.1: the
 * legacy scan of 0xE0000-0xFFFFF finds it; Linux also gets its address in
 * boot_params). The area is reserved in the e820 map the loaders hand over.
 */
static int write_acpi_tables(struct vm *vm, const struct guest_writer *w, struct load_request *rq, char *why,
			     size_t whylen)
{
	uint8_t *tables = malloc(PLAT_ACPI_SIZE);
	size_t n = tables ? acpi_build(tables, PLAT_ACPI_SIZE, PLAT_ACPI_BASE, vm->vcpu_count) : 0;

	if (!n) {
		free(tables);
		return errf(why, whylen, "cannot build the VM's ACPI tables (%s)", tables ? "bad vCPU count" : "out of memory");
	}
	w->copy(w->ctx, PLAT_ACPI_BASE, tables, n);
	free(tables);
	rq->acpi_rsdp = PLAT_ACPI_BASE;
	return 0;
}

static int load_platform(struct vm *vm, const uint8_t *img, size_t len, const struct guest_writer *w,
			 char *why, size_t whylen)
{
	struct load_module mods[VM_MODULES_MAX];
	struct load_request rq = { 0 };
	struct boot_entry e;
	int rc;

	if (gather_files(vm, &rq, mods, why, whylen) || write_acpi_tables(vm, w, &rq, why, whylen))
		return -1;
	if (vm->kind == IMAGE_BZIMAGE)
		rc = bzimage_load(img, len, &rq, w, &e, why, whylen);
	else
		rc = multiboot_load(img, len, &rq, w, &e, why, whylen);
	if (rc)
		return -1;
	vm->entry = e.rip;
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		reset_platform_vcpu(&vm->vcpus[i], &e);
	return 0;
}

int vm_load_image(struct vm *vm, char *err, size_t errlen)
{
	const uint8_t *img = NULL;
	const struct boot_module *m = module_bytes(vm->image, &img);
	struct guest_writer w = { writer_copy, writer_zero, vm };
	char why[160];

	if (!m)
		return errf(err, errlen, "guest image '%s' is gone", vm->image);
	gmem_zero(vm);
	vplatform_reset(vm);
	virtio_vm_reset(vm);
	if (vm->kind != IMAGE_ELF) {
		if (load_platform(vm, img, m->size, &w, why, sizeof(why)))
			return errf(err, errlen, "cannot load '%s': %s", vm->image, why);
		return 0;
	}
	if (elf_load_guest(img, m->size, vm->mem_bytes, &w, &vm->entry, why, sizeof(why)))
		return errf(err, errlen, "cannot load '%s': %s", vm->image, why);
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		reset_elf_vcpu(vm, &vm->vcpus[i]);
	return 0;
}
