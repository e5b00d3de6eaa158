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
echo "In the VMs, upstream liburing 2.9's tests (kernels/conformance.list; arches/conformance-quick.list"
echo "for a quick run), cross-built from Debian's source, run with ours preloaded (abi) and, where"
echo "that did not pass, with upstream's library (ref). The last column gives the passes in each, of"
echo "the tests run, and the tests that pass in ref but not in abi (regressions)."
echo
echo "| architecture | Rust unit tests | C tests: where | passed | failed | skipped | upstream: abi / ref passed |"
echo "|---|---|---|---|---|---|---|"
for a in "$@"; do
  r=build/$a/arch.results
  [ -e "$r" ] || { echo "| $a | not run | | | | | |"; continue; }
  unit=$(sed -n '1s/^arch [^:]*: //p' "$r")
  # A row per run, printed when the next begins: the C tests' counts, then
  # upstream's tests' when the run had them.
  awk -v a="$a" -v u="$unit" '
    function row() { if (where == "") return
      printf "| %s | %s | %s | %s | %s | %s | %s |\n", a, u, where, c[2], c[4], c[6],
        up == "" ? "not run" : up ", regressions: " reg
      a = ""; u = ""; up = "" }
    /^(host kernel|kernel) / { row(); where = $0 }
    /^ctests: / { split($0, c, " ") }
    /^    conformance (abi|ref): / { up = up (up == "" ? "" : " / ") $5 " of " $3 }
    /^    conformance: / { reg = $0; sub(/.*regressions: /, "", reg) }
    END { row() }' "$r"
done
for a in "$@"; do
  r=build/$a/arch.results
  [ -e "$r" ] || continue
  echo
  echo "## $a"
  # Each run: the C tests that failed or skipped, then upstream's tests'
  # counts, regressions and every test that did not simply pass in both modes.
  awk '/^(host kernel|kernel) / { print ""; print "### " $0; print ""; on = 0 }
    /^FAIL / { sub(/^FAIL /, ""); print "- **FAIL** " $0 }
    /^SKIP / { sub(/^SKIP /, ""); print "- SKIP " $0 }
    /^conformance rc=/ { on = 1; next }
    on && /^    conformance [a-z]+: / { sub(/^ +/, ""); print "- upstream tests, " $0 }
    on && /^    regression / { sub(/^ +/, ""); print "- **" $0 "**" }
    on && /^    [^ ]+ ref=/ && !/ ref=(- abi=pass|skip abi=skip)$/ { sub(/^ +/, ""); odd = odd "  - " $0 "\n" }
    on && /^    conformance: / { printf "%s", odd; odd = ""; on = 0 }' "$r"
done
