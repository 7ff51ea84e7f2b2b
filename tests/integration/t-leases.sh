#!/bin/bash
# Leases under pressure: 200 concurrent launches on one bridge, a lease file
# deleted under running namespaces, a host veth name already taken (EEXIST),
# and `nsrun --gc [--rebuild]`: what it reclaims, recovers, keeps and drops,
# and that a malformed file stays an error without --rebuild.
. "$(dirname "$0")/lib.sh"
FAULTS=${NSRUN_FAULTS_BIN:-$NSRT_ROOT/build/nsrun-faults}
CONCURRENT=${NSRT_CONCURRENT:-200}
plan 32

# (for wait_for: an argument "$(ports X)" would be expanded only once)
ports_are() { test "$(ports "$1")" = "$2"; }
count_is() { test "$(ls "$1" | wc -l)" = "$2"; }
wait_long() { # up to 120 s: many launches under the sanitizers take a while
	local i
	for i in $(seq 6); do wait_for "$@" && return 0; done
	return 1
}
# start_of PID: field 22 of /proc/PID/stat, as nsrun records it.
start_of() { sed -E 's/^.*\) //' "/proc/$1/stat" | cut -d' ' -f20; }
# holder BRIDGE FILE: a target that writes its address to FILE and stays.
holder() {
	spawn $NSRUN --bridge "$1" -- sh -c "echo \$NSRUN_ADDR >$2.tmp; mv $2.tmp $2; exec sleep 600"
}

# --- 200 concurrent launches ----------------------------------------------
mkbridge bc 10.30.0.1/16
mkdir "$NSRT_TMP/c"
for i in $(seq "$CONCURRENT"); do
	$NSRUN --bridge bc -- sh -c "echo \$NSRUN_ADDR >$NSRT_TMP/c/$i.tmp; mv $NSRT_TMP/c/$i.tmp $NSRT_TMP/c/$i; exec sleep 600" \
		2>"$NSRT_TMP/c.err.$i" &
	cpids[i]=$!
done
wait_long count_is "$NSRT_TMP/c" "$CONCURRENT"
is "$(ls "$NSRT_TMP/c" | wc -l)" "$CONCURRENT" "$CONCURRENT concurrent launches all reach their target"
is "$(cat "$NSRT_TMP"/c/* | sort -u | wc -l)" "$CONCURRENT" "  with $CONCURRENT distinct addresses"
is "$(ports bc)" "$CONCURRENT" "  all held at once: $CONCURRENT ports on the bridge"
is "$(grep -c '^lease ' "$NSRUN_STATE_DIR/bc.leases")" "$CONCURRENT" "  and $CONCURRENT leases in the file"
fails=0
{ # (bash reports each killed job on stderr: not news here)
	kill -KILL "${cpids[@]}"
	for i in $(seq "$CONCURRENT"); do
		wait "${cpids[i]}"
		[ $? = 137 ] || fails=$((fails + 1))
	done
} 2>/dev/null
is "$fails" 0 "  each one was still running its target"
wait_for ports_are bc 0
is "$(ports bc)" 0 "  no port left once they are gone"
out=$($NSRUN --gc --bridge bc | tail -n 1)
is "$out" "nsrun: bridge bc: $CONCURRENT stale leases reclaimed, 0 live" "  --gc reclaims all their leases"

# --- the lease file deleted under 3 running namespaces -------------------
mkbridge bl 10.31.0.1/24
for k in 1 2 3; do
	holder bl "$NSRT_TMP/l$k"
	wait_for test -e "$NSRT_TMP/l$k"
done
rm "$NSRUN_STATE_DIR/bl.leases"
out=$($NSRUN --bridge bl -- sh -c 'echo $NSRUN_ADDR' 2>"$NSRT_TMP/err")
is "$out" "10.31.0.5" "lease file deleted under 3 namespaces: the next launch skips their addresses"
is "$(cat "$NSRT_TMP/err")" "nsrun: bridge bl: lease file was missing; rebuilt 3 leases from live interfaces" "  and says it rebuilt the file"
got=$(grep '^lease' "$NSRUN_STATE_DIR/bl.leases" | cut -d' ' -f2,3 | tr '\n' ' ')
is "$got" "10.31.0.2 wired 10.31.0.3 wired 10.31.0.4 wired 10.31.0.5 pending " "  the rebuilt file holds them all"

