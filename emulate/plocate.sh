#!/bin/sh
# Debian's plocate, unmodified, where the kernel refuses io_uring: searches
# of a small database on rings served by liburing-rs's userspace engine
# (plocate reads its posting lists with READV SQEs and checks that the
# directories of matches are visible with STATX SQEs) must print what the
# same searches print on the kernel's io_uring.
#
#   emulate/plocate.sh [build-dir]
#
# Exits 0 on success, 77 (skipped) when plocate is not installed or not
# built with io_uring, non-zero on failure.
set -eu
name=plocate
build=$(realpath "${1:-build}")
. "$(dirname "$0")/common.sh"
client plocate plocate
command -v updatedb.plocate >/dev/null || skip "updatedb.plocate is not installed (apt-get install plocate)"

# 2000 files in 85 directories, then their database. The system's
# updatedb.conf prunes /tmp, where $work is, so no paths or file systems are
# pruned here.
python3 -c '
import os, sys
for i in range(2000):
    d = os.path.join(sys.argv[1], "dir%d" % (i % 17), "sub%d" % (i % 5))
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "file-%d.txt" % i), "w").close()
' "$work/tree"
updatedb.plocate --prunepaths '' --prunefs '' -U "$work/tree" -o "$work/db"

# `search LOG ARGS...`: plocate ARGS on the engine must print and exit as it
# does on the kernel's io_uring (through Debian's liburing, no library
# preloaded). Without the library plocate quietly falls back to pread(2)
# where io_uring is refused, so LOG's statistics are the proof that the
# engine served it.
search() {
  log=$1
  shift
  rc=0 want=0
  plocate -d "$work/db" "$@" >"$work/$log.want" || want=$?
  URING_RS_EMULATE=auto URING_RS_STATS=1 LD_PRELOAD=$lib "$launcher" plocate -d "$work/db" "$@" \
    >"$work/$log.got" 2>"$work/$log" || rc=$?
  [ $rc -eq $want ] || { cat "$work/$log" >&2; fail "plocate $* exits $rc on the engine, $want on the kernel"; }
  diff -u "$work/$log.want" "$work/$log.got" >&2 || fail "plocate $* prints something else on the engine"
}

search many file-1
search nocase -i FILE-2
search regex -r 'sub3/file-[0-9]*7\.txt$'
search count -c dir1
search both 99 .txt
search none no-such-name
# Searches by trigram read posting lists through the ring; a regex without
# literal trigrams scans the whole database with read(2) instead.
[ "$(wc -l <"$work/many.want")" -eq 1111 ] || fail "plocate file-1 found $(wc -l <"$work/many.want") files, not 1111"
for log in many nocase count both; do at_least $log readv 1; done
at_least many statx 1
echo "$name: the same results on the engine as on the kernel"
