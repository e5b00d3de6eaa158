#!/bin/bash
# kernels/fetch.sh ID...: puts Debian's cloud kernel for each ID (5.10, 6.1,
# 6.12) at build/kernels/ID/vmlinuz, downloaded with apt from that release
# through a private apt configuration (tools/apt-suite.sh). Cached: once
# the vmlinuz is there, nothing is downloaded again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
K=$(dirname "$here")/build/kernels
# shellcheck source=tools/apt-suite.sh
. "$here/../tools/apt-suite.sh"

suite_of() {
  case $1 in
    5.10) echo bullseye ;;
    6.1) echo bookworm ;;
    6.12) echo trixie ;;
    *) echo "kernels: unknown kernel id $1 (5.10, 6.1 or 6.12)" >&2; return 1 ;;
  esac
}

for id in "$@"; do
  suite=$(suite_of "$id")
  [ -s "$K/$id/vmlinuz" ] && continue
  command -v dpkg-deb > /dev/null || { echo "kernels: dpkg-deb missing" >&2; exit 1; }
  apt_suite "$K/apt/$suite" "$suite" deb
  export APT_CONFIG=$K/apt/$suite/apt.conf
  # The metapackage names the current versioned image, e.g. linux-image-6.1.0-50-cloud-amd64.
  pkg=$(apt-cache depends linux-image-cloud-amd64 2> /dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -1)
  [ -n "$pkg" ] || { echo "kernels: $suite has no linux-image-cloud-amd64" >&2; exit 1; }
  echo "kernels: $id: downloading $pkg from $suite"
  mkdir -p "$K/debs"
  (cd "$K/debs" && apt-get download -qq "$pkg")
  rm -rf "$K/$id"; mkdir -p "$K/$id/root"
  dpkg-deb -x "$(ls "$K/debs/${pkg}"_*.deb | head -1)" "$K/$id/root"
  cp "$K/$id/root"/boot/vmlinuz-* "$K/$id/vmlinuz"
  echo "$pkg" > "$K/$id/package"
  # Only the kernel image is used: the tests need no modules.
  rm -rf "$K/$id/root"
done
