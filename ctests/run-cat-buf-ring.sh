#!/bin/bash
# Drives examples/cat-buf-ring: its output must equal its input for a
# random multi-MiB file named on the command line, the same file on
# standard input, a pipe fed in bursts of random sizes, and an empty file;
# output goes to a file and to a pipe. Errors must give a non-zero exit.
set -u
# shellcheck disable=SC2206
run=(${CTEST_WRAPPER:-} "$1")
# What the kernel lacks, asked raw by ctests/features (built next to the examples).
features=$(dirname "$1")/../ctests/features
"$features" pbuf_ring || { echo "skip: kernel lacks IORING_REGISTER_PBUF_RING" >&2; exit 77; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

size=$((5 * 1024 * 1024 + 77))
[ -n "${CTEST_QUICK:-}" ] && size=$((1024 * 1024 + 77))
head -c $size /dev/urandom > "$dir/in"
: > "$dir/empty"

"${run[@]}" "$dir/in" > "$dir/out" && cmp -s "$dir/in" "$dir/out" || fail "file argument"
"${run[@]}" < "$dir/in" > "$dir/out" && cmp -s "$dir/in" "$dir/out" || fail "file on stdin"
"${run[@]}" "$dir/empty" > "$dir/out" && [ ! -s "$dir/out" ] || fail "empty file"
"${run[@]}" < /dev/null > "$dir/out" && [ ! -s "$dir/out" ] || fail "/dev/null on stdin"
# Output into a pipe.
"${run[@]}" "$dir/in" | cmp -s - "$dir/in"
[ "${PIPESTATUS[*]}" = "0 0" ] || fail "output to a pipe"

# Input from a pipe: plain cat, then a writer that sends bursts of 1 B to
# 200 KiB with short pauses, so reads come back short and sometimes wait.
cat "$dir/in" | "${run[@]}" > "$dir/out" && cmp -s "$dir/in" "$dir/out" || fail "input from cat"
if command -v python3 > /dev/null; then
  python3 - "$dir/in" << 'EOF' | "${run[@]}" > "$dir/out" && cmp -s "$dir/in" "$dir/out" || fail "input in bursts"
import os, random, sys, time
data = open(sys.argv[1], "rb").read()
rng = random.Random(7)
pos = 0
while pos < len(data):
    n = min(len(data) - pos, int(2 ** rng.uniform(0, 17.6)))
    pos += os.write(1, data[pos:pos + n])
    if rng.random() < 0.05:
        time.sleep(0.002)
EOF
fi

"${run[@]}" "$dir/missing" > /dev/null 2>&1 && fail "missing file gave exit 0"
"${run[@]}" "$dir" > /dev/null 2>&1 && fail "directory gave exit 0"
"${run[@]}" "$dir/in" > /dev/full 2>/dev/null && fail "writing to /dev/full gave exit 0"
"${run[@]}" "$dir/in" "$dir/in" > /dev/null 2>&1 && fail "two arguments gave exit 0"

[ $fails -eq 0 ] && echo "cat-buf-ring: all cases passed"
[ $fails -eq 0 ]
