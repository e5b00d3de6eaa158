#!/bin/sh
# Builds liburing_rs.a from Cargo's staticlib as one relocatable object that
# holds only what the exported names reach, with only those names global:
# a static link then pulls in no Rust runtime it does not use, and no Rust
# symbol that could collide with another Rust library in the same program.
# Usage: static-archive.sh CARGO_STATICLIB OUT.a SYMBOL_LIST...
# CROSS, when set, is the binutils prefix of a cross build (aarch64-linux-gnu-).
set -eu
rust_a=$1 out=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Our names as the archive defines them.
awk -F'\t' '!/^#/ && NF >= 2 { print $1 }' "$@" > "$tmp/names"
readelf -sW "$rust_a" | awk '$5 == "GLOBAL" && $7 != "UND" { print $8 }' | sort -u |
  grep -xFf "$tmp/names" > "$tmp/keep"
# Roots for the section garbage collection: every name we export.
# shellcheck disable=SC2046
"${CROSS:-}ld" -r --gc-sections $(sed 's/^/-u /' "$tmp/keep") --whole-archive "$rust_a" -o "$tmp/all.o"
# Local everything else; drop debug info and embedded LLVM bitcode, and the
# unwinder personality that precompiled core names but nothing here calls.
"${CROSS:-}objcopy" --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd \
  --keep-global-symbols="$tmp/keep" --strip-unneeded-symbol=rust_eh_personality \
  "$tmp/all.o" "$tmp/liburing_rs.o"
rm -f "$out"
"${CROSS:-}ar" rcs "$out" "$tmp/liburing_rs.o"
