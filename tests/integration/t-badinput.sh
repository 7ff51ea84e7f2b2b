#!/bin/bash
# Bad input, table-driven: every row is one invocation of nsrun that must
# fail with the exit status and the exact one-line message of its row, print
# nothing on stdout, and leave the test host as it was (same links and
# addresses, state files byte for byte, no new file but lock files).
. "$(dirname "$0")/lib.sh"

# exit | message after "nsrun: " (@D@: the row's scratch dir, @S@: the state
# dir, @N@/@L@: see e2big) | setup (a function below, - for none) | arguments
# (shell words, eval'ed: $'\x01' for bytes)
TABLE=$(cat <<'EOF'
125 | --ip 10.0.0: not an IPv4 address | - | --bridge br1 --ip 10.0.0 -- true
125 | --ip 10.0.0.256: not an IPv4 address | - | --bridge br1 --ip 10.0.0.256 -- true
125 | --ip 010.0.0.5: not an IPv4 address | - | --bridge br1 --ip 010.0.0.5 -- true
125 | --ip 10.0.0.5/24: not an IPv4 address | - | --bridge br1 --ip 10.0.0.5/24 -- true
125 | --ip : not an IPv4 address | - | --bridge br1 --ip '' -- true
125 | --ip abc: not an IPv4 address | - | --bridge br1 --ip abc -- true
125 | --ip  10.0.0.5: not an IPv4 address | - | --bridge br1 --ip ' 10.0.0.5' -- true
125 | --ip 10.0.0.5x: not an IPv4 address | - | --bridge br1 --ip 10.0.0.5x -- true
125 | --ip 1.2.3.4.5: not an IPv4 address | - | --bridge br1 --ip 1.2.3.4.5 -- true
125 | --ip 10..0.5: not an IPv4 address | - | --bridge br1 --ip 10..0.5 -- true
125 | --ip -1: not an IPv4 address | - | --bridge br1 --ip -1 -- true
125 | --ip 4294967296: not an IPv4 address | - | --bridge br1 --ip 4294967296 -- true
125 | --ip 10.0.0.5\x0a: not an IPv4 address | - | --bridge br1 --ip $'10.0.0.5\n' -- true
125 | address 10.1.0.5: not a host address of bridge br1 (10.0.0.0/24) | - | --bridge br1 --ip 10.1.0.5 -- true
125 | address 10.0.0.0: not a host address of bridge br1 (10.0.0.0/24) | - | --bridge br1 --ip 10.0.0.0 -- true
125 | address 10.0.0.255: not a host address of bridge br1 (10.0.0.0/24) | - | --bridge br1 --ip 10.0.0.255 -- true
125 | address 10.0.0.1: is the gateway of bridge br1 | - | --bridge br1 --ip 10.0.0.1 -- true
125 | --subnet 10.9.0.0/31: prefix longer than /30 leaves no room for a gateway and a host | - | --bridge brnew --subnet 10.9.0.0/31 -- true
125 | --subnet 10.9.0.0/32: prefix longer than /30 leaves no room for a gateway and a host | - | --bridge brnew --subnet 10.9.0.0/32 -- true
125 | --subnet 10.9.0.1/24: not a network address (did you mean 10.9.0.0/24?) | - | --bridge brnew --subnet 10.9.0.1/24 -- true
125 | --subnet 10.9.0.128/24: not a network address (did you mean 10.9.0.0/24?) | - | --bridge brnew --subnet 10.9.0.128/24 -- true
125 | --subnet 10.9.0.0/33: not an IPv4 subnet (expected A.B.C.D/N) | - | --bridge brnew --subnet 10.9.0.0/33 -- true
125 | --subnet 10.9.0.0: not an IPv4 subnet (expected A.B.C.D/N) | - | --bridge brnew --subnet 10.9.0.0 -- true
125 | --subnet 10.9.0.0/024: not an IPv4 subnet (expected A.B.C.D/N) | - | --bridge brnew --subnet 10.9.0.0/024 -- true
125 | --subnet 10.9.0.0/: not an IPv4 subnet (expected A.B.C.D/N) | - | --bridge brnew --subnet 10.9.0.0/ -- true
125 | --subnet /24: not an IPv4 subnet (expected A.B.C.D/N) | - | --bridge brnew --subnet /24 -- true
125 | --subnet 10.9.0.0/-1: not an IPv4 subnet (expected A.B.C.D/N) | - | --bridge brnew --subnet 10.9.0.0/-1 -- true
125 | --subnet 10.0.0.0/7: prefix shorter than /8 is not a bridge subnet | - | --bridge brnew --subnet 10.0.0.0/7 -- true
125 | bridge br1: has address 10.0.0.1/24, not in --subnet 10.9.0.0/24 | - | --bridge br1 --subnet 10.9.0.0/24 -- true
125 | --mtu 0: not a number from 68 to 65535 | - | --bridge br1 --mtu 0 -- true
125 | --mtu 67: not a number from 68 to 65535 | - | --bridge br1 --mtu 67 -- true
125 | --mtu 65536: not a number from 68 to 65535 | - | --bridge br1 --mtu 65536 -- true
125 | --mtu abc: not a number from 68 to 65535 | - | --bridge br1 --mtu abc -- true
125 | --mtu -1: not a number from 68 to 65535 | - | --bridge br1 --mtu -1 -- true
125 | --mtu 1500x: not a number from 68 to 65535 | - | --bridge br1 --mtu 1500x -- true
125 | --mtu : not a number from 68 to 65535 | - | --bridge br1 --mtu '' -- true
125 | --mtu 99999999999999999999: not a number from 68 to 65535 | - | --bridge br1 --mtu 99999999999999999999 -- true
125 | --mtu  1500: not a number from 68 to 65535 | - | --bridge br1 --mtu ' 1500' -- true
125 | --mtu +1500: not a number from 68 to 65535 | - | --bridge br1 --mtu +1500 -- true
125 | --mtu 0x500: not a number from 68 to 65535 | - | --bridge br1 --mtu 0x500 -- true
125 | --mac 01:00:00:00:00:01: not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac 01:00:00:00:00:01 -- true
125 | --mac ff:ff:ff:ff:ff:ff: not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac ff:ff:ff:ff:ff:ff -- true
125 | --mac 00:00:00:00:00:00: not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac 00:00:00:00:00:00 -- true
125 | --mac 02:00:00:00:00: not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac 02:00:00:00:00 -- true
125 | --mac 02:00:00:00:00:01:02: not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac 02:00:00:00:00:01:02 -- true
125 | --mac zz:00:00:00:00:01: not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac zz:00:00:00:00:01 -- true
125 | --mac 02-00-00-00-00-01: not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac 02-00-00-00-00-01 -- true
125 | --mac 2:0:0:0:0:1: not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac 2:0:0:0:0:1 -- true
125 | --mac : not a unicast MAC address (expected xx:xx:xx:xx:xx:xx) | - | --bridge br1 --mac '' -- true
125 | --bridge 0123456789abcdef: longer than 15 bytes | - | --bridge 0123456789abcdef -- true
125 | --bridge a/b: contains '/' or ':' | - | --bridge a/b -- true
125 | --bridge a:b: contains '/' or ':' | - | --bridge a:b -- true
125 | --bridge a b: contains a space or a non-printable byte | - | --bridge 'a b' -- true
125 | --bridge a\x09b: contains a space or a non-printable byte | - | --bridge $'a\tb' -- true
125 | --bridge a\x0ab: contains a space or a non-printable byte | - | --bridge $'a\nb' -- true
125 | --bridge br\x01: contains a space or a non-printable byte | - | --bridge $'br\x01' -- true
125 | --bridge br\x1b[2J: contains a space or a non-printable byte | - | --bridge $'br\e[2J' -- true
125 | --bridge br\x7f: contains a space or a non-printable byte | - | --bridge $'br\x7f' -- true
125 | --bridge : empty name | - | --bridge '' -- true
125 | --bridge ..: not a valid interface name | - | --bridge .. -- true
125 | --bridge 0123456789abcdef: longer than 15 bytes | - | --gc --bridge 0123456789abcdef
125 | --ifname 0123456789abcdef: longer than 15 bytes | - | --bridge br1 --ifname 0123456789abcdef -- true
125 | --ifname a/b: contains '/' or ':' | - | --bridge br1 --ifname a/b -- true
125 | --ifname a b: contains a space or a non-printable byte | - | --bridge br1 --ifname 'a b' -- true
125 | --ifname e\x01: contains a space or a non-printable byte | - | --bridge br1 --ifname $'e\x01' -- true
125 | --ifname : empty name | - | --bridge br1 --ifname '' -- true
125 | --ifname lo: the loopback interface's name | - | --bridge br1 --ifname lo -- true
125 | bridge vx0: not a bridge (a veth device) | - | --bridge vx0 -- true
125 | bridge nosuch: does not exist; create it, or pass --subnet to let nsrun create it | - | --bridge nosuch -- true
125 | --frobnicate: unknown option (see --help) | - | --frobnicate -- true
125 | --frob=1: unknown option (see --help) | - | --frob=1 -- true
125 | -x: unknown option (see --help) | - | -x -- true
125 | -x: unknown option (see --help) | - | -qx -- true
125 | --help=x: option takes no argument | - | --help=x
125 | --gc=1: option takes no argument | - | --gc=1
125 | --bridge: missing argument | - | --bridge
125 | --ip: missing argument | - | --bridge br1 --ip
125 | command: missing (usage: nsrun [OPTIONS] [--] COMMAND [ARG...]) | - |
125 | command: missing (usage: nsrun [OPTIONS] [--] COMMAND [ARG...]) | - | --bridge br1 --
125 | '': command not found | - | --bridge br1 ''
125 | --rebuild: does not apply to a launch | - | --rebuild --bridge br1 -- true
125 | --gc --rebuild: needs --bridge NAME | - | --gc --rebuild
125 | --gc: unexpected argument 'true' | - | --gc true
125 | --state-dir rel: not an absolute path | - | --state-dir rel --bridge br1 -- true
125 | NSRUN_STATE_DIR rel: not an absolute path | sd_env_rel | --bridge br1 -- true
125 | state directory @D@/none/state: create: No such file or directory | - | --state-dir @D@/none/state --bridge br1 -- true
125 | state directory @D@/link: is a symbolic link | sd_link | --state-dir @D@/link --bridge br1 -- true
125 | state directory @D@/link: is a symbolic link | sd_link | --state-dir @D@/link --gc
125 | state directory @D@/file: not a directory | sd_file | --state-dir @D@/file --bridge br1 -- true
125 | state directory @D@/nobody: owned by uid 65534, not 0 | sd_nobody | --state-dir @D@/nobody --bridge br1 -- true
125 | state directory @D@/g: writable by group or others (mode 775) | sd_group | --state-dir @D@/g --bridge br1 -- true
125 | state directory @D@/o: writable by group or others (mode 757) | sd_other | --state-dir @D@/o --bridge br1 -- true
125 | lease file @S@/lk.leases: is a symbolic link | lf_link | --bridge lk -- true
125 | lease file @S@/lk.leases: is a symbolic link | lf_link | --gc --bridge lk
125 | lease file @S@/ld.leases: not a regular file | lf_dir | --bridge ld -- true
125 | lease file @S@/lp.leases: not a regular file | lf_fifo | --bridge lp -- true
125 | lease file @S@/br1.leases: line 2: file belongs to bridge "br2", not br1 | lf_other | --bridge br1 -- true
125 | true: arguments and environment too long (@N@ bytes, limit @L@) | e2big | --bridge br1 -- true "${BIG[@]}"
125 | permission denied: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run it as root, or have root install it with `make install-privileged` and allow you in /etc/nsrun/nsrun.conf) | nobody | --bridge br1 -- true
125 | permission denied: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run it as root) | nocaps | --bridge br1 -- true
125 | permission denied: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run it as root, or have root install it with `make install-privileged` and allow you in /etc/nsrun/nsrun.conf) | nobody | -- true
EOF
)
plan "$(grep -c . <<<"$TABLE")"

