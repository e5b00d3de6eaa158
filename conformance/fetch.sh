#!/bin/bash
# Puts upstream liburing's source tree (Debian's source package of the
# version in $UPSTREAM, default 2.9 from trixie) at $1, downloading it with
# apt only when it is not already there. Nothing downloaded is ever committed:
# $1 lives under build/.
set -euo pipefail
dest=$1
want=${UPSTREAM:-2.9}
suite=${UPSTREAM_SUITE:-trixie}
# .extracted holds the Debian version, e.g. 2.9-1.
case $(cat "$dest/.extracted" 2>/dev/null) in "$want"-*) exit 0 ;; esac

# apt-get install needs root; use sudo when we are not.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dpkg-source > /dev/null; then
  as_root apt-get install -y -qq --no-install-recommends dpkg-dev
fi

# A private apt configuration with $suite's source index (tools/apt-suite.sh),
# at the archive address this machine's apt sources name; /etc/apt is left alone.
# shellcheck source=tools/apt-suite.sh
. "$(dirname "$0")/../tools/apt-suite.sh"
apt_suite "$(dirname "$dest")/apt" "$suite" deb-src
export APT_CONFIG
APT_CONFIG=$(cd "$(dirname "$dest")/apt" && pwd)/apt.conf

# The newest source version of liburing in $suite whose upstream part is $want.
ver=$(apt-cache showsrc liburing 2>/dev/null |
  awk -v w="$want" '/^Version:/ { v = $2; u = v; sub(/^[0-9]+:/, "", u); sub(/-[^-]*$/, "", u); if (u == w) print v }' |
  sort -V | tail -1 || true)
[ -n "$ver" ] || { echo "conformance: $suite has no liburing $want source package" >&2; exit 1; }

dl=$(dirname "$dest")/download
mkdir -p "$dl"
dsc=$dl/liburing_${ver#*:}.dsc
if [ ! -f "$dsc" ]; then
  echo "conformance: downloading liburing $ver source package"
  # apt checks every file against the signed Sources index.
  (cd "$dl" && apt-get source -qq --download-only "liburing=$ver")
fi
rm -rf "$dest"
# apt has checked every file against the signed index; dpkg-source's own
# check of the uploader's signature only says gpgv lacks that key.
dpkg-source -q -x "$dsc" "$dest" > "$dl/extract.log" 2>&1 || { cat "$dl/extract.log" >&2; exit 1; }
rm -f "$(dirname "$dest")"/liburing_*.orig.tar.*   # dpkg-source links it next to $dest
echo "$ver" > "$dest/.extracted"
