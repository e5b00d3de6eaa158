#!/bin/bash
# Runs every C test and example under $1 (build dir), two at a time, each
# under a timeout. An example with a driver script ctests/run-<name>.sh is
# run through it. Prints one line per test and a summary line.
# CTEST_WRAPPER (e.g. "valgrind ...") is put before each test binary;
# CTEST_TIMEOUT overrides the 120 s limit.
set -u
build=$1
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

run_one() {
  local bin=$1 name; name=$(basename "$bin")
  local driver=$here/run-$name.sh
  if [ -f "$driver" ]; then
    timeout -k 5 "${CTEST_TIMEOUT:-300}" bash "$driver" "$bin" > "$out/$name.log" 2>&1
  else
    # shellcheck disable=SC2086
    timeout -k 5 "${CTEST_TIMEOUT:-120}" ${CTEST_WRAPPER:-} "$bin" > "$out/$name.log" 2>&1
  fi
  echo $? > "$out/$name.rc"
}
export -f run_one; export out here

find "$build/ctests" "$build/examples" -maxdepth 1 -type f -perm -u+x 2>/dev/null | sort |
  xargs -P 2 -I{} bash -c 'run_one "$1"' _ {}

pass=0 fail=0 skip=0
for rc in "$out"/*.rc; do
  name=$(basename "$rc" .rc); code=$(cat "$rc")
  case $code in
    0) pass=$((pass + 1)); echo "PASS $name" ;;
    77) skip=$((skip + 1)); echo "SKIP $name: $(grep -m1 '^skip:' "$out/$name.log" | cut -c7-)" ;;
    *) fail=$((fail + 1)); echo "FAIL $name (exit $code)"; sed 's/^/    /' "$out/$name.log" | tail -20 ;;
  esac
done
echo "ctests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
