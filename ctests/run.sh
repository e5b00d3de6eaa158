#!/bin/bash
# Runs every C test and example under $1 (build dir), two at a time, each
# under a timeout. An example with a driver script ctests/run-<name>.sh is
# run through it. Prints one line per test and a summary line.
# CTEST_WRAPPER (e.g. "valgrind ...") is put before each test binary;
# CTEST_TIMEOUT overrides the 120 s limit. CTEST_ONLY (names separated by
# spaces or commas) runs only those tests; naming one that is not built
# fails the run.
#
# Skips are checked against a list of the skips expected on this kernel:
# ctests/skips/<major.minor>.tsv (rows "test<TAB>reason", reason as the
# test prints it after "skip: " or "skip case: "), or the file named by
# CTEST_SKIPS, or ctests/skips/$CTEST_KERNEL.tsv. A skip not on the list
# fails the run, and so does a listed skip that did not happen. Without a
# list for the kernel, skips are only reported. Skips a test makes because
# it runs under valgrind (CTEST_VALGRIND) are expected there.
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

find "$build/ctests" "$build/examples" -maxdepth 1 -type f -perm -u+x 2>/dev/null | sort > "$out/all"
if [ -n "${CTEST_ONLY:-}" ]; then
  tr ', ' '\n\n' <<< "$CTEST_ONLY" | grep . | sort -u > "$out/only"
  missing=$(awk -F/ 'NR == FNR { built[$NF] = 1; next } !($0 in built)' "$out/all" "$out/only")
  [ -z "$missing" ] || { echo "ctests: CTEST_ONLY names tests that are not built:" $missing; exit 1; }
  awk -F/ 'NR == FNR { want[$0] = 1; next } $NF in want' "$out/only" "$out/all" > "$out/picked"
  mv "$out/picked" "$out/all"
fi
xargs -P 2 -I{} bash -c 'run_one "$1"' _ {} < "$out/all"

kernel=${CTEST_KERNEL:-$(uname -r | cut -d. -f1,2)}
list=${CTEST_SKIPS:-$here/skips/$kernel.tsv}
pass=0 fail=0 skip=0
: > "$out/seen.tsv"; : > "$out/ran"
for rc in "$out"/*.rc; do
  name=$(basename "$rc" .rc); code=$(cat "$rc")
  case $code in
    0) pass=$((pass + 1)); echo "PASS $name" ;;
    77) skip=$((skip + 1)); echo "SKIP $name: $(grep -m1 '^skip:' "$out/$name.log" | cut -c7-)" ;;
    *) fail=$((fail + 1)); echo "FAIL $name (exit $code)"; sed 's/^/    /' "$out/$name.log" | tail -20 ;;
  esac
  [ "$code" = 0 ] || [ "$code" = 77 ] || continue
  # A test skipped whole for valgrind never reached its kernel skips.
  grep -q '^skip: under valgrind' "$out/$name.log" && [ -n "${CTEST_VALGRIND:-}" ] && continue
  echo "$name" >> "$out/ran"
  sed -n 's/^skip: //p; s/^skip case: //p' "$out/$name.log" | sed "s/^/$name\t/" >> "$out/seen.tsv"
done

if [ -f "$list" ]; then
  command -v comm > /dev/null || { echo "ctests: comm (coreutils) is needed to check skips against $list"; exit 1; }
  grep -v '^#' "$list" | grep . | sort -u > "$out/listed.tsv"
  sort -u "$out/seen.tsv" > "$out/seen.sorted"
  while IFS=$'\t' read -r name reason; do
    fail=$((fail + 1)); echo "FAIL $name: skip not on $(basename "$list"): $reason"
  done < <(comm -23 "$out/seen.sorted" "$out/listed.tsv")
  while IFS=$'\t' read -r name reason; do
    grep -qx "$name" "$out/ran" || continue
    fail=$((fail + 1)); echo "FAIL $name: listed skip did not happen: $reason"
  done < <(comm -13 "$out/seen.sorted" "$out/listed.tsv")
else
  echo "ctests: no skip list for kernel $kernel ($list): skips reported, not checked"
  sed 's/\t/: /; s/^/  skipped /' "$out/seen.tsv"
fi
echo "ctests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
