#!/bin/bash
# Drives examples/link-cp: copies random files of awkward sizes with several
# depths and block sizes and compares the copies byte for byte; copies a
# /sys file (whose stat size is larger than its contents) to go through the
# short-read path; checks that errors give a non-zero exit.
set -u
cp_bin=$1
# shellcheck disable=SC2206
run=(${CTEST_WRAPPER:-} "$cp_bin")
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# copy OPTIONS... SRC: link-cp must exit 0 and leave an identical copy.
copy() {
  local src=${*: -1}
  rm -f "$dir/dst"
  if ! "${run[@]}" "$@" "$dir/dst"; then fail "link-cp $* exited non-zero"; return; fi
  cmp -s "$src" "$dir/dst" || fail "link-cp $*: copy differs"
}

big=$((3 * 1024 * 1024 + 1234))
[ -n "${CTEST_QUICK:-}" ] && big=$((512 * 1024 + 1234))
head -c $big /dev/urandom > "$dir/big"
head -c 1000 /dev/urandom > "$dir/small"
: > "$dir/empty"
head -c 65536 /dev/urandom > "$dir/oneblock"

copy "$dir/big"
copy -d 1 -b 4096 "$dir/big"
copy -d 3 -b 4097 "$dir/big"
copy -d 64 -b 1000000 "$dir/big"
copy "$dir/small"
copy "$dir/empty"
copy "$dir/oneblock"
copy -b 1 -d 7 "$dir/small"

# An existing, larger destination is truncated first.
cp "$dir/big" "$dir/dst"
"${run[@]}" "$dir/small" "$dir/dst" && cmp -s "$dir/small" "$dir/dst" ||
  fail "copy over a larger file"

# /sys files claim 4096 bytes and hold a few: the first read comes back
# short, which must break the link (the write is cancelled) and be
# resumed. The library's trace shows the cancelled write.
sysf=/sys/devices/system/cpu/online
if [ -r $sysf ]; then
  rm -f "$dir/dst"
  URING_RS_TRACE=1 "${run[@]}" $sysf "$dir/dst" 2> "$dir/trace" || fail "link-cp $sysf exited non-zero"
  cmp -s <(cat $sysf) "$dir/dst" || fail "link-cp $sysf: copy differs"
  grep -q 'res=-125 (ECANCELED)' "$dir/trace" || { fail "no cancelled write in the trace"; cat "$dir/trace"; }
fi

# Errors: a missing source, a directory, an unwritable destination, bad
# options. Each must exit non-zero.
"${run[@]}" "$dir/missing" "$dir/dst" 2>/dev/null && fail "missing source gave exit 0"
"${run[@]}" "$dir" "$dir/dst" 2>/dev/null && fail "directory source gave exit 0"
"${run[@]}" "$dir/small" "$dir/no/such/dir" 2>/dev/null && fail "bad destination gave exit 0"
"${run[@]}" -d 0 "$dir/small" "$dir/dst" 2>/dev/null && fail "-d 0 gave exit 0"
"${run[@]}" "$dir/small" 2>/dev/null && fail "one argument gave exit 0"
# /dev/full takes no bytes: every write fails with ENOSPC.
"${run[@]}" "$dir/small" /dev/full 2>/dev/null && fail "writing to /dev/full gave exit 0"

[ $fails -eq 0 ] && echo "link-cp: all cases passed"
[ $fails -eq 0 ]
