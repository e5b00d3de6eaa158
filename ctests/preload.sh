#!/bin/bash
# LD_PRELOAD proof: ctests/preload/preload_app.c, built against the system's
# upstream liburing (Debian's liburing-dev: /usr/include/liburing.h and
# -luring), must pass on upstream, and again with liburing-rs preloaded,
# where LD_DEBUG=bindings must show its liburing calls bound to liburing-rs.
# Usage: ctests/preload.sh BUILD_DIR. Exit 0 pass, 77 skip, else fail.
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
so=$build/liburing_rs.so
work=$build/preload
CC=${CC:-cc}

skip() { echo "skip: $*" >&2; exit 77; }
fail() { echo "preload: FAIL: $*" >&2; exit 1; }

[ -f /usr/include/liburing.h ] || skip "no /usr/include/liburing.h (apt-get install liburing-dev)"
[ -f "$so" ] || fail "$so not built"
mkdir -p "$work"
rm -f "$work"/ld.*

"$CC" -O2 -g -Wall -Wextra -Werror -o "$work/preload_app" "$here/preload/preload_app.c" -luring ||
  fail "preload_app does not build against the system liburing"
upstream=$(ldd "$work/preload_app" | awk '$1 ~ /^liburing\.so/ { print $3 }')
[ -n "$upstream" ] || fail "preload_app is not linked with the system liburing"

# 1. On upstream liburing alone.
out=$("$work/preload_app") || fail "preload_app fails on upstream liburing ($upstream)"
echo "upstream ($upstream): $out"

# 2. With liburing-rs preloaded.
out=$(LD_PRELOAD=$so LD_DEBUG=bindings LD_DEBUG_OUTPUT=$work/ld "$work/preload_app") ||
  fail "preload_app fails with LD_PRELOAD=$so"
echo "preloaded ($so): $out"
case $out in *"checks passed"*) ;; *) fail "preload_app did not report its checks" ;; esac

log=$(cat "$work"/ld.* 2>/dev/null)
[ -n "$log" ] || fail "LD_DEBUG=bindings wrote nothing"
app_bindings=$(grep -F "binding file $work/preload_app [0] to " <<< "$log")
for sym in io_uring_queue_init io_uring_submit io_uring_submit_and_wait \
           io_uring_submit_and_wait_timeout io_uring_wait_cqe_timeout \
           __io_uring_get_cqe io_uring_peek_batch_cqe io_uring_queue_exit; do
  line=$(grep -F "symbol \`$sym'" <<< "$app_bindings") || fail "no binding recorded for $sym"
  grep -qF "to $so [0]" <<< "$line" || fail "$sym bound elsewhere: $line"
done
# Nothing the program calls may still come from upstream's library.
if stray=$(grep -F "to $upstream " <<< "$app_bindings"); then
  fail "bound to upstream liburing: $stray"
fi
echo "preload: every liburing call of preload_app bound to liburing_rs.so"

# 3. Traced under LD_PRELOAD: its inline-prepared SQEs must be decoded from
# the ring, and its results unchanged.
trace=$work/trace.log
rm -f "$trace"
out=$(URING_RS_TRACE=$trace URING_RS_STATS=1 LD_PRELOAD=$so "$work/preload_app") ||
  fail "preload_app fails with tracing on"
case $out in *"checks passed"*) ;; *) fail "preload_app did not report its checks when traced" ;; esac
sqes=$(grep -c '^\[ring [0-9]*\] sqe ' "$trace")
grep -q '^\[ring [0-9]*\] sqe nop fd=-1 ' "$trace" || fail "no decoded nop SQE in the trace"
grep -q '^\[ring [0-9]*\] sqe timeout ' "$trace" || fail "no decoded timeout SQE in the trace"
grep -q '^\[ring [0-9]*\] stats: sqes=' "$trace" || fail "no statistics summary in the trace"
[ "$sqes" -ge 20 ] || fail "only $sqes SQEs traced"
bad=$(grep -Ev '^\[ring -?[0-9]+\] (sqe|cqe|stats:|note:) ' "$trace" | head -3)
[ -z "$bad" ] || fail "malformed trace lines: $bad"
echo "preload: traced $sqes SQEs of the upstream-built program"
