# Sourced. A private apt configuration for one Debian suite, so scripts can
# download packages or sources of another release without touching /etc/apt:
#
#   apt_suite DIR SUITE TYPES [ARCH]  # TYPES: "deb", "deb-src" or "deb deb-src";
#                                     # ARCH: another Debian architecture's packages
#   APT_CONFIG=DIR/apt.conf apt-get download PKG   # or apt-cache, apt-get source
#
# apt_suite writes DIR/apt.conf and DIR/sources.list and runs `apt-get
# update` into DIR unless DIR's index is already there (a second run needs
# no network). The archive's address is the machine's own: the first URI of
# its apt sources that serves a release suite (not -security or -updates).
# Signatures are checked as usual, against debian-archive-keyring.

# The archive URI from /etc/apt/sources.list.d/*.sources (deb822) or
# /etc/apt/sources.list (one-line entries).
apt_archive_uri() {
  local uri
  # A deb822 block counts when one of its suites has no "-" (bookworm, not
  # bookworm-updates).
  uri=$(awk '
    function take() { if (u != "" && r) { print u; exit } u = ""; r = 0 }
    /^[[:space:]]*$/ { take(); next }
    tolower($1) == "uris:" { u = $2 }
    tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i !~ /-/) r = 1 }
    END { take() }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  # One-line entries: deb [options] URI SUITE COMPONENTS.
  [ -n "$uri" ] || uri=$(awk '$1 ~ /^deb(-src)?$/ { sub(/^deb(-src)? +(\[[^]]*\] +)?/, "")
    if ($2 ~ /^[a-z]+$/) { print $1; exit } }' /etc/apt/sources.list 2>/dev/null)
  [ -n "$uri" ] || { echo "apt-suite: no Debian archive in /etc/apt/sources.list{,.d}" >&2; return 1; }
  echo "$uri"
}

apt_suite() {
  local dir=$1 suite=$2 types=$3 arch=${4:-} uri type keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/preferences.d"
  dir=$(cd "$dir" && pwd)
  [ -e "$keyring" ] || { echo "apt-suite: $keyring missing (apt-get install debian-archive-keyring)" >&2; return 1; }
  uri=$(apt_archive_uri) || return 1
  for type in $types; do echo "$type [signed-by=$keyring] $uri $suite main"; done > "$dir/sources.list.new"
  # As root apt would download as the _apt user, who cannot write here.
  cat > "$dir/apt.conf" << EOF
Dir::Etc::sourcelist "$dir/sources.list";
Dir::Etc::sourceparts "-";
Dir::Etc::preferencesparts "$dir/preferences.d";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
Debug::NoLocking "true";
APT::Sandbox::User "root";
Acquire::Languages "none";
EOF
  [ -z "$arch" ] || printf 'APT::Architecture "%s";\nAPT::Architectures { "%s"; };\n' "$arch" "$arch" >> "$dir/apt.conf"
  touch "$dir/status"
  if cmp -s "$dir/sources.list.new" "$dir/sources.list" && [ -e "$dir/updated" ]; then
    rm -f "$dir/sources.list.new"; return 0
  fi
  mv "$dir/sources.list.new" "$dir/sources.list"
  APT_CONFIG=$dir/apt.conf apt-get update -qq || return 1
  touch "$dir/updated"
}
