#!/bin/bash
# Builds what the conformance run needs, from upstream's tree $SRC:
#   ref  upstream's library (./configure && make -C src) and its tests
#        (make -C test), linked to upstream's liburing.so.2, not the .a;
#        built once and kept
#   api  the same test sources compiled with upstream's own compiler flags
#        (read from its test/Makefile) but against our include/ and linked
#        with -luring_rs from $B; rebuilt on every run
# Writes $W/tests (one test name a line) and, per test and mode,
# $W/<mode>/<test>.build (dynamic | static | nobuild | excluded) next to the
# compiler's output in $W/<mode>/<test>.buildlog.
# Arguments: the tests to build for api (default: all).
# Environment (set by run.sh): SRC W B ROOT JOBS EXPECT MODES; CROSS (a
# cross compiler's prefix, e.g. aarch64-linux-gnu-) builds ref for that
# architecture (tools/check-arch.sh, for its VMs).
set -euo pipefail
mkdir -p "$W/ref" "$W/api"

# The value of a variable of upstream's test/Makefile, after configure.
printf 'print-%%: ; @echo $(%s)\n' '$*' > "$W/printvar.mk"
mkvar() { make -s --no-print-directory -C "$SRC/test" -f Makefile -f "$W/printvar.mk" "print-$1"; }

# shellcheck source=conformance/lib.sh
. "$(dirname "$0")/lib.sh"

# Whether binary $1 loads shared library $2.
needs() { readelf -d "$1" 2>/dev/null | grep -q "(NEEDED).*\[$2\]"; }

# The test's source file name (C or C++), relative to upstream's test/.
source_of() { if [ -e "$SRC/test/$1.cc" ]; then echo "$1.cc"; else echo "$1.c"; fi; }

# Compiler and flags upstream uses for source $1; $2 adds C-only flags.
compiler() { case $1 in *.cc) echo "$CXX $CXXFLAGS" ;; *) echo "$CC $CFLAGS ${2:-}" ;; esac; }

build_upstream() {
  local up=$SRC/src so
  [ -f "$SRC/.built" ] && return 0
  echo "conformance: building upstream liburing and its tests (ref)"
  (cd "$SRC" && ./configure ${CROSS:+--cc=${CROSS}gcc --cxx=${CROSS}g++} > "$W/ref/configure.log")
  make -s -C "$up" -j"$JOBS" > "$W/ref/make-src.log" 2>&1
  # make -C src leaves only liburing.so.<version>: without the development
  # link, -luring would pick liburing.a and abi mode could not interpose.
  so=$(cd "$up" && ls liburing.so.*.* | head -1)
  ln -sf "$so" "$up/liburing.so"; ln -sf "$so" "$up/liburing.so.2"
  make -C "$SRC/test" -k -j"$JOBS" LDFLAGS="-Wl,-rpath,$up" > "$W/ref/make-test.log" 2>&1 || true
  touch "$SRC/.built"
}

# A test that uses upstream's unexported internals cannot link to its .so;
# for ref it is linked to liburing.a, as upstream's own build does by
# default. abi mode cannot interpose on such a binary.
classify_ref() {
  local t=$1 src; src=$(source_of "$t")
  if [ ! -x "$SRC/test/$t.t" ]; then
    # shellcheck disable=SC2046
    (cd "$SRC/test" && $(compiler "$src") $CPPFLAGS -o "$t.t" "$src" helpers.o \
      ../src/liburing.a -lpthread) > "$W/ref/$t.buildlog" 2>&1 || true
  fi
  if [ ! -x "$SRC/test/$t.t" ]; then echo nobuild
  elif needs "$SRC/test/$t.t" liburing.so.2; then echo dynamic
  else echo static; fi > "$W/ref/$t.build"
}

build_api_one() {
  local t=$1 src out=$W/api/$1.t; src=$(source_of "$1")
  rm -f "$out"
  if kept_out "$t" api; then echo excluded > "$W/api/$t.build"; return; fi
  # shellcheck disable=SC2046
  (cd "$SRC/test" && $(compiler "$src" "$API_CFLAGS") $API_CPPFLAGS -o "$out" "$src" \
    "$W/api/helpers.o" $API_LDFLAGS) > "$W/api/$t.buildlog" 2>&1 || true
  if [ -x "$out" ] && needs "$out" liburing_rs.so.2; then echo dynamic
  else echo nobuild; fi > "$W/api/$t.build"
}

build_upstream
CC=$(mkvar CC) CXX=$(mkvar CXX)
CPPFLAGS=$(mkvar CPPFLAGS) CFLAGS=$(mkvar CFLAGS) LDFLAGS=$(mkvar LDFLAGS)
CXXFLAGS=$(mkvar CXXFLAGS | sed 's/-Wmissing-prototypes//g')
# Test sources in Makefile order, each once (the list names the C++ test
# twice); helpers.c is not a test.
mkvar test_srcs | tr ' ' '\n' | grep -E '\.cc?$' | sed -E 's/\.cc?$//' | awk '!seen[$0]++' > "$W/tests"

for t in "$@"; do grep -qxF "$t" "$W/tests" || { echo "conformance: upstream has no test named $t" >&2; exit 1; }; done

if [[ " $MODES " == *" ref "* || " $MODES " == *" abi "* || " $MODES " == *" emu "* ]]; then
  while read -r t; do classify_ref "$t"; done < "$W/tests"
fi

if [[ " $MODES " == *" api "* ]]; then
  echo "conformance: building upstream's tests against our include/ and -luring_rs (api)"
  # Upstream's flags with its header directory and library swapped for ours.
  API_CPPFLAGS=$(tr ' ' '\n' <<< "$CPPFLAGS" | sed "s|^-I\.\./src/include/\{0,1\}$|-I$ROOT/include|" | tr '\n' ' ')
  API_LDFLAGS=$(tr ' ' '\n' <<< "$LDFLAGS" |
    sed -e "s|^-L\.\./src/\{0,1\}$|-L$B -Wl,-rpath,$B|" -e 's|^-luring$|-luring_rs|' | tr '\n' ' ')
  if grep -q 'src/include' <<< "$API_CPPFLAGS" || ! grep -q -- '-luring_rs' <<< "$API_LDFLAGS"; then
    echo "conformance: upstream's test flags changed shape: $CPPFLAGS / $LDFLAGS" >&2; exit 1
  fi
  # A function our header does not declare is a gap, not a warning.
  API_CFLAGS=-Werror=implicit-function-declaration
  # helpers.c gets its functions in separate sections and the tests link
  # with --gc-sections, so a test only needs the helpers it calls (a helper
  # using a function we lack blocks just the tests that use that helper).
  API_LDFLAGS="$API_LDFLAGS -Wl,--gc-sections"
  (cd "$SRC/test" && $CC $API_CPPFLAGS $CFLAGS -ffunction-sections -c -o "$W/api/helpers.o" helpers.c) \
    > "$W/api/helpers.buildlog" 2>&1 || true
  export SRC W B EXPECT CC CXX CFLAGS CXXFLAGS API_CPPFLAGS API_LDFLAGS API_CFLAGS
  export -f build_api_one kept_out expect_of needs source_of compiler
  if [ $# -gt 0 ]; then printf '%s\n' "$@"; else cat "$W/tests"; fi |
    xargs -P "$JOBS" -I{} bash -c 'build_api_one "$1"' _ {}
fi
