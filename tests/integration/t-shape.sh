#!/bin/bash
# Link shaping: --rate measured by bulk TCP both ways, --loss counted by
# ping and by one-way UDP, --delay by RTT where the kernel has netem and as
# a clean refusal where it has not; qdiscs on both ends, out of the
# target's reach; bad values refused.
. "$(dirname "$0")/lib.sh"
SHAPE=$NSRT_ROOT/tests/integration/shape.py
plan 25

mkbridge br1 192.168.1.10/24

# host_end ADDR: the bridge port of the namespace at ADDR.
host_end() { printf 'nsr%02x%02x%02x%02x' ${1//./ }; }
# mbit BYTES SECONDS
mbit() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b * 8 / s / 1e6 }'; }
# within X LO HI
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }
# ping_loss ADDR: percent of 200 pings lost.
ping_loss() {
	ping -n -q -c 200 -i 0.005 -W 1 "$1" | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p'
}
# answers ADDR: one ping comes back.
answers() { ping -n -q -c 1 -W 1 "$1" >/dev/null; }
# ping_rtt ADDR N: min/avg of N pings, in ms ("min avg").
ping_rtt() {
	ping -n -q -c "$2" -i 0.05 -W 2 "$1" | sed -n 's|^rtt [^=]*= \([0-9.]*\)/\([0-9.]*\)/.*|\1 \2|p'
}

# --- the qdiscs, on both ends ------------------------------------------
fifo=$NSRT_TMP/up
mkfifo "$fifo"
spawn $NSRUN --bridge br1 --ip 192.168.1.20 --rate 10mbit --loss 30 -- \
	sh -c "tc qdisc show dev eth0; tc filter show dev eth0 egress; echo done >$fifo; exec sleep 600" \
	>"$NSRT_TMP/inside"
read -r _ <"$fifo"
inside=$(cat "$NSRT_TMP/inside")
like "$inside" 'qdisc tbf 2: root .*rate 10Mbit burst 6250b' "--rate: tbf on eth0, 5 ms of burst at the rate"
like "$inside" 'bpf .*nsrun_loss direct-action' "--loss: the dropper on eth0's egress (no netem here)"
host=$(host_end 192.168.1.20)
like "$(tc qdisc show dev "$host")" 'qdisc tbf 2: root .*rate 10Mbit' "--rate: tbf on the host end too"
like "$(tc filter show dev "$host" egress)" 'nsrun_loss direct-action' "--loss: and the dropper"
out=$($NSRUN --bridge br1 --rate 10mbit -- sh -c 'tc qdisc del dev eth0 root 2>&1; tc qdisc show dev eth0')
like "$out" 'qdisc tbf 2: root' "the target cannot remove its shaping (no CAP_NET_ADMIN)"

# --- --rate, by bulk TCP ---------------------------------------------------
# 1.25 MB is one second at 10mbit; frames carry ~4% of headers.
spawn $NSRUN --bridge br1 --ip 192.168.1.21 --rate 10mbit -- \
	python3 "$SHAPE" source 0.0.0.0 9000 1250000 >"$NSRT_TMP/src"
wait_for grep -q listening "$NSRT_TMP/src"
set -- $(python3 "$SHAPE" fetch 192.168.1.21 9000)
down=$(mbit "$1" "$2")
is "$1" 1250000 "download: all bytes arrive"
ok "download at --rate 10mbit: $down Mbit/s, within 5..12" within "$down" 5 12

$NSRUN --bridge br1 --ip 192.168.1.22 --rate 10mbit -- \
	python3 "$SHAPE" sink 0.0.0.0 9000 >"$NSRT_TMP/sink" &
sink=$!
wait_for grep -q listening "$NSRT_TMP/sink"
python3 "$SHAPE" push 192.168.1.22 9000 1250000
wait "$sink"
set -- $(sed -n 2p "$NSRT_TMP/sink")
up=$(mbit "$1" "$2")
is "$1" 1250000 "upload: all bytes arrive"
ok "upload at --rate 10mbit: $up Mbit/s, within 5..12 (the host end is shaped)" within "$up" 5 12

spawn $NSRUN --bridge br1 --ip 192.168.1.23 -- \
	python3 "$SHAPE" source 0.0.0.0 9000 12500000 >"$NSRT_TMP/src2"
wait_for grep -q listening "$NSRT_TMP/src2"
set -- $(python3 "$SHAPE" fetch 192.168.1.23 9000)
free=$(mbit "$1" "$2")
ok "unshaped download: $free Mbit/s, above 50 (the measurement sees the shaping)" within "$free" 50 1e9

