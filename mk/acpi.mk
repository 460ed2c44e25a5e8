# The guests' DSDT: hypervisor/dev/dsdt.asl compiled by iasl (acpica-tools) into a C array
# in the build tree, linked into the hypervisor and into the ACPI table unit test.
# SPDX-License-Identifier: MIT

PACKAGES += acpica-tools

DSDT_ASL := hypervisor/dev/dsdt.asl
DSDT_GEN := $(BUILD)/gen
DSDT_AML_C := $(DSDT_GEN)/dsdt_aml.c
DSDT_AML_OBJ := $(BUILD)/kernel-obj/$(DSDT_AML_C).o

# iasl -tc writes DSDT.hex (a C array with comments); the array is copied without them,
# since the comments show the table's bytes as text and could hold a "*/".
$(DSDT_GEN)/dsdt.hex: $(DSDT_ASL) hypervisor/dev/platform.h
	@mkdir -p $(DSDT_GEN)
	@echo "  IASL    $<"
	@iasl -we -I. -p $(DSDT_GEN)/dsdt -tc $< >$@.log 2>&1 || { cat $@.log; rm -f $@; exit 1; }

$(DSDT_AML_C): $(DSDT_GEN)/dsdt.hex
	@{ echo '/* Generated from $(DSDT_ASL) by iasl: do not edit. */'; \
	   echo '#include "hypervisor/dev/dsdt_aml.h"'; \
	   echo 'const uint8_t acpi_dsdt_aml[] = {'; \
	   sed -n 's|/\*.*||; s/^ *\(0x.*\)$$/\t\1/p' $<; \
	   echo '};'; \
	   echo 'const size_t acpi_dsdt_aml_len = sizeof(acpi_dsdt_aml);'; } >$@

KERNEL_OBJS += $(DSDT_AML_OBJ)
$(KERNEL_ELF): $(DSDT_AML_OBJ)
