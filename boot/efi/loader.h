/* Shared declarations of the Bulwark UEFI loader's parts (gnu-efi side). */
/* SPDX-License-Identifier: MIT */
#ifndef BULWARK_EFI_LOADER_H
#define BULWARK_EFI_LOADER_H

#include <efi.h>
#include <efilib.h>
#include <stdint.h>

#include "bulwark/boot_info.h"

#ifndef BULWARK_VERSION
#define BULWARK_VERSION "unknown"
#endif
#define LOADER_NAME "Bulwark UEFI loader " BULWARK_VERSION

/* Paths on the ESP (the volume the loader was read from). */
#define ESP_KERNEL_PATH L"\\bulwark\\bulwark.elf"
#define ESP_CONFIG_PATH L"\\bulwark\\bulwark.cfg"
#define ESP_CMDLINE_PATH L"\\bulwark\\cmdline.txt"
#define ESP_GUESTS_PATH L"\\bulwark\\guests"
#define ESP_CONFIG_MODULE "bulwark.cfg"

#define LOADER_STACK_SIZE 0x10000u /* the stack the kernel is entered on */
#define LOADER_FILE_MAX 0x40000000ull /* largest file read from the ESP: 1 GiB */

/* A file read into EfiLoaderData pages. */
struct loaded_file {
	uint64_t base;
	uint64_t size;
};

/* The EFI memory map buffer, allocated once with room to spare (UEFI spec 7.2). */
struct efi_map {
	uint8_t *buf;
	UINTN capacity;
	UINTN size;
	UINTN key;
	UINTN desc_size;
	UINT32 desc_version;
};

/* pages.c */
EFI_STATUS pages_alloc(uint64_t bytes, uint64_t *base);
EFI_STATUS pages_alloc_below(uint64_t bytes, uint64_t limit, uint64_t *base);
EFI_STATUS pages_alloc_at(uint64_t bytes, uint64_t base);
void pages_free(uint64_t base, uint64_t bytes);
uint64_t pages_count(uint64_t bytes);

/* file.c */
EFI_STATUS file_open_root(EFI_HANDLE image, EFI_FILE_HANDLE *root);
EFI_STATUS file_read_path(EFI_FILE_HANDLE root, CHAR16 *path, struct loaded_file *out);
EFI_STATUS file_read_handle(EFI_FILE_HANDLE fh, struct loaded_file *out);
EFI_STATUS file_next_entry(EFI_FILE_HANDLE dir, EFI_FILE_INFO **info, UINTN *info_size);

/* modules.c */
EFI_STATUS modules_load(EFI_FILE_HANDLE root, struct boot_info *bi);

/* kernel.c */
EFI_STATUS kernel_load(EFI_FILE_HANDLE root, struct boot_info *bi, uint64_t *entry);

/* acpi.c */
uint64_t acpi_find_rsdp(EFI_SYSTEM_TABLE *st);

/* fb.c */
void fb_query(struct boot_framebuffer *fb);

/* mmap.c */
EFI_STATUS mmap_prepare(struct efi_map *m);
uint64_t mmap_identity_end(const struct efi_map *m, const struct boot_info *bi);
EFI_STATUS mmap_exit_boot_services(EFI_HANDLE image, struct efi_map *m, struct boot_info *bi);

/* paging.c */
EFI_STATUS paging_prepare(uint64_t identity_end, const struct boot_info *bi, uint64_t *cr3);

/* handoff.S: switches to CR3 and STACK_TOP, loads a GDT and jumps to ENTRY(RDI = BOOT_INFO). */
void handoff_enter(uint64_t cr3, uint64_t stack_top, uint64_t entry, uint64_t boot_info)
	__attribute__((noreturn));

/* main.c: called by gnu-efi's crt0 (System V ABI) after self-relocation. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

/* main.c: prints "bulwark: error: MSG (STATUS)" on the console. */
void loader_error(const CHAR16 *msg, EFI_STATUS status);

#endif
