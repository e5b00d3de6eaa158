#!/bin/bash
# kernels/initramfs.sh BUILD OUT: writes OUT, a gzipped initramfs (cpio newc)
# that runs the C tests and examples of build directory BUILD and then
# powers off (kernels/init). BUILD's parent is the source tree its tests
# belong to: ctests/run.sh and the example drivers come from there. Both sit
# at their own absolute paths in the image, so the tests' rpath and the
# drivers' relative paths work unchanged.
#
# Inside: busybox-static for the basic tools; bash, coreutils' timeout
# (busybox's does not put the test in a process group of its own, which
# ctests/run-echo-server.sh relies on), find, xargs, comm and sort (the
# skip-list check of ctests/run.sh) and python3 with just
# the modules the drivers import (echo-client.py, the burst writer of
# run-cat-buf-ring.sh; socket.create_connection needs the idna codec),
# copied from this machine with their libraries. For another architecture
# (KERNELS_ARCH=arm64 or s390x, a cross build's BUILD), the same tools come
# from that architecture's Debian packages instead (kernels/rootfs.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
tree=$(dirname "$build")
[ -e "$tree/ctests/run.sh" ] || tree=$(dirname "$tree")
out=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# put FILE...: each file at its own path in the image (links stay links).
put() {
  local f
  for f in "$@"; do
    mkdir -p "$stage$(dirname "$f")"
    cp -P "$f" "$stage$f"
  done
}

# copy FILE...: put, with the file a link leads to and the libraries it loads.
copy() {
  local f lib
  for f in "$@"; do
    put "$f"
    [ -L "$f" ] && put "$(readlink -f "$f")"
    { ldd "$f" 2> /dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
      while read -r lib; do
        [ -e "$stage$lib" ] || { mkdir -p "$stage$(dirname "$lib")"; cp -L "$lib" "$stage$lib"; }
      done
  done
}

if [ -n "${KERNELS_ARCH:-}" ]; then
  bash "$here/rootfs.sh" "$KERNELS_ARCH" "$stage"
  # busybox for what the packages leave out (ip, poweroff, mount...).
  for applet in $(/bin/busybox --list); do
    [ -e "$stage/usr/bin/$applet" ] || [ -e "$stage/usr/sbin/$applet" ] || ln -s busybox "$stage/usr/bin/$applet"
  done
  mkdir -p "$stage"/{proc,sys,dev,tmp,root,etc}
else
  mkdir -p "$stage"/{bin,usr/bin,proc,sys,dev,tmp,root,etc}
  cp /bin/busybox "$stage/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
  done
  copy /usr/bin/bash /usr/bin/timeout /usr/bin/find /usr/bin/xargs /usr/bin/comm /usr/bin/sort
  rm -f "$stage/bin/bash"; ln -s /usr/bin/bash "$stage/bin/bash"
  # python3 and the modules the drivers' scripts import (with their cached
  # bytecode), not the whole standard library.
  py=$(readlink -f /usr/bin/python3)
  copy "$py"
  ln -s "$py" "$stage/usr/bin/python3" 2> /dev/null || true
  "$py" -c '
import encodings.idna, importlib.util, os, random, socket, struct, sys, threading, time
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f and os.path.isabs(f) and os.path.exists(f):
        print(f)
        if f.endswith(".py"):
            c = importlib.util.cache_from_source(f)
            if os.path.exists(c):
                print(c)
' | while read -r f; do copy "$f"; done
  # The landmark python3 looks for to find its standard library.
  stdlib=$("$py" -c 'import os; print(os.path.dirname(os.__file__))')
  copy "$stdlib/os.py"
  mkdir -p "$stage$stdlib/lib-dynload"
fi
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
  > "$stage/etc/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' > "$stage/etc/group"
echo '127.0.0.1 localhost' > "$stage/etc/hosts"

# The tests, the examples, their drivers, our library and the launcher
# ctests/launcher runs.
copy "$build"/liburing_rs.so* "$build/no-io-uring"
for d in ctests examples; do
  [ -d "$build/$d" ] || continue
  find "$build/$d" -maxdepth 1 -type f -perm -u+x | while read -r f; do copy "$f"; done
done
# The io_uring_disabled test (it sets a sysctl, so it is not in ctests/).
mkdir -p "$build/kernels"
${CC:-cc} -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I"$tree/include" -I"$tree/ctests" \
  -o "$build/kernels/io_uring_disabled" "$here/io_uring_disabled.c" -L"$build" -luring_rs -Wl,-rpath,"$build"
copy "$build/kernels/io_uring_disabled"
mkdir -p "$stage$tree"
put "$tree"/ctests/*.sh "$tree"/ctests/*.py "$tree"/ctests/*.c "$tree"/ctests/skips/*.tsv \
  "$tree"/include/liburing/decls.h

# Upstream liburing's tests of kernels/conformance.list (or of the list
# KERNELS_CONFORMANCE_LIST names) and upstream's library, when
# conformance/build.sh has built them in BUILD (KERNELS_CONFORMANCE=0: never).
conf=$build/conformance/liburing
list=${KERNELS_CONFORMANCE_LIST:-$here/conformance.list}
if [ "${KERNELS_CONFORMANCE:-1}" = 1 ] && [ -e "$conf/.built" ]; then
  for t in $(grep -v '^#' "$list" | awk 'NF { print $1 }') exec-target; do
    [ -x "$conf/test/$t.t" ] && copy "$conf/test/$t.t"
  done
  copy "$conf"/src/liburing.so*
  mkdir -p "$stage/kernels"
  cp "$list" "$stage/kernels/conformance.list"
  cp "$here/conformance-vm.sh" "$stage/kernels/"
fi

cp "$here/init" "$stage/init"
chmod 755 "$stage/init"
printf 'TREE=%q\nBUILD=%q\n' "$tree" "$build" > "$stage/kernels.env"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
