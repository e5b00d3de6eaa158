#!/bin/sh
# Checks the man pages: every function the library exports, and every one
# the headers declare, has a section 3 page; every page (and liburing-rs.7)
# formats without a troff warning and has a NAME line whatis can read; a few
# render with man(1) to what the headers say.
# Usage: check-man.sh LIBRARY MANDIR (the build's, holding man3/).
set -eu
so=$1 man=$2
here=$(cd "$(dirname "$0")" && pwd); top=$(dirname "$here")
. "$here/need.sh"
fail() { echo "check-man: $*"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Pages for the exported functions (from the dynamic symbol table) and for
# the declared ones (every "name(" that opens a prototype line).
nm -D --defined-only "$so" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u > "$tmp/exported"
sed -n 's/^[A-Za-z_][A-Za-z0-9_ *]*[ *]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' \
  "$top/include/liburing/decls.h" "$top/include/liburing/rs.h" | sort -u > "$tmp/declared"
[ -s "$tmp/exported" ] && [ -s "$tmp/declared" ] || fail "no functions found"
for f in $(sort -u "$tmp/exported" "$tmp/declared"); do
  [ -f "$man/man3/$f.3" ] || echo "$f" >> "$tmp/nopage"
done
[ ! -s "$tmp/nopage" ] || fail "functions without a page: $(tr '\n' ' ' < "$tmp/nopage")"
! grep -l 'Not documented yet' "$man"/man3/*.3 > "$tmp/undoc" ||
  fail "functions without a doc comment: $(sed 's|.*/||; s|\.3$||' "$tmp/undoc" | tr '\n' ' ')"

if ! need groff:groff-base man:man-db lexgrog:man-db; then
  skip check-man "formatting checks: install$missing"
  exit 0
fi
groff -ww -z -man "$man"/man3/*.3 "$top/man/liburing-rs.7" > "$tmp/warn" 2>&1 || true
[ ! -s "$tmp/warn" ] || fail "troff warnings: $(head -20 "$tmp/warn")"
lexgrog "$man"/man3/*.3 "$top/man/liburing-rs.7" > "$tmp/whatis" || true
# Each line reads `PATH: "NAME - description"`; NAME must be the page's.
bad=$(awk '{ page = $1; sub(/.*\//, "", page); sub(/\.[37]:$/, "", page)
             if ($2 != "\"" page || $3 != "-" || NF < 4) print $1 }' "$tmp/whatis")
[ -z "$bad" ] || fail "pages whatis cannot read: $bad"

# Renders page $1 at 80 columns into $tmp/page, failing on any warning.
render() {
  MANWIDTH=80 man --warnings -l "$1" > "$tmp/page" 2> "$tmp/err" || fail "man -l $1 failed"
  [ ! -s "$tmp/err" ] || fail "man warns on $1: $(cat "$tmp/err")"
  grep -q '`\|^#\|# Safety' "$tmp/page" && fail "markdown left in $1" || true
}
# Checks the rendered page contains the fixed string $1.
has() { grep -qF -- "$1" "$tmp/page" || fail "$page lacks \"$1\""; }

page=$man/man3/io_uring_submit.3
render "$page"
has 'io_uring_submit - submits the prepared SQEs'
has '#include <liburing.h>'
has 'int io_uring_submit(struct io_uring *ring);'
has 'Returns how many were submitted, or -errno.'
has 'Safety'
has 'liburing-rs(7)'

# A prototype too long for one line, and a cross-reference.
page=$man/man3/io_uring_wait_cqes.3
render "$page"
has 'int io_uring_wait_cqes(struct io_uring *ring,'
has '                       sigset_t *sigmask);'
has 'io_uring_wait_cqe(3), liburing-rs(7)'

# Our extension, documented in its own header.
page=$man/man3/io_uring_rs_get_stats.3
render "$page"
has '#include <liburing/rs.h>'
has 'size_t size);'
has 'URING_RS_STATS'

page=$top/man/liburing-rs.7
render "$page"
for s in URING_RS_TRACE URING_RS_STATS LIBURING_RS_NO_INLINE 'make install-compat' LD_PRELOAD \
         -EFAULT -EBADF io_uring_rs_get_stats 'find_package(liburing-rs'; do
  has "$s"
done
echo "check-man: ok ($(wc -l < "$tmp/exported") exported functions, $(ls "$man"/man3/*.3 | wc -l) pages)"
