# Fuzz harness of bwrun's OCI config parser and validator (guests/linux/runtime/config.c, validate.c).
# SPDX-License-Identifier: MIT
FUZZ_NAMES += oci_config
FUZZ_oci_config_SRCS := tests/fuzz/oci_config.c $(addprefix guests/linux/runtime/,config.c validate.c \
	caps.c idmap.c util.c)
FUZZ_oci_config_CFLAGS := -Iguests/linux/runtime -D_FILE_OFFSET_BITS=64
FUZZ_oci_config_LIBS := -ljson-c
