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
# The VMs run the quick workloads, as the sanitizer runs do: TCG is 10-30
# times slower, and races' 300 rounds a scenario took three minutes on 5.10.
export KERNELS_ENV="CTEST_QUICK=1 ${KERNELS_ENV:-}"
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
if [ "${KERNELS_CONFORMANCE:-1}" = 1 ] && [ ! -e "$build/conformance/liburing/.built" ]; then
  t=$(date +%s)
  bash "$here/upstream.sh" "$build" || rc=1
  times+=("upstream tests: $(($(date +%s) - t))s")
fi

for id in $kernels; do
  t=$(date +%s)
  bash "$here/run.sh" "$id" "$build" || rc=1
  times+=("$id: $(($(date +%s) - t))s")
done
echo "kernels: times: ${times[*]}"

bash "$here/report.sh" "$build" "host $kernels" "${times[*]}" > "$here/RESULTS.md"
echo "kernels: wrote $here/RESULTS.md"
exit $rc
