#!/bin/bash
# Cross-builds liburing-rs for one architecture (i686, aarch64, s390x) and
# checks what can be checked from this x86-64 machine:
#   - the library, static archive and C tests build (`make ARCH=<arch>`),
#     so ctests/layout.c's compile-time layout asserts hold for that target;
#   - the exported names, their version nodes and the SONAME are the host
#     build's, exactly;
#   - `make deb` packages it for that Debian architecture, and the packages
#     install into a scratch root under its multiarch library directory;
#   - the Rust unit tests pass for that target (src/layout_tests.rs checks
#     every struct against the target's C compiler), under qemu-user where
#     the target is not the host's;
#   - every C test and example: for i686 natively (the host kernel runs
#     32-bit programs), for the others under Debian's kernel for them in
#     qemu (kernels/run.sh): arm64 with 4K and with 16K pages, s390x;
#   - there too, upstream liburing 2.9's tests of kernels/conformance.list,
#     cross-built from Debian's source (kernels/upstream.sh), each with
#     ours preloaded and, where that does not pass, with upstream's
#     library: a test that passes with upstream's only is a failure
#     (kernels/conformance-vm.sh).
# ARCH_QUICK=1 (CI) runs the C tests of arches/quick.list only, with
# CTEST_QUICK, upstream's tests of arches/conformance-quick.list only, and
# arm64 on its 16K-page kernel only. KERNELS_CONFORMANCE=0 leaves
# upstream's tests out.
# Writes build/ARCH/arch.results, which `make check-arches` gathers into
# arches/RESULTS.md.
# Installs what it needs with rustup and apt-get. A target or toolchain that
# cannot be installed is a loud skip, and a failure under CI.
# Usage: check-arch.sh ARCH [HOST_BUILD_DIR]
set -euo pipefail
arch=$1 host=${2:-build}
cd "$(dirname "$0")/.."
triple=$arch-unknown-linux-gnu
cross=$arch-linux-gnu-

give_up() {
  echo "check-arch $arch: SKIPPED: $*" >&2
  [ -z "${CI:-}" ] || exit 1
  exit 77
}

# What the architecture needs: rustup's target, Debian's cross compiler,
# and qemu-user (or, for i686, the i386 C library) to run its tests.
need=()
command -v "${cross}gcc" >/dev/null || need+=("gcc-$arch-linux-gnu")
[ "$arch" = i686 ] || command -v "qemu-$arch" >/dev/null || need+=(qemu-user)
# i686 runs natively, through the i386 loader, C library and libgcc_s.
[ "$arch" != i686 ] || [ -e /usr/lib32/libgcc_s.so.1 ] || need+=(libc6-i386 lib32gcc-s1)
if [ ${#need[@]} -gt 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } ||
    give_up "apt-get could not install ${need[*]}"
fi
rustup target list --installed 2>/dev/null | grep -qx "$triple" || rustup target add "$triple" >/dev/null ||
  give_up "rustup could not add $triple"

# Each stage's time, printed when the script ends.
times=() lap_start=$(date +%s)
lap() { local now; now=$(date +%s); times+=("$1: $((now - lap_start))s"); lap_start=$now; }
trap 'echo "check-arch $arch: times: ${times[*]}"' EXIT

make -s ARCH="$arch" all
lap build

# The exported names with their versions, and the SONAME, as the host's.
dynsyms() { "${2:-}nm" -D --defined-only "$1" | awk '{ print $NF }' | sort; }
soname() { "${2:-}readelf" -d "$1" | awk '/SONAME/ { print $NF }'; }
so=build/$arch/liburing_rs.so.2
[ -f "$host/liburing_rs.so.2" ] || { echo "check-arch: no host build in $host (run make first)"; exit 1; }
diff <(dynsyms "$host/liburing_rs.so.2") <(dynsyms "$so" "$cross") ||
  { echo "check-arch $arch: exported symbols or versions differ from the host build"; exit 1; }
[ "$(soname "$host/liburing_rs.so.2")" = "$(soname "$so" "$cross")" ] ||
  { echo "check-arch $arch: SONAME differs from the host build"; exit 1; }
sh tools/check-symbols.sh "$so" symbols.tsv symbols-rs.tsv
echo "check-arch $arch: $(dynsyms "$so" "$cross" | wc -l) exported symbols and the SONAME match the host build"
lap symbols

# The .debs for that architecture install into a scratch dpkg root, under
# its multiarch library directory.
make -s ARCH="$arch" check-deb
lap deb

# Rust unit tests for the target, linked by the cross compiler.
upper=$(echo "$triple" | tr a-z- A-Z_)
export "CARGO_TARGET_${upper}_LINKER=${cross}gcc" CC="${cross}gcc"
[ "$arch" = i686 ] || export "CARGO_TARGET_${upper}_RUNNER=qemu-$arch -L /usr/$arch-linux-gnu"
# qemu-user hands a big-endian guest the host kernel's little-endian
# /proc/self/pagemap words, so that one test reads nonsense there; it runs
# wherever guest and host agree on byte order.
skip=()
[ "$arch" != s390x ] || skip=(--skip ring::setup::tests::shared_memory_is_told_apart)
log=build/$arch/rust-tests.log
cargo test --release --quiet --lib --target "$triple" -- "${skip[@]}" > "$log" 2>&1 ||
  { tail -30 "$log"; echo "check-arch $arch: Rust unit tests failed"; exit 1; }
echo "check-arch $arch: Rust unit tests: $(grep -m1 '^test result' "$log")"
lap "unit tests"

# The C tests: natively, or in a VM per kernel. Each run's summary and
# skips go to build/ARCH/arch.results.
results=build/$arch/arch.results
echo "arch $arch: $(grep -m1 '^test result' "$log" | sed 's/^test result: //;s/;.*filtered out//')" > "$results"
quick=()
if [ -n "${ARCH_QUICK:-}" ]; then
  export CTEST_QUICK=1 CTEST_ONLY="$(grep -v '^#' arches/quick.list | awk 'NF { print $1 }' | tr '\n' ' ')"
  export KERNELS_ENV="CTEST_QUICK=1 CTEST_ONLY=${CTEST_ONLY// /,}"
  quick=(" (quick subset)")
fi
case $arch in
  i686) kernels=() ;;
  aarch64) kernels=(arm64-16k-6.12); [ -n "${ARCH_QUICK:-}" ] || kernels=(arm64-6.12 arm64-16k-6.12) ;;
  s390x) kernels=(s390x-6.12) ;;
