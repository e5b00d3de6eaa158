#!/bin/bash
# kernels/upstream.sh BUILD [CROSS]: fetches upstream liburing 2.9's source
# into BUILD/conformance/liburing and builds its library and tests there, as
# `make conformance` builds them (conformance/build.sh, ref mode), once.
# CROSS, a cross compiler's prefix (aarch64-linux-gnu-), builds them for
# that architecture. kernels/initramfs.sh puts the tests the VM runs into its
# image from there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
tree=$(dirname "$here")
conf=$build/conformance
[ -e "$conf/liburing/.built" ] && exit 0
bash "$tree/conformance/fetch.sh" "$conf/liburing"
SRC=$conf/liburing W=$conf B=$build ROOT=$tree JOBS=2 EXPECT=$tree/conformance/expectations.tsv MODES=ref \
  CROSS=${2:-} bash "$tree/conformance/build.sh"
