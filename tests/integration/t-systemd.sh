#!/bin/bash
# contrib/systemd: the template unit passes systemd-analyze verify, and its
# ExecStart line, expanded as systemd expands it with the example
# /etc/nsrun/web1.conf, starts a backend that answers HTTP at its --ip.
. "$(dirname "$0")/lib.sh"
UNIT=$NSRT_ROOT/contrib/systemd/nsrun@.service
CONF=$NSRT_ROOT/contrib/systemd/web1.conf
plan 5

# systemd looks nsrun up in its fixed search path: put it there, in this
# test host's own mount namespace only.
mount -t tmpfs nsrt-bin /usr/local/bin
cp "$NSRUN" /usr/local/bin/nsrun
mkdir "$NSRT_TMP/units"
cp "$UNIT" "$NSRT_TMP/units/"
out=$(cd "$NSRT_TMP/units" && systemd-analyze verify --man=no "$NSRT_TMP/units/nsrun@web1.service" 2>&1)
is "$?/$out" "0/" "systemd-analyze verify accepts nsrun@web1.service"

is "$(sed -n 's/^EnvironmentFile=//p' "$UNIT")" "/etc/nsrun/%i.conf" "one configuration file per instance"
# systemd's expansion: a word that is exactly \$VAR becomes VAR's value split
# on whitespace; everything else stays as it is.
declare -A env
while IFS='=' read -r k v; do
	case $k in '' | '#'*) continue ;; esac
	env[$k]=$v
done <"$CONF"
set -f
read -ra words <<<"$(sed -n 's/^ExecStart=//p' "$UNIT")"
argv=()
for w in "${words[@]}"; do
	if [[ $w =~ ^\$([A-Za-z_][A-Za-z0-9_]*)$ ]]; then
		read -ra split <<<"${env[${BASH_REMATCH[1]}]}"
		argv+=("${split[@]}")
	else
		argv+=("$w")
	fi
done
set +f
is "${argv[*]}" "nsrun --ip 10.47.0.11 -- python3 -m http.server --bind 0.0.0.0 80" "ExecStart with web1.conf"

argv[0]=/usr/local/bin/nsrun
spawn "${argv[@]}" >"$NSRT_TMP/web1.out" 2>&1
get() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://10.47.0.11/", timeout=2).status)' 2>/dev/null
}
wait_for get >/dev/null
is "$(get)" 200 "the instance's backend answers HTTP at 10.47.0.11"
like "$(ip -o link show master nsrun0)" 'nsr0a2f000b' "  from its own namespace on the bridge"

done_testing
