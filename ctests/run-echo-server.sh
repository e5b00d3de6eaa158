#!/bin/bash
# Drives examples/echo-server: starts it on a port of its choosing, runs
# ctests/echo-client.py against it (streaming and lockstep connections with
# messages of 1 B to 64 KiB, short ones, one closed at once, one reset),
# then expects the server to exit 0 on its own once all of them have
# closed. Also checks that a port already in use and bad options give a
# non-zero exit.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC2206
run=(${CTEST_WRAPPER:-} "$1")
# What the kernel lacks, asked raw by ctests/features (built next to the examples).
features=$(dirname "$1")/../ctests/features
"$features" pbuf_ring || { echo "skip: kernel lacks IORING_REGISTER_PBUF_RING" >&2; exit 77; }
"$features" recv_multishot || { echo "skip: kernel lacks IORING_RECV_MULTISHOT" >&2; exit 77; }
command -v python3 > /dev/null || { echo "skip: python3 is needed for the test client" >&2; exit 77; }
dir=$(mktemp -d)
pid=
# timeout puts itself and the server in a process group of their own.
cleanup() { [ -n "$pid" ] && kill -KILL -- -"$pid" 2> /dev/null; rm -rf "$dir"; }
trap cleanup EXIT

heavy=8 messages=300 light=40
[ -n "${CTEST_QUICK:-}" ] && messages=40 light=10
total=$((heavy + light + 2))

# serve ARGS...: one round: start the server, run the client, wait for
# the server to exit by itself. Sets $stats to its closing line.
fails=0 round=0
serve() {
  # Fresh files each round, so an old port is never read back.
  round=$((round + 1))
  local out=$dir/out.$round err=$dir/err.$round
  # -k: under valgrind a signal cannot interrupt io_uring_enter's wait.
  timeout -k 5 120 "${run[@]}" -n $total "$@" > "$out" 2> "$err" &
  pid=$!
  local port=
  for _ in $(seq 600); do
    port=$(sed -n 's/^listening on \([0-9][0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] && break
    kill -0 $pid 2> /dev/null || break
    sleep 0.05
  done
  if [ -z "$port" ]; then
    echo "FAIL: the server ($*) never said which port it listens on"; cat "$out" "$err"; exit 1
  fi
  # The same port again cannot be bound.
  if timeout -k 5 10 "${run[@]}" -p "$port" -n 1 > /dev/null 2>&1; then
    echo "FAIL: a second server on port $port started"; fails=$((fails + 1))
  fi
  timeout 90 python3 "$here/echo-client.py" "$port" $heavy $messages $light || fails=$((fails + 1))
  wait $pid
  local rc=$?
  pid=
  cat "$err"
  [ $rc -eq 0 ] || { echo "FAIL: server ($*) exited with $rc"; fails=$((fails + 1)); }
  stats=$(grep "^echo-server: $total connections," "$err") ||
    { echo "FAIL: server ($*) did not count $total connections"; fails=$((fails + 1)); }
}

serve
# A ring of 2 entries: the SQ fills at once and the CQ overflows, so the
# kernel ends multishot receives early and the server must re-arm them.
serve -r 2
case $stats in
  *", 0 after the end of a multishot") echo "FAIL: with a tiny ring, no multishot receive ended early"; fails=$((fails + 1)) ;;
esac

"${run[@]}" -x > /dev/null 2>&1 && { echo "FAIL: a bad option gave exit 0"; fails=$((fails + 1)); }
"${run[@]}" -p 70000 > /dev/null 2>&1 && { echo "FAIL: port 70000 gave exit 0"; fails=$((fails + 1)); }

[ $fails -eq 0 ] && echo "echo-server: all cases passed"
[ $fails -eq 0 ]
