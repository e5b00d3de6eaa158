#!/bin/bash
# Runs upstream liburing's own test suite against liburing-rs (make conformance).
#
#   conformance/run.sh [TEST...]      (default: every test upstream builds)
#
# Upstream's source comes from Debian's liburing source package (fetch.sh),
# cached under build/conformance/ and never committed. Each test runs in
# three modes:
#   ref  upstream's test binary with upstream's liburing.so.2 (the baseline)
#   abi  the same binary with LD_PRELOAD=build/liburing_rs.so.2
#   api  the test source compiled against our include/, linked -luring_rs
#   emu  as abi, with URING_RS_EMULATE=auto under build/no-io-uring, which
#        refuses io_uring as Docker does: the userspace engine serves every
#        ring (make conformance-emulate)
# A test that passes in ref but not in abi or api is a regression; any
# regression makes the run fail. conformance/expectations.tsv says which
# tests fail or skip in ref here and why, and which are kept out of a mode;
# a ref result it does not explain fails the run too, and so does a full
# run that passes fewer tests in ref than its "#min ref-pass". emu is
# judged against conformance/emulated.tsv instead (report-emulated.sh): a
# test it says must pass emulated that does not pass fails the run.
#
# Environment: CONFORMANCE_JOBS (parallel tests, default 4),
# CONFORMANCE_TIMEOUT (seconds per test, default 60), CONFORMANCE_EMU_TIMEOUT
# (the same in emu mode, default 15: tests the engine cannot serve often
# hang), CONFORMANCE_MODES (default "abi api"; ref runs with abi or api),
# CONFORMANCE_NETNS (0: do not run each test in a network namespace of its
# own), CONFORMANCE_MIN_PASS (the least ref passes a full run needs;
# default: expectations.tsv's).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$here")
B=$ROOT/build
W=$B/conformance
SRC=$W/liburing
EXPECT=$here/expectations.tsv
OURS=$B/liburing_rs.so.2
JOBS=${CONFORMANCE_JOBS:-4}
TIMEOUT=${CONFORMANCE_TIMEOUT:-60}
EMU_TIMEOUT=${CONFORMANCE_EMU_TIMEOUT:-15}
MODES=${CONFORMANCE_MODES:-abi api}
# abi and api are judged against ref, so ref runs with either of them.
case " $MODES " in *" abi "* | *" api "*) MODES="ref $MODES" ;; esac
MODES=$(tr ' ' '\n' <<< "$MODES" | awk 'NF && !s[$0]++' | tr '\n' ' ')
for m in $MODES; do
  case $m in ref|abi|api|emu) ;; *) echo "conformance: unknown mode $m" >&2; exit 1 ;; esac
done
started=$(date +%s)
# shellcheck source=conformance/lib.sh
. "$here/lib.sh"

[ -e "$OURS" ] || { echo "conformance: $OURS missing; run make first" >&2; exit 1; }
[[ " $MODES " != *" emu "* ]] || [ -x "$B/no-io-uring" ] ||
  { echo "conformance: $B/no-io-uring missing; run make first" >&2; exit 1; }
bash "$here/fetch.sh" "$SRC" || exit 1
export SRC W B ROOT JOBS EXPECT MODES
bash "$here/build.sh" "$@" || exit 1
built=$(date +%s)

if [ $# -gt 0 ]; then printf '%s\n' "$@"; else cat "$W/tests"; fi > "$W/selected"

# abi and emu modes mean nothing unless the preloaded library's definitions win:
# check once, before the run, that every liburing function nop.t calls and
# we export binds to ours (report.sh checks the same for every abi run).
check_interposition() {
  local bin=$SRC/test/nop.t log=$W/abi-bindings.log bad
  (cd "$W" && LD_DEBUG=bindings LD_PRELOAD=$OURS "$bin") > /dev/null 2> "$log"
  nm -D --defined-only "$OURS" | awk '{ sub(/@.*/, "", $3); print $3 }' | sort -u > "$W/ours.syms"
  bad=$(grep -F "binding file $bin " "$log" | grep -F '/liburing.so.2 ' |
    sed -n "s/.*symbol \`\([^']*\)'.*/\1/p" | sort -u | comm -12 - "$W/ours.syms")
  if [ -n "$bad" ]; then
    echo "conformance: abi: these bind to upstream despite LD_PRELOAD: $bad" >&2; return 1
  fi
  grep -F "binding file $bin " "$log" | grep -qF "$OURS " ||
    { echo "conformance: abi: nothing binds to $OURS (see $log)" >&2; return 1; }
}
if [[ " $MODES " == *" abi "* || " $MODES " == *" emu "* ]]; then check_interposition || exit 1; fi

# How a test is kept out of a mode before it runs, if it is: the state to
# record, else nothing.
prestate() {
  local mode=$1 t=$2
  case $(expect_of "$t" "$mode") in
    exclude) echo excluded; return ;;
    norun) echo norun; return ;;
  esac
  case $mode in
    ref) [ "$(cat "$W/ref/$t.build")" = nobuild ] && echo nobuild ;;
    abi|emu) case $(cat "$W/ref/$t.build") in static) echo n/a ;; nobuild) echo nobuild ;; esac ;;
    api) [ "$(cat "$W/api/$t.build")" = dynamic ] || cat "$W/api/$t.build" ;;
  esac
}

