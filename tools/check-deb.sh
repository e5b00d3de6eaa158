#!/bin/sh
# Builds the two .debs (`make deb`), installs them into a scratch dpkg root,
# checks their files landed where Debian puts them and that a program built
# from the installed tree runs on the packaged library, then removes both
# packages and checks nothing is left.
set -eu
here=$(cd "$(dirname "$0")" && pwd); top=$(dirname "$here")
. "$here/need.sh"
fail() { echo "check-deb: $*"; exit 1; }
if ! need dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev dpkg-architecture:dpkg-dev; then
  skip check-deb "install$missing"
  exit 0
fi
build=$top/${1:-build}
dir=$build/deb
make -s -C "$top" deb >/dev/null
# DEB_HOST_ARCH names the architecture of a cross build (make ARCH=...).
native=$(dpkg --print-architecture) arch=${DEB_HOST_ARCH:-$(dpkg --print-architecture)}
triplet=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null || "${CC:-cc}" -print-multiarch)
main=$dir/liburing-rs_2.15.0-1_$arch.deb compat=$dir/liburing-rs-compat_2.15.0-1_$arch.deb
[ -f "$main" ] && [ -f "$compat" ] || fail "no packages in $dir (make deb)"
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
# The scratch root has no libc6 package, and no shell to run scripts in.
dpkg_root() {
  dpkg --root="$root" --log=/dev/null --force-not-root --force-script-chrootless --force-depends "$@" \
    > "$root/dpkg.log" 2>&1 || fail "dpkg $*: $(cat "$root/dpkg.log")"
}

field() { dpkg-deb -f "$1" "$2"; }
[ "$(field "$compat" Provides)" = "liburing2 (= 2.15.0)" ] || fail "compat does not provide liburing2 (= 2.15.0)"
field "$compat" Conflicts | grep -qw liburing2 || fail "compat does not conflict with liburing2"
field "$compat" Replaces | grep -qw liburing2 || fail "compat does not replace liburing2"
field "$main" Depends | grep -q '^libc6 (>= ' || fail "liburing-rs does not depend on libc6"
[ "$(field "$main" Architecture)" = "$arch" ] || fail "liburing-rs is not built for $arch"

[ "$arch" = "$native" ] || dpkg --root="$root" --add-architecture "$arch"
dpkg_root -i "$main" "$compat"
for p in liburing-rs liburing-rs-compat; do
  dpkg --root="$root" -s $p 2>/dev/null | grep -q '^Status: install ok installed$' || fail "$p is not installed"
done
lib=$root/usr/lib/$triplet
for f in "$lib/liburing_rs.a" "$lib/pkgconfig/liburing-rs.pc" \
         "$lib/cmake/liburing-rs/liburing-rsConfig.cmake" "$lib/cmake/liburing-rs/liburing-rsConfigVersion.cmake" \
         "$root/usr/include/liburing.h" "$root/usr/include/liburing/io_uring.h" "$root/usr/include/liburing/rs.h" \
         "$root/usr/share/man/man7/liburing-rs.7.gz" "$root/usr/share/man/man3/io_uring_submit.3.gz" \
         "$root/usr/share/doc/liburing-rs/copyright" \
         "$lib/pkgconfig/liburing.pc" "$lib/pkgconfig/liburing-ffi.pc"; do
  [ -f "$f" ] || fail "${f#"$root"} is not installed"
done
[ -f "$lib/liburing_rs.so.2.15.0" ] && [ ! -x "$lib/liburing_rs.so.2.15.0" ] ||
  fail "the library is missing or executable"
for l in liburing_rs.so.2 liburing_rs.so liburing.so.2 liburing.so liburing-ffi.so.2 liburing-ffi.so; do
  [ "$(readlink "$lib/$l")" = liburing_rs.so.2.15.0 ] || fail "$l is not a link to liburing_rs.so.2.15.0"
done
pages=$(ls "$root/usr/share/man/man3" | wc -l) built=$(ls "$build/man/man3" | wc -l)
[ "$pages" -eq "$built" ] || fail "$pages man pages installed, $built built"
grep -q '^prefix=/usr$' "$lib/pkgconfig/liburing-rs.pc" || fail "liburing-rs.pc has the wrong prefix"

# A program builds with the installed liburing.pc and, on this machine's own
# architecture, runs on the packaged library.
export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$lib/pkgconfig"
# shellcheck disable=SC2046
"${CC:-cc}" -o "$root/app" "$top/examples/nop-roundtrip.c" $(pkg-config --cflags --libs liburing)
if [ "$arch" = "$native" ]; then
  LD_LIBRARY_PATH="$lib" URING_RS_STATS=1 "$root/app" > "$root/out" 2>&1 || fail "app failed: $(cat "$root/out")"
  grep -q 'stats: sqes=3 nop=3' "$root/out" || fail "app did not run on the packaged library"
  rm "$root/out"
fi
rm "$root/app"

dpkg_root -r liburing-rs-compat liburing-rs
left=$(cd "$root" && find . -path ./var/lib/dpkg -prune -o ! -type d -print | grep -v '^./dpkg.log$' || true)
[ -z "$left" ] || fail "removal left: $left"
echo "check-deb: ok"
