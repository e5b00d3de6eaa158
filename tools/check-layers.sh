#!/bin/sh
# The crate's modules depend one way only: each top-level module of src/
# may name (crate::X) only the modules listed for it below. An edge not
# listed, sideways or upward, fails the check.
set -eu
cd "$(dirname "$0")/../src"

allowed() {
	case $1 in
	sys) echo "" ;;
	prep | recvmsg_out | emu) echo "sys" ;;
	ring) echo "emu prep sys" ;;
	register | trace) echo "ring prep sys" ;;
	capi) echo "register trace ring emu prep recvmsg_out sys" ;;
	*) echo "?" ;;
	esac
}

bad=0
for path in */ *.rs; do
	m=${path%/}
	m=${m%.rs}
	case $m in lib | layout_tests) continue ;; esac
	ok=$(allowed "$m")
	if [ "$ok" = "?" ]; then
		echo "check-layers: src/$path is a module tools/check-layers.sh does not place"
		bad=1
		continue
	fi
	# Paths this check cannot read: name one module per crate:: path.
	if grep -rnE '^[^/]*(crate::\{|super::super)' "$path"; then
		echo "check-layers: write crate::module::item paths in src/$path"
		bad=1
	fi
	# Every crate::X named in the module, outside comments.
	used=$(grep -rhoE '^[^/]*crate::[a-z_]+' "$path" | sed -E 's/.*crate::([a-z_]+)$/\1/' | sort -u)
	for u in $used; do
		[ "$u" = "$m" ] && continue
		case " $ok " in *" $u "*) continue ;; esac
		echo "check-layers: $m uses crate::$u, which is not below it:"
		grep -rnE "^[^/]*crate::$u\b" "$path" | sed 's/^/  src\//'
		bad=1
	done
done
[ $bad -eq 0 ] && echo "check-layers: every module depends only on the layers below it"
exit $bad
