/* Guest RAM: host frames backing a VM's guest-physical [0, mem_bytes). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_GMEM_H
#define HYPERVISOR_GMEM_H

#include <stddef.h>
#include <stdint.h>

struct vm;

/* Allocates and zeroes vm->mem_bytes in as few contiguous 2 MiB-aligned runs as possible. 0 or -1. */
int gmem_alloc(struct vm *vm);
/* Returns every frame (after the backend unmapped them). */
void gmem_free(struct vm *vm);
/* Maps every region through the backend (RAM: read, write, execute). 0 or -1. */
int gmem_map_all(struct vm *vm);
void gmem_zero(struct vm *vm);
/* A host pointer for [gpa, gpa+len) when it lies inside one region, else NULL. */
void *gmem_hva(struct vm *vm, uint64_t gpa, size_t len);
void gmem_copy_in(struct vm *vm, uint64_t gpa, const void *src, size_t n);
void gmem_fill_zero(struct vm *vm, uint64_t gpa, size_t n);

#endif
