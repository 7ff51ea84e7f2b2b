#!/bin/bash
# --nat and --nat-off: masquerade through an "uplink" namespace that plays
# the internet and has no route back to the bridges, so only masquerading
# makes replies come back; idempotence, concurrency, removal per bridge,
# errors; and the README's "connectivity all the way" picture.
#
# The real host's ip_forward is read through a descriptor opened before the
# test moves into its test host (a sysctl file stays bound to the namespace
# it was opened in), so the test proves it never changed.
[ -n "${NSRT_HOST:-}" ] || exec 9</proc/sys/net/ipv4/ip_forward
. "$(dirname "$0")/lib.sh"
TCP=$NSRT_ROOT/tests/integration/tcp.py
plan 51

outer_fwd() { python3 -c 'import os; print(os.pread(9, 8, 0).decode().strip())'; }
fwd() { cat /proc/sys/net/ipv4/ip_forward; }
# masq BRIDGE: masquerade rules for BRIDGE's traffic, in the whole ruleset.
masq() { nft list ruleset | grep -c "oifname != \"$1\" counter packets [0-9]* bytes [0-9]* masquerade"; }
# tagged BRIDGE: rules carrying nsrun's comment for BRIDGE.
tagged() { nft list ruleset | grep -c "comment \"nsrun $1 "; }
tables() { nft list tables | tr '\n' ' '; }
# reach BRIDGE [nsrun options]: what the uplink's server says to a namespace
# (why not, on stderr).
reach() {
	local br=$1
	shift
	$NSRUN --bridge "$br" "$@" -- python3 "$TCP" connect 203.0.113.1 8080 2>"$NSRT_TMP/reach.err" && return
	echo "reach $br $*: $(cat "$NSRT_TMP/reach.err")" >&2
	return 1
}

host_fwd_before=$(outer_fwd)

mkbridge br1 192.168.1.10/24
mkbridge br2 192.168.2.10/24
# The internet: 203.0.113.1 in its own namespace, no route to 192.168.0.0/16.
ip netns add uplink
ip link add up0 type veth peer name up1 netns uplink
ip addr add 203.0.113.2/24 dev up0
ip link set up0 up
ip -n uplink addr add 203.0.113.1/24 dev up1
ip -n uplink link set up1 up
ip -n uplink link set lo up
spawn ip netns exec uplink env TCP_NAME=internet python3 "$TCP" serve 203.0.113.1 8080 1000 >"$NSRT_TMP/uplink"
wait_for grep -q listening "$NSRT_TMP/uplink"
is "$(ip -n uplink -4 route | grep -c 192.168)" 0 "the uplink has no route back to the bridges"

# Without --nat: nothing about netfilter or forwarding changes.
is "$(fwd)" 0 "ip_forward is 0 in a fresh test host"
out=$(reach br1)
is "$?/$out" "1/" "without --nat the uplink is unreachable from a namespace"
is "$(fwd)/$(tables)" "0/" "  and neither ip_forward nor nftables was touched"

# --nat: masqueraded to the test host's uplink address.
$NSRUN -v --bridge br1 --nat -- python3 "$TCP" connect 203.0.113.1 8080 >"$NSRT_TMP/out" 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/out")" "0/internet 203.0.113.2" "with --nat the uplink answers and sees 203.0.113.2 (masqueraded)"
like "$(cat "$NSRT_TMP/err")" "nat br1: added masquerade and forward rules for 192\.168\.1\.0/24 in table ip nsrun" "  -v says the rules were added"
like "$(cat "$NSRT_TMP/err")" "nat br1: IPv4 forwarding turned on" "  -v says forwarding was turned on"
like "$(cat "$NSRT_TMP/err")" "step nat [0-9.]+ us" "  -v times the nat step"
is "$(fwd)" 1 "ip_forward is 1 in the test host"
is "$(outer_fwd)" "$host_fwd_before" "  the real host's ip_forward is untouched"
is "$(masq br1)/$(tagged br1)" "1/3" "one masquerade rule for br1, three tagged rules"
like "$(nft list chain ip nsrun postrouting-br1)" 'type nat hook postrouting priority srcnat; policy accept;' "  in a nat base chain at srcnat"
like "$(nft list chain ip nsrun postrouting-br1)" 'ip saddr 192\.168\.1\.0/24 oifname != "br1" counter packets [1-9][0-9]* bytes [0-9]+ masquerade' "  masquerading the bridge's subnet, and it counted"
like "$(nft list chain ip nsrun forward-br1)" 'iifname "br1" oifname != "br1" ip saddr 192\.168\.1\.0/24 counter packets [1-9]' "  forward: subnet out accepted (and counted)"
like "$(nft list chain ip nsrun forward-br1)" 'oifname "br1" ip daddr 192\.168\.1\.0/24 ct state established,related counter packets [1-9]' "  forward: established/related back accepted (and counted)"

