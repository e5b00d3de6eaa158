#!/bin/sh
# Builds the Debian packages into OUTDIR with dpkg-deb:
#   liburing-rs         what `make install` installs (library, headers,
#                       pkg-config and CMake files, man pages)
#   liburing-rs-compat  what `make install-compat` adds (liburing's names);
#                       it provides and replaces liburing2
# Both are staged with PREFIX=/usr and the multiarch LIBDIR.
# Usage: mkdeb.sh OUTDIR DEBIAN-VERSION (e.g. 2.15.0-1).
set -eu
out=$1 version=$2
here=$(cd "$(dirname "$0")" && pwd); top=$(dirname "$here")
upstream=${version%-*}
# DEB_HOST_ARCH names the architecture of a cross build (make ARCH=...).
arch=${DEB_HOST_ARCH:-$(dpkg --print-architecture)}
triplet=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null || "${CC:-cc}" -print-multiarch)
maintainer=${DEB_MAINTAINER:-liburing-rs maintainers <liburing-rs@localhost.localdomain>}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
main=$work/liburing-rs compat=$work/liburing-rs-compat
set -- PREFIX=/usr LIBDIR="/usr/lib/$triplet"

make -s -C "$top" install DESTDIR="$main" "$@" >/dev/null
make -s -C "$top" install-compat DESTDIR="$compat" "$@" >/dev/null
# The compat package holds what install-compat adds over install.
(cd "$main" && find . ! -type d) | (cd "$compat" && xargs rm -f)
find "$compat" -depth -type d -empty -delete

# Debian policy: shared libraries are not executable, man pages are
# compressed, every package has a copyright file.
chmod 644 "$main/usr/lib/$triplet/liburing_rs.so.$upstream"
gzip -9n "$main"/usr/share/man/man*/*
for pkg in "$main" "$compat"; do
  doc=$pkg/usr/share/doc/$(basename "$pkg")
  install -d "$doc"
  cat > "$doc/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: liburing-rs

Files: *
Copyright: The liburing-rs authors
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 SOFTWARE.
EOF
  install -d "$pkg/DEBIAN"
done

# The library's own dependencies (libc6), as dpkg-shlibdeps computes them;
# it wants a debian/control to read. It is pointed at the C library the
# compiler links: for a cross build, Debian's cross package, which it names
# libc6:<arch>.
mkdir "$work/src" "$work/src/debian"
printf 'Source: liburing-rs\n\nPackage: liburing-rs\nArchitecture: any\n' > "$work/src/debian/control"
libc_dir=$(dirname "$("${CC:-cc}" -print-file-name=libc.so.6)")
depends=$(cd "$work/src" && DEB_HOST_ARCH=$arch dpkg-shlibdeps -O -l"$libc_dir" \
  -e"$main/usr/lib/$triplet/liburing_rs.so.$upstream" 2>/dev/null | sed -n "s/:$arch//g; s/^shlibs:Depends=//p")
[ -n "$depends" ] || { echo "mkdeb: dpkg-shlibdeps found no dependencies"; exit 1; }

size() { du -sk --exclude=DEBIAN "$1" | cut -f1; }
cat > "$main/DEBIAN/control" <<EOF
Package: liburing-rs
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(size "$main")
Depends: $depends
Conflicts: liburing-dev
Replaces: liburing-dev
Section: libdevel
Priority: optional
Description: Linux io_uring userspace library in Rust, with liburing's C API
 liburing-rs is liburing $upstream, the userspace library for Linux io_uring,
 written in Rust and shipped as a C-ABI shared library: the same <liburing.h>,
 functions, struct layout and symbol versions. C and C++ liburing programs
 build against it unchanged (-luring_rs, pkg-config liburing-rs, CMake
 find_package(liburing-rs)) or run on it with LD_PRELOAD.
 .
 This package holds the library, headers, pkg-config and CMake files and man
 pages. liburing-rs-compat installs the library under liburing's names.
EOF
# The library goes into the loader's cache; other packages linking it
# depend on this version or later.
echo "activate-noawait ldconfig" > "$main/DEBIAN/triggers"
echo "liburing_rs 2 liburing-rs (>= $upstream)" > "$main/DEBIAN/shlibs"

cat > "$compat/DEBIAN/control" <<EOF
Package: liburing-rs-compat
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(size "$compat")
Depends: liburing-rs (= $version)
Provides: liburing2 (= $upstream)
Conflicts: liburing2, liburing-dev
Replaces: liburing2, liburing-dev
Section: libs
Priority: optional
Description: liburing-rs installed as liburing
 Links liburing.so.2 and liburing-ffi.so.2 (and their development names) to
 liburing-rs and installs liburing.pc and liburing-ffi.pc leading to it, so
 programs built for liburing run on liburing-rs without LD_PRELOAD, and build
 systems asking for liburing (pkg-config, CMake, meson, -luring) find it.
 It takes the place of liburing2 (and of liburing-dev, whose files it and
 liburing-rs hold).
EOF

mkdir -p "$out"
# xz at its fastest level: the static library is large, and -z6 takes ten
# times longer for a few percent.
for pkg in "$main" "$compat"; do
  (cd "$pkg" && find usr -type f -print0 | sort -z | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"
  name=$(basename "$pkg")
  dpkg-deb --root-owner-group -Zxz -z1 --build "$pkg" "$out/${name}_${version}_$arch.deb" >/dev/null
  echo "$out/${name}_${version}_$arch.deb"
done
