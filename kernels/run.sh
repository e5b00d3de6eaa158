#!/bin/bash
# kernels/run.sh ID [BUILD]: boots Debian's kernel ID (kernels/fetch.sh
# lists them) under qemu and runs the C tests and examples of BUILD inside,
# with the scripts of the tree BUILD belongs to. BUILD defaults to this
# tree's build/ for an amd64 kernel and to build/aarch64 or build/s390x
# (`make ARCH=...`) for the others.
# Writes BUILD/kernels/ID.log (the whole console; ID.log.raw while it runs)
# and BUILD/kernels/ID.results (ctests/run.sh's output: PASS/FAIL/SKIP lines,
# each failure's last lines, the summary; then the io_uring_disabled test's); prints the summary and the time taken.
# Exits non-zero when a test failed or the VM did not finish.
#
# Environment: KERNELS_TEST_TIMEOUT (seconds per test in the VM, default
# 120: under TCG the whole suite takes about 100 s on 6.x, two tests at a
# time, so only a hung test reaches it), KERNELS_VM_TIMEOUT (seconds for
# the whole VM, default 1200), KERNELS_ENV
# (more NAME=VALUE words for the tests' environment in the VM, e.g.
# "CTEST_QUICK=1"), KERNELS_CONFORMANCE_LIST (the upstream tests the VM
# runs, default kernels/conformance.list; KERNELS_CONFORMANCE=0: none).
# The VM's environment also has KERNELS_ID=ID.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
id=${1:?usage: kernels/run.sh ID [BUILD]}
K=$(dirname "$here")/build/kernels
secs() { echo $(($(date +%s) - $1)); }

t=$(date +%s)
bash "$here/fetch.sh" "$id" || exit 1
echo "kernels: $id: kernel $(cat "$K/$id/package") ready in $(secs "$t")s"

# The machine qemu emulates for the kernel's architecture, and its console.
arch=$(cat "$K/$id/arch")
case $arch in
  amd64) qemu=(qemu-system-x86_64) console=ttyS0 pkg=qemu-system-x86 gnu= ;;
  arm64) qemu=(qemu-system-aarch64 -M virt) console=ttyAMA0 pkg=qemu-system-arm gnu=aarch64 ;;
  s390x) qemu=(qemu-system-s390x -M s390-ccw-virtio) console=ttysclp0 pkg=qemu-system-s390x gnu=s390x ;;
esac
build=$(cd "${2:-$here/../build${gnu:+/$gnu}}" && pwd) || exit 1
out=$build/kernels
mkdir -p "$out"
# shellcheck source=tools/need.sh
. "$here/../tools/need.sh"
need "${qemu[0]}:$pkg" /bin/busybox:busybox-static cpio:cpio dpkg-deb:dpkg ||
  { echo "kernels: missing packages:$missing (apt-get install$missing)" >&2; exit 1; }
# A cross build's io_uring_disabled test is built by its cross compiler.
[ -z "$gnu" ] || export CC=$gnu-linux-gnu-gcc KERNELS_ARCH=$arch

