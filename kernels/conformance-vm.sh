#!/bin/bash
# kernels/conformance-vm.sh SRC OURS LIST: runs, inside the test VM (or on
# this machine for i686, tools/check-arch.sh), the upstream liburing tests
# named in LIST (kernels/conformance.list) from upstream's tree SRC (built
# by conformance/build.sh), in up to two modes:
#   abi  with LD_PRELOAD=OURS, first
#   ref  the same binary with upstream's liburing.so.2 (its rpath), only
#        where abi did not pass: it tells whether the kernel or we fail it
# two tests at a time, each in a network namespace and scratch directory of
# its own, as conformance/run.sh does. Prints "TEST ref=STATE abi=STATE"
# lines (pass, skip, timeout, fail(EXIT); pass* = passed when run again;
# ref=- not needed) and a summary; exits 1 when a test passes in ref but
# not in abi. Running ref only where abi failed gives the same verdicts in
# about half the time under TCG.
# CONFORMANCE_TIMEOUT: seconds per test (default 60).
set -u
export SRC=$1 OURS=$2 TIMEOUT=${CONFORMANCE_TIMEOUT:-60}
list=$3
out=$(mktemp -d)
export out

# run_mode TEST MODE: runs it once, prints its state.
run_mode() {
  local t=$1 mode=$2 dir=$out/scratch.$1 pre=() rc
  [ "$mode" = abi ] && pre=("LD_PRELOAD=$OURS")
  rm -rf "$dir"; mkdir -p "$dir"
  ln -s "$SRC/test/exec-target.t" "$dir/exec-target.t"
  (cd "$dir" && exec timeout -s INT -k 10 "$TIMEOUT" unshare -n sh -c 'ip link set lo up && exec "$@"' sh \
    env "${pre[@]}" "$SRC/test/$t.t") < /dev/null > "$out/$t.$mode.log" 2>&1
  rc=$?
  rm -rf "$dir"
  case $rc in 0) echo pass ;; 77) echo skip ;; 124|137) echo timeout ;; *) echo "fail($rc)" ;; esac
}

# run_one TEST: abi, then ref where abi did not pass; a test that passes
# in ref only gets a second chance in abi (pass* when it then passes), as
# conformance/run.sh gives.
run_one() {
  local t=$1 ref=- abi
  abi=$(run_mode "$t" abi)
  [ "$abi" = pass ] || ref=$(run_mode "$t" ref)
  if [ "$ref" = pass ] && [ "$(run_mode "$t" abi)" = pass ]; then abi="pass*"; fi
  echo "$t ref=$ref abi=$abi" > "$out/$t.result"
}
export -f run_mode run_one

# A test followed by "not-on=ID,..." is left out on those kernels (KERNELS_ID).
grep -v '^#' "$list" | awk -v k="${KERNELS_ID:-}" 'NF { n = 0; if ($2 ~ /^not-on=/) n = split(substr($2, 8), ids, ",")
    for (i = 1; i <= n; i++) if (ids[i] == k) next
    print $1 }' | xargs -P 2 -I{} bash -c 'run_one "$1"' _ {}

cat "$out"/*.result | sort
regressions=$(awk '/ ref=pass / && !/ abi=pass\*?$/ { print $1 }' "$out"/*.result | sort | tr '\n' ' ')
for mode in abi ref; do
  # shellcheck disable=SC2016
  awk -v m="$mode" '{ for (i = 2; i <= NF; i++) if ($i ~ "^" m "=") { s = substr($i, length(m) + 2)
      if (s != "-") { c[s ~ /^pass/ ? "pass" : s ~ /^(skip|timeout)$/ ? s : "fail"]++; n++ } } }
    END { printf "conformance %s: %d run: %d passed, %d failed, %d skipped, %d timed out\n", m, n, c["pass"],
      c["fail"], c["skip"], c["timeout"] }' "$out"/*.result
done
for t in $regressions; do
  echo "regression $t: passes with upstream's library, not with ours; its output with ours:"
  tail -15 "$out/$t.abi.log" | sed 's/^/    /'
done
echo "conformance: $(wc -l < <(cat "$out"/*.result)) tests, regressions: ${regressions:-none}"
rm -rf "$out"
[ -z "$regressions" ]
