#!/bin/sh
# Fails when an exported function has no row in docs/bad-input.md, or is
# never called by the bad-input tests (ctests/bad_input*.c and the preparer
# list they share, ctests/prep_calls.h).
# The functions are the ones declared in include/liburing/decls.h (generated
# from src/capi) and include/liburing/rs.h (our own extensions).
set -eu
cd "$(dirname "$0")/.."
doc=docs/bad-input.md
tests="ctests/bad_input.c ctests/bad_input_*.c ctests/prep_calls.h"

# Declarations with comments removed, one long line; every `name(` is a
# declared function.
names=$(sed -e 's://.*$::' include/liburing/decls.h include/liburing/rs.h |
	tr '\n' ' ' | sed -e 's:/\*\([^*]\|\*[^/]\)*\*/::g' |
	grep -oE '\b_*io_uring_[a-z0-9_]+[[:space:]]*\(' | tr -d ' (' | sort -u)

missing=0 n=0
for f in $names; do
	n=$((n + 1))
	if ! grep -q "^| \`$f\`" "$doc"; then
		echo "check-bad-input: $f has no row in $doc"
		missing=$((missing + 1))
	fi
	# shellcheck disable=SC2086
	if ! grep -qw -- "$f" $tests; then
		echo "check-bad-input: $f is not called by any bad-input test"
		missing=$((missing + 1))
	fi
done
if [ "$n" -lt 200 ]; then
	echo "check-bad-input: found only $n functions: is the header parsed right?"
	exit 1
fi
[ "$missing" -eq 0 ] || exit 1
echo "check-bad-input: all $n exported functions have a row and a test"