# Runs test $2 in mode $1 in a scratch directory of its own (tests create
# fixed-name files in their working directory and exec ./exec-target.t).
# In abi and emu modes the dynamic linker logs its bindings, so we know
# which liburing functions the test really called from upstream's library.
run_one() {
  local mode=$1 t=$2 out=$W/out/$1/$2 dir=$W/scratch/$1/$2 bin pre=() start rc limit=$TIMEOUT kill=10
  local bind=("LD_PRELOAD=$OURS" LD_DEBUG=bindings "LD_DEBUG_OUTPUT=$out.bind")
  case $mode in
    ref) bin=$SRC/test/$t.t ;;
    abi) bin=$SRC/test/$t.t; pre=("${bind[@]}") ;;
    api) bin=$W/api/$t.t ;;
    emu) bin=$SRC/test/$t.t; pre=("${bind[@]}" URING_RS_EMULATE=auto "$B/no-io-uring") limit=$EMU_TIMEOUT kill=3 ;;
  esac
  # Its own network namespace, when we may make one: upstream's tests bind
  # fixed ports and socket names, some the same ones (recvsend_bundle,
  # recvsend_bundle-inc and send_recv all use port 10202).
  [ "$NETNS" = 1 ] && pre=(unshare -n sh -c 'ip link set lo up && exec "$@"' sh env "${pre[@]}")
  rm -rf "$dir"; mkdir -p "$dir"
  ln -s "$(dirname "$bin")/exec-target.t" "$dir/exec-target.t"
  start=$(date +%s%N)
  # (bash's own "Aborted" or "Killed" notice goes to the log too)
  { (cd "$dir" && ulimit -c 0 && exec timeout -s INT -k "$kill" "$limit" env "${pre[@]}" "$bin") \
    < /dev/null > "$out.log" 2>&1; } 2>> "$out.log"
  rc=$?
  echo $(( ($(date +%s%N) - start) / 1000000 )) > "$out.ms"
  case $rc in 0) echo pass ;; 77) echo skip ;; 124|137) echo timeout ;; *) echo "fail $rc" ;; esac > "$out.state"
  if [ "$mode" = abi ] || [ "$mode" = emu ]; then
    cat "$out".bind.* 2>/dev/null | grep -E ' to [^ ]*/liburing\.so\.2 \[' |
      sed -n "s/.*symbol \`\([^']*\)'.*/\1/p" | sort -u > "$out.borrowed"
    rm -f "$out".bind.*
  fi
  rm -rf "$dir"
}

# Runs test $1 in each mode named after it, one after the other: the same
# test in two modes at once could fight over its fixed socket names.
run_modes() {
  local t=$1 m; shift
  for m in "$@"; do run_one "$m" "$t"; done
}
# A few tests need huge pages (fixed-hugepage, reg-fd-only, part of
# io_uring_register): reserve some for the run when we may, and give the
# setting back afterwards.
hugepages=/proc/sys/vm/nr_hugepages
if [ -w "$hugepages" ] && [ "$(cat "$hugepages")" -lt 16 ]; then
  old_hugepages=$(cat "$hugepages")
  if echo 16 > "$hugepages" 2> /dev/null; then
    trap 'echo "$old_hugepages" > "$hugepages"' EXIT
  fi
fi

NETNS=${CONFORMANCE_NETNS:-1}
if [ "$NETNS" = 1 ] && ! unshare -n sh -c 'ip link set lo up' 2> /dev/null; then
  echo "conformance: cannot make network namespaces (unshare -n); tests share one, and may collide"
  NETNS=0
fi
export -f run_one run_modes; export OURS TIMEOUT EMU_TIMEOUT NETNS

