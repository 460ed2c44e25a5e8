# Fuzz harness of bwrun's OCI image import: index and manifest parsing, digests, image config, layers
# (guests/linux/runtime/image.c). It writes files, so it runs in tests/fuzz/sandbox.c's namespace.
# SPDX-License-Identifier: MIT
FUZZ_NAMES += oci_image
FUZZ_oci_image_SRCS := tests/fuzz/oci_image.c tests/fuzz/sandbox.c $(addprefix guests/linux/runtime/,image.c \
	layer.c tar.c whiteout.c spec.c sha256.c util.c config.c validate.c caps.c idmap.c)
FUZZ_oci_image_CFLAGS := -Iguests/linux/runtime -D_FILE_OFFSET_BITS=64
FUZZ_oci_image_LIBS := -ljson-c -lz
