#!/bin/sh
# PostgreSQL 18 with io_method=io_uring, unmodified, where the kernel refuses
# io_uring: its regression suite against a temporary server whose rings (one
# per process slot, set up by the postmaster before it forks, used by each
# backend and waited on by others) are all served by liburing-rs's userspace
# engine. Without the library that server refuses to start.
#
#   [PG_LIBURING=rs] emulate/postgresql.sh [build-dir] [test...]
#
# With no tests named, the whole parallel_schedule runs. Debian bookworm has
# no PostgreSQL 18: its Debian source package comes from the first suite in
# $PG_SUITES (trixie-backports forky sid, stablest first) that has it, and
# is built with meson against bookworm's liburing (or with PG_LIBURING=rs
# against ours, see below). Download and build are kept in
# build-dir/postgresql/; a second run reuses them.
# PostgreSQL refuses to run as root, so as root the suite runs as the
# system user $PG_USER (created if missing).
#
# Exits 0 on success, 77 (skipped) when a build dependency cannot be
# installed, non-zero on failure.
set -eu
name=postgresql
build=$(realpath "${1:-build}")
[ $# -eq 0 ] || shift
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/../tools/apt-suite.sh"
pg=$build/postgresql
suites=${PG_SUITES:-trixie-backports forky sid}
user=${PG_USER:-uringrs-pg}

# Build dependencies: the regression suite needs no optional feature but
# liburing; dpkg-dev unpacks the source package.
need="bison flex meson ninja-build pkg-config liburing-dev dpkg-dev debian-archive-keyring perl"
# shellcheck disable=SC2086
dpkg -s $need >/dev/null 2>&1 ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need; } >/dev/null ||
  skip "cannot install $need"

# `timed WHAT CMD...`: runs CMD and says how long it took.
timed() {
  what=$1
  shift
  t0=$(date +%s)
  "$@"
  echo "$name: $what took $(($(date +%s) - t0))s"
}

# The source: postgresql-18 from the first suite of $suites that carries it.
fetch() {
  mkdir -p "$pg/src"
  for suite in $suites; do
    apt_suite "$pg/apt-$suite" "$suite" deb-src >/dev/null || continue
    if APT_CONFIG=$pg/apt-$suite/apt.conf apt-cache showsrc postgresql-18 2>/dev/null | grep -q '^Version:'; then
      (cd "$pg/src" && APT_CONFIG=$pg/apt-$suite/apt.conf apt-get source -qq --download-only postgresql-18)
      rm -rf "$pg/src/pg"
      # apt checked the files against the suite's signed index; dpkg-source
      # says it cannot check the uploader's signature (no debian-keyring).
      dpkg-source -q -x "$pg"/src/postgresql-18_*.dsc "$pg/src/pg" 2>"$pg/src/unpack.log" ||
        { cat "$pg/src/unpack.log" >&2; fail "dpkg-source could not unpack postgresql-18"; }
      return
    fi
  done
  fail "no suite of '$suites' has postgresql-18's source"
}

# What the server is built against: Debian's liburing (2.3), so it links
# liburing.so.2 and sets its rings up with io_uring_queue_init; or, with
# PG_LIBURING=rs, this tree's <liburing.h> and liburing_rs.so.2, so it finds
# io_uring_queue_init_mem and lays every ring out in its own shared memory.
case ${PG_LIBURING:-debian} in
  debian) obj=$pg/obj install=$pg/install pc= libs= ;;
  rs)
    obj=$pg/obj-rs install=$pg/install-rs pc=$pg/pc-rs libs=:$build
    mkdir -p "$pc"
    printf 'Name: liburing\nDescription: liburing-rs\nVersion: 2.15.0\nCflags: -I%s\nLibs: -L%s -luring_rs\n' \
      "$(realpath "$(dirname "$0")/../include")" "$build" >"$pc/liburing.pc"
    ;;
  *) fail "PG_LIBURING is debian or rs, not $PG_LIBURING" ;;
esac

# The server, its tools and the suite's modules, installed into $install.
# -O1 without debug information compiles in half the time -O2 -g takes.
# Configured once; ninja and the install then only redo what changed.
compile() {
  if [ ! -e "$obj/build.ninja" ]; then
    rm -rf "$obj"
    PKG_CONFIG_PATH=$pc meson setup --auto-features=disabled -Dliburing=enabled -Dreadline=disabled -Dzlib=disabled \
      -Ddocs=disabled -Dtap_tests=disabled -Dssl=none -Doptimization=1 -Ddebug=false --prefix=/usr/local/pgsql \
      "$obj" "$pg/src/pg" >"$obj.setup.log" || { tail -20 "$obj.setup.log" >&2; fail "meson setup failed"; }
  fi
  ninja -C "$obj" -j2 >"$obj.log" || { tail -40 "$obj.log" >&2; fail "PostgreSQL did not build"; }
  DESTDIR=$install meson install -C "$obj" --quiet --only-changed --no-rebuild >"$obj.install.log"
}

[ -d "$pg/src/pg" ] || timed download fetch
timed build compile
bin=$install/usr/local/pgsql/bin
# The server and psql need the libpq just built, not the system's (and
# with PG_LIBURING=rs, liburing_rs.so.2 from $build).
export LD_LIBRARY_PATH="$("$bin/pg_config" --libdir)$libs"
ldd "$bin/postgres" | grep -Eq 'liburing(_rs)?\.so\.2' || fail "$bin/postgres is not linked with liburing"