# The image is rebuilt when anything it holds is newer, or when it was made
# with another choice of upstream tests (kernels/initramfs.sh).
image=$out/initramfs.cpio.gz
tree=$(dirname "$build")
[ -e "$tree/ctests/run.sh" ] || tree=$(dirname "$tree")
list=${KERNELS_CONFORMANCE_LIST:-$here/conformance.list}
choice="conformance=${KERNELS_CONFORMANCE:-1} list=$(cd "$(dirname "$list")" && pwd)/$(basename "$list")"
inputs=("$build"/liburing_rs.so* "$build/no-io-uring" "$build/ctests" "$build/examples" "$tree/ctests"
  "$build/conformance/liburing/.built" "$here"/*.sh "$here"/*.c "$here"/init "$list")
if [ ! -e "$image" ] || [ "$(cat "$image.choice" 2> /dev/null)" != "$choice" ] ||
  [ -n "$(find "${inputs[@]}" -newer "$image" -print -quit 2> /dev/null)" ]; then
  t=$(date +%s)
  bash "$here/initramfs.sh" "$build" "$image" || exit 1
  echo "$choice" > "$image.choice"
  echo "kernels: initramfs for $build built in $(secs "$t")s ($(du -h "$image" | cut -f1))"
fi

# KVM when it really runs a kernel here (a nested /dev/kvm may open and then
# fail), else TCG; probed once, by booting without a root file system until
# the kernel's panic, and cached in build/kernels/accel.
# Another architecture's kernel is always emulated.
accel="tcg -cpu max"
if [ "$arch" = amd64 ]; then
  if [ ! -s "$K/accel" ]; then
    if [ -w /dev/kvm ] && timeout 30 qemu-system-x86_64 -accel kvm -cpu host -m 256M -nographic -no-reboot \
      -kernel "$K/$id/vmlinuz" -append "console=ttyS0 panic=-1" < /dev/null 2>&1 | grep -q 'Kernel panic'; then
      echo "kvm -cpu host" > "$K/accel"
    else
      echo "tcg -cpu max" > "$K/accel"
    fi
  fi
  accel=$(cat "$K/accel")
fi
read -r accel cpu_opt cpu <<< "$accel"

log=$out/$id.log results=$out/$id.results
vm_env="CTEST_TIMEOUT=${KERNELS_TEST_TIMEOUT:-120} KERNELS_ID=$id ${KERNELS_ENV:-}"
t=$(date +%s)
# A kernel that dies before it runs our /init (6.12 under TCG once took a
# fault in enqueue_timer 1.4 s into boot) is booted once more: no test has
# run, so a second boot hides nothing. The first console is kept as
# ID.log.boot-failed.
rm -f "$log.boot-failed"
for boot in 1 2; do
  echo "kernels: $id: booting under ${accel^^} (log: $log)"
  # timeout bounds a hung kernel or test.
  timeout -k 10 "${KERNELS_VM_TIMEOUT:-1200}" "${qemu[@]}" -accel "$accel" "$cpu_opt" "$cpu" -m 2G -smp 2 \
    -display none -monitor none -serial file:"$log.raw" -nic none -no-reboot -kernel "$K/$id/vmlinuz" \
    -initrd "$image" -append "console=$console quiet loglevel=3 panic=-1 $vm_env" < /dev/null
  vm_rc=$?
  tr -d '\r' < "$log.raw" > "$log" && rm -f "$log.raw"
  grep -q '^=== kernels: kernel ' "$log" || [ $boot = 2 ] && break
  mv "$log" "$log.boot-failed"
  echo "kernels: $id: the kernel stopped before /init (qemu exit $vm_rc); booting again. Its console's end:" >&2
  tail -5 "$log.boot-failed" >&2
done
secs=$(secs "$t")

# The lines between the markers.
section() { sed -n "/^=== kernels: BEGIN $1\$/,/^=== kernels: END $1 /p" "$log" | sed '1d;$d'; }
end_of() { sed -n "s/^=== kernels: END $1 rc=\([0-9]*\).*/\1/p" "$log"; }
{
  grep -m1 '^=== kernels: kernel ' "$log" | sed 's/^=== kernels: //'
  section ctests | grep -E '^(PASS|FAIL|SKIP) |^    |^ctests: '
  echo "io_uring_disabled rc=$(end_of io_uring_disabled):"
  section io_uring_disabled | sed 's/^/    /'
  if grep -q '^=== kernels: BEGIN conformance$' "$log"; then
    echo "conformance rc=$(end_of conformance):"
    section conformance | sed 's/^/    /'
  fi
} > "$results"

ct=$(end_of ctests) ud=$(end_of io_uring_disabled) cf=$(end_of conformance)
summary=$(grep -m1 '^ctests: ' "$results" || echo "ctests: no summary")
echo "kernels: $id: $summary; io_uring_disabled rc=${ud:-none}; VM ran ${secs}s"
grep -E '^    (conformance|regression)' "$results" | sed "s/^    /kernels: $id: /"
if [ -z "$ct" ] || [ -z "$ud" ] || { grep -q '^=== kernels: BEGIN conformance$' "$log" && [ -z "$cf" ]; }; then
  echo "kernels: $id: the VM did not finish (qemu exit $vm_rc); the end of $log:" >&2
  tail -30 "$log" >&2
  exit 1
fi
grep '^FAIL ' "$results"
[ "$ct" = 0 ] && { [ "$ud" = 0 ] || [ "$ud" = 77 ]; } && [ "${cf:-0}" = 0 ]
