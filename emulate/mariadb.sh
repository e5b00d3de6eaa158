#!/bin/sh
# Debian's MariaDB server, unmodified, where the kernel refuses io_uring:
# InnoDB's asynchronous page reads and writes (READV and WRITEV SQEs) on a
# ring served by liburing-rs's userspace engine, through a load, a clean
# shutdown, a cold restart and a read-back, with the checksums a server
# without io_uring computes for the same load.
#
#   emulate/mariadb.sh [build-dir]
#
# Exits 0 on success, 77 (skipped) when mariadbd is not installed or not
# built with io_uring, non-zero on failure.
set -eu
name=mariadb
build=$(realpath "${1:-build}")
. "$(dirname "$0")/common.sh"
client mariadbd mariadb-server-core
for p in mariadb-install-db mariadb mariadb-admin; do
  command -v $p >/dev/null || skip "$p is not installed (apt-get install mariadb-server-core mariadb-client)"
done

# A server left running by a failure is stopped (timeout passes the signal
# on, and kills one that hangs 4 minutes after its start) before $work goes.
pid=
trap '[ -z "$pid" ] || { kill $pid; wait $pid; } 2>/dev/null; rm -rf "$work"' EXIT
sock=$work/sock
sql() { timeout 120 mariadb -S "$sock" -uroot --batch "$@"; }

# `serve LOG DATADIR [PREFIX...]`: starts mariadbd on DATADIR, run through
# PREFIX, its error log (with the engine's statistics, printed to stderr) in
# LOG (a name ending in .err, which mariadbd appends otherwise), and waits
# until it takes connections: a private socket, no networking, InnoDB on
# native asynchronous I/O with O_DIRECT and an 8 MiB buffer pool that the
# tables below outgrow, neither saved at shutdown nor reloaded at startup,
# so the read-back reads the disk.
serve() {
  log=$1 dir=$2
  shift 2
  rm -f "$sock"
  timeout -k 5 240 "$@" mariadbd --no-defaults --user="$(id -un)" --datadir="$dir" --socket="$sock" \
    --pid-file="$work/pid" --skip-networking --log-error="$work/$log" --innodb-use-native-aio=1 \
    --innodb-flush-method=O_DIRECT --innodb-buffer-pool-size=8M --innodb-log-file-size=16M \
    --innodb-buffer-pool-dump-at-shutdown=0 --innodb-buffer-pool-load-at-startup=0 2>>"$work/$log" &
  pid=$!
  n=0
  until mariadb-admin -S "$sock" -uroot ping >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null && [ $n -lt 300 ] || { cat "$work/$log" >&2; fail "mariadbd did not start ($log)"; }
    n=$((n + 1))
    sleep 0.1
  done
}

# `shut LOG`: a clean shutdown; the server must exit 0, say so, and have
# logged no error (InnoDB logs every failed I/O and every corrupt page).
shut() {
  timeout 60 mariadb-admin -S "$sock" -uroot shutdown || fail "$1: mariadb-admin shutdown failed"
  rc=0
  wait $pid || rc=$?
  pid=
  [ $rc -eq 0 ] && grep -q 'Shutdown complete' "$work/$1" || { cat "$work/$1" >&2; fail "$1: mariadbd exited $rc"; }
  ! grep -q '\[ERROR\]' "$work/$1" || { cat "$work/$1" >&2; fail "$1: mariadbd logged errors"; }
}

# `engine LOG DATADIR`: serves on the engine.
engine() { serve "$1" "$2" env URING_RS_EMULATE=auto URING_RS_STATS=1 LD_PRELOAD="$lib" "$launcher"; }

# `uring LOG`: after a shutdown, LOG must say that InnoDB used io_uring and
# that the engine served its ring.
uring() {
  grep -q 'InnoDB: Using io_uring' "$work/$1" && grep -q 'emulated by the userspace engine' "$work/$1" ||
    { cat "$work/$1" >&2; fail "$1: InnoDB did not use io_uring on the engine"; }
}

# Tables of 136364 rows (about 60 MiB, with a secondary index) and 2000
# compressed rows of 3 to 30 KiB, inserted, updated and deleted from.
load() {
  sql <<'EOF'
CREATE DATABASE emu;
USE emu;
CREATE TABLE t (id INT PRIMARY KEY, k INT NOT NULL, pad VARCHAR(255) NOT NULL, KEY (k)) ENGINE=InnoDB;
INSERT INTO t SELECT seq, seq * 7919 % 100003, REPEAT(SHA1(seq), 5) FROM seq_1_to_150000;
UPDATE t SET pad = CONCAT('updated ', MD5(id)), k = -k WHERE id % 7 = 0;
DELETE FROM t WHERE id % 11 = 0;
CREATE TABLE z (id INT PRIMARY KEY, body MEDIUMTEXT) ENGINE=InnoDB ROW_FORMAT=COMPRESSED;
INSERT INTO z SELECT seq, REPEAT(CONCAT(seq, ' '), 3000 + seq % 500) FROM seq_1_to_2000;
EOF
}

# `sums OUT`: every row read back, through the clustered and the secondary
# index, and InnoDB's table checksums.
sums() {
  sql >"$work/$1" <<'EOF'
USE emu;
CHECKSUM TABLE t, z EXTENDED;
SELECT COUNT(*), SUM(k), BIT_XOR(CRC32(CONCAT_WS(',', id, k, pad))) FROM t;
SELECT COUNT(*), SUM(k) FROM t FORCE INDEX (k) WHERE k > -1000000;
SELECT COUNT(*), BIT_XOR(CRC32(body)), SUM(LENGTH(body)) FROM z;
EOF
  grep -q '^136364	' "$work/$1" || { cat "$work/$1" >&2; fail "$1: table t does not hold 136364 rows"; }
}

# `same OUT`: OUT's checksums must be those of the load without io_uring.
same() {
  diff -u "$work/want" "$work/$1" >&2 || fail "$1: other checksums than without io_uring"
  echo "$name: $1: the same checksums as without io_uring"
}

mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$work/data" --auth-root-authentication-method=normal \
  --skip-test-db >"$work/install" 2>&1 || { cat "$work/install" >&2; fail "mariadb-install-db failed"; }
cp -a "$work/data" "$work/control-data"

# The control, and the checksums to expect: without the library, where
# io_uring is refused, InnoDB says it cannot set up a ring and falls back
# (to libaio, or to its simulated AIO), so every server below that says it
# uses io_uring ran on the engine.
serve control.err "$work/control-data" "$launcher"
load
sums want
shut control.err
grep -q 'io_uring_queue_init() failed' "$work/control.err" && ! grep -q 'InnoDB: Using io_uring' "$work/control.err" ||
  { cat "$work/control.err" >&2; fail "the control did not fall back from io_uring: it proves nothing"; }

# The load on the engine; the pages InnoDB flushes are WRITEV SQEs, and the
# pages the buffer pool evicted and the scans need again READV SQEs.
engine load.err "$work/data"
load
sums load
same load
shut load.err
uring load.err
at_least load.err writev 2000
at_least load.err readv 1000

# A cold restart on the engine, on the same files: every page the read-back
# needs comes from the disk.
engine restart.err "$work/data"
sums restart
same restart
shut restart.err
uring restart.err
at_least restart.err readv 2000

# What the engine wrote, read back without io_uring.
serve reread.err "$work/data" "$launcher"
sums reread
same reread
shut reread.err
echo "$name: InnoDB on the engine: a load, a cold restart and a read-back with the checksums without io_uring"
