/* Instruction lengths and MOV-to-CR operands from the guest's bytes, for CPUs without nRIP-save or decode assists (pure logic). */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_SVM_SVM_DECODE_H
#define HYPERVISOR_SVM_SVM_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SVM_INSN_MAX 15 /* APM Vol 3 1.1 */

/*
 * The opcode bytes an intercepted instruction must have (APM Vol 3 appendix A),
 * for the exit codes whose instruction is skipped; 0 for any other exit.
 * `exitinfo1` tells RDMSR (0) from WRMSR (1).
 */
size_t svm_exit_opcode(uint64_t exitcode, uint64_t exitinfo1, uint8_t op[3]);

/*
 * Length of the instruction in `b` (n bytes fetched at RIP): legacy prefixes,
 * in 64-bit mode one REX prefix, then exactly `op`. 0 if the bytes are not
 * that instruction or it would exceed 15 bytes.
 */
uint32_t svm_insn_length(const uint8_t *b, size_t n, bool long_mode, const uint8_t *op, size_t oplen);

/* MOV to CRn (0F 22 /r, APM Vol 3 "MOV CRn"): control register, source GPR and length. 0, or -1 if not one. */
struct svm_mov_cr {
	uint8_t cr, gpr;
	uint32_t len;
};
int svm_decode_mov_to_cr(const uint8_t *b, size_t n, bool long_mode, struct svm_mov_cr *out);

#endif
