#!/bin/bash
# Judges an emu run (run.sh; make conformance-emulate) against
# conformance/emulated.tsv, prints the table and, after a full run, writes
# the "## Emulated" section that ends conformance/RESULTS.md (report.sh keeps
# it when it rewrites the rest). Exits non-zero when a test emulated.tsv says
# must pass does not, when a test that does not pass has no line there
# saying why, or when one listed as failing or skipping times out instead
# (a hang is never an expected outcome). A test that passes but is not
# listed as a pass is reported ("newly passing"), so the list can be
# brought up to date.
# Environment (set by run.sh): W SRC EXPECT full started built finished EMU_TIMEOUT JOBS
# shellcheck disable=SC2154  # those variables come from run.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list=$here/emulated.tsv
results=$here/RESULTS.md
# shellcheck source=conformance/lib.sh
. "$here/lib.sh"

state() { cat "$W/out/emu/$1.state" 2>/dev/null || echo -; }
# Field $2 of test $1's line in emulated.tsv (3: category, 4: detail).
field() { awk -F'\t' -v t="$1" -v f="$2" '!/^#/ && $1 == t { print $f; exit }' "$list"; }
cell() {
  local s; s=$(state "$1")
  case $s in
    pass) [ -e "$W/out/emu/$1.flaky" ] && echo "pass*" || echo pass ;;
    fail*) echo "FAIL(${s#fail })" ;;
    timeout) echo TIMEOUT ;;
    *) echo "$s" ;;
  esac
}
# Why test $1 does not pass emulated, as emulated.tsv says.
reason() { local d; d=$(field "$1" 4); echo "$(field "$1" 3)${d:+: $d}"; }

declare -A count
must=0 broken=() newly=() unlisted=() flaky=() hung=()
{
  printf '%-32s %-10s %s\n' test emu 'why (emulated.tsv)'
  while read -r t; do
    s=$(state "$t"); s=${s%% *} want=$(emulated_of "$t")
    count[$s]=$(( ${count[$s]:-0} + 1 ))
    [ "$want" = pass ] && must=$((must + 1))
    [ -e "$W/out/emu/$t.flaky" ] && flaky+=("$t")
    if [ "$s" = pass ]; then
      case $want in pass|flaky) ;; *) newly+=("$t") ;; esac
      printf '%-32s %-10s %s\n' "$t" "$(cell "$t")" "$(case $want in pass|flaky) reason "$t" ;; esac)"
      continue
    fi
    if [ "$want" = pass ]; then broken+=("$t")
    elif [ -z "$want" ]; then unlisted+=("$t")
    elif [ "$s" = timeout ] && [[ $want =~ ^(fail|skip)$ ]]; then hung+=("$t")
    fi
    printf '%-32s %-10s %s\n' "$t" "$(cell "$t")" "$(reason "$t")"
  done < "$W/selected"
} > "$W/emu-table"
cat "$W/emu-table"

for t in "${broken[@]}"; do
  echo "---- $t (emu, $(cell "$t"); must pass emulated), last lines of output:"
  tail -n 15 "$W/out/emu/$t.log" | sed 's/^/    /'
done
kept=$(( ${count[excluded]:-0} + ${count[norun]:-0} + ${count[n/a]:-0} + ${count[nobuild]:-0} ))
echo "emu: ${count[pass]:-0} pass ($must must), ${count[fail]:-0} fail, ${count[skip]:-0} skip," \
  "${count[timeout]:-0} timeout, $kept kept out"
for t in "${flaky[@]}"; do echo "flaky: $t in emu: passed only on a retry"; done
for t in "${newly[@]}"; do echo "newly passing: $t: add it to conformance/emulated.tsv as a pass"; done
for t in "${unlisted[@]}"; do
  echo "ERROR: $t: $(cell "$t") emulated, and conformance/emulated.tsv does not say why"
done
for t in "${broken[@]}"; do
  echo "ERROR: $t: $(cell "$t") emulated, but conformance/emulated.tsv says it must pass"
done
for t in "${hung[@]}"; do
  echo "ERROR: $t: timed out emulated, where conformance/emulated.tsv says it should $(emulated_of "$t")"
