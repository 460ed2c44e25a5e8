# Host unit tests of the memory-map sanitizer and the frame allocator.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += mm_memmap mm_pmm
UNIT_mm_memmap_SRCS := tests/unit/mm_memmap.c kernel/mm/memmap.c
UNIT_mm_pmm_SRCS := tests/unit/mm_pmm.c kernel/mm/pmm.c kernel/mm/memmap.c
