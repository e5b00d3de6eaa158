#!/bin/sh
# Writes arches/RESULTS.md to stdout from build/<arch>/arch.results, which
# tools/check-arch.sh leaves for each architecture named.
# Usage: arch-results.sh ARCH...
set -eu
echo "# liburing-rs on other architectures"
echo
echo "Written by \`make check-arches\` (tools/check-arch.sh) on $(date -u +%Y-%m-%d). Every"
echo "architecture is cross-built from x86-64; its exported symbols, version nodes and SONAME"
echo "match the x86-64 build, its .debs install into a scratch root of that architecture, and its"
echo "Rust unit tests (layouts and constants against that architecture's C compiler) run under"
echo "qemu-user. The C tests run natively (i686) or under Debian's kernel in qemu-system."
echo
echo "| architecture | Rust unit tests | C tests: where | passed | failed | skipped |"
echo "|---|---|---|---|---|---|"
for a in "$@"; do
  r=build/$a/arch.results
  [ -e "$r" ] || { echo "| $a | not run | | | | |"; continue; }
  unit=$(sed -n '1s/^arch [^:]*: //p' "$r")
  awk -v a="$a" -v u="$unit" '
    /^(host kernel|kernel) / { where = $0 }
    /^ctests: / { printf "| %s | %s | %s | %s | %s | %s |\n", a, u, where, $2, $4, $6; a = ""; u = "" }' "$r"
done
for a in "$@"; do
  r=build/$a/arch.results
  [ -e "$r" ] || continue
  echo
  echo "## $a"
  awk '/^(host kernel|kernel) / { print ""; print "### " $0; print "" }
    /^FAIL / { sub(/^FAIL /, ""); print "- **FAIL** " $0 }
    /^SKIP / { sub(/^SKIP /, ""); print "- SKIP " $0 }' "$r"
done