done

# The tests of each reason category, most common first: those that did not
# pass, and those that pass only some of the time.
categories() {
  while read -r t; do
    if [ "$(state "$t")" != pass ] || [ "$(emulated_of "$t")" = flaky ]; then
      printf '%s\t%s\n' "$(field "$t" 3)" "$t"
    fi
  done < "$W/selected" | awk -F'\t' '$1 != "" { n[$1]++; l[$1] = l[$1] (n[$1] > 1 ? ", " : "") $2 }
    END { for (c in n) printf "%d\t%s\t%s\n", n[c], c, l[c] }' | sort -t"$(printf '\t')" -k1,1rn -k2
}

if [ "$full" = 1 ]; then
  section=$W/emu-section.md
  {
    echo "## Emulated"
    echo
    echo "Written by \`make conformance-emulate\` (conformance/run.sh, mode emu); do not edit by hand." \
      "Kernel $(uname -r), $(date -u +%Y-%m-%d), ${JOBS} tests at a time, ${EMU_TIMEOUT}s timeout," \
      "$((finished - started))s in all."
    echo
    echo "Upstream's test binaries with \`LD_PRELOAD=build/liburing_rs.so.2\` and \`URING_RS_EMULATE=auto\`," \
      "run under \`build/no-io-uring\`, which makes io_uring_setup, io_uring_enter and io_uring_register fail" \
      "with EPERM as Docker's default seccomp profile does: every ring is the userspace engine's." \
      "[emulated.tsv](emulated.tsv) lists the tests that must pass and why each other one does not."
    echo
    echo "| pass | of them required | fail | skip | timeout | kept out |"
    echo "|-----:|-----------------:|-----:|-----:|--------:|---------:|"
    echo "| ${count[pass]:-0} | $must | ${count[fail]:-0} | ${count[skip]:-0} | ${count[timeout]:-0} | $kept |"
    echo
    echo "Passing: $(while read -r t; do [ "$(state "$t")" = pass ] && echo "$t"; done < "$W/selected" |
      paste -sd' ' | sed 's/ /, /g')."
    hollow=$(while read -r t; do
      [ "$(state "$t")" = pass ] && [ "$(emulated_of "$t")" = pass ] && [ -n "$(field "$t" 3)" ] && echo "$t"
    done < "$W/selected")
    [ -z "$hollow" ] || echo "Of these, $(echo "$hollow" | grep -c .) pass without exercising the engine" \
      "(emulated.tsv says how): $(echo "$hollow" | paste -sd' ' | sed 's/ /, /g')."
    items=$(
      for t in "${newly[@]}"; do echo "- newly passing, not yet in emulated.tsv: $t"; done
      for t in "${flaky[@]}"; do echo "- passed only on a retry: $t"; done
      for t in "${broken[@]}"; do echo "- ERROR: must pass, did not: $t ($(cell "$t"))"; done
      for t in "${unlisted[@]}"; do echo "- ERROR: no reason in emulated.tsv: $t ($(cell "$t"))"; done
      for t in "${hung[@]}"; do echo "- ERROR: timed out, listed as $(emulated_of "$t"): $t"; done)
    [ -z "$items" ] || printf '\n%s\n' "$items"
    echo
    echo "### Why the others do not pass"
    echo
    echo "| reason | tests | which |"
    echo "|--------|------:|-------|"
    categories | awk -F'\t' '{ printf "| %s | %d | %s |\n", $2, $1, $3 }'
    echo
    echo "### Every test, emulated"
    echo
    echo '```'
    cat "$W/emu-table"
    echo '```'
  } > "$section"
  # Everything before this section is report.sh's.
  { [ -e "$results" ] && printf '%s\n\n' "$(sed '/^## Emulated$/,$d' "$results")"
    cat "$section"; } > "$results.new" && mv "$results.new" "$results"
  echo "conformance: wrote the emulated section of $results"
fi
[ ${#broken[@]} -eq 0 ] && [ ${#unlisted[@]} -eq 0 ] && [ ${#hung[@]} -eq 0 ]
