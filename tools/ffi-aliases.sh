#!/bin/sh
# Writes the linker script that gives liburing_rs.so liburing-ffi.so.2's
# names. liburing.so.2 versions its functions from LIBURING_2.0 on, but
# liburing-ffi.so.2 (first released with 2.4) exports the same functions at
# LIBURING_2.4, so a program linked against it asks for, say,
# io_uring_submit@LIBURING_2.4. For every name the staticlib defines whose
# node in the list is before 2.4, one assignment adds that name at
# LIBURING_2.4 as a second, non-default version of the same address; the
# version script keeps the name's own node as its default.
# Usage: ffi-aliases.sh CARGO_STATICLIB SYMBOL_LIST
set -eu
defined=$(readelf -sW "$1" | awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" { print $8 }' | sort -u)
[ -n "$defined" ] || { echo "ffi-aliases: $1 defines no function" >&2; exit 1; }
echo "$defined" |
  awk -F'\t' 'NR == FNR { if ($0 !~ /^#/ && $2 ~ /^LIBURING_2\.[0-3]$/) old[$1] = 1; next }
       $1 in old { printf "\"%s@LIBURING_2.4\" = %s;\n", $1, $1 }' "$2" -