# --- EEXIST on the host veth name ---------------------------------------
# Another bridge has a port with the very name nsrun would give 10.32.0.2.
mkbridge be 10.32.0.1/24
mkbridge bo 10.99.0.1/24
ip link add nsr0a200002 type veth peer name other0
ip link set nsr0a200002 master bo
holder be "$NSRT_TMP/e1"
e1=${NSRT_PIDS[-1]}
wait_for test -e "$NSRT_TMP/e1"
is "$(cat "$NSRT_TMP/e1")" "10.32.0.2" "a host veth name already taken: the launch still gets its address"
is "$(ip -o link show master be | awk -F': ' '{print $2}' | cut -d@ -f1)" "nsr0a200002-1" "  on a veth of another name"
like "$(grep '^lease 10.32.0.2 ' "$NSRUN_STATE_DIR/be.leases")" ' ifname nsr0a200002-1 ' "  recorded in its lease"
is "$(ip -o link show master bo | wc -l)" 1 "  and the other bridge's port is untouched"
out=$($NSRUN --bridge be -- sh -c 'echo $NSRUN_ADDR')
is "$out" "10.32.0.3" "  a renamed veth's lease is live: the next launch takes the next address"
wait_for ports_are be 1
rm "$NSRUN_STATE_DIR/be.leases"
out=$($NSRUN --gc --rebuild --bridge be)
is "$out" "nsrun: bridge be: there was no lease file
nsrun: bridge be: recovered 10.32.0.2 (veth nsr0a200002-1, pid $e1)
nsrun: bridge be: lease file rebuilt: 1 recovered, 0 kept, 0 dropped" "  --rebuild recovers it from its alias"

# --- --gc -------------------------------------------------------------------
out=$($NSRUN --help)
is "$?/$(grep -c -e '^      --gc ' -e '^      --rebuild ' <<<"$out")" "0/2" "--help documents --gc and --rebuild, exit 0"
like "$($NSRUN --version)" '^nsrun [0-9]+\.[0-9]+\.[0-9]+$' "--version"
mkbridge bg 10.33.0.1/24
holder bg "$NSRT_TMP/g1"
wait_for test -e "$NSRT_TMP/g1"
holder bg "$NSRT_TMP/g3"
wait_for test -e "$NSRT_TMP/g3"
dead2=${NSRT_PIDS[-1]}
kill -KILL "$dead2"
wait "$dead2" 2>/dev/null
wait_for ports_are bg 1
# (--ip: an automatic allocation would reuse the stale .3 at once)
{ NSRUN_FAULT=lease-written "$FAULTS" --bridge bg --ip 10.33.0.9 -- true; } 2>/dev/null
dead1=$(grep '^lease 10.33.0.9 ' "$NSRUN_STATE_DIR/bg.leases" | cut -d' ' -f5)
out=$($NSRUN --gc --bridge bg)
is "$out" "nsrun: bridge bg: reclaimed 10.33.0.3 (pid $dead2 gone, no veth)
nsrun: bridge bg: reclaimed 10.33.0.9 (pid $dead1 gone, no veth)
nsrun: bridge bg: 2 stale leases reclaimed, 1 live" "--gc --bridge: one line per reclaimed lease, then a summary"
is "$(grep -c '^lease' "$NSRUN_STATE_DIR/bg.leases")" 1 "  the file keeps only the live lease"
sum=$(md5sum <"$NSRUN_STATE_DIR/bg.leases")
out=$($NSRUN --gc --bridge bg)
is "$out" "nsrun: bridge bg: 0 stale leases reclaimed, 1 live" "  a second --gc finds nothing"
is "$(md5sum <"$NSRUN_STATE_DIR/bg.leases")" "$sum" "  and does not rewrite the file"

