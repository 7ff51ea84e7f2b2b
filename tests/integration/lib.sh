# shellcheck shell=bash
# Sourced by every integration test.  It moves the test into its own
# throw-away *test host* and gives it TAP helpers.
#
# The test host is `unshare --net --mount`: a fresh network namespace (only
# lo, no route out), a private mount namespace with its own tmpfs on /run (so
# /run/netns and /run/nsrun are the test's own) and a fresh /sys.  The real
# host's interfaces, routes, sysctls, firewall and /run are never touched;
# when the test's processes exit, the kernel removes everything it made.
#
# Helpers: plan N, ok DESC CMD..., nok DESC CMD..., is GOT WANT DESC,
# like GOT REGEX DESC, skip DESC, diag MSG, mkbridge NAME CIDR, spawn CMD...
# (background, killed at exit), wait_for DESC CMD... (polls up to 10 s).

set -u
NSRT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NSRUN=${NSRUN:-$NSRT_ROOT/build/nsrun}
export NSRUN

if [ -z "${NSRT_HOST:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP needs root (network and mount namespaces)"
		echo "nsrun tests: SKIPPED $(basename "$0"): not root" >&2
		exit 0
	fi
	if [ ! -x "$NSRUN" ]; then
		echo "1..0 # SKIP $NSRUN not built"
		exit 0
	fi
	export NSRT_HOST=$$
	exec unshare --net --mount --propagation private -- bash "$0" "$@"
fi

# --- inside the test host ------------------------------------------------
mount -t tmpfs -o mode=0755,size=64m nsrt-run /run
mkdir -p /run/netns
umount -l /sys 2>/dev/null
mount -t sysfs sysfs /sys
ip link set lo up

NSRT_TMP=$(mktemp -d /tmp/nsrt.XXXXXX)
export NSRUN_STATE_DIR=$NSRT_TMP/state
NSRT_N=0
NSRT_FAILED=0
NSRT_PIDS=()

nsrt_cleanup() {
	local pid
	for pid in "${NSRT_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	for pid in "${NSRT_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	rm -rf "$NSRT_TMP"
}
trap nsrt_cleanup EXIT

plan() { echo "1..$1"; }
diag() { printf '# %s\n' "$*"; }

_result() { # STATUS DESC
	NSRT_N=$((NSRT_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $NSRT_N - $2"
	else
		echo "not ok $NSRT_N - $2"
		NSRT_FAILED=$((NSRT_FAILED + 1))
	fi
}

# ok DESC CMD...: passes when CMD succeeds.
ok() {
	local desc=$1
	shift
	"$@"
	_result $? "$desc"
}

# nok DESC CMD...: passes when CMD fails.
nok() {
	local desc=$1
	shift
	if "$@"; then _result 1 "$desc"; else _result 0 "$desc"; fi
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then
		_result 0 "$3"
	else
		_result 1 "$3"
		diag "got:  '$1'"
		diag "want: '$2'"
	fi
}

# like GOT ERE DESC
like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		_result 0 "$3"
	else
		_result 1 "$3"
		diag "got:  '$1'"
		diag "want: /$2/"
	fi
}

skip() {
	NSRT_N=$((NSRT_N + 1))
	echo "ok $NSRT_N # SKIP $1"
}

# mkbridge NAME CIDR: a bridge with its address, up.
mkbridge() {
	ip link add "$1" type bridge &&
		ip addr add "$2" dev "$1" &&
		ip link set "$1" up
}

# spawn CMD...: runs CMD in the background; its pid in $!, killed at exit.
spawn() {
	"$@" &
	NSRT_PIDS+=($!)
}

# wait_for CMD...: polls CMD every 20 ms for up to 10 s.
wait_for() {
	local i
	for i in $(seq 500); do
		"$@" && return 0
		sleep 0.02
	done
	return 1
}

# ports BRIDGE: number of interfaces enslaved to BRIDGE.
ports() { ip -o link show master "$1" 2>/dev/null | wc -l; }

# done_testing: exit status reflects failures.
done_testing() { exit $((NSRT_FAILED > 0)); }
