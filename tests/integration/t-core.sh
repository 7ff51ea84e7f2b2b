#!/bin/bash
# The core contract: address, route, environment, exit codes, connectivity,
# leases, the default bridge, concurrency, and a clean host afterwards.
. "$(dirname "$0")/lib.sh"
TCP=$NSRT_ROOT/tests/integration/tcp.py
plan 38

mkbridge br1 192.168.1.10/24

out=$($NSRUN --bridge br1 -- ip -4 -o addr show dev eth0)
like "$out" 'inet 192\.168\.1\.1/24 ' "lowest free address of the bridge's subnet on eth0"
out=$($NSRUN --bridge br1 -- ip -4 route show default)
like "$out" '^default via 192\.168\.1\.10 dev eth0' "default route via the bridge's address"
out=$($NSRUN --bridge br1 -- ip -br link show lo)
like "$out" 'UNKNOWN|UP' "lo is up"
out=$($NSRUN --bridge br1 -- ls /sys/class/net | tr '\n' ' ')
is "$out" "eth0 lo " "a fresh /sys shows only lo and eth0"
out=$($NSRUN --bridge br1 --ifname net0 -- ls /sys/class/net | tr '\n' ' ')
is "$out" "lo net0 " "--ifname names the inner interface"

out=$($NSRUN --bridge br1 --mac 02:aa:bb:cc:dd:ee --mtu 1400 -- sh -c 'cat /sys/class/net/eth0/address /sys/class/net/eth0/mtu' | tr '\n' ' ')
is "$out" "02:aa:bb:cc:dd:ee 1400 " "--mac and --mtu"
out=$($NSRUN --bridge br1 -- cat /proc/sys/net/ipv4/conf/eth0/arp_notify)
is "$out" "1" "arp_notify on inside, so the link announces itself"

# The program keeps nsrun's pid, and its exit status.
out=$(bash -c 'echo $$; exec '"$NSRUN"' --bridge br1 -- sh -c "echo \$PPID"' | tr '\n' ' ')
set -- $out
nsrun_pid=$($NSRUN --bridge br1 -- sh -c 'echo $$' & echo $!; wait)
set -- $nsrun_pid
is "$1" "$2" "the target keeps nsrun's pid"
$NSRUN --bridge br1 -- sh -c 'exit 7'
is "$?" 7 "exit status is the target's"
$NSRUN --bridge br1 -- sh -c 'kill -TERM $$'
is "$?" 143 "death by signal is reported as by a shell"
$NSRUN --bridge br1 -- /nonexistent/cmd 2>"$NSRT_TMP/err"
is "$?" 127 "missing command: 127"
like "$(cat "$NSRT_TMP/err")" '^nsrun: /nonexistent/cmd: No such file or directory$' "  with one line"
$NSRUN --bridge br1 -- no-such-command-xyz 2>"$NSRT_TMP/err"
is "$?" 127 "command not in PATH: 127"
printf 'echo hi\n' >"$NSRT_TMP/noexec"
chmod 644 "$NSRT_TMP/noexec"
$NSRUN --bridge br1 -- "$NSRT_TMP/noexec" 2>"$NSRT_TMP/err"
is "$?" 126 "not executable: 126"
$NSRUN --bridge nosuchbr -- true 2>"$NSRT_TMP/err"
is "$?" 125 "missing bridge: 125"
is "$(cat "$NSRT_TMP/err")" "nsrun: bridge nosuchbr: does not exist; create it, or pass --subnet to let nsrun create it" "  named in the message"
wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "no port left on the bridge after all that"

# Options stop at the command: its own options are never ours.
out=$($NSRUN --bridge br1 echo -v --bridge x)
is "$out" "-v --bridge x" "parsing stops at the first non-option"

# --ip, and its refusals.
out=$($NSRUN --bridge br1 --ip 192.168.1.77 -- sh -c 'echo $NSRUN_ADDR')
is "$out" "192.168.1.77" "--ip picks that address"
$NSRUN --bridge br1 --ip 192.168.2.5 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: address 192.168.2.5: not a host address of bridge br1 (192.168.1.0/24)" "--ip outside the pool: 125"
$NSRUN --bridge br1 --ip 192.168.1.10 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: address 192.168.1.10: is the gateway of bridge br1" "--ip on the gateway: 125"
fifo=$NSRT_TMP/fifo
mkfifo "$fifo"
spawn $NSRUN --bridge br1 --ip 192.168.1.50 -- sh -c "echo up >$fifo; exec sleep 600"
held=$!
read -r _ <"$fifo"
$NSRUN --bridge br1 --ip 192.168.1.50 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: address 192.168.1.50: leased to a live namespace (pid $held)" "--ip of a live namespace: 125"

