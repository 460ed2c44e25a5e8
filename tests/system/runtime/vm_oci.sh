#!/bin/bash
# The OCI suite inside the test VM (vm-oci.sh: devices, cpuset, io, hugetlb, unified,
# update, a container manager's call sequence).
# SPDX-License-Identifier: MIT
exec "$(dirname "$0")/vm_suite.sh" oci 600
