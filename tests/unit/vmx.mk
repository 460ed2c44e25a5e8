# Host unit tests of the VT-x backend's pure logic: controls, EPT entries, exit decoding, bitmaps, VPIDs.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += vmx_controls vmx_ept vmx_exit vmx_bitmap
UNIT_vmx_controls_SRCS := tests/unit/vmx_controls.c hypervisor/vmx/controls.c
UNIT_vmx_ept_SRCS := tests/unit/vmx_ept.c hypervisor/vmx/ept.c
UNIT_vmx_exit_SRCS := tests/unit/vmx_exit.c hypervisor/vmx/vmx_exit.c
UNIT_vmx_bitmap_SRCS := tests/unit/vmx_bitmap.c hypervisor/vmx/bitmap.c hypervisor/vmx/vpid.c
