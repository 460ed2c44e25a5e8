/* Loading a VM's image and setting its vCPUs' boot state (used by vm.c at create and at every boot). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VM_LOAD_H
#define HYPERVISOR_VM_LOAD_H

#include <stddef.h>
#include "hypervisor/vm.h"

/*
 * The kind of the image `c` names (enum image_kind, from the file's bytes),
 * after checking that its initrd and modules exist and suit that kind.
 * -1 with `err` when the image is missing or of no kind Bulwark boots.
 */
int vm_load_check(const struct vm_config *c, char *err, size_t errlen);

/*
 * Zeroes RAM and loads the image by its kind: an ELF guest as before (every
 * vCPU at the entry); a Linux or Multiboot guest with its ACPI tables, files
 * and command line, vCPU 0 in the loader's entry state and the others
 * waiting for INIT/SIPI. 0, or -1 with `err`.
 */
int vm_load_image(struct vm *vm, char *err, size_t errlen);

#endif
