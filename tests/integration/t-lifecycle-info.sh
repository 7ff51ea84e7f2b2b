#!/bin/bash
# What scripts and targets see: --info-fd read from a pipe, --hostname in a
# UTS namespace, --dns and /etc/netns/NAME in the private mount namespace,
# the host's (the test host's) files and names untouched.
. "$(dirname "$0")/lib.sh"
plan 26

mkbridge br1 10.60.0.1/24
err=$NSRT_TMP/err

jq_py() { python3 -c 'import json, sys; r = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# --- --info-fd -------------------------------------------------------------
info=$NSRT_TMP/info
spawn $NSRUN --bridge br1 --name api --info-fd 3 -- sleep 600 3> >(cat >"$info")
pid=$!
wait_for grep -q '}' "$info"
ok "--info-fd: one JSON object, read from a pipe" python3 -m json.tool "$info" >/dev/null
is "$(jq_py 'list(r)' <"$info")" "['address', 'prefix', 'gateway', 'bridge', 'ifname', 'host_ifname', 'mac', 'pid', 'name']" \
	"  with the documented keys, in order"
is "$(jq_py '(r["address"], r["prefix"], r["gateway"], r["bridge"], r["ifname"], r["name"])' <"$info")" \
	"('10.60.0.2', 24, '10.60.0.1', 'br1', 'eth0', 'api')" "  address, prefix, gateway, bridge, ifname, name"
is "$(jq_py 'r["pid"]' <"$info")" "$pid" "  pid: the target's"
host_if=$(jq_py 'r["host_ifname"]' <"$info")
is "$(cat "/sys/class/net/$host_if/master/uevent" | grep INTERFACE)" "INTERFACE=br1" "  host_ifname: the host end, on the bridge"
is "$(jq_py 'r["mac"]' <"$info")" "$(ip netns exec api cat /sys/class/net/eth0/address)" "  mac: the inner end's"
is "$(wc -l <"$info")" 1 "  on one line"
nok "  the fd is closed before exec: the target does not hold it" test -e "/proc/$pid/fd/3"

out=$($NSRUN --bridge br1 --info-fd 3 -- true 3>&1)
is "$(jq_py 'r["name"]' <<<"$out")" "None" "--info-fd without --name: name is null"
$NSRUN --bridge br1 --info-fd 9 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --info-fd 9: Bad file descriptor" "--info-fd of a closed fd: 125"
$NSRUN --bridge br1 --info-fd 1 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --info-fd 1: stdin, stdout and stderr belong to the command" "--info-fd 1: 125"
$NSRUN --join api --info-fd 3 -- true 3>/dev/null 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --info-fd: does not apply to --join" "--info-fd with --join: 125"

# --- --hostname --------------------------------------------------------------
# In a UTS namespace of its own, so that a bug could not rename the machine.
before=$(hostname)
out=$(unshare --uts sh -c "$NSRUN --bridge br1 --hostname backend-1 -- hostname; hostname")
is "$out" "backend-1
$before" "--hostname: the target's, in its own UTS namespace; the caller's unchanged"
out=$(unshare --uts sh -c "$NSRUN --join api --hostname joined -- hostname; hostname")
is "$out" "joined
$before" "--join --hostname"
$NSRUN --bridge br1 --hostname -bad -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --hostname -bad: a label starts with '-'" "a bad --hostname: 125"

# --- --dns -------------------------------------------------------------------
sum=$(md5sum </etc/resolv.conf)
out=$($NSRUN --bridge br1 --dns 192.0.2.53 --dns 2001:db8::53 -- cat /etc/resolv.conf)
is "$out" "# written by nsrun (--dns)
nameserver 192.0.2.53
nameserver 2001:db8::53" "--dns: the target's resolv.conf lists those servers"
is "$(md5sum </etc/resolv.conf)" "$sum" "  the host's resolv.conf untouched"
out=$($NSRUN --bridge br1 -- cat /etc/resolv.conf | md5sum)
is "$out" "$sum" "  and without --dns, the host's is what the target sees"
out=$($NSRUN --bridge br1 --dns 192.0.2.1 -- sh -c "grep -c ' /etc/resolv.conf ' /proc/self/mountinfo; grep -c ' $NSRUN_STATE_DIR ' /proc/self/mountinfo; findmnt -n -o FSTYPE /etc/resolv.conf")
is "$(echo $out)" "1 0 tmpfs" "  one bind mount from a tmpfs, no scratch mount left"
$NSRUN --bridge br1 --dns 192.0.2.256 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --dns 192.0.2.256: not an IPv4 or IPv6 address" "a bad --dns: 125"
$NSRUN --bridge br1 --dns 192.0.2.1 --dns 192.0.2.2 --dns 192.0.2.3 --dns 192.0.2.4 -- true 2>"$err"
is "$?/$(cat "$err")" "125/nsrun: --dns 192.0.2.4: more than 3 servers (the resolver reads no more)" "a 4th --dns: 125"

# --- /etc/netns/NAME, as ip netns exec honours it ----------------------------
# A writable /etc for this test only: an overlay in the test host's mount
# namespace, its changes on the test host's own /run.
mkdir -p /run/etc-upper /run/etc-work
mount -t overlay nsrt-etc -o lowerdir=/etc,upperdir=/run/etc-upper,workdir=/run/etc-work /etc
mkdir -p /etc/netns/dnsns
printf 'nameserver 198.51.100.7\n' >/etc/netns/dnsns/resolv.conf
printf '127.0.0.1 localhost\n198.51.100.8 db.internal\n' >/etc/netns/dnsns/hosts
sum=$(md5sum </etc/resolv.conf)
out=$($NSRUN --bridge br1 --name dnsns -- cat /etc/resolv.conf /etc/hosts)
is "$out" "nameserver 198.51.100.7
127.0.0.1 localhost
198.51.100.8 db.internal" "--name: the files of /etc/netns/NAME over /etc"
is "$($NSRUN --join dnsns -- cat /etc/resolv.conf)" "nameserver 198.51.100.7" "--join: the same"
is "$(ip netns exec dnsns cat /etc/resolv.conf)" "nameserver 198.51.100.7" "  as ip netns exec shows it"
out=$($NSRUN --join dnsns --dns 192.0.2.9 -- cat /etc/resolv.conf /etc/hosts)
is "$out" "# written by nsrun (--dns)
nameserver 192.0.2.9
127.0.0.1 localhost
198.51.100.8 db.internal" "--dns wins over /etc/netns/NAME/resolv.conf"
is "$(md5sum </etc/resolv.conf)" "$sum" "  /etc/resolv.conf untouched"
ip netns add plain
mkdir -p /etc/netns/plain
printf 'nameserver 198.51.100.9\n' >/etc/netns/plain/resolv.conf
is "$($NSRUN --join plain -- cat /etc/resolv.conf)" "nameserver 198.51.100.9" "--join of an ip-netns namespace honours it too"
$NSRUN --rm dnsns
$NSRUN --rm plain --force
umount /etc

done_testing
