#!/bin/bash
# Named namespaces: --name pins the namespace for `ip netns`, --join runs in
# it, --rm unpins it and frees its lease; the refusals, each with exit 125
# and one line.
. "$(dirname "$0")/lib.sh"
TCP=$NSRT_ROOT/tests/integration/tcp.py
NSRUN_FAULTS=${NSRUN_FAULTS_BIN:-$NSRT_ROOT/build/nsrun-faults}
plan 48

mkbridge br1 10.30.0.1/24
err=$NSRT_TMP/err

# --- a named namespace outlives its target --------------------------------
$NSRUN --bridge br1 --name web1 -- true
is "$?" 0 "--name: the target runs and exits"
like "$(ip netns list)" '^web1( |$)' "ip netns list shows it after the target exited"
out=$(ip netns exec web1 ip -4 -o addr show dev eth0)
like "$out" 'inet 10\.30\.0\.2/24 ' "ip netns exec sees its address"
is "$(ports br1)" 1 "its veth stays on the bridge"
spawn ip netns exec web1 env TCP_NAME=web1 python3 "$TCP" serve 10.30.0.2 8080 1 >"$NSRT_TMP/srv"
wait_for grep -q listening "$NSRT_TMP/srv"
is "$(python3 "$TCP" connect 10.30.0.2 8080)" "web1 10.30.0.1" "and it is reachable from the host"
is "$(grep -c ' netns web1 ' "$NSRUN_STATE_DIR/br1.leases")" 1 "the name is recorded in the lease"
like "$(cat /sys/class/net/nsr0a1e0002/ifalias)" ' netns web1 ' "  and in the veth alias"

# A later launch does not take its address: the pinned lease is live.
out=$($NSRUN --bridge br1 -- sh -c 'echo $NSRUN_ADDR')
is "$out" "10.30.0.3" "the pinned namespace keeps its lease"

# --- --join --------------------------------------------------------------
out=$($NSRUN --join web1 -- sh -c 'echo $NSRUN_ADDR $NSRUN_PREFIX $NSRUN_GATEWAY $NSRUN_BRIDGE $NSRUN_IFNAME')
is "$out" "10.30.0.2 24 10.30.0.1 br1 eth0" "--join: the same NSRUN_* variables"
out=$($NSRUN --join web1 -- ip -4 -o addr show dev eth0)
like "$out" 'inet 10\.30\.0\.2/24 ' "--join: the same address"
out=$($NSRUN --join web1 -- ls /sys/class/net | tr '\n' ' ')
is "$out" "eth0 lo " "--join: a fresh /sys of that namespace"
caps_launch=$($NSRUN --bridge br1 -- grep CapBnd /proc/self/status)
caps_join=$($NSRUN --join web1 -- grep CapBnd /proc/self/status)
is "$caps_join" "$caps_launch" "--join: the privilege drop of a launch"
like "$caps_join" 'CapBnd:[[:space:]]+00000000a80425fb' "  (Docker's default set)"
nok "--join: no CAP_SYS_ADMIN to mount inside" $NSRUN --join web1 -- mount -t tmpfs t /mnt 2>/dev/null
$NSRUN --join web1 --ifname x -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --ifname: does not apply to --join" "--join with a network option: 125"
$NSRUN --join nosuch -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: namespace nosuch: does not exist (no /run/netns/nosuch)" "--join of a missing name: 125"

# --- names in use, bad names ----------------------------------------------
# Every save replaces the file (rename), so inode and mtime tell whether one happened.
inode=$(stat -c '%i %y' "$NSRUN_STATE_DIR/br1.leases")
$NSRUN --bridge br1 --name web1 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: namespace web1: name in use (/run/netns/web1 exists)" "a name in use: 125"
is "$(stat -c '%i %y' "$NSRUN_STATE_DIR/br1.leases")" "$inode" "  refused before any lease is taken"
ip netns add foreign
$NSRUN --bridge br1 --name foreign -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: namespace foreign: name in use (/run/netns/foreign exists)" "a name ip netns made: 125"
for bad in '../x' '-x' '.x' 'a b' 'a/b' '' "$(printf 'x%.0s' $(seq 64))"; do
	$NSRUN --bridge br1 --name "$bad" -- true 2>"$err"
	rc=$?
	[ "$rc" = 125 ] && [ "$(wc -l <"$err")" = 1 ] && grep -q "^nsrun: --name $bad: " "$err" || break
