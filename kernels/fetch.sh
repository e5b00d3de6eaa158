#!/bin/bash
# kernels/fetch.sh ID...: puts Debian's kernel for each ID at
# build/kernels/ID/vmlinuz (and its Debian architecture at .../arch),
# downloaded with apt from that release through a private apt configuration
# (tools/apt-suite.sh). The IDs: 5.10, 6.1 and 6.12, the cloud-amd64
# kernels of Debian 11, 12 and 13; arm64-6.12, arm64-16k-6.12 (16K pages)
# and s390x-6.12, Debian 13's for those architectures. Cached: once the
# vmlinuz is there, nothing is downloaded again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
K=$(dirname "$here")/build/kernels
# shellcheck source=tools/apt-suite.sh
. "$here/../tools/apt-suite.sh"

# "SUITE ARCH FLAVOUR" of a kernel id.
kernel_of() {
  case $1 in
    5.10) echo bullseye amd64 cloud-amd64 ;;
    6.1) echo bookworm amd64 cloud-amd64 ;;
    6.12) echo trixie amd64 cloud-amd64 ;;
    arm64-6.12) echo trixie arm64 cloud-arm64 ;;
    arm64-16k-6.12) echo trixie arm64 arm64-16k ;;
    s390x-6.12) echo trixie s390x s390x ;;
    *) echo "kernels: unknown kernel id $1 (5.10, 6.1, 6.12, arm64-6.12, arm64-16k-6.12, s390x-6.12)" >&2
      return 1 ;;
  esac
}

for id in "$@"; do
  read -r suite arch flavour <<< "$(kernel_of "$id")"
  [ -n "$suite" ] || exit 1
  [ -s "$K/$id/vmlinuz" ] && continue
  command -v dpkg-deb > /dev/null || { echo "kernels: dpkg-deb missing" >&2; exit 1; }
  if [ "$arch" = "$(dpkg --print-architecture)" ]; then
    conf=$K/apt/$suite
    apt_suite "$conf" "$suite" deb
  else
    conf=$K/apt/$suite-$arch
    apt_suite "$conf" "$suite" deb "$arch"
  fi
  export APT_CONFIG=$conf/apt.conf
  # The versioned images of the flavour, newest first (e.g.
  # linux-image-6.1.0-50-cloud-amd64); a mirror can lack the newest one's
  # file, so each is tried in turn.
  mkdir -p "$K/debs"
  pkg=
  for p in $(apt-cache search --names-only "^linux-image-[0-9].*-$flavour\$" | awk '{ print $1 }' | sort -rV); do
    echo "kernels: $id: downloading $p from $suite"
    if (cd "$K/debs" && apt-get download -qq "$p:$arch"); then pkg=$p; break; fi
  done
  [ -n "$pkg" ] || { echo "kernels: no linux-image-*-$flavour could be downloaded from $suite" >&2; exit 1; }
  rm -rf "$K/$id"; mkdir -p "$K/$id/root"
  dpkg-deb -x "$(ls "$K/debs/${pkg}"_*.deb | head -1)" "$K/$id/root"
  cp "$K/$id/root"/boot/vmlinuz-* "$K/$id/vmlinuz"
  echo "$pkg" > "$K/$id/package"
  echo "$arch" > "$K/$id/arch"
  # Only the kernel image is used: the tests need no modules.
  rm -rf "$K/$id/root"
done
