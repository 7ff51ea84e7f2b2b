#!/bin/sh
# recipe.sh -- the usual `ip` recipe for one namespace on a bridge, run once.
#
#   recipe.sh BRIDGE ADDR/PREFIX GATEWAY SUFFIX
#
# What people type (the "seed's steps") to do what one nsrun call does:
# a named netns, a veth pair, one end moved inside, address, master, up,
# default route, run /bin/true in it, delete the netns. Eleven `ip` execs.
# Inside the namespace it uses `ip -n NS`, the cheaper form of
# `ip netns exec NS ip ...`, so the comparison is not stacked against it.
#
# SUFFIX must be unique per run (the previous run's veth may still be on
# its way out: the kernel deletes a netns asynchronously). Names: netns
# nsb-SUFFIX, veth rhSUFFIX (host) / rpSUFFIX (inside): SUFFIX <= 13 chars.
#
# Needs a private /run/netns (`ip netns add` mounts there): tests/bench/run
# calls it inside a test host with a tmpfs on /run. Exit 0 on success; on
# failure the netns is deleted and the failing step's status is returned.
set -eu

if [ $# -ne 4 ]; then
	echo "usage: recipe.sh BRIDGE ADDR/PREFIX GATEWAY SUFFIX" >&2
	exit 2
fi
br=$1 addr=$2 gw=$3 suffix=$4
ns=nsb-$suffix host=rh$suffix peer=rp$suffix

ip netns add "$ns"
# On failure: drop the netns and, if it never moved in, the veth pair.
trap 'ip netns del "$ns" 2>/dev/null; ip link del "$host" 2>/dev/null; true' EXIT
ip link add "$host" type veth peer name "$peer"
ip link set "$peer" netns "$ns"
ip -n "$ns" addr add "$addr" dev "$peer"
ip link set "$host" master "$br"
ip link set "$host" up
ip -n "$ns" link set "$peer" up
ip -n "$ns" link set lo up
ip -n "$ns" route add default via "$gw"
ip netns exec "$ns" /bin/true
ip netns del "$ns"
trap - EXIT
