#!/bin/bash
# The cgroup v2 limits suite (vm-test.sh) inside the test VM.
# SPDX-License-Identifier: MIT
exec "$(dirname "$0")/vm_suite.sh" test 300
