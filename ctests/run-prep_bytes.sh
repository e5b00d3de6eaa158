#!/bin/bash
# Runs prep_bytes after checking it has a case for every preparer and SQE
# setter the header declares, so a new preparer cannot go untested; under
# CTEST_WRAPPER like every other test.
here=$(cd "$(dirname "$0")" && pwd)
missing=$(grep -oE '\bio_uring_(prep_[a-z0-9_]+|sqe_set_[a-z0-9_]+)\(' "$here/../include/liburing/decls.h" |
  tr -d '(' | sort -u | while read -r f; do
    grep -q "CASE($f(" "$here/prep_bytes.c" || echo "$f"
  done)
if [ -n "$missing" ]; then
  echo "prep_bytes.c has no case for:" $missing
  exit 1
fi
# shellcheck disable=SC2086
exec ${CTEST_WRAPPER:-} "$1"
