#!/bin/sh
# Writes the linker version script for liburing_rs.so from symbols.tsv (one
# exported name per line, with the liburing version node it first appeared
# in). Each node inherits the one before it, as in upstream's map; the first
# node's `local: *` hides every other symbol, Rust's own included.
set -eu
tab=$(printf '\t')
awk -F'\t' '!/^#/ && NF >= 2 { split($2, v, "."); print v[2] "\t" $2 "\t" $1 }' "$1" |
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
