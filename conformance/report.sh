#!/bin/bash
# Prints the conformance table and summaries from $W/out/<mode>/<test>.state
# and, after a full run, writes conformance/RESULTS.md. Exits non-zero when
# a test that passes in ref does not pass in abi or api, when a result in
# ref (or a mode left unrun) is not what expectations.tsv explains, or when
# a full run passes fewer tests in ref than its "#min ref-pass".
# Environment (set by run.sh): W SRC EXPECT MODES full started built finished TIMEOUT JOBS
# shellcheck disable=SC2154  # those variables come from run.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
results=$here/RESULTS.md
modes=$MODES

state() { cat "$W/out/$1/$2.state" 2>/dev/null || echo -; }
# shellcheck source=conformance/lib.sh
. "$here/lib.sh"
# Whether expectations.tsv says anything about test $1 in mode $2.
listed() { [ -n "$(expect_of "$1" "$2")" ]; }
# Whether the result of test $1 in ref is what expectations.tsv says: a
# pass that it does not list, or the fail, skip or timeout it lists.
explained() {
  local s; s=$(state ref "$1"); s=${s%% *}
  case $s in
    pass|excluded|norun) true ;;
    *) [ "$(expect_of "$1" ref)" = "$s" ] ;;
  esac
}
# The word shown in the table for test $2 in mode $1.
cell() {
  local s; s=$(state "$1" "$2")
  case $s in
    pass) [ -e "$W/out/$1/$2.flaky" ] && echo "pass*" || echo pass ;;
    fail*) echo "FAIL(${s#fail })" ;;
    timeout) echo TIMEOUT ;;
    *) echo "$s" ;;
  esac
}
# Functions or names the api build of test $1 lacks (from the compiler).
missing() {
  sed -n -e "s/.*undefined reference to \`\([^']*\)'.*/\1/p" \
         -e "s/.*implicit declaration of function [‘'\`]\([^’']*\)[’'].*/\1/p" \
         -e "s/.*[‘'\`]\([A-Za-z0-9_]*\)[’'] undeclared.*/\1/p" \
         -e "s/.*has no member named [‘'\`]\([^’']*\)[’'].*/member \1/p" \
         -e "s/.*unknown type name [‘'\`]\([^’']*\)[’'].*/type \1/p" \
         "$W/api/$1.buildlog" 2>/dev/null | sort -u
}
# One line saying why test $2 did not pass in mode $1.
why() {
  local s; s=$(state "$1" "$2")
  case $s in
    nobuild) if [ "$1" = api ]; then
               local m; m=$(missing "$2" | tr '\n' ' ')
               if [ -n "$m" ]; then echo "lacks: $m"; else grep -m1 'error' "$W/api/$2.buildlog"; fi
             else echo "does not build"; fi ;;
    *) grep -v '^[[:space:]]*$' "$W/out/$1/$2.log" 2>/dev/null | tail -2 | tr '\n' ' ' | cut -c1-160
       [ "$1" = abi ] && echo " [$(origin "$2")]" ;;
  esac
}
# Whose functions abi test $1 called: ours alone, or which of upstream's too.
origin() {
  local f=$W/out/abi/$1.borrowed
  if [ ! -e "$f" ]; then echo "not run"
  elif [ -s "$f" ]; then echo "also upstream's: $(tr '\n' ' ' < "$f" | sed 's/ $//')"
  else echo "called only our functions"; fi
}

