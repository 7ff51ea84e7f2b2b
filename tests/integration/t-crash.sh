#!/bin/bash
# Crash safety.  SIGKILL at every step of the launch (the fault points of
# build/nsrun-faults) leaves no host veth once the namespace is gone, no live
# lease (the next launch gets the killed one's address) and a lease file that
# parses.  Then a storm of SIGKILLs at random moments, after which a /29
# still yields all five of its addresses.
. "$(dirname "$0")/lib.sh"
FAULTS=${NSRUN_FAULTS_BIN:-$NSRT_ROOT/build/nsrun-faults}

# point  bridge  leases-left-stale
#   bridge: old = exists, with a lease file; new = created by the killed
#   launch (--subnet); default = nsrun0, created by the killed launch;
#   clash = old, and an interface already has the veth name nsrun picks;
#   elsewhere = another test kills there (named in the third column).
#   stale: what --gc finds afterwards, "none" = no lease file yet.
ROWS=(
	"nl-opened old 0"
	"lease-locked old 0"
	"bridge-unaddressed new none"
	"bridge-unaddressed default none"
	"bridge-created new none"
	"lease-chosen old 0"
	"lease-tmp-written old 0"
	"lease-tmp-synced old 0"
	"lease-written old 1"
	"unshared old 1"
	"veth-renamed clash 1"
	"veth-created old 1"
	"inside-configured old 1"
	"mounted old 1"
	"privs-dropped old 1"
	"pinned elsewhere t-lifecycle-names" # --name: the pin outlives the kill by design
	"cni-cached elsewhere t-cni-fake"    # --cni: collected by the gc, proven there
	"cni-pinned elsewhere t-cni-fake"
	"cni-added elsewhere t-cni-fake"
	"pidns-forked elsewhere t-pid"
)
STORM_ROUNDS=${NSRT_STORM_ROUNDS:-40}
STORM_PARALLEL=3
here=$(printf '%s\n' "${ROWS[@]}" | grep -vc ' elsewhere ')
plan $((1 + 6 * here + 7))

# Every fault point compiled into nsrun has a row here, and no row of this
# test is made up (an "elsewhere" row names a point of a later feature).
points=$(grep -rhoE 'nsrun_fault_point\("[a-z-]+"\)' "$NSRT_ROOT/src" |
	sed -E 's/.*"(.*)".*/\1/' | sort -u | tr '\n' ' ')
rows=$(printf '%s\n' "${ROWS[@]}" | while read -r p m _; do
	if [ "$m" != elsewhere ] || grep -qw -- "$p" <<<"$points"; then echo "$p"; fi
done | sort -u | tr '\n' ' ')
is "$rows" "$points" "a row for every fault point in src/"

# no_ports BRIDGE (for wait_for: "$(ports X)" would be expanded only once)
no_ports() { test "$(ports "$1")" = 0; }

# hex A.B.C.D: the host veth name nsrun gives that address.
vethname() { printf 'nsr%02x%02x%02x%02x' ${1//./ }; }

# gc_copy BRIDGE: --gc on a copy of the state, so the real file is left for
# the next launch to prove it reclaims the lease itself.
gc_copy() {
	rm -rf "$NSRT_TMP/copy"
	cp -a "$NSRUN_STATE_DIR" "$NSRT_TMP/copy"
	NSRUN_STATE_DIR=$NSRT_TMP/copy $NSRUN --gc --bridge "$1" 2>&1 | tail -n 1
}

i=0
for row in "${ROWS[@]}"; do
	set -- $row
	point=$1 mode=$2 stale=$3
	[ "$mode" = elsewhere ] && continue
	i=$((i + 1))
	br=bf$i net=10.77.$i
	args=(--bridge "$br")
	case $mode in
	new) args+=(--subnet "$net.0/29") ;;
	default) br=nsrun0 net=10.47.0 args=() ;;
	old | clash)
		mkbridge "$br" "$net.1/29"
		# A lease file exists, with no lease left in it.
		$NSRUN --bridge "$br" -- true
		wait_for no_ports "$br"
		$NSRUN --gc --bridge "$br" >/dev/null
		if [ "$mode" = clash ]; then
			ip link add "$(vethname "$net.2")" type veth peer name clash$i
		fi
		;;
	esac
	veths=$(ip -o link show type veth | wc -l)

	NSRUN_FAULT=$point "$FAULTS" "${args[@]}" -- true 2>"$NSRT_TMP/err"
	is "$?" 137 "$point: killed there ($mode bridge)"
	wait_for no_ports "$br"
	is "$(ports "$br")" 0 "  no port left on the bridge"
	is "$(ip -o link show type veth | wc -l)" "$veths" "  no veth left on the host"
	if [ "$stale" = none ]; then
		want="nsrun: bridge $br: no lease file"
	elif [ "$stale" = 1 ]; then
		want="nsrun: bridge $br: 1 stale lease reclaimed, 0 live"
	else
		want="nsrun: bridge $br: 0 stale leases reclaimed, 0 live"
	fi
	is "$(gc_copy "$br")" "$want" "  the lease file parses; stale leases: $stale"
	out=$($NSRUN "${args[@]}" -- sh -c 'echo $NSRUN_ADDR' 2>&1)
	is "$out" "$net.2" "  the next launch gets the same address"
	wait_for no_ports "$br"
	is "$(ports "$br")" 0 "  and leaves no port either"
done

# The storm, on a /29: five addresses for three launches at a time.
mkbridge bs 10.78.0.1/29
read -r _ launched _ setup _ target _ refused _ bad < <(python3 "$NSRT_ROOT/tests/integration/storm.py" \
	"$NSRUN" bs "$STORM_ROUNDS" "$STORM_PARALLEL" 12 "${NSRT_SEED:-$$}")
diag "storm: $launched launches, $setup killed during setup, $target killed in the target, $refused refused (pool full)"
is "$bad" 0 "kill storm of $launched launches: no launch failed for another reason than a full pool"
ok "  kills landed during the setup ($setup of $launched)" test "$setup" -ge 10
wait_for no_ports bs
is "$(ports bs)" 0 "  no port left on the bridge"
is "$(gc_copy bs | sed -E 's/[0-9]+ stale leases? reclaimed/N stale reclaimed/')" \
	"nsrun: bridge bs: N stale reclaimed, 0 live" "  the lease file parses, no lease is live"

fifo=$NSRT_TMP/storm.fifo
mkfifo "$fifo"
exec 3<>"$fifo"
for k in 1 2 3 4 5; do
	spawn $NSRUN --bridge bs -- sh -c "echo \$NSRUN_ADDR >$fifo; exec sleep 600"
done
got=$(for k in 1 2 3 4 5; do read -r -t 10 -u 3 a && echo "$a"; done | sort | tr '\n' ' ')
is "$got" "10.78.0.2 10.78.0.3 10.78.0.4 10.78.0.5 10.78.0.6 " "  then all five addresses of the /29 are handed out"
sum=$(md5sum <"$NSRUN_STATE_DIR/bs.leases")
$NSRUN --bridge bs -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: bridge bs: no free address in 10.78.0.0/29 (5 leased)" \
	"  and a sixth is refused: pool exhausted"
is "$(md5sum <"$NSRUN_STATE_DIR/bs.leases")" "$sum" "  leaving the lease file unchanged"

done_testing
