#!/bin/bash
# --lo-addr: a VIP on the namespace's lo answers TCP routed to it through
# the backend's own address (direct server return), while ARP for the VIP
# goes unanswered on the link; bad values are refused with 125.
. "$(dirname "$0")/lib.sh"
TCP=$NSRT_ROOT/tests/integration/tcp.py
plan 11

mkbridge br1 192.168.1.10/24

out=$($NSRUN --bridge br1 --lo-addr 10.99.0.1 --lo-addr 10.98.0.7/24 -- ip -4 -o addr show dev lo)
like "$out" 'inet 10\.99\.0\.1/32 ' "--lo-addr puts the VIP on lo, /32 by default"
like "$out" 'inet 10\.98\.0\.7/24 ' "  repeatable, with a prefix length when given"
out=$($NSRUN --bridge br1 --lo-addr 10.99.0.1 -- sh -c 'cd /proc/sys/net/ipv4/conf/eth0 && cat arp_ignore arp_announce arp_notify' | tr '\n' ' ')
is "$out" "1 2 1 " "  with arp_ignore=1 and arp_announce=2 on eth0 (arp_notify kept)"
out=$($NSRUN --bridge br1 -- sh -c 'cd /proc/sys/net/ipv4/conf/eth0 && cat arp_ignore arp_announce' | tr '\n' ' ')
is "$out" "0 0 " "  and the kernel's defaults without it"

# A backend with the VIP, listening on every address.
spawn $NSRUN --bridge br1 --ip 192.168.1.20 --lo-addr 10.99.0.1 -- \
	env TCP_NAME=dsr1 python3 "$TCP" serve 0.0.0.0 8080 3 >"$NSRT_TMP/srv"
wait_for grep -q listening "$NSRT_TMP/srv"
# The balancer's part of direct server return: the VIP routed to the backend.
ip route add 10.99.0.1/32 via 192.168.1.20
out=$(python3 "$TCP" connect 10.99.0.1 8080)
is "$out" "dsr1 192.168.1.10" "a connection to the VIP, routed via the backend, is answered from inside"
out=$(python3 - <<'EOF'
import socket
c = socket.create_connection(("10.99.0.1", 8080), timeout=3)
print(c.getpeername()[0])
EOF
)
is "$out" "10.99.0.1" "  by the VIP itself (the reply's source is the VIP)"

# ARP for the VIP on the link: nobody answers (arp_ignore=1).
ip route replace 10.99.0.1/32 dev br1
out=$(python3 "$TCP" connect 10.99.0.1 8080 2>&1)
like "$out" 'No route to host|timed out' "the VIP is not answered by ARP on the link"
like "$(ip neigh show 10.99.0.1 dev br1)" 'FAILED|INCOMPLETE' "  (its neighbour entry never resolves)"

$NSRUN --bridge br1 --lo-addr 127.0.0.5 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --lo-addr 127.0.0.5: a loopback address (lo has 127.0.0.0/8 already)" "--lo-addr 127.0.0.5: 125"
$NSRUN --bridge br1 --lo-addr 10.1.1.1/40 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --lo-addr 10.1.1.1/40: not an IPv4 address (expected A.B.C.D or A.B.C.D/N)" "--lo-addr 10.1.1.1/40: 125"
wait_for test "$(ports br1)" = 1
is "$(ports br1)" 1 "no port left behind but the running backend's"

done_testing
