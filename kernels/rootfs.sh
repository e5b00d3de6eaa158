#!/bin/bash
# kernels/rootfs.sh DEB_ARCH DIR: unpacks at DIR the user space a test VM of
# another architecture needs (arm64, s390x): that architecture's C library,
# busybox, bash, coreutils, findutils and a minimal python3 for the example
# drivers, from bookworm's packages with everything they depend on (the
# release whose C library the cross compilers build against), through a
# private apt configuration (tools/apt-suite.sh). The packages are cached in
# build/kernels/debs-DEB_ARCH; DIR is made afresh. Nothing is configured or
# run: the files are only unpacked, with the usr-merged /bin, /lib and /sbin
# links that base-files would make.
set -euo pipefail
arch=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
K=$(dirname "$here")/build/kernels
# shellcheck source=tools/apt-suite.sh
. "$here/../tools/apt-suite.sh"
debs=$K/debs-$arch

if [ ! -e "$debs/.complete" ]; then
  apt_suite "$K/apt/bookworm-$arch" bookworm deb "$arch"
  mkdir -p "$debs/partial"
  # An empty dpkg status: apt downloads the whole dependency closure.
  APT_CONFIG=$K/apt/bookworm-$arch/apt.conf apt-get install --download-only --no-install-recommends -y -qq \
    -o APT::Architecture="$arch" -o Dir::Cache::archives="$debs" \
    bash coreutils findutils busybox-static python3-minimal > /dev/null
  touch "$debs/.complete"
fi

rm -rf "$dir"
mkdir -p "$dir"
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$dir"; done
# What a package still ships under /bin, /lib or /sbin moves to /usr.
for l in bin lib sbin; do
  mkdir -p "$dir/usr/$l"
  if [ -d "$dir/$l" ] && [ ! -L "$dir/$l" ]; then
    cp -a "$dir/$l/." "$dir/usr/$l/"
    rm -rf "${dir:?}/$l"
  fi
  [ -e "$dir/$l" ] || ln -s "usr/$l" "$dir/$l"
done