declare -A count
passed=0 failed=0 skipped=0
regressions=() unexplained=() notes=() flaky=()
{
  printf '%-32s' test; for m in $modes; do printf ' %-10s' "$m"; done; echo
  while read -r t; do
    printf '%-32s' "$t"; for m in $modes; do printf ' %-10s' "$(cell "$m" "$t")"; done
    ref=$(state ref "$t") bad=()
    for m in $modes; do
      s=$(state "$m" "$t"); s=${s%% *}
      count[$m,$s]=$(( ${count[$m,$s]:-0} + 1 ))
      [ "$m" = ref ] && continue
      case $s in
        pass|excluded|norun|-) ;;
        n/a) listed "$t" "$m" ||
               unexplained+=("$t: $m not run (binary links liburing.a) but not in expectations.tsv") ;;
        # A difference expectations.tsv explains is reported, not counted.
        *) if [ "$(expect_of "$t" "$m")" = "$s" ]; then known+=("$t $m"); else bad+=("$m"); fi ;;
      esac
    done
    retried=''
    for m in $modes; do [ -e "$W/out/$m/$t.flaky" ] && retried="$retried, $m"; done
    [ -z "$retried" ] || flaky+=("$t in ${retried#, }")
    explained "$t" || unexplained+=("$t: $(cell ref "$t") in ref, which expectations.tsv does not explain")
    if [ "$ref" != pass ]; then
      skipped=$((skipped + 1))
    elif [ ${#bad[@]} -gt 0 ]; then
      failed=$((failed + 1)); regressions+=("$t ${bad[*]}"); printf '  <- regression'
    else
      passed=$((passed + 1))
      listed "$t" ref && notes+=("$t: passes in ref, but expectations.tsv expects otherwise")
    fi
    echo
  done < "$W/selected"
} > "$W/table"
cat "$W/table"
echo "(pass* = passed on retry; n/a = binary links upstream's liburing.a, nothing to preload)"
# The output of every regression that ran (build gaps are summed up below).
for r in "${regressions[@]}"; do
  set -- $r; t=$1; shift
  for m in "$@"; do
    [ "$(state "$m" "$t")" = nobuild ] && continue
    echo "---- $t ($m, $(cell "$m" "$t")$([ "$m" = abi ] && echo "; $(origin "$t")")), last lines of output:"
    tail -n 15 "$W/out/$m/$t.log" | sed 's/^/    /'
  done
done

summary() {
  local m=$1
  echo "$m: ${count[$m,pass]:-0} pass, ${count[$m,fail]:-0} fail, ${count[$m,skip]:-0} skip," \
    "${count[$m,timeout]:-0} timeout, ${count[$m,nobuild]:-0} not built," \
    "$(( ${count[$m,excluded]:-0} + ${count[$m,norun]:-0} + ${count[$m,n/a]:-0} )) kept out"
}
for m in $modes; do summary "$m"; done

# abi runs bind what we do not export yet to upstream's library; the
# linker's log (run.sh) says which functions each test really called there.
borrowed='' leaked=''
if [[ " $modes " == *" abi "* ]]; then
  abi_ran=0 abi_ours=0
  for t in $(cat "$W/selected"); do
    [ -e "$W/out/abi/$t.borrowed" ] || continue
    abi_ran=$((abi_ran + 1))
    [ -s "$W/out/abi/$t.borrowed" ] || abi_ours=$((abi_ours + 1))
  done
  borrowed=$(cat "$W"/out/abi/*.borrowed 2>/dev/null | sort | uniq -c | sort -rn)
  echo "abi: $abi_ours of $abi_ran tests called only our functions; the others also called upstream's" \
    "$(echo "$borrowed" | grep -c .) functions that we do not export yet"
  # A function we export that still bound to upstream's library means
  # interposition failed (say, a wrong symbol version): fail the run.
  leaked=$(echo "$borrowed" | awk 'NF { print $2 }' | sort | comm -12 - "$W/ours.syms" | tr '\n' ' ')
  [ -n "$leaked" ] && echo "abi: ERROR: exported by us, yet bound to upstream's library: $leaked"
fi
for k in "${known[@]}"; do
  set -- $k
  echo "known difference: $1 in $2: $(awk -F'\t' -v t="$1" '$1 == t { print $4; exit }' "$EXPECT")"
done
for f in "${flaky[@]}"; do echo "flaky: $f: passed only on a retry"; done
for u in "${notes[@]}"; do echo "note: $u"; done
for u in "${unexplained[@]}"; do echo "ERROR: $u"; done
# A full run must pass at least the minimum in ref: a harness that breaks
# (nothing builds, nothing runs) cannot pass by having nothing to compare.
least=0
[ "$full" = 1 ] && least=${CONFORMANCE_MIN_PASS:-$(minimum_of ref-pass)}
ref_passed=${count[ref,pass]:-0}
short=
[ "$ref_passed" -ge "$least" ] ||
  short="ref passed $ref_passed tests, fewer than the $least expectations.tsv's \"#min ref-pass\" asks"
[ -z "$short" ] || echo "ERROR: $short"
secs=$((finished - started))
slowest=$(for f in "$W"/out/ref/*.ms; do echo "$(cat "$f") $(basename "$f" .ms)"; done | sort -rn | head -8 |
  awk '{ printf "%s%s %.0fs", (NR > 1 ? ", " : ""), $2, $1 / 1000 }')
echo "time: ${secs}s total ($((built - started))s fetch and build); slowest in ref: $slowest"
final="conformance: $passed passed, $failed failed, $skipped skipped; ${#flaky[@]} flaky (passed only on a retry)"

# api build gaps: each missing name and how many tests it blocks.
gaps=$(for t in $(cat "$W/selected"); do [ "$(state api "$t")" = nobuild ] && missing "$t"; done |
  sort | uniq -c | sort -rn)
[ -n "$gaps" ] && echo "api: not built for lack of $(echo "$gaps" | grep -c .) names; most used:" \
  "$(echo "$gaps" | head -8 | awk '{ printf "%s%s (%d)", (NR > 1 ? ", " : ""), $2, $1 }')"

if [ "$full" = 1 ]; then
  # The emulated section is report-emulated.sh's (make conformance-emulate).
  emulated=$(sed -n '/^## Emulated$/,$p' "$results" 2>/dev/null)
  {
    echo "# Conformance results"
    echo
    echo "Written by \`make conformance\` (conformance/run.sh); do not edit by hand."
    echo "Upstream liburing $(cat "$SRC/.extracted") test suite (Debian source package)," \
      "kernel $(uname -r), $(date -u +%Y-%m-%d), ${JOBS} tests at a time, ${TIMEOUT}s timeout," \
      "${secs}s in all."
    echo
    echo "- **ref**: upstream's test binaries with upstream's liburing.so.2 (the baseline)"
    echo "- **abi**: the same binaries with \`LD_PRELOAD=build/liburing_rs.so.2\`"
    echo "- **api**: upstream's test sources compiled against our \`include/\`, linked with \`-luring_rs\`"
    echo
    echo "| mode | pass | fail | skip | timeout | not built | kept out |"
    echo "|------|-----:|-----:|-----:|--------:|----------:|---------:|"
    for m in $modes; do
      echo "| $m | ${count[$m,pass]:-0} | ${count[$m,fail]:-0} | ${count[$m,skip]:-0} | ${count[$m,timeout]:-0}" \
        "| ${count[$m,nobuild]:-0} | $(( ${count[$m,excluded]:-0} + ${count[$m,norun]:-0} + ${count[$m,n/a]:-0} )) |"
    done
    echo
    echo "**$final** (per test: passed = passes in every mode; failed = passes in ref" \
      "but not in abi or api; skipped = does not pass in ref, see expectations.tsv)"
    echo
    echo "## Regressions"
    echo
    if [ ${#regressions[@]} -eq 0 ]; then echo "None."; else
      echo "| test | mode | result | why |"
      echo "|------|------|--------|-----|"
      for r in "${regressions[@]}"; do
        set -- $r; t=$1; shift
        for m in "$@"; do echo "| $t | $m | $(cell "$m" "$t") | $(why "$m" "$t" | sed 's/|/\\|/g; s/`/'"'"'/g') |"; done
      done
    fi
    if [ ${#known[@]} -gt 0 ]; then
      echo
      echo "## Known differences (explained in expectations.tsv, not counted)"
      echo
      for k in "${known[@]}"; do set -- $k; echo "- $1 in $2: $(cell "$2" "$1")"; done
    fi
    if [ -n "$borrowed" ]; then
      echo
      echo "## What abi runs still take from upstream"
      echo
      echo "$abi_ours of $abi_ran abi runs called only functions we export. The others resolved these" \
        "to upstream's liburing.so.2 (number of tests using each):"
      echo
      echo "$borrowed" | awk '{ printf "%s`%s` %d", (NR > 1 ? ", " : ""), $2, $1 } END { print "" }'
    fi
    if [ -n "$gaps" ]; then
      echo
      echo "## What api builds lack"
      echo
      echo "Names upstream's tests use that our header or library does not provide, with the number of tests" \
        "each blocks:"
      echo
      # Names liburing exports are listed in symbols.tsv; any other is an
      # inline helper of upstream's header that ours does not have.
      echo "$gaps" | awk -F'\t' -v list="$here/../symbols.tsv" '
        BEGIN { while ((getline l < list) > 0) { split(l, f, "\t"); lib[f[1]] = 1 } FS = " " }
        { n = $1; $1 = ""; sub(/^ /, ""); printf "%s`%s` %d%s", (NR > 1 ? ", " : ""), $0, n,
            (lib[$0] || $0 ~ / /) ? "" : " (inline helper in upstream'"'"'s header, missing from ours)" }
        END { print "" }'
    fi
    echo
    echo "## Flaky (passed only on a retry)"
    echo
    if [ ${#flaky[@]} -eq 0 ]; then echo "None."; else
      for f in "${flaky[@]}"; do echo "- $f"; done
    fi
    if [ ${#unexplained[@]} -gt 0 ] || [ ${#notes[@]} -gt 0 ] || [ -n "$short" ]; then
      echo
      echo "## Differences from expectations.tsv"
      echo
      for u in "${unexplained[@]}"; do echo "- ERROR: $u"; done
      [ -z "$short" ] || echo "- ERROR: $short"
      for u in "${notes[@]}"; do echo "- $u"; done
    fi
    echo
    echo "## Every test"
    echo
    echo '```'
    cat "$W/table"
    echo '```'
    [ -z "$emulated" ] || printf '\n%s\n' "$emulated"
  } > "$results"
  echo "conformance: wrote $results"
fi
echo "$final"
[ "$failed" -eq 0 ] && [ -z "$leaked" ] && [ ${#unexplained[@]} -eq 0 ] && [ -z "$short" ]
