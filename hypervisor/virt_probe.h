/* Backend probes called by virt_probe(): each fills the features its CPU offers. */
/* SPDX-License-Identifier: MIT */
#ifndef HYPERVISOR_VIRT_PROBE_H
#define HYPERVISOR_VIRT_PROBE_H

#include "hypervisor/virt.h"

void vmx_probe(struct virt_features *f);
void svm_probe(struct virt_features *f);

#endif