# Longest tests first (by the last run's times) so the tail stays short.
mkdir -p "$W/times"
for m in $MODES; do
  [ -d "$W/out/$m" ] && for f in "$W/out/$m"/*.ms; do [ -e "$f" ] && cp "$f" "$W/times/$m.$(basename "$f")"; done
done
# Only this run's modes start afresh: make conformance and make
# conformance-emulate keep each other's results and times.
rm -rf "$W/scratch"
for m in $MODES; do rm -rf "${W:?}/out/$m"; mkdir -p "$W/out/$m"; done
jobs=$W/jobs; : > "$jobs"
runs=0
while read -r t; do
  est=0 modes=
  for m in $MODES; do
    s=$(prestate "$m" "$t")
    if [ -n "$s" ]; then echo "$s" > "$W/out/$m/$t.state"; continue; fi
    est=$(( est + $(cat "$W/times/$m.$t.ms" 2>/dev/null || echo 1000) )) modes="$modes $m" runs=$((runs + 1))
  done
  [ -n "$modes" ] && echo "$est $t$modes" >> "$jobs"
done < "$W/selected"
limits=$(for m in $MODES; do if [ "$m" = emu ]; then echo "${EMU_TIMEOUT}s in emu"; else echo "${TIMEOUT}s"; fi; done |
  awk '!s[$0]++' | paste -sd/ -)
echo "conformance: $runs test runs (${MODES% }), $JOBS tests at a time, timeout $limits"
sort -rn "$jobs" | cut -d' ' -f2- | xargs -P "$JOBS" -L1 bash -c 'run_modes "$@"' _

# A failure or timeout in ref gets up to two more tries, unless
# expectations.tsv says the test does that here: first with half the
# parallel load, then alone (upstream's timing tests, min-timeout-wait for
# one, miss their windows on a busy machine). In abi and api so does a
# failure, timeout or skip of a test that passes in ref (or is being
# retried there). In emu, a test emulated.tsv says must pass that did not.
# A pass on a retry is reported as flaky, by name, in the output and in
# RESULTS.md.
retry_kind() {
  [ "$(expect_of "$1" "$2")" != "$3" ] && case $3 in fail|timeout) ;; skip) [ "$2" != ref ] ;; *) false ;; esac
}
while read -r t; do
  modes='' ref=-
  if [[ " $MODES " == *" ref "* ]]; then
    ref=$(cat "$W/out/ref/$t.state")
    retry_kind "$t" ref "${ref%% *}" && modes=" ref" ref=retry
  fi
  for m in $MODES; do
    [ -e "$W/out/$m/$t.state" ] || continue
    s=$(cat "$W/out/$m/$t.state")
    case $m in
      ref) ;;
      emu) [ "$s" != pass ] && [ "$(emulated_of "$t")" = pass ] && modes="$modes $m" ;;
      *) case $ref in pass|retry) retry_kind "$t" "$m" "${s%% *}" && modes="$modes $m" ;; esac ;;
    esac
  done
  [ -n "$modes" ] && echo "$t$modes"
done < "$W/selected" > "$W/retry"
# Runs again, $2 at a time, the runs listed in file $1 (test, then modes),
# keeping the previous try's log and state as .log.$3 and .state.$3; a run
# that passes now is marked flaky. Writes the runs still failing to $1.next.
retry_runs() {
  local list=$1 par=$2 try=$3 t modes m left
  echo "conformance: retrying $(( $(wc -w < "$list") - $(wc -l < "$list") )) failed runs, $par at a time"
  while read -r t modes; do
    for m in $modes; do
      mv "$W/out/$m/$t.log" "$W/out/$m/$t.log.$try"; cp "$W/out/$m/$t.state" "$W/out/$m/$t.state.$try"
    done
  done < "$list"
  xargs -P "$par" -L1 bash -c 'run_modes "$@"' _ < "$list"
  while read -r t modes; do
    left=''
    for m in $modes; do
      if [ "$(cat "$W/out/$m/$t.state")" = pass ]; then touch "$W/out/$m/$t.flaky"; else left="$left $m"; fi
    done
    [ -z "$left" ] || echo "$t$left"
  done < "$list" > "$list.next"
}
if [ -s "$W/retry" ]; then
  retry_runs "$W/retry" $(( (JOBS + 1) / 2 )) 1
  [ -s "$W/retry.next" ] && retry_runs "$W/retry.next" 1 2
fi
finished=$(date +%s)

full=1; [ $# -gt 0 ] && full=0
export full started built finished TIMEOUT EMU_TIMEOUT JOBS
rc=0
if [[ " $MODES " == *" ref "* ]]; then bash "$here/report.sh" || rc=1; fi
if [[ " $MODES " == *" emu "* ]]; then bash "$here/report-emulated.sh" || rc=1; fi
exit $rc