esac
# Upstream's tests, built by the cross compiler.
upstream=
if [ "${KERNELS_CONFORMANCE:-1}" = 1 ]; then
  bash kernels/upstream.sh "build/$arch" "$cross" ||
    { echo "check-arch $arch: upstream's tests did not build"; exit 1; }
  upstream=$PWD/build/$arch/conformance/liburing
  [ -z "${ARCH_QUICK:-}" ] || export KERNELS_CONFORMANCE_LIST=$PWD/arches/conformance-quick.list
  lap "upstream tests' build"
fi
rc=0
if [ ${#kernels[@]} -eq 0 ]; then
  # The old-kernel tests compare with the system's liburing
  # (ctests/diff_upstream.sh): Debian's liburing-dev for i386, from this
  # machine's release, unpacked under build/i686 (the installed one is x86-64's).
  lib=build/$arch/liburing-debian
  if [ ! -e "$lib/.unpacked" ]; then
    # shellcheck source=tools/apt-suite.sh
    . tools/apt-suite.sh
    suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
    apt=$PWD/build/kernels/apt/$suite-i386
    apt_suite "$apt" "$suite" deb i386
    rm -rf "$lib"; mkdir -p "$lib/debs"
    (cd "$lib/debs" && APT_CONFIG=$apt/apt.conf apt-get download -qq -o APT::Architecture=i386 liburing2 liburing-dev)
    for d in "$lib"/debs/*.deb; do dpkg-deb -x "$d" "$lib"; done
    touch "$lib/.unpacked"
  fi
  libdir=$(echo "$PWD/$lib"/usr/lib/*-linux-gnu)
  export CTEST_LIBURING_FLAGS="-I$PWD/$lib/usr/include -L$libdir -Wl,-rpath,$libdir"
  bash ctests/run.sh "build/$arch" > "build/$arch/ctests.log" || rc=1
  grep -E '^FAIL|^    |^ctests: ' "build/$arch/ctests.log" || true
  { echo "host kernel $(uname -r)${quick[*]}"; grep -E '^(FAIL|SKIP) |^ctests: ' "build/$arch/ctests.log"; } \
    >> "$results"
  lap "C tests"
  if [ -n "$upstream" ]; then
    log=build/$arch/conformance.log
    up=0
    bash kernels/conformance-vm.sh "$upstream" "$PWD/build/$arch/liburing_rs.so.2" \
      "${KERNELS_CONFORMANCE_LIST:-kernels/conformance.list}" > "$log" 2>&1 || { up=$?; rc=1; }
    grep -E '^(conformance|regression)' "$log" | sed "s/^/check-arch $arch: /" || true
    { echo "conformance rc=$up:"; sed 's/^/    /' "$log"; } >> "$results"
    lap "upstream tests"
  fi
fi
for id in "${kernels[@]}"; do
  bash kernels/run.sh "$id" "build/$arch" || rc=1
  r=build/$arch/kernels/$id.results
  { echo "kernel $id${quick[*]}"; grep -E '^(FAIL|SKIP) |^ctests: |^io_uring_disabled rc=' "$r"
    sed -n '/^conformance rc=/,$p' "$r"; } >> "$results"
  lap "$id VM"
done
exit $rc
