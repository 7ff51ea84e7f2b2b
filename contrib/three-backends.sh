#!/bin/sh
# Three backends on their own addresses: start them, learn their addresses
# from --info-fd, list them, run a command next to one, tear them down.
# Needs root, nsrun and jq.
set -eu
NSRUN=${NSRUN:-nsrun}
BRIDGE=${BRIDGE:-lbtest0}
SUBNET=${SUBNET:-10.99.0.0/24}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for i in 1 2 3; do
	mkfifo "$work/info$i"
	# nsrun writes one JSON object to fd 3 once the network is up, and
	# closes it right before it execs the backend.
	"$NSRUN" --bridge "$BRIDGE" --subnet "$SUBNET" --name "backend$i" \
		--info-fd 3 -- python3 -m http.server 8080 \
		3>"$work/info$i" >/dev/null 2>&1 &
	info=$(cat "$work/info$i")
	[ -n "$info" ] || { echo "backend$i did not start" >&2; exit 1; }
	echo "$info" | jq -r '"\(.name) \(.address) pid \(.pid)"'
	echo "$info" | jq -r .pid >>"$work/pids"
done

"$NSRUN" --list --bridge "$BRIDGE"
"$NSRUN" --join backend1 -- ip -br -4 addr show dev eth0

for i in 1 2 3; do
	"$NSRUN" --rm "backend$i"
done
kill $(cat "$work/pids")
wait
