# Sourced by the emulate/*.sh scripts, after they set $name and $build:
# runs real programs, unmodified, where the kernel refuses io_uring
# ($build/no-io-uring), with liburing-rs preloaded and URING_RS_EMULATE=auto,
# so every ring they set up is served by the library's userspace engine.

lib=$build/liburing_rs.so.2
launcher=$build/no-io-uring
[ -f "$lib" ] && [ -x "$launcher" ] || { echo "$name: FAIL: build $lib and $launcher first (make)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

skip() { echo "skip: $*" >&2; exit 77; }
fail() { echo "$name: FAIL: $*" >&2; exit 1; }

# `client PROGRAM PACKAGE`: skips unless PROGRAM is installed and linked with
# liburing (only then can the preloaded library serve its rings).
client() {
  command -v "$1" >/dev/null || skip "$1 is not installed (apt-get install $2)"
  ldd "$(command -v "$1")" | grep -q 'liburing\.so' || skip "this $1 is not linked with liburing"
}

# `emulated LOG PROGRAM ARGS...`: runs PROGRAM under the launcher with the
# engine; its stderr, with the library's per-ring statistics, goes to LOG.
# no_new_privs, which the launcher's seccomp filter needs, also makes the
# loader honour LD_PRELOAD in set-id programs such as plocate.
emulated() {
  log=$work/$1
  shift
  rc=0
  URING_RS_EMULATE=auto URING_RS_STATS=1 LD_PRELOAD=$lib "$launcher" "$@" 2>"$log" || rc=$?
  [ $rc -eq 0 ] || { cat "$log" >&2; fail "$* failed on the engine (exit $rc)"; }
}

# `ops LOG OP`: how many SQEs of OP (readv, writev, fsync, statx, ...) the
# rings in LOG's statistics consumed.
ops() {
  sed -n "s/.* stats: sqes=.* $2=\([0-9]*\).*/\1/p" "$work/$1" | awk '{ n += $1 } END { print n + 0 }'
}

# `at_least LOG OP N`: fails unless LOG's rings consumed N SQEs of OP or more.
at_least() {
  n=$(ops "$1" "$2")
  [ "$n" -ge "$3" ] || { cat "$work/$1" >&2; fail "$1: $n $2 SQEs on the engine, expected $3 or more"; }
  echo "$name: $1: $n $2 SQEs served by the engine"
}