# Connectivity: host <-> ns, ns <-> ns over TCP.
spawn $NSRUN --bridge br1 --ip 192.168.1.60 -- env TCP_NAME=b60 python3 "$TCP" serve 0.0.0.0 8080 2 >"$NSRT_TMP/srv"
wait_for grep -q listening "$NSRT_TMP/srv"
out=$(python3 "$TCP" connect 192.168.1.60 8080)
is "$out" "b60 192.168.1.10" "host -> namespace TCP"
out=$($NSRUN --bridge br1 -- python3 "$TCP" connect 192.168.1.60 8080)
is "$out" "b60 192.168.1.1" "namespace -> namespace TCP"
spawn python3 "$TCP" serve 192.168.1.10 9090 1 >"$NSRT_TMP/hostsrv"
wait_for grep -q listening "$NSRT_TMP/hostsrv"
out=$($NSRUN --bridge br1 -- python3 "$TCP" connect 192.168.1.10 9090)
like "$out" "^server 192\.168\.1\.[0-9]+$" "namespace -> host TCP"

# Lease reuse after exit: the lowest address comes back once the veth is gone.
kill "$held"
wait_for test "$(ports br1)" = 1
out=$($NSRUN --bridge br1 -- sh -c 'echo $NSRUN_ADDR')
is "$out" "192.168.1.1" "a lease is reused once its namespace is gone"
# A backend restarted at once on its --ip waits for its predecessor's veth.
$NSRUN --bridge br1 --ip 192.168.1.70 -- true
out=$($NSRUN --bridge br1 --ip 192.168.1.70 -- sh -c 'echo $NSRUN_ADDR')
is "$out" "192.168.1.70" "restart on the same --ip right after exit"

# The bridge's MAC is pinned: it does not follow its ports.
mac_before=$(cat /sys/class/net/br1/address)
is "$(cat /sys/class/net/br1/addr_assign_type)" 3 "bridge MAC explicitly set (pinned) on first use"
$NSRUN --bridge br1 -- true
is "$(cat /sys/class/net/br1/address)" "$mac_before" "bridge MAC unchanged by a launch"

# The default bridge, created on first use.
out=$($NSRUN -- sh -c 'echo $NSRUN_BRIDGE $NSRUN_ADDR/$NSRUN_PREFIX $NSRUN_GATEWAY')
is "$out" "nsrun0 10.47.0.2/16 10.47.0.1" "default bridge nsrun0 with 10.47.0.0/16"
like "$(ip -4 -o addr show dev nsrun0)" 'inet 10\.47\.0\.1/16' "  created with its gateway address"
# A bridge created by --subnet.
out=$($NSRUN --bridge br9 --subnet 10.9.0.0/24 -- sh -c 'echo $NSRUN_ADDR $NSRUN_GATEWAY')
is "$out" "10.9.0.2 10.9.0.1" "--subnet creates a missing bridge"

# 50 concurrent launches: distinct addresses, all succeed.
mkbridge br2 10.20.0.1/24
for i in $(seq 50); do
	$NSRUN --bridge br2 -- sh -c 'echo $NSRUN_ADDR; sleep 1' >"$NSRT_TMP/c.$i" 2>&1 &
	pids[i]=$!
done
fails=0
for i in $(seq 50); do wait "${pids[i]}" || fails=$((fails + 1)); done
is "$fails" 0 "50 concurrent launches succeed"
is "$(cat "$NSRT_TMP"/c.* | sort -u | wc -l)" 50 "  with 50 distinct addresses"
wait_for test "$(ports br2)" = 0
is "$(ports br2)" 0 "no veth left on the bridge after the targets exit"

# A malformed lease file is an error naming file and line, and stays as it is.
printf 'nsrun-leases 1\nbridge br2 ifindex 0 mac-pinned 0\nlease bogus\n' >"$NSRUN_STATE_DIR/br2.leases"
sum=$(md5sum <"$NSRUN_STATE_DIR/br2.leases")
$NSRUN --bridge br2 -- true 2>"$NSRT_TMP/err"
is "$?" 125 "malformed lease file: 125"
is "$(cat "$NSRT_TMP/err")" "nsrun: lease file $NSRUN_STATE_DIR/br2.leases: line 3: expected 15 fields, found 2" "  naming file and line"
is "$(md5sum <"$NSRUN_STATE_DIR/br2.leases")" "$sum" "  and left byte for byte unchanged"

done_testing
