# Host unit tests of the AMD-V backend's pure pieces: VMCB layout and setup, permission maps, NPT entries, exits, ASIDs.
# SPDX-License-Identifier: MIT
UNIT_TEST_NAMES += svm_vmcb svm_permmap svm_npt svm_exit svm_asid
UNIT_svm_vmcb_SRCS := tests/unit/svm_vmcb.c hypervisor/svm/vmcb.c
UNIT_svm_permmap_SRCS := tests/unit/svm_permmap.c hypervisor/svm/permmap.c
UNIT_svm_npt_SRCS := tests/unit/svm_npt.c hypervisor/svm/npt.c hypervisor/slat.c
UNIT_svm_exit_SRCS := tests/unit/svm_exit.c hypervisor/svm/svm_exit.c
UNIT_svm_asid_SRCS := tests/unit/svm_asid.c hypervisor/svm/asid.c
UNIT_TEST_NAMES += svm_decode
UNIT_svm_decode_SRCS := tests/unit/svm_decode.c hypervisor/svm/svm_decode.c
