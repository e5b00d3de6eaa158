#!/bin/bash
# kernels/check.sh [BUILD] (make check-kernels): runs the C tests and
# examples on this machine's kernel and, through kernels/run.sh, on Debian
# 11, 12 and 13's kernels (5.10, 6.1, 6.12), with a subset of upstream
# liburing's tests in each VM (kernels/conformance.list, built first when
# missing; KERNELS_CONFORMANCE=0 leaves them out), then writes
# kernels/RESULTS.md.
# Fails when any test failed anywhere or a VM did not finish.
# KERNELS (default "5.10 6.1 6.12") picks the kernels.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd) || exit 1
out=$build/kernels
mkdir -p "$out"
kernels=${KERNELS:-5.10 6.1 6.12}
rc=0 times=()

t=$(date +%s)
echo "kernels: fetching $kernels"
bash "$here/fetch.sh" $kernels || exit 1
times+=("fetch: $(($(date +%s) - t))s")

t=$(date +%s)
echo "kernels: host $(uname -r): running ctests/run.sh"
bash "$(dirname "$build")/ctests/run.sh" "$build" > "$out/host.log" || rc=1
{ echo "kernel $(uname -r) (this machine)"; grep -E '^(PASS|FAIL|SKIP) |^    |^ctests: ' "$out/host.log"; } \
  > "$out/host.results"
grep -E '^FAIL |^ctests: ' "$out/host.results"
times+=("host: $(($(date +%s) - t))s")

# Upstream's tests the VMs run (kernels/conformance.list), built as
# `make conformance` builds them, once.
conf=$build/conformance tree=$(dirname "$build")
if [ "${KERNELS_CONFORMANCE:-1}" = 1 ] && [ ! -e "$conf/liburing/.built" ]; then
  t=$(date +%s)
  bash "$tree/conformance/fetch.sh" "$conf/liburing" &&
    SRC=$conf/liburing W=$conf B=$build ROOT=$tree JOBS=2 EXPECT=$tree/conformance/expectations.tsv MODES=ref \
      bash "$tree/conformance/build.sh" || rc=1
  times+=("upstream tests: $(($(date +%s) - t))s")
fi

for id in $kernels; do
  t=$(date +%s)
  bash "$here/run.sh" "$id" "$build" || rc=1
  times+=("$id: $(($(date +%s) - t))s")
done
echo "kernels: times: ${times[*]}"

# kernels/RESULTS.md: a table, then each kernel's failures and skips.
count() { sed -n "s/^ctests: .*\b\([0-9][0-9]*\) $1.*/\1/p" "$2"; }
{
  echo "# The C tests on several kernels"
  echo
  echo "Written by \`make check-kernels\` (kernels/check.sh) on $(date -u +%Y-%m-%d).  Debian's cloud"
  echo "kernels run under qemu (kernels/run.sh); \"host\" is the machine's own kernel. Times: ${times[*]}."
  echo
  echo "The last column is upstream liburing 2.9's tests of kernels/conformance.list, each run with"
  echo "upstream's library (ref) and with ours preloaded (abi): passes in each, and the tests that pass"
  echo "in ref but not in abi (regressions)."
  echo
  echo "| kernel | passed | failed | skipped | io_uring_disabled test | upstream tests: ref / abi passed |"
  echo "|---|---|---|---|---|---|"
  for id in host $kernels; do
    r=$out/$id.results
    [ -e "$r" ] || continue
    ud=$(sed -n 's/^io_uring_disabled rc=\(.*\):$/\1/p' "$r")
    case $ud in 0) ud=passed ;; 77) ud="skipped: $(grep -m1 'skip:' "$r" | sed 's/.*skip: //')" ;;
      '') ud="not run" ;; *) ud="**failed** (exit $ud)" ;; esac
    up=$(sed -n 's/^    conformance \(ref\|abi\): \([0-9]*\) passed.*/\2/p' "$r" | paste -sd/)
    up=${up:+$up, regressions: $(sed -n 's/^    conformance: .*regressions: //p' "$r")}
    echo "| $(head -1 "$r") | $(count passed "$r") | $(count failed "$r") | $(count skipped "$r") | $ud |" \
      "${up:-not run} |"
  done
  for id in host $kernels; do
    r=$out/$id.results
    [ -e "$r" ] || continue
    echo
    echo "## $(head -1 "$r")"
    echo
    grep -q '^ctests: ' "$r" || echo "- the VM did not finish: see build/kernels/$id.log"
    # Each failure with the first lines of its output, then each skip and its reason.
    awk '/^io_uring_disabled rc=/ { exit } /^FAIL / { n = 0; sub(/^FAIL /, ""); print "- **FAIL** " $0 }
      /^    / && n++ < 3 { sub(/^ +/, ""); print "  - `" $0 "`" }' "$r"
    sed -n 's/^SKIP \([^:]*\): \(.*\)/- SKIP \1: \2/p' "$r"
    ud=$(sed -n '/^io_uring_disabled rc=/,$p' "$r" | sed -n '2,$s/^    /  - /p')
    [ -z "$ud" ] || printf '%s\n' "- io_uring_disabled:" "$ud"
    sed -n 's/^    \(conformance [a-z]*: .*\)/- upstream tests, \1/p; s/^    \(regression .*\)/- **\1**/p' "$r"
  done
} > "$here/RESULTS.md"
echo "kernels: wrote $here/RESULTS.md"
exit $rc
