/* Reading files and folders from the ESP the loader was started from. */
/* SPDX-License-Identifier: MIT */
#include "loader.h"

/* UEFI spec 9.1 (EFI_LOADED_IMAGE_PROTOCOL) and 13.4 (EFI_SIMPLE_FILE_SYSTEM_PROTOCOL). */
EFI_STATUS file_open_root(EFI_HANDLE image, EFI_FILE_HANDLE *root)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS status;

	status = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(status) || li == NULL)
		return EFI_ERROR(status) ? status : EFI_NOT_FOUND;
	*root = LibOpenRoot(li->DeviceHandle);
	return *root == NULL ? EFI_NOT_FOUND : EFI_SUCCESS;
}

static EFI_STATUS file_size(EFI_FILE_HANDLE fh, uint64_t *size, int *is_dir)
{
	EFI_FILE_INFO *info = LibFileInfo(fh);

	if (info == NULL)
		return EFI_DEVICE_ERROR;
	*size = info->FileSize;
	*is_dir = (info->Attribute & EFI_FILE_DIRECTORY) != 0;
	FreePool(info);
	return EFI_SUCCESS;
}

/* EFI_FILE_PROTOCOL.Read() may return fewer bytes than asked: loop to the end. */
static EFI_STATUS file_read_into(EFI_FILE_HANDLE fh, uint8_t *dst, uint64_t size)
{
	uint64_t done = 0;

	while (done < size) {
		UINTN chunk = size - done;
		EFI_STATUS status = fh->Read(fh, &chunk, dst + done);

		if (EFI_ERROR(status))
			return status;
		if (chunk == 0)
			return EFI_END_OF_FILE;
		done += chunk;
	}
	return EFI_SUCCESS;
}

EFI_STATUS file_read_handle(EFI_FILE_HANDLE fh, struct loaded_file *out)
{
	uint64_t size, base;
	EFI_STATUS status;
	int is_dir;

	status = file_size(fh, &size, &is_dir);
	if (EFI_ERROR(status))
		return status;
	if (is_dir)
		return EFI_UNSUPPORTED;
	if (size > LOADER_FILE_MAX)
		return EFI_BAD_BUFFER_SIZE;
	status = pages_alloc(size, &base);
	if (EFI_ERROR(status))
		return status;
	status = file_read_into(fh, (uint8_t *)(uintptr_t)base, size);
	if (EFI_ERROR(status)) {
		pages_free(base, size);
		return status;
	}
	out->base = base;
	out->size = size;
	return EFI_SUCCESS;
}

/* Returns EFI_NOT_FOUND, untouched OUT, when PATH does not exist. */
EFI_STATUS file_read_path(EFI_FILE_HANDLE root, CHAR16 *path, struct loaded_file *out)
{
	EFI_FILE_HANDLE fh;
	EFI_STATUS status;

	status = root->Open(root, &fh, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(status))
		return status;
	status = file_read_handle(fh, out);
	fh->Close(fh);
	return status;
}

/*
 * Reads the next entry of folder DIR into *INFO (a pool buffer of *INFO_SIZE
 * bytes, grown as EFI_BUFFER_TOO_SMALL asks). Returns EFI_NOT_FOUND at the end.
 */
EFI_STATUS file_next_entry(EFI_FILE_HANDLE dir, EFI_FILE_INFO **info, UINTN *info_size)
{
	for (;;) {
		UINTN size = *info_size;
		EFI_STATUS status = dir->Read(dir, &size, *info);

		if (status == EFI_BUFFER_TOO_SMALL) {
			if (*info != NULL)
				FreePool(*info);
			*info = AllocatePool(size);
			*info_size = *info == NULL ? 0 : size;
			if (*info == NULL)
				return EFI_OUT_OF_RESOURCES;
			continue;
		}
		if (EFI_ERROR(status))
			return status;
		return size == 0 ? EFI_NOT_FOUND : EFI_SUCCESS;
	}
}
