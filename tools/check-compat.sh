#!/bin/sh
# Checks `make install-compat` in a scratch DESTDIR: it refuses to replace
# another liburing's files; liburing's names lead to our library; and these
# all build and run on it (URING_RS_STATS output proves which library ran):
#   a. a program built with `pkg-config --cflags --libs liburing`;
#   b. a program built against Debian's liburing (header and -luring), run
#      with the scratch libdir first: it must load our liburing.so.2 link;
#      and one linked against a liburing-ffi.so.2 stand-in whose symbols
#      carry liburing-ffi's version nodes;
#   c. CMake (find_package(liburing-rs) and pkg_check_modules(liburing)) and
#      meson (dependency('liburing')) builds of examples/nop-roundtrip.c;
#   d. uninstall-compat then uninstall leave nothing behind.
# b and c are skipped, with a message, when their tools are missing (under
# CI that fails: tools/need.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd); top=$(dirname "$here")
. "$here/need.sh"
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
prefix=/opt/uring-rs-compat
lib=$root$prefix/lib
src=$top/examples/nop-roundtrip.c
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$top/Cargo.toml" | head -1)
fail() { echo "check-compat: $*"; exit 1; }

# Runs program $1 on the scratch libdir (plus $2, extra environment) and
# checks it ran to the end on liburing-rs.
runs_on_ours() {
  env LD_LIBRARY_PATH="$lib" URING_RS_STATS=1 ${2:-} "$1" > "$root/out" 2> "$root/err" ||
    fail "$(basename "$1") failed: $(cat "$root/err")"
  grep -q 'nop 2 completed with 0' "$root/out" || fail "$(basename "$1") gave the wrong output"
  grep -q 'stats: sqes=3 nop=3' "$root/err" || fail "$(basename "$1") did not run on liburing-rs"
}
needs() { objdump -p "$1" | grep -q "NEEDED *$2\$" || fail "$(basename "$1") does not need $2"; }

# install-compat leaves another liburing's files alone.
mkdir -p "$lib"; : > "$lib/liburing.so.2.3"; ln -s liburing.so.2.3 "$lib/liburing.so.2"
! make -s -C "$top" install-compat DESTDIR="$root" PREFIX="$prefix" >/dev/null 2>&1 ||
  fail "install-compat went ahead over another liburing.so.2"
[ "$(readlink "$lib/liburing.so.2")" = liburing.so.2.3 ] || fail "install-compat replaced another liburing.so.2"
rm "$lib/liburing.so.2" "$lib/liburing.so.2.3"

make -s -C "$top" install-compat DESTDIR="$root" PREFIX="$prefix" >/dev/null
for l in liburing.so.2 liburing.so liburing-ffi.so.2 liburing-ffi.so; do
  [ "$(readlink "$lib/$l")" = "liburing_rs.so.$version" ] || fail "$l is not a link to liburing_rs.so.$version"
done

# a. pkg-config. The .pc files name the final paths; point them at the root.
export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$lib/pkgconfig"
for pc in liburing liburing-ffi; do
  [ "$(pkg-config --modversion $pc)" = "$version" ] || fail "$pc.pc does not say $version"
  pkg-config --libs $pc | grep -q -- "-L$lib -luring_rs" || fail "$pc.pc does not lead to liburing_rs"
done
# shellcheck disable=SC2046
cc -o "$root/app-pc" "$src" $(pkg-config --cflags --libs liburing)
needs "$root/app-pc" liburing_rs.so.2
runs_on_ours "$root/app-pc"

# b. A binary built for Debian's liburing.so.2 loads ours from the libdir.
if need /usr/include/liburing.h:liburing-dev; then
  cc -o "$root/app-deb" "$src" -luring
  needs "$root/app-deb" liburing.so.2
  env -u LD_LIBRARY_PATH URING_RS_STATS=1 "$root/app-deb" >/dev/null 2>"$root/err" || fail "app-deb fails on Debian's liburing"
  ! grep -q stats: "$root/err" || fail "app-deb ran on liburing-rs without the scratch libdir"
  runs_on_ours "$root/app-deb" LD_DEBUG=files
  grep -q "calling init: $lib/liburing.so.2\$" "$root/err" || fail "app-deb did not load $lib/liburing.so.2"
else
  skip check-compat "the Debian liburing.so.2 binary: install$missing"
fi

# b. A binary linked against liburing-ffi.so.2 asks for its functions at
# liburing-ffi's nodes (LIBURING_2.4 for what liburing.so.2 has at 2.0-2.3).
# The stand-in exports what the program calls at those nodes, taken from
# liburing 2.15's liburing-ffi.map.
mkdir "$root/ffi"
cc -c -o "$root/ffi/app.o" -I"$top/include" -DLIBURING_RS_NO_INLINE "$src"
nm -u "$root/ffi/app.o" | awk '$2 ~ /io_uring_/ { print $2 }' > "$root/ffi/calls"
: > "$root/ffi/stub.c"; : > "$root/ffi/v2.4"; : > "$root/ffi/v2.15"
while read -r f; do
  case $f in
    io_uring_cqe_iter_init|io_uring_cqe_iter_next) node=2.15 ;;
    io_uring_queue_init|io_uring_queue_exit|io_uring_get_sqe|io_uring_prep_nop|io_uring_sqe_set_data64|\
    io_uring_submit_and_wait|io_uring_cq_advance) node=2.4 ;;
    *) fail "the liburing-ffi stand-in does not know $f's node" ;;
  esac
  echo "void $f(void) {}" >> "$root/ffi/stub.c"; echo "$f;" >> "$root/ffi/v$node"
