# Sourced by the check scripts. `need WHAT:PACKAGE ...` succeeds when every
# WHAT (a command, or an absolute path) is there. Missing ones are installed
# from their Debian PACKAGE, but only when running as root in CI (CI is set,
# as .ci/run and CI services do); otherwise it fails with $missing naming
# the packages, and the caller skips that part with `skip`.
need() {
  missing=
  for pair in "$@"; do
    what=${pair%%:*}
    case $what in
      /*) [ -e "$what" ] ;;
      *) command -v "$what" >/dev/null 2>&1 ;;
    esac || missing="$missing ${pair#*:}"
  done
  [ -n "$missing" ] || return 0
  if [ "$(id -u)" = 0 ] && [ -n "${CI:-}" ] && command -v apt-get >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null &&
      missing= && return 0
  fi
  return 1
}

# `skip CHECK WHY`: says that (part of) CHECK cannot run here, and why. For
# a developer that is fine; under CI it fails, so a green CI run means every
# check ran.
skip() {
  echo "$1: skip: $2"
  [ -z "${CI:-}" ] || { echo "$1: FAILED: CI runs every check, and this one could not run"; exit 1; }
}
