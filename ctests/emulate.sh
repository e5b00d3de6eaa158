#!/bin/bash
# make check-emulate: the C tests and examples of ctests/emulate.list on
# rings the userspace engine serves, twice: with URING_RS_EMULATE=always on
# this kernel, and with auto under build/no-io-uring, which refuses
# io_uring as Docker's default seccomp profile does. Skips are checked
# against ctests/skips/emulate.tsv (each test's reason, as run.sh prints
# it) in both runs.
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
names=$(grep -v '^#' "$here/emulate.list" | tr '\n' ' ')
export CTEST_ONLY=$names CTEST_SKIPS=$here/skips/emulate.tsv

echo "check-emulate: URING_RS_EMULATE=always"
URING_RS_EMULATE=always bash "$here/run.sh" "$build"
echo "check-emulate: URING_RS_EMULATE=auto under $build/no-io-uring"
URING_RS_EMULATE=auto CTEST_WRAPPER="$build/no-io-uring" bash "$here/run.sh" "$build"
