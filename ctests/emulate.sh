#!/bin/bash
# make check-emulate: the C tests and examples of ctests/emulate.list on
# rings the userspace engine serves, twice: with URING_RS_EMULATE=always on
# this kernel, and with auto under build/no-io-uring, which refuses
# io_uring as Docker's default seccomp profile does (tests marked "always"
# in the list only run in the first). Skips are checked against
# ctests/skips/emulate.tsv and emulate-refused.tsv.
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
list=$(grep -v '^#' "$here/emulate.list")

echo "check-emulate: URING_RS_EMULATE=always"
URING_RS_EMULATE=always CTEST_ONLY=$(awk '{ print $1 }' <<< "$list") \
	CTEST_SKIPS=$here/skips/emulate.tsv bash "$here/run.sh" "$build"
echo "check-emulate: URING_RS_EMULATE=auto under $build/no-io-uring"
URING_RS_EMULATE=auto CTEST_ONLY=$(awk '$2 != "always" { print $1 }' <<< "$list") \
	CTEST_SKIPS=$here/skips/emulate-refused.tsv CTEST_WRAPPER="$build/no-io-uring" bash "$here/run.sh" "$build"
