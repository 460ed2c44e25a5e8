#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer harness for SECONDS and prints its executions, coverage and crashes.
# SPDX-License-Identifier: MIT
#
# Usage: tests/fuzz/run.sh BUILD SECONDS NAME...
# Harness NAME is BUILD/fuzz/NAME. It starts from its seeds (tests/fuzz/corpus/NAME/, only
# read) plus what earlier runs found (BUILD/fuzz/work/NAME/, where new inputs go). A crashing
# input is written to BUILD/fuzz/crashes/NAME/; the whole log is BUILD/fuzz/logs/NAME.log.
# An input running over 30 s counts as a hang (a crash). Exit status 1 if any harness
# crashed (or failed to run), 0 otherwise.
set -u
build=$1 secs=$2
shift 2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
printf '%-16s %12s %8s %8s %8s  %s\n' harness executions cov ft crashes result
for name in "$@"; do
	bin="$build/fuzz/$name" seeds="tests/fuzz/corpus/$name"
	work="$build/fuzz/work/$name" crashes="$build/fuzz/crashes/$name" log="$build/fuzz/logs/$name.log"
	mkdir -p "$work" "$crashes" "$(dirname "$log")"
	stamp=$(mktemp)
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048 \
		-artifact_prefix="$crashes/" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	# crash-, leak-, timeout- and oom- files fail the run; libFuzzer's slow-unit- notes (one input
	# took over 10 s, usually a loaded machine) do not.
	found=$(find "$crashes" -type f -newer "$stamp" ! -name 'slow-unit-*' | wc -l)
	rm -f "$stamp"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(printf '%s' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	if [ "$rc" -eq 0 ] && [ "$found" -eq 0 ]; then
		result=ok
	else
		status=1
		result="FAILED (status $rc; see $log"
		[ "$found" -gt 0 ] && result="$result; input in $crashes/"
		result="$result)"
	fi
	printf '%-16s %12s %8s %8s %8s  %s\n' "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$found" "$result"
	if [ "$result" != ok ]; then
		grep -E 'ERROR: |runtime error|fuzz check failed|SUMMARY' "$log" | head -5 | sed 's/^/    /'
	fi
done
exit "$status"