out=$($NSRUN -v --bridge br1 --nat -- true 2>&1)
like "$out" "nat br1: masquerade and forward rules for 192\.168\.1\.0/24 already present" "a second --nat finds the rules present"
like "$out" "nat br1: IPv4 forwarding already on" "  and forwarding already on"

# Ten sequential launches: still one set.
fails=0
for i in $(seq 10); do $NSRUN --bridge br1 --nat -- true || fails=$((fails + 1)); done
is "$fails/$(masq br1)/$(tagged br1)" "0/1/3" "10 sequential --nat launches leave one rule set"

# Forwarding on already and /proc/sys read-only (as in a container): fine.
unshare --mount sh -c 'mount -o bind,ro /proc/sys /proc/sys && exec "$@"' _ \
	$NSRUN --bridge br1 --nat -- true
is "$?/$(masq br1)" "0/1" "--nat with forwarding on and a read-only /proc/sys"

# Ten concurrent *first* launches, twice: all race the empty table, held at
# a start line (a shared flock the test holds exclusively).  The second time
# each has its own state directory, so no lease lock orders them: only the
# batch's own idempotence keeps the rules single.
for round in shared own; do
	$NSRUN --nat-off --bridge br1
	is "$(tables)/$(tagged br1)" "/0" "--nat-off of the only bridge removes its rules and the table"
	exec 8>"$NSRT_TMP/start"
	flock -x 8
	for i in $(seq 10); do
		sd=()
		[ $round = own ] && sd=(--state-dir "$NSRT_TMP/state.$i")
		flock -s "$NSRT_TMP/start" $NSRUN -v "${sd[@]}" --bridge br1 --ip 192.168.1.$((100 + i)) --nat -- true 2>"$NSRT_TMP/c.$i" 8>&- &
		pids[i]=$!
	done
	sleep 0.3
	exec 8>&-
	fails=0
	for i in $(seq 10); do wait "${pids[i]}" || fails=$((fails + 1)); done
	is "$fails" 0 "10 concurrent first --nat launches succeed ($round state directory)"
	is "$(masq br1)/$(tagged br1)" "1/3" "  and leave exactly one rule set"
	diag "$(cat "$NSRT_TMP"/c.* | grep -c 'added masquerade') of 10 sent the batch, $(cat "$NSRT_TMP"/c.* | grep -c 'already present') found it present"
done
out=$(reach br1)
is "$out" "internet 203.0.113.2" "  which works"

# Rules tampered with (a stray rule in nsrun's chain) are replaced whole.
nft add rule ip nsrun postrouting-br1 masquerade
out=$($NSRUN -v --bridge br1 --nat -- true 2>&1)
like "$out" "nat br1: replaced masquerade and forward rules" "a damaged rule set is replaced"
is "$(nft list chain ip nsrun postrouting-br1 | grep -c masquerade)" 1 "  by exactly one set"

