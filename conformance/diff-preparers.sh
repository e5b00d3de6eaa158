#!/bin/bash
# Differential test of every SQE preparer and SQE helper upstream's
# liburing.h has (the downloaded 2.9 source, fetched by run.sh): the same
# random bytes and arguments through upstream's inline versions, our
# exported functions and our header's inline fast paths must give the same
# 128 bytes. See diff-gen.py. Fails when it finds fewer preparers than the
# "#min preparers" of expectations.tsv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$here")
B=$ROOT/build
SRC=$B/conformance/liburing
W=$B/conformance/diff
CC=${CC:-cc}

bash "$here/fetch.sh" "$SRC"
# Upstream's header includes the compat.h its configure writes.
[ -f "$SRC/src/include/liburing/compat.h" ] || (cd "$SRC" && ./configure >/dev/null)
rm -rf "$W" && mkdir -p "$W"
n=$(python3 "$here/diff-gen.py" "$SRC/src/include/liburing.h" "$ROOT/include/liburing/decls.h" "$W")
# Comparing nothing (say, the generator no longer matches the header's
# prototypes) must not pass: expectations.tsv says how many upstream has.
EXPECT=$here/expectations.tsv
# shellcheck source=conformance/lib.sh
. "$here/lib.sh"
least=$(minimum_of preparers)
if [ "$n" -lt "$least" ]; then
  echo "diff-preparers: FAILED: found $n of upstream's preparers and SQE helpers, expected at least $least" >&2
  exit 1
fi
"$CC" -O1 -w -c -I "$SRC/src/include" -o "$W/up.o" "$W/up.c"
"$CC" -O1 -Wall -Werror -c -I "$ROOT/include" -o "$W/ours.o" "$W/ours.c"
"$CC" -O1 -Wall -Werror -c -o "$W/main.o" "$W/main.c"
"$CC" -o "$W/diff-preparers" "$W/main.o" "$W/up.o" "$W/ours.o" -L "$B" -luring_rs -Wl,-rpath,"$B"
echo "diff-preparers: $n of upstream's preparers and SQE helpers, 2000 random cases each"
"$W/diff-preparers" "${DIFF_ROUNDS:-2000}"