done < "$root/ffi/calls"
{ echo "LIBURING_2.4 { global:"; cat "$root/ffi/v2.4"; echo "local: *; };"
  echo "LIBURING_2.15 { global:"; cat "$root/ffi/v2.15"; echo "} LIBURING_2.4;"; } > "$root/ffi/map"
cc -shared -fPIC -o "$root/ffi/liburing-ffi.so.2" -Wl,-soname,liburing-ffi.so.2 \
  -Wl,--version-script="$root/ffi/map" "$root/ffi/stub.c"
ln -s liburing-ffi.so.2 "$root/ffi/liburing-ffi.so"
cc -o "$root/app-ffi" "$root/ffi/app.o" -L"$root/ffi" -luring-ffi
needs "$root/app-ffi" liburing-ffi.so.2
objdump -T "$root/app-ffi" | grep -q '(LIBURING_2.4) *io_uring_submit_and_wait$' ||
  fail "app-ffi does not ask for io_uring_submit_and_wait@LIBURING_2.4"
runs_on_ours "$root/app-ffi"

# c. CMake and meson projects.
if need cmake:cmake meson:meson ninja:ninja-build; then
  cmake -S "$top/examples/cmake" -B "$root/cmake" -DCMAKE_PREFIX_PATH="$root$prefix" > "$root/cmake.log" 2>&1 ||
    fail "cmake configure failed: $(tail -20 "$root/cmake.log")"
  grep -q "find_package: liburing-rs $version" "$root/cmake.log" || fail "find_package(liburing-rs) gave no version $version"
  grep -q "pkg_check_modules: liburing $version: .*$lib/liburing_rs.so" "$root/cmake.log" ||
    fail "pkg_check_modules(liburing) did not find liburing_rs"
  cmake --build "$root/cmake" > "$root/cmake.log" 2>&1 || fail "cmake build failed: $(tail -20 "$root/cmake.log")"
  for app in nop-config nop-pc; do
    needs "$root/cmake/$app" liburing_rs.so.2
    runs_on_ours "$root/cmake/$app"
  done
  # The version file turns down what 2.15.0 cannot satisfy.
  cat > "$root/version.cmake" <<EOF
foreach(want "" 2 2.0 2.15 2.15.0 2.16 3.0 1.0)
  unset(PACKAGE_VERSION_COMPATIBLE)
  set(PACKAGE_FIND_VERSION "\${want}")
  string(REGEX REPLACE "\\\\..*" "" PACKAGE_FIND_VERSION_MAJOR "\${want}")
  include("$lib/cmake/liburing-rs/liburing-rsConfigVersion.cmake")
  message("[\${want}] \${PACKAGE_VERSION_COMPATIBLE}")
endforeach()
EOF
  cmake -DCMAKE_SIZEOF_VOID_P=8 -P "$root/version.cmake" > "$root/version.out" 2>&1
  printf '%s\n' '[] TRUE' '[2] TRUE' '[2.0] TRUE' '[2.15] TRUE' '[2.15.0] TRUE' '[2.16] FALSE' '[3.0] FALSE' '[1.0] FALSE' |
    diff - "$root/version.out" > /dev/null || fail "liburing-rsConfigVersion.cmake answers: $(cat "$root/version.out")"

  meson setup "$root/meson" "$top/examples/meson" > "$root/meson.log" 2>&1 ||
    fail "meson setup failed: $(tail -20 "$root/meson.log")"
  grep -q "Run-time dependency liburing found: YES $version" "$root/meson.log" || fail "meson did not find liburing $version"
  ninja -C "$root/meson" > "$root/meson.log" 2>&1 || fail "meson build failed: $(tail -20 "$root/meson.log")"
  needs "$root/meson/nop-roundtrip" liburing_rs.so.2
  runs_on_ours "$root/meson/nop-roundtrip"
else
  skip check-compat "CMake and meson builds: install$missing"
fi

# d. Both uninstalls together remove everything.
make -s -C "$top" uninstall-compat DESTDIR="$root" PREFIX="$prefix" >/dev/null
for l in liburing.so.2 liburing.so liburing-ffi.so.2 liburing-ffi.so pkgconfig/liburing.pc pkgconfig/liburing-ffi.pc; do
  [ ! -e "$lib/$l" ] || fail "uninstall-compat left $l"
done
[ -e "$lib/liburing_rs.so.2" ] || fail "uninstall-compat removed the library itself"
make -s -C "$top" uninstall DESTDIR="$root" PREFIX="$prefix" >/dev/null
left=$(find "$root$prefix" -type f -o -type l 2>/dev/null)
[ -z "$left" ] || fail "uninstall left: $left"
echo "check-compat: ok"
