# Sourced by the check scripts. `need WHAT:PACKAGE ...` succeeds when every
# WHAT (a command, or an absolute path) is there. Missing ones are installed
# from their Debian PACKAGE, but only when running as root in CI (CI is set,
# as .ci/run and CI services do); otherwise it fails with $missing naming
# the packages, and the caller skips that part with a message.
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
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } >/dev/null 2>&1 &&
      missing= && return 0
  fi
  return 1
}
