/* A private, read-only view of the machine for fuzz harnesses of code that writes files (bwrun's importers). */
/* SPDX-License-Identifier: MIT */
#ifndef TESTS_FUZZ_SANDBOX_H
#define TESTS_FUZZ_SANDBOX_H

/*
 * Moves the process into its own mount namespace in which every mount is
 * read-only except a fresh tmpfs on /tmp (nosuid, nodev: the harness's
 * workspace) and the paths the fuzzer writes to: each argument that names an
 * existing file or folder (the corpus folders) and the folder of
 * -artifact_prefix=. Code under test that escapes its root then fails with
 * EROFS instead of changing the shared machine. Needs root; on failure prints
 * why and exits, so no input ever runs unconfined. Call from LLVMFuzzerInitialize.
 */
void fuzz_sandbox(int argc, char **argv);

#endif
