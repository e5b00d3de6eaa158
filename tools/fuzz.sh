#!/bin/sh
# Runs each cargo-fuzz target (fuzz/fuzz_targets) for $1 seconds, logging
# to build/fuzz-<target>.log; prints the runs done and fails on the first
# crash (libFuzzer saves the input under fuzz/artifacts/<target>/).
# With --if-available, says so and succeeds when cargo-fuzz is missing.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
	echo "fuzz: needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz)"
	[ "${2:-}" = --if-available ] && { echo "fuzz: skipped"; exit 0; }
	exit 1
fi
mkdir -p build
for t in api_sequence preparers; do
	log=build/fuzz-$t.log
	echo "fuzz: $t for $seconds s (log: $log)"
	if ! (cd fuzz && cargo +nightly fuzz run -O "$t" -- -max_total_time="$seconds") >"$log" 2>&1; then
		grep -E "^(api_sequence|preparers):|ERROR" "$log" | head -5
		echo "fuzz: $t FAILED; the input is in fuzz/artifacts/$t/"
		exit 1
	fi
	grep -E "^Done [0-9]+ runs" "$log" | sed "s/^/fuzz: $t: /"
done
