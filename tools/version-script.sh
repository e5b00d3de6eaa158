#!/bin/sh
# Writes the linker version script for liburing_rs.so from symbol lists
# (one exported name per line, with the version node it first appeared in):
# symbols.tsv, liburing's names, then symbols-rs.tsv, our own extensions.
# Each node inherits the one before it, as in upstream's map; the first
# node's `local: *` hides every other symbol, Rust's own included.
set -eu
tab=$(printf '\t')
# Sort key: liburing's nodes by minor version, then our own after them.
awk -F'\t' '!/^#/ && NF >= 2 {
    key = 1000; if ($2 ~ /^LIBURING_2\./) { split($2, v, "."); key = v[2] }
    print key "\t" $2 "\t" $1
  }' "$@" |
  sort -t"$tab" -k1,1n -k3,3 |
  awk -F'\t' '
    function close_node() {
      if (node == "") return
      if (prev == "") printf "  local:\n    *;\n};\n"
      else printf "} %s;\n", prev
      prev = node
    }
    $2 != node { close_node(); node = $2; printf "%s {\n  global:\n", node }
    { printf "    %s;\n", $3 }
    END { close_node() }
  '
