#!/bin/sh
# Checks the dynamic symbol table of the shared library against the symbol
# lists (liburing's names, then our extensions): every exported name must
# carry the version node its list gives it, and no other symbol may be
# exported (no Rust internals); names liburing.so.2 versioned before 2.4
# must also carry LIBURING_2.4, liburing-ffi.so.2's node for them.
# liburing names not yet implemented are
# reported, not failed; our own extensions must all be there.
set -eu
so=$1 list=$2 ext=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# "name node" for every defined, exported function or object.
nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ { n = $3; v = n; sub(/@+.*/, "", n); sub(/^[^@]*@+/, "", v); if (v == $3) v = "(none)"; print n, v }' | sort > "$tmp/have"
awk -F'\t' '!/^#/ && NF >= 2 { print $1, $2 }' "$list" | sort > "$tmp/want"
# Version node definitions show up as absolute symbols named after the node.
grep -v '^LIBURING_' "$tmp/have" > "$tmp/have.all" || true
awk -F'\t' '!/^#/ && NF >= 2 { print $1, $2 }' "$ext" | sort > "$tmp/ext"
missing_ext=$(join -v2 "$tmp/have.all" "$tmp/ext" | awk '{print $1}')
[ -z "$missing_ext" ] || { echo "extensions not exported: $missing_ext"; exit 1; }
bad_ext=$(join "$tmp/have.all" "$tmp/ext" | awk '$2 != $3 { print $1 }')
[ -z "$bad_ext" ] || { echo "extensions with the wrong node: $bad_ext"; exit 1; }
join -v1 "$tmp/have.all" "$tmp/ext" > "$tmp/have.both"
# liburing-ffi.so.2 exports at LIBURING_2.4 what liburing.so.2 versioned
# before 2.4 (see tools/ffi-aliases.sh): those names must carry both nodes.
awk '$2 ~ /^LIBURING_2\.[0-3]$/ { print $1, "LIBURING_2.4" }' "$tmp/want" > "$tmp/ffi.want"
grep -vxFf "$tmp/ffi.want" "$tmp/have.both" > "$tmp/have.syms" || true
grep -xFf "$tmp/ffi.want" "$tmp/have.both" > "$tmp/have.ffi" || true
fail=0
no_ffi=$(awk '$2 ~ /^LIBURING_2\.[0-3]$/ { print $1 }' "$tmp/have.syms" | join -v1 - "$tmp/have.ffi")
if [ -n "$no_ffi" ]; then
  echo "exported without their liburing-ffi alias at LIBURING_2.4:"; echo "$no_ffi" | sed 's/^/  /'; fail=1
fi
extra=$(join -v1 "$tmp/have.syms" "$tmp/want" | awk '{print $1}')
if [ -n "$extra" ]; then
  echo "exported but not in $list:"; echo "$extra" | sed 's/^/  /'; fail=1
fi
wrong=$(join "$tmp/have.syms" "$tmp/want" | awk '$2 != $3 { print "  " $1 ": " $2 ", expected " $3 }')
if [ -n "$wrong" ]; then
  echo "wrong version node:"; echo "$wrong"; fail=1
fi
missing=$(join -v2 "$tmp/have.syms" "$tmp/want" | awk '{print $1}')
total=$(wc -l < "$tmp/want"); have=$(( total - $(echo "$missing" | grep -c . || true) ))
echo "symbols: $have of $total liburing 2.15 names exported, each under its version node"
[ -z "$missing" ] || echo "not yet exported: $(echo "$missing" | tr '\n' ' ')"
exit $fail