# --- --loss ------------------------------------------------------------------
# Per direction: a ping and its reply cross two lossy ends, 1-0.7^2 = 51%.
# ARP crosses them too: a first answered ping primes both neighbour caches,
# so what is counted is the dropper alone.
spawn $NSRUN --bridge br1 --ip 192.168.1.30 --loss 30 -- sleep 600
spawn $NSRUN --bridge br1 --ip 192.168.1.31 -- sleep 600
ok "--loss 30: a first ping gets through" wait_for answers 192.168.1.30
wait_for answers 192.168.1.31
lost=$(ping_loss 192.168.1.30)
ok "--loss 30: $lost% of 200 pings lost, within 36..66 (51% expected: both ways)" within "${lost:-x}" 36 66
lost=$(ping_loss 192.168.1.31)
is "$lost" 0 "unshaped: no ping lost"
# One way: 1000 datagrams into the namespace, through the host end's dropper.
spawn $NSRUN --bridge br1 --ip 192.168.1.32 --loss 30 -- python3 "$SHAPE" udp-count 0.0.0.0 9001 >"$NSRT_TMP/udp"
counter=$!
wait_for grep -q listening "$NSRT_TMP/udp"
wait_for answers 192.168.1.32
python3 "$SHAPE" udp-send 192.168.1.32 9001 1000
wait "$counter"
got=$(sed -n 2p "$NSRT_TMP/udp")
ok "--loss 30 one way: $((1000 - got)) of 1000 datagrams lost, within 200..400" within "$((1000 - got))" 200 400
out=$($NSRUN --bridge br1 --loss 100 -- python3 "$NSRT_ROOT/tests/integration/tcp.py" connect 192.168.1.10 1 2>&1)
like "$out" 'timed out' "--loss 100: nothing gets through"

# --- --delay: netem, or a refusal before anything exists -------------------------
if tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then
	tc qdisc del dev lo root
	diag "this kernel has netem"
	spawn $NSRUN --bridge br1 --ip 192.168.1.40 --delay 50 -- sleep 600
	wait_for answers 192.168.1.40
	set -- $(ping_rtt 192.168.1.40 10)
	ok "--delay 50: RTT min $1 ms >= 100 (50 each way)" within "${1:-0}" 100 1e9
	set -- $(ping_rtt 192.168.1.31 10)
	ok "unshaped: RTT min $1 ms < 50" within "${1:-999}" 0 49.999
	spawn $NSRUN --bridge br1 --ip 192.168.1.41 --delay 50 --jitter 10 -- sleep 600
	wait_for answers 192.168.1.41
	set -- $(ping_rtt 192.168.1.41 20)
	ok "--delay 50 --jitter 10: RTT min $1 ms >= 80" within "${1:-0}" 80 1e9
	like "$(tc qdisc show dev "$(host_end 192.168.1.40)")" 'qdisc netem 1: root .*delay 50ms' "  netem on the host end"
	spawn $NSRUN --bridge br1 --ip 192.168.1.42 --delay 20 --rate 10mbit --loss 1 -- sleep 600
	wait_for answers 192.168.1.42
	like "$(tc qdisc show dev "$(host_end 192.168.1.42)" | tr '\n' ' ')" 'netem 1: root .*loss 1% .*tbf 2: parent 1:1 ' "  tbf under netem with --rate"
	ok "  netem carries the loss: no bpf filter" test -z "$(tc filter show dev "$(host_end 192.168.1.42)" egress)"
else
	diag "this kernel has no netem (CONFIG_NET_SCH_NETEM)"
	# Settled first: the three namespaces still running (.20, .30, .31).
	wait_for test "$(ports br1)" = 3
	ports_before=$(ports br1)
	leases_before=$(cat "$NSRUN_STATE_DIR/br1.leases")
	$NSRUN --bridge br1 --delay 50 -- true 2>"$NSRT_TMP/err"
	is "$?" 125 "--delay without netem: 125"
	is "$(cat "$NSRT_TMP/err")" "nsrun: --delay: this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM); --rate and --loss work without it" "  one line naming the missing kernel feature"
	$NSRUN --delay 50 --jitter 10 -- true 2>/dev/null
	is "$?" 125 "--delay --jitter without netem: 125"
	nok "  before anything: the default bridge was not created" test -e /sys/class/net/nsrun0
	is "$(ports br1)/$(cat "$NSRUN_STATE_DIR/br1.leases")" "$ports_before/$leases_before" "  no port, no lease"
	ok "  nor a state directory for the default bridge" test ! -e "$NSRUN_STATE_DIR/nsrun0.leases"
fi

# --- bad values: 125 and one line -------------------------------------------------
$NSRUN --rate abc -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --rate abc: not a rate (a number and a unit: 500kbit, 10mbit, 1gbit, 125kbps)" "--rate abc: 125"
$NSRUN --rate 10 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --rate 10: no unit (write 10mbit, 500kbit, 1gbit; bps for bytes per second)" "--rate 10: 125, a unit is required"
$NSRUN --loss 101 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --loss 101: out of range (0 to 100)" "--loss 101: 125"
$NSRUN --delay soon -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --delay soon: not a time in milliseconds (e.g. 50, 0.5, or with a unit: 250us, 20ms, 1s)" "--delay soon: 125"

done_testing