mkbridge br1 10.0.0.1/24
# Bridges whose lease files the rows break (a missing bridge is refused first).
mkbridge lk 10.61.0.1/24 && mkbridge ld 10.62.0.1/24 && mkbridge lp 10.63.0.1/24 || exit 1
ip link add vx0 type veth peer name vx1
# A lease file that is really there, with a live lease in it.
spawn $NSRUN --bridge br1 -- sleep 600
wait_for test -e "$NSRUN_STATE_DIR/br1.leases"

D=$NSRT_TMP/d
RUNDIR=$NSRT_TMP/run # the rows' stdout and stderr, outside what is compared

# --- setups (in the row's subshell; RUN prefixes the command) ---------------
sd_env_rel() { export NSRUN_STATE_DIR=rel; }
sd_link() { mkdir -p "$D/real" && ln -s "$D/real" "$D/link"; }
sd_file() { touch "$D/file"; }
sd_nobody() { mkdir -m 755 "$D/nobody" && chown 65534 "$D/nobody"; }
sd_group() { mkdir -m 775 "$D/g"; }
sd_other() { mkdir -m 757 "$D/o"; }
lf_link() { ln -s "$D/elsewhere" "$NSRUN_STATE_DIR/lk.leases"; }
lf_dir() { mkdir "$NSRUN_STATE_DIR/ld.leases"; }
lf_fifo() { mkfifo "$NSRUN_STATE_DIR/lp.leases"; }
lf_other() {
	cp -p "$NSRUN_STATE_DIR/br1.leases" "$D/br1.leases.saved"
	sed -i 's/^bridge br1 /bridge br2 /' "$NSRUN_STATE_DIR/br1.leases"
}
# Not root: nobody, no capabilities, from a copy of nsrun it can execute
# (a coverage build writes its counts under GCOV_PREFIX, not the tree).
nobody() {
	RUN=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all
		env GCOV_PREFIX="$NOBODY/gcov")
	NSRUN=$NOBODY/nsrun
}
# Root, but without a single capability.
nocaps() { RUN=(setpriv --inh-caps=-all --bounding-set=-all); }
# Arguments that fit nsrun's own execve but not the target's: the kernel
# takes strings + NULs + 8-byte pointers (+ the file name) up to ARG_MAX;
# nsrun keeps 512 bytes for its NSRUN_* variables.  No environment at all.
e2big() { RUN=(exec -c); }
L=$(getconf ARG_MAX)
fixed=$(((${#NSRUN} + 9) + (8 + 9) + (3 + 9) + (2 + 9) + (4 + 9) + ${#NSRUN} + 1))
room=$((L - 64 - fixed)) # bytes (with NUL and pointer each) left for BIG
BIG=()
while [ "$room" -gt 100009 ]; do
	BIG+=("$(printf '%0100000d' 0)")
	room=$((room - 100009))
done
BIG+=("$(printf "%0$((room - 9))d" 0)")
N=$((512 + 4 + 9 + L - 64 - fixed))

NOBODY=$NSRT_TMP/nobody
chmod 711 "$NSRT_TMP"
mkdir -m 755 "$NOBODY" "$NOBODY/gcov"
chown 65534 "$NOBODY/gcov"
cp "$NSRUN" "$NOBODY/nsrun"

# The host as a row may not change it: links, addresses, and every file
# under the test's directory (lock files aside: taking a lock is no change).
snapshot() {
	ip -o link | awk -F': ' '{print $2}' | sort
	ip -o addr | awk '{print $2, $4}' | sort
	find "$NSRT_TMP" \( -path "$RUNDIR" -o -path "$NOBODY" \) -prune -o ! -name '*.lock' \
		-printf '%P %y %m %u %s\n' | sort
	find "$NSRT_TMP" \( -path "$RUNDIR" -o -path "$NOBODY" \) -prune -o -type f \
		! -name '*.lock' -exec md5sum {} + | sort
}

mkdir -p "$RUNDIR"
while IFS='|' read -r want msg setup args; do
	want=${want//[[:space:]]/} setup=${setup//[[:space:]]/}
	msg=${msg# } msg=${msg% } args=${args# }
	rm -rf "$D"
	mkdir -p "$D"
	msg=${msg//@D@/$D} msg=${msg//@S@/$NSRUN_STATE_DIR} msg=${msg//@N@/$N} msg=${msg//@L@/$L}
	args=${args//@D@/$D}
	(
		RUN=()
		[ "$setup" = - ] || "$setup"
		snapshot >"$RUNDIR/before"
		eval "set -- $args"
		"${RUN[@]}" "$NSRUN" "$@" >"$RUNDIR/out" 2>"$RUNDIR/err"
		echo $? >"$RUNDIR/rc"
	)
	snapshot >"$RUNDIR/after"
	if cmp -s "$RUNDIR/before" "$RUNDIR/after"; then
		changed=unchanged
	else
		changed=$(diff "$RUNDIR/before" "$RUNDIR/after" | grep '^[<>]' | tr '\n' ' ')
	fi
	case $setup in # undo what the setup put among the shared state
	lf_link | lf_fifo) rm -f "$NSRUN_STATE_DIR"/l[kp].leases ;;
	lf_dir) rmdir "$NSRUN_STATE_DIR/ld.leases" ;;
	lf_other) cp -p "$D/br1.leases.saved" "$NSRUN_STATE_DIR/br1.leases" ;;
	esac
	got="$(cat "$RUNDIR/rc")|$(cat "$RUNDIR/err")|$(cat "$RUNDIR/out")|$changed"
	is "$got" "$want|nsrun: $msg||unchanged" "$(printf '%q' "$args" | cut -c1-72) -> $want, one line, host unchanged"
done <<<"$TABLE"

done_testing
