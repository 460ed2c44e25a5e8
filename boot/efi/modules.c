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

#define GUESTS_LIST_MAX 256u /* folder entries considered; more are reported and skipped */

/* The regular files of \bulwark\guests, sorted by name so the boot is repeatable. */
struct guest_list {
	CHAR16 *names[GUESTS_LIST_MAX];
	uint32_t count;
};

static void guests_insert_sorted(struct guest_list *l, CHAR16 *name)
{
	uint32_t i = l->count++;

	while (i > 0 && StrCmp(l->names[i - 1], name) > 0) {
		l->names[i] = l->names[i - 1];
		i--;
	}
	l->names[i] = name;
}

static void guests_list(EFI_FILE_HANDLE dir, struct guest_list *l)
{
	EFI_FILE_INFO *info = NULL;
	UINTN info_size = 0;
	EFI_STATUS status;

	while ((status = file_next_entry(dir, &info, &info_size)) == EFI_SUCCESS) {
		if (info->Attribute & EFI_FILE_DIRECTORY)
			continue;
		if (l->count == GUESTS_LIST_MAX) {
			Print(L"bulwark: error: more than %d files in \\bulwark\\guests; "
			      L"skipping %s\r\n", GUESTS_LIST_MAX, info->FileName);
			continue;
		}
		CHAR16 *name = StrDuplicate(info->FileName);
		if (name != NULL)
			guests_insert_sorted(l, name);
	}
	if (status != EFI_NOT_FOUND)
		loader_error(L"cannot list \\bulwark\\guests", status);
	if (info != NULL)
		FreePool(info);
}

/* Reads one guest file as a module; unusable names are skipped. */
static void modules_load_guest(EFI_FILE_HANDLE dir, CHAR16 *file, struct boot_info *bi)
{
	char name[BOOT_MODULE_NAME_MAX];
	struct loaded_file f;
	EFI_STATUS status;
	int named;

	named = text_module_name((const uint16_t *)file, name, sizeof(name));
	if (named == TEXT_NAME_EMPTY)
		return;
	if (named == TEXT_NAME_CHANGED)
		Print(L"bulwark: warning: guest file \"%s\" becomes module \"%a\"\r\n", file, name);
	if (bi->module_count >= BOOT_MODULES_MAX) {
		Print(L"bulwark: error: more than %d modules; skipping %a\r\n", BOOT_MODULES_MAX,
		      name);
		return;
	}
	status = file_read_path(dir, file, &f);
	if (EFI_ERROR(status)) {
		Print(L"bulwark: error: cannot read guest %a (%r); skipping it\r\n", name, status);
		return;
	}
	modules_add(bi, &f, name);
}

static void modules_load_guests(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	struct guest_list *l = AllocateZeroPool(sizeof(*l));
	EFI_FILE_HANDLE dir;

	if (l == NULL) {
		loader_error(L"no memory to list \\bulwark\\guests", EFI_OUT_OF_RESOURCES);
		return;
	}
	if (!EFI_ERROR(root->Open(root, &dir, ESP_GUESTS_PATH, EFI_FILE_MODE_READ, 0))) {
		guests_list(dir, l);
		for (uint32_t i = 0; i < l->count; i++)
			modules_load_guest(dir, l->names[i], bi);
		dir->Close(dir);
	} /* else: the folder is optional */
	for (uint32_t i = 0; i < l->count; i++)
		FreePool(l->names[i]);
	FreePool(l);
}

EFI_STATUS modules_load(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	modules_load_cmdline(root, bi);
	modules_load_config(root, bi);
	modules_load_guests(root, bi);
	return EFI_SUCCESS;
}
