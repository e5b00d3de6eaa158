#!/bin/bash
# Checks bench/echo-load, the load generator of the networking benchmark,
# at a small scale: it runs clean against echo-epoll and echo-server (on
# the kernel's io_uring, when the kernel has what it needs), and it fails
# with the right status when a server (bench/echo-faulty.py) duplicates,
# loses or changes a byte (2), or closes a connection, exits at once or
# never starts listening (3).
#   check-echo-load.sh BUILD_DIR
set -u
b=$1 here=$(cd "$(dirname "$0")" && pwd)
load=("$b/bench/echo-load" -c 200 -m 20000 -s 3)
fails=0

# expect STATUS DESCRIPTION SERVER...: runs echo-load against SERVER.
expect() {
  local want=$1 what=$2 out rc
  shift 2
  out=$(timeout 60 "${load[@]}" -- "$@" 2>&1)
  rc=$?
  if [ $rc -ne "$want" ]; then
    echo "FAIL: $what: echo-load exited $rc, not $want: $out"
    fails=$((fails + 1))
  elif [ "$want" -eq 0 ] && ! grep -q '^conns 200 exchanges 20000 seconds .* p99_us' <<< "$out"; then
    echo "FAIL: $what: no result line: $out"
    fails=$((fails + 1))
  fi
}

expect 0 "echo-epoll" "$b/bench/echo-epoll" -n 200
if "$b/ctests/features" pbuf_ring && "$b/ctests/features" recv_multishot; then
  expect 0 "echo-server" "$b/examples/echo-server" -n 200 -b 256 -r 256
else
  echo "check-echo-load: echo-server skipped: the kernel lacks provided-buffer rings or multishot receive"
fi
for mode in dup drop flip; do
  expect 2 "a server that makes a $mode" python3 "$here/echo-faulty.py" $mode 200
done
expect 3 "a server that closes connections" python3 "$here/echo-faulty.py" close 200
expect 3 "a server that exits at once" false
expect 3 "a server that never listens" sleep 30

[ $fails -eq 0 ] && echo "check-echo-load: all cases passed"
[ $fails -eq 0 ]
