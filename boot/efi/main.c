/* Entry point of the Bulwark UEFI loader: reads the kernel and its files from the ESP and enters it. */
/* SPDX-License-Identifier: MIT */
#include "loader.h"
#include "text.h"

#define LOADER_FAIL_PAUSE_US 5000000u /* let a person read the error */

void loader_error(const CHAR16 *msg, EFI_STATUS status)
{
	Print(L"bulwark: error: %s (%r)\r\n", msg, status);
}

static EFI_STATUS boot_info_alloc(struct boot_info **out)
{
	struct boot_info *bi;
	uint64_t base;
	EFI_STATUS status = pages_alloc(sizeof(*bi), &base);

	if (EFI_ERROR(status)) {
		loader_error(L"no memory for boot_info", status);
		return status;
	}
	bi = (struct boot_info *)(uintptr_t)base;
	ZeroMem(bi, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->boot_path = BOOT_PATH_UEFI;
	text_copy(bi->loader_name, sizeof(bi->loader_name), LOADER_NAME);
	*out = bi;
	return EFI_SUCCESS;
}

/* Everything that needs the ESP: kernel, configuration, guests, command line. */
static EFI_STATUS loader_read_esp(EFI_HANDLE image, struct boot_info *bi, uint64_t *entry)
{
	EFI_FILE_HANDLE root;
	EFI_STATUS status = file_open_root(image, &root);

	if (EFI_ERROR(status)) {
		loader_error(L"cannot open the ESP the loader came from", status);
		return status;
	}
	status = kernel_load(root, bi, entry);
	if (!EFI_ERROR(status))
		status = modules_load(root, bi);
	root->Close(root);
	return status;
}

static void loader_read_firmware(EFI_SYSTEM_TABLE *st, struct boot_info *bi)
{
	bi->acpi_rsdp = acpi_find_rsdp(st);
	if (bi->acpi_rsdp == 0)
		Print(L"bulwark: warning: no ACPI RSDP in the configuration table\r\n");
	else
		Print(L"bulwark: ACPI RSDP at 0x%lx\r\n", bi->acpi_rsdp);
	fb_query(&bi->fb);
}

static EFI_STATUS loader_boot(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	struct boot_info *bi;
	struct efi_map map;
	uint64_t entry, stack, cr3;
	EFI_STATUS status;

	status = boot_info_alloc(&bi);
	if (!EFI_ERROR(status))
		status = loader_read_esp(image, bi, &entry);
	if (EFI_ERROR(status))
		return status;
	loader_read_firmware(st, bi);
	status = pages_alloc(LOADER_STACK_SIZE, &stack);
	if (EFI_ERROR(status)) {
		loader_error(L"no memory for the kernel stack", status);
		return status;
	}
	status = mmap_prepare(&map);
	if (EFI_ERROR(status)) {
		loader_error(L"cannot read the memory map", status);
		return status;
	}
	status = paging_prepare(mmap_identity_end(&map, bi), bi, &cr3);
	if (EFI_ERROR(status))
		return status;
	Print(L"bulwark: %d modules; leaving boot services\r\n", bi->module_count);
	status = mmap_exit_boot_services(image, &map, bi);
	if (EFI_ERROR(status))
		return status;
	handoff_enter(cr3, stack + LOADER_STACK_SIZE, entry, (uint64_t)(uintptr_t)bi);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_STATUS status;

	InitializeLib(image, st);
	Print(L"%a\r\n", LOADER_NAME);
	status = loader_boot(image, st);
	Print(L"bulwark: boot stopped (%r); returning to the firmware\r\n", status);
	BS->Stall(LOADER_FAIL_PAUSE_US);
	return status;
}
