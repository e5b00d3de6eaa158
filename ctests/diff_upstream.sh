#!/bin/bash
# The driver of the old-kernel tests (ctests/old_kernel.h): ctests/run-NAME.sh
# links here, and ctests/run.sh calls it with build/ctests/NAME, built
# against liburing-rs. It builds ctests/NAME.c again against the system's
# liburing (Debian's liburing-dev: /usr/include/liburing.h and -luring),
# runs that binary on it, again with liburing-rs preloaded, and once more
# preloaded with tracing and statistics on (their hooked paths), then runs
# the given binary. Each run must pass its own checks, and all must print
# the same. Without liburing-dev only the given binary runs; its pass
# is then reported as a skip of the comparison (exit 77), except under CI,
# where liburing-dev is installed (tools/need.sh) and the comparison must run.
# For a cross build (CC another architecture's compiler) the system's
# liburing is the wrong one: CTEST_LIBURING_FLAGS gives the compiler flags
# that find Debian's liburing for that architecture (tools/check-arch.sh
# sets them for i686); without them, a skip.
set -u
bin=$1
name=$(basename "$bin")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "$name: FAIL: $*" >&2; exit 1; }

# run LABEL CMD...: CMD's output goes to $work/LABEL.out; a skip (77) ends
# the test as skipped, any other failure fails it.
run() {
  local label=$1 rc
  shift
  "$@" > "$work/$label.out"
  rc=$?
  [ "$rc" -eq 77 ] && exit 77
  [ "$rc" -eq 0 ] || { cat "$work/$label.out"; fail "the $label run exited $rc"; }
}

run ours "$bin"
# shellcheck disable=SC2206 # flags, split as the compiler takes them
link=(${CTEST_LIBURING_FLAGS:-} -luring)
if [ -z "${CTEST_LIBURING_FLAGS:-}" ] && [ -n "${CC:-}" ] &&
  [ "$("$CC" -dumpmachine 2> /dev/null)" != "$(cc -dumpmachine 2> /dev/null)" ]; then
  echo "skip: the system's liburing is not for $CC's architecture, and no CTEST_LIBURING_FLAGS find one that is"
  exit 77
fi
# Where the tools are not there either (a test VM), the comparison is skipped.
if [ -z "${CTEST_LIBURING_FLAGS:-}" ] && [ ! -f /usr/include/liburing.h ] && [ -f "$here/../tools/need.sh" ]; then
  # shellcheck source=tools/need.sh
  . "$here/../tools/need.sh"
  need /usr/include/liburing.h:liburing-dev
fi
if [ -z "${CTEST_LIBURING_FLAGS:-}" ] && [ ! -f /usr/include/liburing.h ]; then
  [ -z "${CI:-}" ] || fail "no /usr/include/liburing.h under CI (apt-get install liburing-dev failed)"
  echo "skip: no /usr/include/liburing.h (apt-get install liburing-dev) to compare with liburing; alone it passed"
  exit 77
fi
so=$(ldd "$bin" | awk '$1 == "liburing_rs.so.2" { print $3 }')
[ -f "$so" ] || fail "$bin is not linked with liburing_rs.so.2"
"${CC:-cc}" -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I"$here" -o "$work/$name" "$here/$name.c" "${link[@]}" ||
  fail "does not build against the system liburing"
upstream=$(ldd "$work/$name" | awk '$1 ~ /^liburing\.so/ { print $3 }')
[ -n "$upstream" ] || fail "not linked with the system liburing"
run upstream "$work/$name"
run preloaded env LD_PRELOAD="$so" "$work/$name"
run traced env URING_RS_TRACE="$work/trace.log" URING_RS_STATS=1 LD_PRELOAD="$so" "$work/$name"
# Only liburing-rs writes a trace: the preload took effect.
[ -s "$work/trace.log" ] || fail "LD_PRELOAD=$so took no effect: no trace written"
for label in preloaded traced ours; do
  diff -u --label "$upstream" --label "$label" "$work/upstream.out" "$work/$label.out" ||
    fail "$label, it prints otherwise than on $upstream"
done
echo "$name: $(wc -l < "$work/upstream.out") lines the same on $upstream and on liburing-rs" \
  "(preloaded, traced, built against it)"
