#!/bin/sh
# Runs a program Debian built against its own liburing.so.2 -- qemu-img's
# io_uring benchmark -- on liburing-rs instead, with no rebuild, and shows
# what it asked of the kernel: the first SQEs decoded, and the statistics.
#
#   examples/preload-demo.sh [path/to/liburing_rs.so]
#
# Exits 77 (skipped) when qemu-img is not installed or not built with
# io_uring, non-zero if the run or its trace is not what it should be.
set -eu
lib=$(realpath "${1:-build/liburing_rs.so}")
command -v qemu-img >/dev/null || { echo "skip: qemu-img is not installed (apt-get install qemu-utils)" >&2; exit 77; }
ldd "$(command -v qemu-img)" | grep -q 'liburing\.so' ||
  { echo "skip: this qemu-img is not linked with liburing" >&2; exit 77; }

dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
qemu-img create -q -f raw "$dir/disk.img" 16M
# 2000 reads of 4 KiB, 8 in flight, through qemu's io_uring backend.
URING_RS_TRACE=$dir/trace URING_RS_STATS=1 LD_PRELOAD=$lib \
  qemu-img bench -i io_uring -c 2000 -d 8 -f raw -t none "$dir/disk.img"

echo "--- first SQEs, decoded by liburing-rs:"
grep ' sqe ' "$dir/trace" | head -3
echo "--- statistics:"
grep ' stats: ' "$dir/trace"

# The benchmark's reads must all be there, as readv SQEs of 4 KiB blocks.
grep -q ' stats: sqes=2000 readv=2000$' "$dir/trace" || { echo "preload-demo: unexpected SQE count" >&2; exit 1; }
grep -q ' sqe readv fd=[0-9]* off=4096 len=1 ' "$dir/trace" || { echo "preload-demo: no decoded readv" >&2; exit 1; }