done
is "$rc/$(wc -l <"$err")" "125/1" "bad names: 125, one line each"
$NSRUN --bridge br1 --name 'x y' -- true 2>"$err"
is "$(cat "$err")" "nsrun: --name x y: only letters, digits, '_', '.' and '-' are allowed" "  saying why"
is "$(ls /run/netns | tr '\n' ' ')" "foreign web1 " "  and nothing created under /run/netns"

# --- a namespace nsrun did not make ----------------------------------------
out=$(NSRUN_ADDR=bogus $NSRUN --join foreign -- sh -c 'echo ${NSRUN_ADDR-unset}; ls /sys/class/net')
is "$(echo $out)" "unset lo" "--join of an ip-netns namespace: no NSRUN_*, its own interfaces"
$NSRUN --rm foreign 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: namespace foreign: not made by nsrun; pass --force to remove it anyway" "--rm of a name nsrun did not make: 125"
like "$(ip netns list)" 'foreign' "  and it stays"
$NSRUN --rm foreign --force
is "$?" 0 "--rm --force removes it"
nok "  gone from /run/netns" test -e /run/netns/foreign
$NSRUN --rm nosuch 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: namespace nosuch: does not exist (no /run/netns/nosuch)" "--rm of a missing name: 125"
$NSRUN --rm web1 extra 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --rm: unexpected argument 'extra'" "--rm takes no command"

# --- --rm frees the lease ---------------------------------------------------
$NSRUN --rm web1
is "$?" 0 "--rm of a namespace nsrun made"
is "$(ip netns list)" "" "  ip netns list is empty"
wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "  the veth goes with the namespace"
out=$($NSRUN --bridge br1 -- sh -c 'echo $NSRUN_ADDR')
is "$out" "10.30.0.2" "  and its address is handed out again"

# --- --rm while the target runs: the namespace lives on with it -------------
fifo=$NSRT_TMP/fifo
mkfifo "$fifo"
wait_for test "$(ports br1)" = 0
spawn $NSRUN --bridge br1 --name busy -- sh -c "echo up >$fifo; exec sleep 600"
busy=$!
read -r _ <"$fifo"
$NSRUN --rm busy
is "$?" 0 "--rm while the target runs"
out=$($NSRUN --list --json | python3 -c 'import json,sys; print(*[(r["name"], r["command"][0]) for r in json.load(sys.stdin)])')
is "$out" "(None, 'sleep')" "  the lease lives on, unnamed, with its target"
old=$($NSRUN --list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
# The name is free again, and a new namespace under it is not confused with the old.
$NSRUN --bridge br1 --name busy -- true
is "$?" 0 "  the name is free again"
out=$($NSRUN --join busy -- sh -c 'echo $NSRUN_ADDR')
want=$(ip netns exec busy ip -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4 }')
is "$out/$([ "$out" != "$old" ] && echo new)" "$want/new" "  --join finds the new namespace's lease, not the old one's"
kill "$busy"
wait "$busy" 2>/dev/null
$NSRUN --rm busy
wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "  both gone once their processes are"

# --- crash safety -----------------------------------------------------------
# Killed right after pinning: the pin and its lease stay consistent.
NSRUN_FAULT=pinned $NSRUN_FAULTS --bridge br1 --name crashed -- true
is "$?" 137 "nsrun killed right after the pin"
like "$(ip netns list)" '^crashed' "  the namespace stays pinned"
out=$($NSRUN --list --json --bridge br1 | python3 -c 'import json,sys; print(*[(r["name"], r["state"], r["command"]) for r in json.load(sys.stdin)])')
is "$out" "('crashed', 'wired', None)" "  its lease is live, with no command"
$NSRUN --rm crashed
wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "  --rm cleans it up"

# A failure after the pin (here: the --info-fd reader is gone) undoes it.
python3 -c 'import os, signal, sys
r, w = os.pipe(); os.close(r); os.dup2(w, 3)
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' $NSRUN --bridge br1 --name broken --info-fd 3 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --info-fd 3: write: Broken pipe" "a failure after the pin: 125, no SIGPIPE"
nok "  the pin is undone" test -e /run/netns/broken
is "$(grep -c '^lease ' "$NSRUN_STATE_DIR/br1.leases")" 0 "  and the lease released"

# A name reserved by a crash before the pin is not nsrun's to remove silently.
NSRUN_FAULT=inside-configured $NSRUN_FAULTS --bridge br1 --name halfway -- true
is "$?/$(stat -c %s /run/netns/halfway)" "137/0" "killed before the pin: an empty reservation stays"
$NSRUN --rm halfway --force
nok "  --rm --force clears it" test -e /run/netns/halfway

is "$(ip netns list)" "" "no namespace left"
done_testing
