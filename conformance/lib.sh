# shellcheck shell=bash
# Shared by the conformance scripts (sourced): reading expectations.tsv.
# Each line: test, modes (comma list or "all"), kind, reason.
#   kind fail|skip|timeout  what the test does in ref here (documentation;
#                           the report notes when that stops being true)
#   kind exclude            not built or run in the listed modes
#   kind norun              not run at all in the listed modes
# A "#min" line sets a minimum: #min, name, value, reason.

# The kind expectations.tsv gives test $1 in mode $2, or nothing.
expect_of() {
  awk -F'\t' -v t="$1" -v m="$2" '!/^#/ && $1 == t &&
    ($2 == "all" || index("," $2 ",", "," m ",")) { print $3; exit }' "$EXPECT"
}

# Whether expectations.tsv keeps test $1 out of mode $2.
kept_out() { case $(expect_of "$1" "$2") in exclude|norun) return 0 ;; *) return 1 ;; esac; }

# The minimum expectations.tsv sets for $1 (its "#min" line), or 0.
minimum_of() {
  awk -F'\t' -v k="$1" '$1 == "#min" && $2 == k { v = $3 } END { print v + 0 }' "$EXPECT"
}

# conformance/emulated.tsv, for emu mode (report-emulated.sh): test, what it
# does emulated (pass: it must pass; fail, skip, timeout), reason category,
# detail. The outcome it gives test $1, or nothing.
emulated_of() {
  awk -F'\t' -v t="$1" '!/^#/ && $1 == t { print $2; exit }' "$(dirname "$EXPECT")/emulated.tsv"
}
