#!/bin/bash
# Source compatibility by name (make conformance): every struct, union,
# enum, enumerator, typedef, macro and function that upstream's liburing.h,
# and the headers it includes from its own tree, declare must be declared by
# our include/ too, so a program written against upstream's header compiles
# against ours. universal-ctags lists upstream's names; a C file with one
# probe per name, compiled against our header, finds the ones we lack.
# conformance/names-allow.tsv lists upstream's internal names, with why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$here")
W=$ROOT/build/conformance
# UPSTREAM_SRC: another upstream tree to compare with (default: Debian's).
SRC=${UPSTREAM_SRC:-$W/liburing}
ALLOW=$here/names-allow.tsv
CC=${CC:-cc}
. "$ROOT/tools/need.sh"

need ctags:universal-ctags || { echo "names: install$missing" >&2; exit 1; }
[ -n "${UPSTREAM_SRC:-}" ] || bash "$here/fetch.sh" "$SRC"
inc=$SRC/src/include
# compat.h and io_uring_version.h are written by upstream's configure.
[ -f "$inc/liburing/compat.h" ] || (cd "$SRC" && ./configure > /dev/null)
headers=(liburing.h $(sed -n 's/^#include "\(liburing\/[^"]*\)"/\1/p' "$inc/liburing.h"))

out=$W/names; mkdir -p "$out"
# "kind name" for each declared name; anonymous structs and unions have none.
(cd "$inc" && ctags -x --language-force=C --kinds-C=defgpstu "${headers[@]}") |
  awk '$1 !~ /^__anon/ { print $2, $1 }' | sort -u > "$out/upstream"
awk -F'\t' '!/^#/ && NF { print $1 }' "$ALLOW" | sort -u > "$out/allowed"

# One probe per name, each on a line of its own; map records which.
awk -v map="$out/map" '
  BEGIN { print "#include <liburing.h>\nvoid probe(void);\nvoid probe(void)\n{"; line = 4 }
  function emit(text) { print text; line++; print line, $2, $1 > map }
  $1 == "struct" || $1 == "union" || $1 == "enum" { emit("(void)sizeof(" $1 " " $2 ");"); next }
  $1 == "typedef" { emit("(void)sizeof(" $2 ");"); next }
  { print "#ifndef " $2; line++; emit("(void)" $2 ";"); print "#endif"; line++ }
  END { print "}" }' "$out/upstream" > "$out/probe.c"
"$CC" -std=gnu11 -D_GNU_SOURCE -fsyntax-only -fmax-errors=0 -I "$ROOT/include" "$out/probe.c" \
  2> "$out/errors.log" || true
lacking=$(sed -n 's/^[^:]*probe\.c:\([0-9]*\):[0-9]*: error:.*/\1/p' "$out/errors.log" | sort -u |
  awk 'NR == FNR { name[$1] = $3 " " $2; next } $1 in name { print name[$1] }' "$out/map" - | sort -u)
unexpected=$(echo "$lacking" | awk 'NF { print $2 }' | grep -vxFf "$out/allowed" || true)
total=$(wc -l < "$out/upstream")
if [ -n "$unexpected" ]; then
  echo "names: our header lacks these names upstream's declares:"
  echo "$lacking" | awk 'NF' | grep -wFf <(echo "$unexpected") | sed 's/^/  /'
  exit 1
fi
# Allowed names this upstream declares and ours now declares too.
stale=$(awk '{ print $2 }' "$out/upstream" | grep -xFf "$out/allowed" |
  grep -vxFf <(echo "$lacking" | awk 'NF { print $2 }') || true)
[ -z "$stale" ] || echo "names: allowed but present in our header now (drop from $(basename "$ALLOW")): $stale"
absent=$(echo "$lacking" | grep -c . || true)
echo "names: ours declares $((total - absent)) of the $total names upstream's header does; the $absent others are allowed"
