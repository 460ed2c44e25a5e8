/* Guest ELF loader: validate everything, then copy PT_LOAD segments to their physical addresses. */
/* SPDX-License-Identifier: MIT */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hypervisor/load/elf.h"

/* ELF header fields, System V ABI (gABI) chapter 4. */
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PF_X 1
#define MAX_PHDRS 64

struct segment {
	uint64_t offset, paddr, filesz, memsz;
	uint32_t type, flags;
};

struct elf_view {
	const uint8_t *img;
	size_t len;
	bool is64;
	uint64_t entry, phoff;
	uint32_t phentsize, phnum;
};

static uint64_t rd(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

static int read_header(struct elf_view *v, char *err, size_t errlen)
{
	const uint8_t *h = v->img;
	uint32_t machine;

	if (v->len < 52 || memcmp(h, "\x7f" "ELF", 4))
		return fail(err, errlen, "not an ELF file");
	if (h[EI_DATA] != ELFDATA2LSB || (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64))
		return fail(err, errlen, "not a little-endian ELF32/ELF64 file");
	v->is64 = h[EI_CLASS] == ELFCLASS64;
	if (v->is64 && v->len < 64)
		return fail(err, errlen, "ELF header truncated");
	machine = (uint32_t)rd(h + 18, 2);
	if (rd(h + 16, 2) != ET_EXEC)
		return fail(err, errlen, "not an executable ELF (ET_EXEC)");
	if (machine != (v->is64 ? EM_X86_64 : EM_386))
		return fail(err, errlen, "ELF machine is not x86");
	v->entry = v->is64 ? rd(h + 24, 8) : rd(h + 24, 4);
	v->phoff = v->is64 ? rd(h + 32, 8) : rd(h + 28, 4);
	v->phentsize = (uint32_t)rd(h + (v->is64 ? 54 : 42), 2);
	v->phnum = (uint32_t)rd(h + (v->is64 ? 56 : 44), 2);
	if (v->phentsize != (v->is64 ? 56u : 32u) || v->phnum == 0 || v->phnum > MAX_PHDRS)
		return fail(err, errlen, "bad ELF program header table");
	if (v->phoff > v->len || (uint64_t)v->phnum * v->phentsize > v->len - v->phoff)
		return fail(err, errlen, "ELF program headers lie outside the file");
	return 0;
}

static struct segment segment_at(const struct elf_view *v, uint32_t i)
{
	const uint8_t *p = v->img + v->phoff + (uint64_t)i * v->phentsize;
	struct segment s;

	s.type = (uint32_t)rd(p, 4);
	if (v->is64) {
		s.flags = (uint32_t)rd(p + 4, 4);
		s.offset = rd(p + 8, 8);
		s.paddr = rd(p + 24, 8);
		s.filesz = rd(p + 32, 8);
		s.memsz = rd(p + 40, 8);
	} else {
		s.offset = rd(p + 4, 4);
		s.paddr = rd(p + 12, 4);
		s.filesz = rd(p + 16, 4);
		s.memsz = rd(p + 20, 4);
		s.flags = (uint32_t)rd(p + 24, 4);
	}
	return s;
}

/* The next PT_LOAD segment that takes memory, from index *i on: true with *s and *i past it, or
 * false after the last (gABI chapter 5, "Program Header": PT_LOAD, p_memsz). */
static bool next_load(const struct elf_view *v, uint32_t *i, struct segment *s)
{
	while (*i < v->phnum) {
		*s = segment_at(v, (*i)++);
		if (s->type == PT_LOAD && s->memsz != 0)
			return true;
	}
	return false;
}

static int check_segment(const struct elf_view *v, const struct segment *s, uint64_t ram, char *err, size_t errlen)
{
	if (s->filesz > s->memsz)
		return fail(err, errlen, "ELF segment has more file bytes than memory bytes");
	if (s->offset > v->len || s->filesz > v->len - s->offset)
		return fail(err, errlen, "ELF segment lies outside the file");
	if (s->paddr > ram || s->memsz > ram - s->paddr) {
		snprintf(err, errlen, "ELF segment at 0x%llx+0x%llx does not fit in the VM's %llu MiB of RAM",
			 (unsigned long long)s->paddr, (unsigned long long)s->memsz, (unsigned long long)(ram >> 20));
		return -1;
	}
	return 0;
}

static int validate(const struct elf_view *v, uint64_t ram, char *err, size_t errlen)
{
	bool entry_ok = false, any = false;
	struct segment s;

	for (uint32_t i = 0; next_load(v, &i, &s);) {
		if (check_segment(v, &s, ram, err, errlen))
			return -1;
		any = true;
		if ((s.flags & PF_X) && v->entry >= s.paddr && v->entry - s.paddr < s.memsz)
			entry_ok = true;
	}
	if (!any)
		return fail(err, errlen, "ELF file has nothing to load");
	if (!entry_ok)
		return fail(err, errlen, "ELF entry point is not inside an executable segment");
	return 0;
}

/* *v = the image IMG of LEN bytes, its header read and every loadable segment checked against
 * RAM bytes of guest memory: 0, or -1 and err. */
static int open_view(struct elf_view *v, const uint8_t *img, size_t len, uint64_t ram, char *err, size_t errlen)
{
	*v = (struct elf_view){ .img = img, .len = len };
	if (!img || read_header(v, err, errlen) || validate(v, ram, err, errlen))
		return -1;
	return 0;
}

bool elf_detect(const uint8_t *img, size_t len)
{
	return img && len >= 4 && !memcmp(img, "\x7f" "ELF", 4);
}

int elf_guest_span(const uint8_t *img, size_t len, uint64_t ram_size, uint64_t *lo, uint64_t *hi, uint64_t *entry,
		   char *err, size_t errlen)
{
	struct elf_view v;
	struct segment s;

	if (open_view(&v, img, len, ram_size, err, errlen))
		return -1;
	*lo = UINT64_MAX;
	*hi = 0;
	for (uint32_t i = 0; next_load(&v, &i, &s);) {
		if (s.paddr < *lo)
			*lo = s.paddr;
		if (s.paddr + s.memsz > *hi)
			*hi = s.paddr + s.memsz; /* validate() checked it is inside RAM: no overflow */
	}
	*entry = v.entry;
	return 0;
}

int elf_load_guest(const uint8_t *img, size_t len, uint64_t ram_size, const struct guest_writer *w,
		   uint64_t *entry, char *err, size_t errlen)
{
	struct elf_view v;
	struct segment s;

	if (open_view(&v, img, len, ram_size, err, errlen))
		return -1;
	for (uint32_t i = 0; next_load(&v, &i, &s);) {
		w->copy(w->ctx, s.paddr, img + s.offset, s.filesz);
		w->zero(w->ctx, s.paddr + s.filesz, s.memsz - s.filesz);
	}
	*entry = v.entry;
	return 0;
}
