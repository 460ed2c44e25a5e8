/* Gathering the configuration, guest images and command line from the ESP into boot_info. */
/* SPDX-License-Identifier: MIT */
#include "loader.h"
#include "text.h"

static EFI_STATUS modules_add(struct boot_info *bi, const struct loaded_file *f,
			      const char *name)
{
	struct boot_module *m;

	if (bi->module_count >= BOOT_MODULES_MAX) {
		Print(L"bulwark: error: more than %d modules; skipping %a\r\n", BOOT_MODULES_MAX,
		      name);
		pages_free(f->base, f->size);
		return EFI_OUT_OF_RESOURCES;
	}
	m = &bi->modules[bi->module_count++];
	m->base = f->base;
	m->size = f->size;
	text_copy(m->name, sizeof(m->name), name);
	Print(L"bulwark: module %a: %ld bytes at 0x%lx\r\n", m->name, m->size, m->base);
	return EFI_SUCCESS;
}

static void modules_load_config(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	struct loaded_file f;
	EFI_STATUS status = file_read_path(root, ESP_CONFIG_PATH, &f);

	if (status == EFI_NOT_FOUND)
		return;
	if (EFI_ERROR(status)) {
		loader_error(L"cannot read \\bulwark\\bulwark.cfg; booting without it", status);
		return;
	}
	modules_add(bi, &f, ESP_CONFIG_MODULE);
}

static void modules_load_cmdline(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	struct loaded_file f;
	EFI_STATUS status = file_read_path(root, ESP_CMDLINE_PATH, &f);

	if (status == EFI_NOT_FOUND)
		return;
	if (EFI_ERROR(status)) {
		loader_error(L"cannot read \\bulwark\\cmdline.txt; booting without it", status);
		return;
	}
	if (text_first_line((const uint8_t *)(uintptr_t)f.base, f.size, bi->cmdline,
			    sizeof(bi->cmdline)))
		Print(L"bulwark: warning: command line cut to %d bytes\r\n", BOOT_CMDLINE_MAX - 1);
	pages_free(f.base, f.size);
	Print(L"bulwark: cmdline: %a\r\n", bi->cmdline);
}

/* Reads one folder entry as a guest module; folders and unusable names are skipped. */
static void modules_load_guest(EFI_FILE_HANDLE dir, const EFI_FILE_INFO *info,
			       struct boot_info *bi)
{
	char name[BOOT_MODULE_NAME_MAX];
	struct loaded_file f;
	EFI_STATUS status;
	int named;

	if (info->Attribute & EFI_FILE_DIRECTORY)
		return;
	named = text_module_name((const uint16_t *)info->FileName, name, sizeof(name));
	if (named == TEXT_NAME_EMPTY)
		return;
	if (named == TEXT_NAME_CHANGED)
		Print(L"bulwark: warning: guest file \"%s\" becomes module \"%a\"\r\n",
		      info->FileName, name);
	if (bi->module_count >= BOOT_MODULES_MAX) {
		Print(L"bulwark: error: more than %d modules; skipping %a\r\n", BOOT_MODULES_MAX,
		      name);
		return;
	}
	status = file_read_path(dir, (CHAR16 *)info->FileName, &f);
	if (EFI_ERROR(status)) {
		Print(L"bulwark: error: cannot read guest %a (%r); skipping it\r\n", name, status);
		return;
	}
	modules_add(bi, &f, name);
}

static void modules_load_guests(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	EFI_FILE_INFO *info = NULL;
	UINTN info_size = 0;
	EFI_FILE_HANDLE dir;
	EFI_STATUS status;

	status = root->Open(root, &dir, ESP_GUESTS_PATH, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(status))
		return; /* the folder is optional */
	while ((status = file_next_entry(dir, &info, &info_size)) == EFI_SUCCESS)
		modules_load_guest(dir, info, bi);
	if (status != EFI_NOT_FOUND)
		loader_error(L"cannot list \\bulwark\\guests", status);
	if (info != NULL)
		FreePool(info);
	dir->Close(dir);
}

EFI_STATUS modules_load(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	modules_load_cmdline(root, bi);
	modules_load_config(root, bi);
	modules_load_guests(root, bi);
	return EFI_SUCCESS;
}
