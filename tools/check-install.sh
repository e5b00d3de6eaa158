#!/bin/sh
# Installs liburing-rs into a scratch DESTDIR and checks what a user gets:
# the versioned library and its links, the headers, the .pc file, and a
# program built with `pkg-config --cflags --libs liburing-rs` (shared and
# --static) that runs. `make uninstall` must then leave nothing behind.
set -eu
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
prefix=/opt/uring-rs-check
make -s install DESTDIR="$root" PREFIX="$prefix" >/dev/null
lib=$root$prefix/lib
for f in liburing_rs.so.2.15.0 liburing_rs.so.2 liburing_rs.so liburing_rs.a pkgconfig/liburing-rs.pc; do
  [ -e "$lib/$f" ] || { echo "check-install: $f not installed"; exit 1; }
done
[ "$(readlink "$lib/liburing_rs.so.2")" = liburing_rs.so.2.15.0 ] || { echo "check-install: bad soname link"; exit 1; }
objdump -p "$lib/liburing_rs.so.2.15.0" | grep -q 'SONAME *liburing_rs.so.2$' || { echo "check-install: bad SONAME"; exit 1; }
[ -f "$root$prefix/include/liburing.h" ] && [ -f "$root$prefix/include/liburing/io_uring.h" ] || { echo "check-install: headers missing"; exit 1; }
grep -q "^prefix=$prefix\$" "$lib/pkgconfig/liburing-rs.pc" || { echo "check-install: .pc has the wrong prefix"; exit 1; }

# The .pc file names the final paths; point them at the scratch root.
export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$lib/pkgconfig"
src=$(dirname "$0")/../examples/nop-roundtrip.c
# shellcheck disable=SC2046
cc -o "$root/app" "$src" $(pkg-config --cflags --libs liburing-rs)
LD_LIBRARY_PATH="$lib" "$root/app" > "$root/out"
grep -q 'nop 2 completed with 0' "$root/out" || { echo "check-install: shared program failed"; exit 1; }
objdump -p "$root/app" | grep -q 'NEEDED *liburing_rs.so.2$' || { echo "check-install: program does not need liburing_rs.so.2"; exit 1; }
# Static: our archive, plus the system libraries Libs.private names.
# shellcheck disable=SC2046
cc -o "$root/app-static" "$src" $(pkg-config --cflags liburing-rs) "$lib/liburing_rs.a" \
  $(pkg-config --static --libs-only-l liburing-rs | sed 's/-luring_rs//')
! objdump -p "$root/app-static" | grep -q 'NEEDED *liburing_rs' || { echo "check-install: static program needs the .so"; exit 1; }
"$root/app-static" > "$root/out"
grep -q 'nop 2 completed with 0' "$root/out" || { echo "check-install: static program failed"; exit 1; }

make -s uninstall DESTDIR="$root" PREFIX="$prefix" >/dev/null
left=$(find "$root$prefix" -type f -o -type l 2>/dev/null)
[ -z "$left" ] || { echo "check-install: uninstall left: $left"; exit 1; }
echo "check-install: ok"