# Whom the server runs as: never root.
as=
if [ "$(id -u)" -eq 0 ]; then
  id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
  as="setpriv --reuid=$user --regid=$user --clear-groups"
  chmod 755 "$work"
fi
[ -z "$as" ] || chown "$user:" "$work"

# The control: a server with io_method=io_uring under the launcher, without
# the library, cannot set its rings up and exits. So the suites below ran on
# rings the engine served, not on any fallback of PostgreSQL's (it has none).
$as "$bin/initdb" -A trust --no-sync --no-instructions -D "$work/control" >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log" >&2; fail "initdb failed"; }
if $as timeout 60 "$launcher" "$bin/postgres" -D "$work/control" -c io_method=io_uring -c listen_addresses= \
  -k "$work" >"$work/control.log" 2>&1; then
  fail "postgres ran io_method=io_uring under $launcher without the library: the control proves nothing"
fi
grep -q 'could not setup io_uring queue' "$work/control.log" ||
  { cat "$work/control.log" >&2; fail "the control failed for another reason"; }

# Built against our header, the server keeps its rings in its own shared
# memory when a test ring set up with io_uring_queue_init_mem works: on the
# engine, `postgres -C shared_memory_size` (in MB) then counts them too.
if [ "${PG_LIBURING:-debian}" = rs ]; then
  size() { $as "$launcher" "$bin/postgres" -D "$work/control" -C shared_memory_size -c io_method=io_uring; }
  plain=$(size)
  rings=$(URING_RS_EMULATE=auto LD_PRELOAD=$lib size)
  [ "$rings" -gt "$plain" ] || fail "shared memory of $rings MB on the engine, $plain MB without: no rings in it"
  echo "$name: the rings live in the server's shared memory ($rings MB with them, $plain MB without)"
fi

# `waits LOG`: how many times LOG's rings were waited on.
waits() {
  sed -n 's/.* stats: enters=.* waits=\([0-9]*\) .*/\1/p' "$work/$1" | awk '{ n += $1 } END { print n + 0 }'
}

# The regression suite, as `meson test --suite regress` runs it, twice,
# against a temporary server with io_method=io_uring, all on the engine:
# - cached: as configured by default, shared buffers hold most of the
#   suite's data, and what is read mostly comes from the page cache, inline
#   at submit;
# - direct: few shared buffers and O_DIRECT data files, so reads that wait
#   for the disk go to the engine's workers and backends wait for them.
# The server's log, PASS/log/postmaster.log, gets the ring statistics of
# every process; the last one of each pass is kept next to $obj. A pass that
# takes more than $PG_TIMEOUT seconds (default 900) fails.
src=$pg/src/pg/src/test/regress
# The thresholds below hold for the whole suite; a few tests need only
# one SQE and one wait.
named=$#
[ $# -gt 0 ] || set -- --schedule "$src/parallel_schedule"
printf 'io_method = io_uring\n' >"$work/cached.conf"
printf 'io_method = io_uring\nshared_buffers = 16MB\ndebug_io_direct = data\n' >"$work/direct.conf"
for pass in cached direct; do
  rc=0
  t0=$(date +%s)
  PATH=$bin:$PATH URING_RS_EMULATE=auto URING_RS_STATS=1 LD_PRELOAD=$lib $as timeout "${PG_TIMEOUT:-900}" "$launcher" \
    "$obj/src/test/regress/pg_regress" --inputdir "$src" --expecteddir "$src" --bindir= \
    --dlpath "$obj/src/test/regress" --max-concurrent-tests=20 --dbname regression --no-locale \
    --outputdir "$work/$pass" --temp-instance "$work/$pass/instance" --temp-config "$work/$pass.conf" "$@" \
    >"$work/$pass.out" 2>&1 || rc=$?
  log=$pass/log/postmaster.log
  cp "$work/$log" "$obj-$pass.log" 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    # A server left behind by a suite that timed out.
    [ ! -e "$work/$pass/instance/data/postmaster.pid" ] ||
      $as "$bin/pg_ctl" -D "$work/$pass/instance/data" stop -m immediate >/dev/null 2>&1 || true
    cat "$work/$pass.out" >&2
    head -200 "$work/$pass/regression.diffs" >&2 2>/dev/null || tail -50 "$work/$log" >&2
    fail "$pass: the regression suite failed on the engine (exit $rc)"
  fi
  grep -q 'note: emulated by the userspace engine' "$work/$log" || fail "$pass: no ring in $log was emulated"
  result=$(tail -1 "$work/$pass.out" | sed 's/^# //; s/\.$//')
  echo "$name: $pass: $result in $(($(date +%s) - t0))s, $(ops "$log" read) read and $(ops "$log" readv) readv SQEs," \
    "$(waits "$log") waits"
done
if [ "$named" -eq 0 ]; then set -- 100 1000 50; else set -- 1 1 1; fi
at_least cached/log/postmaster.log read "$1"
at_least direct/log/postmaster.log readv "$2"
[ "$(waits direct/log/postmaster.log)" -ge "$3" ] || fail "direct: the backends hardly ever waited for I/O"
echo "$name: the regression suite passed on the engine"