# A second bridge gets its own chains; turning one off leaves the other.
out=$(reach br2 --nat)
is "$out" "internet 203.0.113.2" "a second bridge with --nat reaches the uplink"
is "$(masq br1)/$(masq br2)/$(tagged br2)" "1/1/3" "  with its own rule set"
$NSRUN -v --nat-off --bridge br1 2>"$NSRT_TMP/err"
is "$?" 0 "--nat-off --bridge br1: exit 0"
like "$(cat "$NSRT_TMP/err")" "nat br1: removed its chains postrouting-br1 forward-br1" "  -v says what it removed"
like "$(cat "$NSRT_TMP/err")" "table ip nsrun kept: not empty" "  and that the table stays for br2"
is "$(masq br1)/$(tagged br1)/$(masq br2)/$(tagged br2)" "0/0/1/3" "br1's rules are gone, br2's remain"
is "$(reach br2)" "internet 203.0.113.2" "  br2 still reaches the uplink"
out=$(reach br1)
is "$?/$out/$(fwd)" "1//1" "  br1 does not, though forwarding is still on: replies need the masquerade"
$NSRUN --nat-off --bridge br2
is "$(tables)" "" "--nat-off of the last bridge removes table ip nsrun"
$NSRUN -v --nat-off --bridge br2 2>"$NSRT_TMP/err"
is "$?" 0 "--nat-off with nothing to remove: exit 0"
like "$(cat "$NSRT_TMP/err")" "nat br2: no chains of this bridge in table ip nsrun" "  -v says there was nothing"
$NSRUN --nat-off --bridge br2 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --nat-off: unexpected argument 'true'" "--nat-off with a command: 125"

# A failing batch: a chain of nsrun's name with another type.  125, one
# line with the kernel's error and the way out; nothing left behind.
mkbridge br3 192.168.3.10/24
nft add table ip nsrun
nft add chain ip nsrun postrouting-br3 '{ type filter hook input priority 0; }'
$NSRUN --bridge br3 --nat -- touch "$NSRT_TMP/ran" 2>"$NSRT_TMP/err"
is "$?" 125 "a failing nftables batch: 125"
is "$(wc -l <"$NSRT_TMP/err")" 1 "  one line"
like "$(cat "$NSRT_TMP/err")" '^nsrun: nat br3: add nat chain postrouting: Operation not supported; table ip nsrun holds a different chain of that name \(nft list table ip nsrun; nsrun --nat-off --bridge br3 removes it\)$' "  with the netlink error explained"
is "$(test -e "$NSRT_TMP/ran" && echo ran)/$(ports br3)/$(grep -c '^lease' "$NSRUN_STATE_DIR/br3.leases")" "/0/0" "  the command did not run, no veth, no lease left"
is "$(tagged br3)" 0 "  and the batch left nothing (atomic)"
$NSRUN --nat-off --bridge br3
is "$(reach br3 --nat)" "internet 203.0.113.2" "--nat-off clears the way; then --nat works"
$NSRUN --nat-off --bridge br3

# The README's picture, with nsrun alone: host -> ns, ns -> host, ns -> ns,
# ns -> internet.
spawn $NSRUN --bridge br1 --ip 192.168.1.60 -- env TCP_NAME=backend python3 "$TCP" serve 0.0.0.0 8080 2 >"$NSRT_TMP/srv"
wait_for grep -q listening "$NSRT_TMP/srv"
is "$(python3 "$TCP" connect 192.168.1.60 8080)" "backend 192.168.1.10" "picture: host -> ns"
spawn env TCP_NAME=host python3 "$TCP" serve 192.168.1.10 9090 1 >"$NSRT_TMP/hostsrv"
wait_for grep -q listening "$NSRT_TMP/hostsrv"
like "$($NSRUN --bridge br1 -- python3 "$TCP" connect 192.168.1.10 9090)" '^host 192\.168\.1\.[0-9]+$' "picture: ns -> host"
like "$($NSRUN --bridge br1 -- python3 "$TCP" connect 192.168.1.60 8080)" '^backend 192\.168\.1\.[0-9]+$' "picture: ns -> ns"
is "$(reach br1 --nat)" "internet 203.0.113.2" "picture: ns -> internet"
$NSRUN --nat-off --bridge br1

is "$(outer_fwd)" "$host_fwd_before" "the real host's ip_forward is still what it was"
done_testing
