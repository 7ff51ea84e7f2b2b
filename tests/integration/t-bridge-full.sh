#!/bin/bash
# A bridge at its port limit (1023, the kernel's BR_MAX_PORTS - 1): nsrun
# says so in one line instead of a raw errno, and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
plan 5

mkbridge brfull 10.77.0.1/16
# 1023 ports, made in two batches of ip commands (one netlink socket each).
{
	for i in $(seq 1023); do
		echo "link add fp$i type veth peer name fq$i"
		echo "link set fp$i master brfull"
	done
} >"$NSRT_TMP/batch"
ip -batch "$NSRT_TMP/batch" || exit 1
is "$(ports brfull)" 1023 "the bridge holds 1023 ports"

links_before=$(ip -o link | wc -l)
$NSRUN --bridge brfull -- true 2>"$NSRT_TMP/err"
is "$?" 125 "one more launch: 125"
like "$(cat "$NSRT_TMP/err")" '^nsrun: bridge brfull: no free port for veth nsr0a4d0002 \(a bridge holds at most 1023\)$' "  with one line naming the bridge and the limit"
is "$(ip -o link | wc -l)" "$links_before" "  and no interface left behind"
is "$(cat "$NSRUN_STATE_DIR/brfull.leases" 2>/dev/null | grep -c "^lease ")" 0 "  nor a lease"
done_testing
