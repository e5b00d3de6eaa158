#!/bin/sh
# Checks that the static archive defines no global symbol beyond the names
# in the symbol lists, and references nothing outside the C library.
set -eu
archive=$1
shift
names=$(awk -F'\t' '!/^#/ && NF >= 2 { print $1 }' "$@")
syms=$(readelf -sW "$archive" | awk '$5 == "GLOBAL" || $5 == "WEAK"')
extra=$(echo "$syms" | awk '$7 != "UND" { print $8 }' | sort -u | grep -vxF "$names" || true)
[ -z "$extra" ] || { echo "check-static: $archive defines non-liburing globals:"; echo "$extra" | sed 's/^/  /'; exit 1; }
# What it needs from outside: C library functions only.
needs=$(echo "$syms" | awk '$7 == "UND" { print $8 }' | sort -u | grep -vxF "$names" || true)
for f in $needs; do
  case $f in rust_*|_Unwind_*|__rust*) echo "check-static: $archive needs $f"; exit 1 ;; esac
done
echo "check-static: $(echo "$syms" | awk '$7 != "UND"' | wc -l) globals, all liburing names; needs only: $(echo $needs)"
