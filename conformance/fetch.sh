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

# apt needs root; use sudo when we are not.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The newest source version of liburing apt knows whose upstream part is $want.
known_version() {
  apt-cache showsrc liburing 2>/dev/null |
    awk -v w="$want" '/^Version:/ { v = $2; u = v; sub(/^[0-9]+:/, "", u); sub(/-[^-]*$/, "", u); if (u == w) print v }' |
    sort -V | tail -1 || true
}

ver=$(known_version)
if [ -z "$ver" ]; then
  # The host release may not carry $want; add a source-only entry for $suite.
  list=/etc/apt/sources.list.d/liburing-conformance.sources
  echo "conformance: adding deb-src for $suite ($list) and updating apt"
  # Debian's mirror as this machine's apt configuration names it.
  mirror=$({ grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
    awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2) }' /etc/apt/sources.list 2>/dev/null; } |
    grep -v security | head -1)
  [ -n "$mirror" ] || { echo "conformance: apt's configuration names no Debian mirror" >&2; exit 1; }
  printf '%s\n' "Types: deb-src" "URIs: $mirror" "Suites: $suite" \
    "Components: main" "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" |
    as_root tee "$list" > /dev/null
  as_root apt-get update -qq
  ver=$(known_version)
  [ -n "$ver" ] || { echo "conformance: apt has no liburing $want source package" >&2; exit 1; }
fi
if ! command -v dpkg-source > /dev/null; then
  as_root apt-get install -y -qq --no-install-recommends dpkg-dev
fi

dl=$(dirname "$dest")/download
mkdir -p "$dl"
dsc=$dl/liburing_${ver#*:}.dsc
if [ ! -f "$dsc" ]; then
  echo "conformance: downloading liburing $ver source package"
  # apt checks every file against the signed Sources index. As root, apt
  # would drop to the _apt user, which cannot write here.
  (cd "$dl" && apt-get source -qq --download-only -o APT::Sandbox::User=root "liburing=$ver")
fi
rm -rf "$dest"
# apt has checked every file against the signed index; dpkg-source's own
# check of the uploader's signature only says gpgv lacks that key.
dpkg-source -q -x "$dsc" "$dest" > "$dl/extract.log" 2>&1 || { cat "$dl/extract.log" >&2; exit 1; }
rm -f "$(dirname "$dest")"/liburing_*.orig.tar.*   # dpkg-source links it next to $dest
echo "$ver" > "$dest/.extracted"
