#!/bin/sh
# Runs each cargo-fuzz target (fuzz/fuzz_targets) for $1 seconds, logging
# to build/fuzz-<target>.log; prints the runs done and fails on the first
# crash (libFuzzer saves the input under fuzz/artifacts/<target>/).
# The preparers target compares ours with upstream liburing's inline
# preparers when upstream's header is there (UPSTREAM_INCLUDE, else the tree
# conformance/fetch.sh puts under build/conformance): then it must compare
# at least the "#min preparers" of conformance/expectations.tsv. Without the
# header a developer is warned; under CI (CI set) it fails.
# With --if-available, says so and succeeds when cargo-fuzz is missing
# (under CI it fails). FUZZ_TARGETS limits the run to the targets named.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
	echo "fuzz: needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz)"
	[ "${2:-}" = --if-available ] && [ -z "${CI:-}" ] && { echo "fuzz: skipped"; exit 0; }
	exit 1
fi
upstream=${UPSTREAM_INCLUDE:-build/conformance/liburing/src/include}
if [ ! -f "$upstream/liburing.h" ]; then
	echo "fuzz: no upstream liburing.h in $upstream (bash conformance/fetch.sh build/conformance/liburing" \
		"downloads it): preparers are compared only with themselves"
	[ -z "${CI:-}" ] || { echo "fuzz: FAILED: CI compares with upstream's preparers"; exit 1; }
fi
EXPECT=conformance/expectations.tsv
. conformance/lib.sh
least=$(minimum_of preparers)
mkdir -p build
# The defaults are CI's (check-fuzz): every target.
for t in ${FUZZ_TARGETS:-api_sequence emulate_diff socket_diff preparers}; do
	log=build/fuzz-$t.log
	echo "fuzz: $t for $seconds s (log: $log)"
	if ! (cd fuzz && cargo +nightly fuzz run -O "$t" -- -max_total_time="$seconds") >"$log" 2>&1; then
		grep -E "^(api_sequence|emulate_diff|socket_diff|preparers):|ERROR" "$log" | head -5
		echo "fuzz: $t FAILED; the input is in fuzz/artifacts/$t/"
		exit 1
	fi
	grep -E "^Done [0-9]+ runs" "$log" | sed "s/^/fuzz: $t: /"
done
# "preparers: N of M compared with upstream liburing's" (fuzz/c/preparers.c)
case " ${FUZZ_TARGETS:-preparers} " in *" preparers "*) ;; *) exit 0 ;; esac
compared=$(sed -n "s/^preparers: \([0-9]*\) of [0-9]* compared with upstream.*/\1/p" build/fuzz-preparers.log | head -1)
grep -m1 "^preparers: .* compared with upstream" build/fuzz-preparers.log | sed "s/^/fuzz: /"
if [ -f "$upstream/liburing.h" ] && [ "${compared:-0}" -lt "$least" ]; then
	echo "fuzz: FAILED: only ${compared:-0} preparers compared with upstream's; upstream has $least"
	exit 1
fi