# Every bridge: bc, be, bg, bl (sorted), and a malformed one in the middle.
printf 'nsrun-leases 1\nbridge bm ifindex 0 mac-pinned 0\nlease 10.1.1.1\n' >"$NSRUN_STATE_DIR/bm.leases"
msum=$(md5sum <"$NSRUN_STATE_DIR/bm.leases")
{ NSRUN_FAULT=lease-written "$FAULTS" --bridge bl --ip 10.31.0.9 -- true; } 2>/dev/null
dead3=$(grep '^lease 10.31.0.9 ' "$NSRUN_STATE_DIR/bl.leases" | cut -d' ' -f5)
pid5=$(grep '^lease 10.31.0.5 ' "$NSRUN_STATE_DIR/bl.leases" | cut -d' ' -f5)
$NSRUN --gc >"$NSRT_TMP/out" 2>"$NSRT_TMP/err"
is "$?" 125 "--gc of every bridge with one malformed file: 125"
is "$(cat "$NSRT_TMP/out")" "nsrun: bridge bc: 0 stale leases reclaimed, 0 live
nsrun: bridge be: 0 stale leases reclaimed, 1 live
nsrun: bridge bg: 0 stale leases reclaimed, 1 live
nsrun: bridge bl: reclaimed 10.31.0.5 (pid $pid5 gone, no veth)
nsrun: bridge bl: reclaimed 10.31.0.9 (pid $dead3 gone, no veth)
nsrun: bridge bl: 2 stale leases reclaimed, 3 live
nsrun: gc: 5 bridges, 2 stale leases reclaimed, 5 live" "  the others are reclaimed, one line each and a summary"
is "$(cat "$NSRT_TMP/err")" "nsrun: lease file $NSRUN_STATE_DIR/bm.leases: line 3: expected 15 fields, found 2
nsrun: gc: 1 of 5 bridges failed (see above)" "  the malformed one named with its line"
is "$(md5sum <"$NSRUN_STATE_DIR/bm.leases")" "$msum" "  and left unchanged"

# --- --gc --rebuild -----------------------------------------------------------
# A parsable file: a launch still setting up (pending, its pid alive) is
# kept, a dead one dropped, the live veths recovered.
mkbridge bq 10.34.0.1/24
holder bq "$NSRT_TMP/r1"
wait_for test -e "$NSRT_TMP/r1"
r1=${NSRT_PIDS[-1]}
spawn sleep 600
setup=$!
{
	printf 'nsrun-leases 1\nbridge bq ifindex 0 mac-pinned 0\n'
	printf 'lease 10.34.0.7 pending pid %s start %s ifindex 0 ifname nsr0a220007 netns - created 1\n' \
		"$setup" "$(start_of "$setup")"
	printf 'lease 10.34.0.9 wired pid %s start 1 ifindex 999 ifname nsr0a220009 netns - created 1\n' "$dead1"
} >"$NSRUN_STATE_DIR/bq.leases"
out=$($NSRUN --gc --rebuild --bridge bq)
is "$out" "nsrun: bridge bq: recovered 10.34.0.2 (veth nsr0a220002, pid $r1)
nsrun: bridge bq: kept 10.34.0.7 (pid $setup setting up)
nsrun: bridge bq: dropped 10.34.0.9 (pid $dead1 gone, no veth)
nsrun: bridge bq: lease file rebuilt: 1 recovered, 1 kept, 1 dropped" "--gc --rebuild: recovered, kept and dropped, one line each"
got=$(grep '^lease' "$NSRUN_STATE_DIR/bq.leases" | cut -d' ' -f2,3 | tr '\n' ' ')
is "$got" "10.34.0.2 wired 10.34.0.7 pending " "  the file holds exactly the live ones"

# A malformed file: an error without --rebuild, replaced with it.
printf 'nsrun-leases 1\nbridge bq ifindex 0 mac-pinned 0\nlease  10.34.0.9\n' >"$NSRUN_STATE_DIR/bq.leases"
sum=$(md5sum <"$NSRUN_STATE_DIR/bq.leases")
$NSRUN --gc --bridge bq >"$NSRT_TMP/out" 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/out" "$NSRT_TMP/err")" "125/nsrun: lease file $NSRUN_STATE_DIR/bq.leases: line 3: malformed (fields must be separated by one space)" \
	"--gc on a malformed file: 125, file and line named"
is "$(md5sum <"$NSRUN_STATE_DIR/bq.leases")" "$sum" "  the file unchanged"
out=$($NSRUN --gc --rebuild --bridge bq)
is "$out" "nsrun: bridge bq: replaced a malformed lease file (lease file $NSRUN_STATE_DIR/bq.leases: line 3: malformed (fields must be separated by one space))
nsrun: bridge bq: recovered 10.34.0.2 (veth nsr0a220002, pid $r1)
nsrun: bridge bq: lease file rebuilt: 1 recovered, 0 kept, 0 dropped" "--gc --rebuild replaces a malformed file"
out=$($NSRUN --bridge bq -- sh -c 'echo $NSRUN_ADDR')
is "$out" "10.34.0.3" "  and the next launch never hands out the recovered address"

done_testing
