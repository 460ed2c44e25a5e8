/* Describing the GOP framebuffer, if the firmware has one, for the kernel. */
/* SPDX-License-Identifier: MIT */
#include "loader.h"

static uint8_t fb_mask_bits(uint32_t mask)
{
	uint8_t top = 0;

	for (uint8_t bit = 0; bit < 32; bit++)
		if (mask & (1u << bit))
			top = bit + 1;
	return top;
}

/* UEFI spec 12.9 EFI_GRAPHICS_OUTPUT_MODE_INFORMATION: bits per pixel of a linear mode. */
static uint8_t fb_bpp(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info)
{
	const EFI_PIXEL_BITMASK *m = &info->PixelInformation;

	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
	case PixelBlueGreenRedReserved8BitPerColor:
		return 32;
	case PixelBitMask:
		return fb_mask_bits(m->RedMask | m->GreenMask | m->BlueMask | m->ReservedMask);
	default: /* PixelBltOnly: no linear framebuffer */
		return 0;
	}
}

/* Leaves *FB zeroed when there is no usable framebuffer; never fails the boot. */
void fb_query(struct boot_framebuffer *fb)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;
	uint8_t bpp;

	if (EFI_ERROR(LibLocateProtocol(&GraphicsOutputProtocol, (void **)&gop)) ||
	    gop == NULL || gop->Mode == NULL || gop->Mode->Info == NULL)
		return;
	info = gop->Mode->Info;
	bpp = fb_bpp(info);
	if (bpp == 0 || bpp > 32 || gop->Mode->FrameBufferBase == 0)
		return;
	fb->base = gop->Mode->FrameBufferBase;
	fb->width = info->HorizontalResolution;
	fb->height = info->VerticalResolution;
	fb->pitch = info->PixelsPerScanLine * ((bpp + 7u) / 8u);
	fb->bpp = bpp;
	Print(L"bulwark: framebuffer %dx%d, %d bpp at 0x%lx\r\n", fb->width, fb->height, bpp,
	      fb->base);
}
