# Fuzz harness of bwrun's tar reader and layer importer, whiteouts included (guests/linux/runtime/tar.c,
# layer.c, whiteout.c). It writes files, so it runs in tests/fuzz/sandbox.c's read-only mount namespace.
# SPDX-License-Identifier: MIT
FUZZ_NAMES += tar_layer
FUZZ_tar_layer_SRCS := tests/fuzz/tar_layer.c tests/fuzz/sandbox.c \
	$(addprefix guests/linux/runtime/,layer.c tar.c whiteout.c util.c)
FUZZ_tar_layer_CFLAGS := -Iguests/linux/runtime -D_FILE_OFFSET_BITS=64
FUZZ_tar_layer_LIBS := -lz
