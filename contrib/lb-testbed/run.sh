#!/bin/bash
# A load-balancer test bed in one command (as root):
#
#     contrib/lb-testbed/run.sh
#
# Three HTTP backends, each started by nsrun in its own network namespace
# with its own address, behind a real load balancer: nftables on the host
# side of the bridge, DNAT of a VIP round robin (numgen) to the backends.  A
# client in a fourth namespace, on another bridge, sends requests to the VIP;
# the table shows what the balancer sent each backend (its counters) and
# what came back (answers, latency).  Then one backend is restarted lossy
# (--loss), then rate-limited (--rate), and the same load shows the effect.
#
# Everything runs in a throw-away "test host" (unshare --net --mount, a
# private /run and /sys), so the machine's own network is never touched and
# nothing is left behind: when the script ends, its namespaces, bridges and
# nftables table go with it.
#
# Environment: NSRUN (the binary; default: build/nsrun of this tree, else
# nsrun in PATH), REQUESTS (300), CONCURRENCY (10), LOSS (20, percent per
# direction), RATE (1mbit), SIZE (4096, bytes per answer).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${NSRUN:-}" ]; then
	if [ -x "$HERE/../../build/nsrun" ]; then
		NSRUN=$(cd "$HERE/../../build" && pwd)/nsrun
	else
		NSRUN=$(command -v nsrun || true)
	fi
fi
REQUESTS=${REQUESTS:-300}
CONCURRENCY=${CONCURRENCY:-10}
LOSS=${LOSS:-20}
RATE=${RATE:-1mbit}
SIZE=${SIZE:-4096}

die() { echo "lb-testbed: $*" >&2; exit 1; }

if [ -z "${LBT_INSIDE:-}" ]; then
	[ "$(id -u)" = 0 ] || die "needs root (network namespaces, nftables)"
	[ -n "$NSRUN" ] && [ -x "$NSRUN" ] || die "nsrun not found (build it with make, or set NSRUN)"
	for tool in nft ip python3 unshare; do
		command -v "$tool" >/dev/null || die "$tool not found"
	done
	export NSRUN LBT_INSIDE=1
	exec unshare --net --mount --propagation private -- bash "${BASH_SOURCE[0]}" "$@"
fi

# --- inside the throw-away test host ------------------------------------
mount -t tmpfs -o mode=0755,size=16m lbt-run /run
umount -l /sys 2>/dev/null || true
mount -t sysfs sysfs /sys
ip link set lo up
export NSRUN_STATE_DIR=/run/nsrun
TMP=$(mktemp -d /tmp/lb-testbed.XXXXXX)
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

VIP=10.90.0.100
NAMES=(b1 b2 b3)
ADDRS=(10.80.0.11 10.80.0.12 10.80.0.13)
declare -A PID_OF

# start_backend I [NSRUN OPTION...]: backend I on the backends' bridge.
start_backend() {
	local i=$1
	shift
	: >"$TMP/${NAMES[i]}.out"
	"$NSRUN" --bridge lbback --subnet 10.80.0.0/24 --ip "${ADDRS[i]}" "$@" -- \
		python3 "$HERE/backend.py" "${NAMES[i]}" 80 "$SIZE" >"$TMP/${NAMES[i]}.out" &
	PID_OF[$i]=$!
	PIDS+=($!)
	for _ in $(seq 500); do
		grep -q ready "$TMP/${NAMES[i]}.out" && return 0
		kill -0 "${PID_OF[$i]}" 2>/dev/null || die "backend ${NAMES[i]} did not start"
		sleep 0.02
	done
	die "backend ${NAMES[i]} did not get ready"
}

# stop_backend I: stops backend I and waits for the kernel to remove its
# namespace's veth (nsr + its address in hex), so that its address is free
# again.  Connections still retransmitting over a lossy link can hold the
# dying namespace's device for seconds.
stop_backend() {
	local veth
	veth=$(printf 'nsr%02x%02x%02x%02x' ${ADDRS[$1]//./ })
	kill "${PID_OF[$1]}"
	wait "${PID_OF[$1]}" 2>/dev/null || true
	for _ in $(seq 1500); do
		[ -e "/sys/class/net/$veth" ] || return 0
		sleep 0.02
	done
	die "backend ${NAMES[$1]}: its veth $veth is still there after 30 s"
}

# The balancer: forwarding on, and the VIP DNATed round robin.  A counter per
# backend counts the connections it was sent (nat chains see only the first
# packet of a connection, retransmitted SYNs included in it).
balancer() {
	echo 1 >/proc/sys/net/ipv4/ip_forward
	nft -f - <<EOF
table ip lbtestbed {
	counter b1 {}
	counter b2 {}
	counter b3 {}
	chain prerouting {
		type nat hook prerouting priority dstnat;
		ip daddr $VIP tcp dport 80 dnat to numgen inc mod 3 map { 0 : ${ADDRS[0]}, 1 : ${ADDRS[1]}, 2 : ${ADDRS[2]} }
	}
	chain postrouting {
		type nat hook postrouting priority srcnat;
		ip daddr ${ADDRS[0]} tcp dport 80 counter name b1
		ip daddr ${ADDRS[1]} tcp dport 80 counter name b2
		ip daddr ${ADDRS[2]} tcp dport 80 counter name b3
	}
}
EOF
}

sent() { nft list counter ip lbtestbed "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
reset_counters() { nft reset counters table ip lbtestbed >/dev/null; }

# round TITLE: REQUESTS requests from a client namespace, then the table.
round() {
	local spec=() i
	echo
	echo "== $1 =="
	echo "$REQUESTS requests to $VIP:80, $CONCURRENCY at a time, 2 s timeout each"
	reset_counters
	"$NSRUN" --bridge lbfront --subnet 10.81.0.0/24 -- \
		python3 "$HERE/client.py" load "$VIP" 80 "$REQUESTS" "$CONCURRENCY" 2 >"$TMP/results"
	for i in 0 1 2; do spec+=("${NAMES[i]}=${ADDRS[i]}=$(sent "${NAMES[i]}")"); done
	python3 "$HERE/client.py" report "$TMP/results" "${spec[@]}"
}

echo "nsrun: $NSRUN ($("$NSRUN" --version))"
for i in 0 1 2; do start_backend "$i"; done
balancer
echo "backends: ${NAMES[*]} at ${ADDRS[*]} (bridge lbback, 10.80.0.0/24)"
echo "balancer: nftables DNAT $VIP:80 -> numgen inc mod 3; client on bridge lbfront (10.81.0.0/24)"

round "1. three healthy backends"

stop_backend 2
start_backend 2 --loss "$LOSS"
round "2. b3 restarted with --loss $LOSS (each direction)"

stop_backend 2
start_backend 2 --rate "$RATE"
round "3. b3 restarted with --rate $RATE ($SIZE-byte answers)"
