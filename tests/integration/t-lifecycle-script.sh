#!/bin/bash
# README's "Scripting nsrun" script, exactly as the README shows it
# (contrib/three-backends.sh): it runs, and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
plan 8
SCRIPT=$NSRT_ROOT/contrib/three-backends.sh

# The README shows the very file the test runs.
readme=$(awk '/^## Scripting nsrun/ { s = 1 } s && /^```sh$/ { c = 1; next } c && /^```$/ { exit } c' "$NSRT_ROOT/README.md")
is "$readme" "$(cat "$SCRIPT")" "README shows contrib/three-backends.sh verbatim"

if ! command -v jq >/dev/null; then
	echo "Bail out! jq is missing (make deps installs it)"
	exit 1
fi

out=$(NSRUN=$NSRUN BRIDGE=lbtest0 "$SCRIPT" 2>"$NSRT_TMP/err")
is "$?" 0 "the script succeeds"
is "$(cat "$NSRT_TMP/err")" "" "  quietly"
like "$(sed -n 1,3p <<<"$out" | tr '\n' ' ')" \
	'^backend1 10\.99\.0\.2 pid [0-9]+ backend2 10\.99\.0\.3 pid [0-9]+ backend3 10\.99\.0\.4 pid [0-9]+ $' \
	"  it learns the three addresses from --info-fd"
like "$(sed -n 4p <<<"$out")" '^ADDRESS +BRIDGE +STATE +PID +NAME +VETH +AGE +COMMAND$' "  lists them"
like "$(sed -n 5,7p <<<"$out" | awk '{ print $1, $2, $5 }' | tr '\n' ' ')" \
	'^10\.99\.0\.2 lbtest0 backend1 10\.99\.0\.3 lbtest0 backend2 10\.99\.0\.4 lbtest0 backend3 $' "  with their names"
like "$(sed -n 8p <<<"$out")" '^eth0(@if[0-9]+)? +UP +10\.99\.0\.2/24' "  and joins the first"
wait_for test "$(ports lbtest0)" = 0
is "$(ip netns list)/$(ports lbtest0)/$($NSRUN --list --json)" "/0/[]" "it leaves no namespace, port or lease behind"
done_testing
