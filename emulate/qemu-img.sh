#!/bin/sh
# Debian's qemu-img and qemu-io, unmodified and with their io_uring backend
# (-i io_uring), where the kernel refuses io_uring: patterns written with
# `qemu-img bench -w` into a qcow2 image, read back and checked, then the
# benchmark's reads, every ring served by liburing-rs's userspace engine.
#
#   emulate/qemu-img.sh [build-dir]
#
# Exits 0 on success, 77 (skipped) when qemu-img is not installed or not
# built with io_uring, non-zero on failure.
set -eu
name=qemu-img
build=$(realpath "${1:-build}")
. "$(dirname "$0")/common.sh"
client qemu-img qemu-utils
client qemu-io qemu-utils

img=$work/disk.qcow2
# `uring FORMAT FILE`: qemu's --image-opts for FILE through its io_uring backend.
uring() { echo "driver=$1,file.driver=file,file.filename=$2,file.aio=io_uring"; }
qemu-img create -q -f qcow2 "$img" 16M

# The control: without the library, qemu-img refuses to run where io_uring
# is refused. It never falls back to its thread pool when asked for
# io_uring, so every run below that succeeds ran on the engine.
if "$launcher" qemu-img bench -q -i io_uring -c 1 -f qcow2 "$img" 2>"$work/control"; then
  fail "qemu-img ran -i io_uring under $launcher without the library: the control proves nothing"
fi
grep -q 'io_uring' "$work/control" || { cat "$work/control" >&2; fail "the control failed for another reason"; }

# Writes: 0xa5 over the whole image with O_DIRECT (-t none), 16 in flight,
# then 0x5a over every other 4 KiB block through the page cache, flushed
# every 64 writes. qcow2 adds its own metadata reads, writes and flushes.
emulated write-a qemu-img bench -q -w --pattern=165 -i io_uring -c 4096 -d 16 -s 4096 -f qcow2 -t none "$img"
at_least write-a writev 4096
emulated write-b qemu-img bench -q -w --pattern=90 -o 4096 -S 8192 --flush-interval=64 -i io_uring -c 2048 -d 16 \
  -s 4096 -f qcow2 -t writeback "$img"
at_least write-b writev 2048
at_least write-b fsync 32

# What the guest should now see, written by Python rather than by qemu.
python3 -c 'import sys; open(sys.argv[1], "wb").write((b"\xa5" * 4096 + b"\x5a" * 4096) * 2048)' \
  "$work/expected.raw"

# Read back on the engine: the qcow2 metadata is consistent, the whole image
# equals the expected one, and qemu-io's own pattern checks pass on blocks of
# either pattern (and catch a wrong one, so they can fail).
emulated check qemu-img check -q --image-opts "$(uring qcow2 "$img")"
at_least check readv 1
emulated compare qemu-img compare -q --image-opts "$(uring qcow2 "$img")" "$(uring raw "$work/expected.raw")"
at_least compare readv 16
emulated read qemu-io -f qcow2 -i io_uring -t none -c 'read -P 0xa5 0 4k' -c 'read -P 0x5a 4k 4k' \
  -c 'read -P 0xa5 8m 4k' -c 'read -P 0x5a 16380k 4k' "$img" >/dev/null
at_least read readv 4
if URING_RS_EMULATE=auto LD_PRELOAD=$lib "$launcher" qemu-io -f qcow2 -i io_uring -c 'read -P 0x5a 0 4k' "$img" \
  >"$work/wrong" 2>&1 || ! grep -q 'Pattern verification failed' "$work/wrong"; then
  cat "$work/wrong" >&2
  fail "qemu-io did not catch a wrong pattern"
fi

# The same contents read without the engine: converted to raw by the
# kernel's read(2) through qemu's thread pool, then compared byte for byte.
qemu-img convert -f qcow2 -O raw "$img" "$work/got.raw"
cmp "$work/got.raw" "$work/expected.raw" || fail "the image's contents are not what was written"

# Large requests both ways: converted to raw on the engine, up to 2 MiB per
# request, 16 at a time, written out of order (-W); compared without it.
qemu-img create -q -f raw "$work/converted.raw" 16M
emulated convert qemu-img convert -n -W -m 16 --image-opts "$(uring qcow2 "$img")" \
  --target-image-opts "$(uring raw "$work/converted.raw")"
at_least convert writev 8
cmp "$work/converted.raw" "$work/expected.raw" || fail "qemu-img convert on the engine wrote something else"

# The benchmark's reads: 4 KiB, 32 in flight, O_DIRECT.
emulated bench-read qemu-img bench -q -i io_uring -c 20000 -d 32 -f qcow2 -t none "$img"
at_least bench-read readv 20000
echo "$name: patterns written, read back and checked on the engine"
