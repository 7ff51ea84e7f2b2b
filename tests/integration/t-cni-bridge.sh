#!/bin/bash
# --cni with Debian's reference plugins (containernetworking-plugins, in
# /usr/lib/cni): bridge + host-local, then tuning, which needs prevResult.
# The address in the target, the plugins in the host's namespace, the
# cache, --cni-del freeing the host-local lease and the veth, a SIGKILLed
# target collected by --cni-gc, reachability, --list and --info-fd.
. "$(dirname "$0")/lib.sh"
TCP=$NSRT_ROOT/tests/integration/tcp.py
if [ ! -x /usr/lib/cni/bridge ] || [ ! -x /usr/lib/cni/host-local ] || [ ! -x /usr/lib/cni/tuning ]; then
	echo "1..0 # SKIP containernetworking-plugins is not installed (make deps)"
	exit 0
fi
plan 35

CONF=$NSRT_TMP/conf
IPAM=$NSRT_TMP/ipam # host-local's leases, never /var/lib/cni
CACHE=$NSRUN_STATE_DIR/cni
BR=nsrtcni$$
BR=${BR:0:15}
err=$NSRT_TMP/err
mkdir -p "$CONF"
cat >"$CONF/10-nsrt.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "nsrtnet",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BR", "isGateway": true, "ipMasq": false,
      "ipam": {
        "type": "host-local", "dataDir": "$IPAM",
        "ranges": [[{ "subnet": "10.88.0.0/24" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "tuning", "mtu": 1400, "capabilities": { "mac": true } }
  ]
}
EOF
cni() { # ID ARG...
	local id=$1
	shift
	$NSRUN --cni nsrtnet --cni-id "$id" --cni-conf-dir "$CONF" "$@"
}
added() { grep -q '"result":{' "$CACHE/$1.json" 2>/dev/null; }
veths() { ip -o link show master "$BR" 2>/dev/null | wc -l; }

# --- ADD ---------------------------------------------------------------------
out=$(cni b1 -- sh -c 'echo $NSRUN_ADDR $NSRUN_PREFIX $NSRUN_GATEWAY $NSRUN_IFNAME ${NSRUN_BRIDGE-unset}
ip -4 -o addr show dev eth0 | sed "s/ valid.*//"; ip -4 route show default; cat /sys/class/net/eth0/mtu
ls /sys/class/net | tr "\n" " "; echo; ip -o link show lo | grep -o "state [A-Z]*"')
is "$?" 0 "bridge + host-local + tuning: the target runs"
is "$(sed -n 1p <<<"$out")" "10.88.0.2 24 10.88.0.1 eth0 unset" "  NSRUN_ADDR, PREFIX, GATEWAY, IFNAME from the result"
like "$(sed -n 2p <<<"$out")" '^[0-9]+: eth0 +inet 10\.88\.0\.2/24 ' "  eth0 has the address host-local gave"
is "$(sed -n 3p <<<"$out")" "default via 10.88.0.1 dev eth0 " "  and the default route of the ipam routes"
is "$(sed -n 4p <<<"$out")" 1400 "  MTU 1400: tuning ran after bridge, on its prevResult"
is "$(sed -n 5p <<<"$out")" "eth0 lo " "  its own /sys: eth0 and lo only"
is "$(sed -n 6p <<<"$out")" "state UNKNOWN" "  lo is up"
like "$(ip -4 -o addr show dev "$BR")" "inet 10\.88\.0\.1/24" \
	"the plugins ran in the host's namespace: the bridge is there, with the gateway"
is "$(veths)" 1 "  with the veth on it"
is "$(head -n 1 "$IPAM/nsrtnet/10.88.0.2" | tr -d '\r')" "b1" "host-local's lease, in the test's dataDir"
is "$(jq -c '[.id, .network, .cni_version, .result.ips[0].address, .result.ips[0].gateway]' "$CACHE/b1.json")" \
	'["b1","nsrtnet","1.0.0","10.88.0.2/24","10.88.0.1"]' "the cache: ID, network, negotiated version, result"
nok "  nothing in /var/lib/cni/results" test -e /var/lib/cni/results/nsrtnet-b1-eth0
like "$(ip netns exec nsrun-b1 ip -4 -o addr show dev eth0)" 'inet 10\.88\.0\.2/24' \
	"the pinned namespace keeps the address after the target exited"

# --- reachable, listed ------------------------------------------------------------
spawn $NSRUN --cni nsrtnet --cni-id b2 --cni-conf-dir "$CONF" -- \
	env TCP_NAME=b2 python3 "$TCP" serve 10.88.0.3 8080 1 >"$NSRT_TMP/srv"
srv=$!
wait_for grep -q listening "$NSRT_TMP/srv"
is "$(python3 "$TCP" connect 10.88.0.3 8080)" "b2 10.88.0.1" "reachable from the host through the bridge"
wait "$srv"
is "$?" 0 "  and the target's exit status is nsrun's"
like "$($NSRUN --list)" "10\.88\.0\.2 +cni:nsrtnet +wired +[0-9]+ +nsrun-b1 +veth[0-9a-f]+ " \
	"--list: the attachment, its network and host veth"

# --- runtimeConfig: tuning's "mac" capability ----------------------------------------
out=$(cni b3 --cni-cap 'mac="0a:58:0a:58:00:42"' -- cat /sys/class/net/eth0/address)
is "$?/$out" "0/0a:58:0a:58:00:42" "--cni-cap mac: tuning sets the MAC from runtimeConfig"
is "$(jq -r '.result.interfaces[] | select(.sandbox) | .mac' "$CACHE/b3.json")" "0a:58:0a:58:00:42" \
	"  and says so in the result"

# --- --info-fd ----------------------------------------------------------------------
info=$(cni b4 --info-fd 3 -- true 3>&1)
is "$(jq -c '[.address, .prefix, .gateway, .ifname, .name, .cni_id, .network]' <<<"$info")" \
	'["10.88.0.5",24,"10.88.0.1","eth0","nsrun-b4","b4","nsrtnet"]' "--info-fd: one JSON object"

# --- --cni-del -----------------------------------------------------------------------
n=$(veths)
$NSRUN --cni-del b1
is "$?" 0 "--cni-del: exit 0"
nok "  frees host-local's lease" test -e "$IPAM/nsrtnet/10.88.0.2"
wait_for test "$(veths)" -lt "$n"
is "$(veths)" $((n - 1)) "  removes the veth"
nok "  unpins the namespace" test -e /run/netns/nsrun-b1
nok "  forgets the cache" test -e "$CACHE/b1.json"
out=$(cni b5 -- sh -c 'echo $NSRUN_ADDR')
is "$out" "10.88.0.6" "a new attachment gets the next address (host-local goes round)"

for id in b2 b3 b4 b5; do $NSRUN --cni-del $id || echo "del $id failed"; done >"$NSRT_TMP/dels"
is "$(cat "$NSRT_TMP/dels")" "" "--cni-del of the others"

# --- a SIGKILLed target, collected ---------------------------------------------------
spawn $NSRUN --cni nsrtnet --cni-id b6 --cni-conf-dir "$CONF" -- sleep 600
pid=$!
wait_for added b6
addr=$(jq -r '.result.ips[0].address' "$CACHE/b6.json")
addr=${addr%/*}
kill -KILL "$pid"
wait "$pid" 2>/dev/null
out=$($NSRUN --cni-gc)
is "$?" 0 "--cni-gc after SIGKILL of a target: exit 0"
like "$out" "^nsrun: cni nsrtnet: collected b6 $addr \(pid $pid gone\)" "  collects it"
like "$out" "nsrun: cni gc: 1 attachment collected, 0 live$" "  and says how many"
nok "  its lease is free" test -e "$IPAM/nsrtnet/$addr"
nok "  its namespace unpinned" test -e /run/netns/nsrun-b6

# --- a failing ADD, rolled back ----------------------------------------------------------
# host-local has one address in a /30 whose first host is the gateway.
cat >"$CONF/20-tiny.conflist" <<EOF
{"cniVersion":"1.0.0","name":"tiny","plugins":[{"type":"bridge","bridge":"nsrttiny","isGateway":true,
 "ipam":{"type":"host-local","dataDir":"$IPAM","ranges":[[{"subnet":"10.89.0.0/30"}]]}},{"type":"tuning"}]}
EOF
$NSRUN --cni tiny --cni-id t1 --cni-conf-dir "$CONF" -- true
$NSRUN --cni tiny --cni-id t2 --cni-conf-dir "$CONF" -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: cni tiny: plugin bridge: ADD failed (code 999): failed to allocate for range 0: no IP addresses available in range set: 10.89.0.1-10.89.0.2" \
	"the pool of host-local exhausted: 125 and the plugin's error"
is "$(ip -o link show master nsrttiny | wc -l)/$(ls /run/netns | grep -c nsrun-t2)/$(ls "$CACHE" | grep -c t2)" "1/0/0" \
	"  no veth, pin or cache of the failed attachment"
$NSRUN --cni-del t1
wait_for test "$(ip -o link show master nsrttiny | wc -l)" = 0
is "$?/$(ip -o link show master nsrttiny | wc -l)" "0/0" "  and the other one deleted"

# --- nothing is left ------------------------------------------------------------------
wait_for test "$(veths)" = 0
is "$(veths)/$(ls "$IPAM/nsrtnet" | grep -c '^10\.')/$(ls /run/netns | wc -l)/$(ls "$CACHE" | wc -l)" "0/0/0/0" \
	"  no veth, no lease, no pin, no cache"
done_testing
