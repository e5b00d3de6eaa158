#!/bin/bash
# kernels/report.sh BUILD IDS TIMES: kernels/RESULTS.md on standard output,
# from BUILD/kernels/ID.results of each of IDS (kernels/run.sh's, and
# check.sh's for "host"): a table, then each kernel's failures (with their
# first lines), skips (with their reasons), the io_uring_disabled test's
# lines and upstream's tests that did not pass in both modes.
set -uo pipefail
out=$1/kernels ids=$2 times=$3
# count WORD FILE: the number before WORD in ctests/run.sh's summary line.
count() { sed -n "s/^ctests: .*\b\([0-9][0-9]*\) $1.*/\1/p" "$2"; }
echo "# The C tests on several kernels"
echo
echo "Written by \`make check-kernels\` (kernels/check.sh) on $(date -u +%Y-%m-%d).  Debian's cloud"
echo "kernels run under qemu (kernels/run.sh); \"host\" is the machine's own kernel. Times: $times."
echo
echo "The last column is upstream liburing 2.9's tests of kernels/conformance.list, each run with ours"
echo "preloaded (abi) and, where that did not pass, with upstream's library (ref): passes in each, of"
echo "the tests run, and the tests that pass in ref but not in abi (regressions)."
echo
echo "| kernel | passed | failed | skipped | io_uring_disabled test | upstream tests: abi / ref passed |"
echo "|---|---|---|---|---|---|"
for id in $ids; do
  r=$out/$id.results
  [ -e "$r" ] || continue
  ud=$(sed -n 's/^io_uring_disabled rc=\(.*\):$/\1/p' "$r")
  why=$(sed -n '/^io_uring_disabled rc=/,$s/^    skip: //p' "$r" | head -1)
  case $ud in 0) ud=passed ;; 77) ud="skipped: $why" ;;
    '') ud="not run" ;; *) ud="**failed** (exit $ud)" ;; esac
  up=$(sed -n 's/^    conformance \(abi\|ref\): \([0-9]*\) run: \([0-9]*\) passed.*/\3 of \2/p' "$r" | paste -sd/ |
    sed 's|/| / |')
  up=${up:+$up, regressions: $(sed -n 's/^    conformance: .*regressions: //p' "$r")}
  echo "| $(head -1 "$r") | $(count passed "$r") | $(count failed "$r") | $(count skipped "$r") | $ud |" \
    "${up:-not run} |"
done
for id in $ids; do
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
  ud=$(sed -n '/^io_uring_disabled rc=/,/^conformance rc=/p' "$r" | sed -n '/^    /s/^    /  - /p')
  [ -z "$ud" ] || printf '%s\n' "- io_uring_disabled:" "$ud"
  # Upstream's tests: the counts, then each one that did not simply pass in both modes.
  sed -n -e 's/^    \(conformance [a-z]*: .*\)/- upstream tests, \1/p' \
    -e 's/^    \(regression .*\)/- **\1**/p' "$r"
  awk '/^conformance rc=/ { on = 1; next }
    on && /^    [^ ]+ ref=/ && !/ ref=(- abi=pass|skip abi=skip)$/ { sub(/^ +/, ""); print "  - " $0 }' "$r"
done
