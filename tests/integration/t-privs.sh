#!/bin/bash
# A user other than root, with nsrun installed with file capabilities (and
# the setuid-root alternative): only what the policy allows, a target with
# the user's ids and nothing more, root's state untouchable, every refusal
# one line naming the policy line, and the host unchanged by a refusal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/privs.sh"
TCP=$NSRT_ROOT/tests/integration/tcp.py
plan 46

U=$NSRT_USER
mkbridge br1 192.168.1.10/24
mkbridge br2 192.168.2.10/24
mkbridge br3 192.168.3.10/24
policy "# test policy" "allow user $U bridge br1" "allow group $NSRT_GROUP bridge br3"

# --- an allowed launch -------------------------------------------------------
out=$(as_user "$NSRT_CAPS" --bridge br1 -- sh -c "$NSRT_STATUS")
is "$out" "${NSRT_ZERO_CAPS}NoNewPrivs: 1;Seccomp: 2;" \
	"allowed user on an allowed bridge: no capabilities at all, no_new_privs, seccomp"
want=$(as_user sh -c 'echo $(id -u) $(id -g) $(id -G)')
out=$(as_user "$NSRT_CAPS" --bridge br1 -- sh -c 'echo $(id -u) $(id -g) $(id -G)')
is "$out" "$want" "  the caller's uid, gid and supplementary groups"
like "$want" "^$(id -u "$U") $(id -g "$U") .*$(getent group "$NSRT_GROUP" | cut -d: -f3)" \
	"  (which include the test group)"
out=$(as_user "$NSRT_CAPS" --bridge br1 -- sh -c 'ip -4 -o addr show dev eth0 | grep -q "inet $NSRUN_ADDR/24 " && echo $NSRUN_BRIDGE $NSRUN_ADDR')
like "$out" '^br1 192\.168\.1\.[0-9]+$' "  on its own address on br1"
is "$(stat -c '%U:%G %a' /run/nsrun /run/nsrun/br1.leases)" "$(printf 'root:root 755\nroot:root 644')" \
	"state directory and lease file are root's, whoever launched"
nok "  and the user cannot write them" as_user sh -c 'echo x >>/run/nsrun/br1.leases' 2>/dev/null

# A TCP server and a shell under the default seccomp profile.
spawn as_user "$NSRT_CAPS" --bridge br1 -- sh -c 'echo addr $NSRUN_ADDR; exec env TCP_NAME=user "$0" "$1" serve 0.0.0.0 8080 1' "$NSRT_PY" "$TCP" >"$NSRT_TMP/srv"
wait_for grep -q listening "$NSRT_TMP/srv"
out=$("$NSRT_PY" "$TCP" connect "$(sed -n 's/^addr //p' "$NSRT_TMP/srv")" 8080)
is "$out" "user 192.168.1.10" "a TCP server run by the user answers the host"
out=$(as_user "$NSRT_CAPS" --bridge br1 -- sh -c 'x=1; for i in 1 2 3; do x=$((x * 2)); done; echo $x')
is "$out" 8 "a shell works"

# Group rules use the kernel's groups of the caller.
out=$(as_user "$NSRT_CAPS" --bridge br3 -- sh -c 'echo $NSRUN_BRIDGE')
is "$out" br3 "a bridge allowed to a group of the user"
setpriv --reuid="$U" --regid="$U" --clear-groups -- \
	"$NSRT_CAPS" --bridge br3 -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: bridge br3: not allowed for user $U (add \"allow user $U bridge br3\" to $NSRT_POLICY)" \
	"  not once the caller dropped that group"

# --- refusals: 125, one line, host unchanged ------------------------------------
wait_for test "$(ports br1)$(ports br3)" = 00
links() { ip -br link | awk '{print $1, $3}' | sort; } # names and MACs
links_before=$(links)
leases_before=$(cat /run/nsrun/br1.leases)

refused() { # DESC WANT-MESSAGE CMD...
	local desc=$1 want=$2
	shift 2
	"$@" >/dev/null 2>"$NSRT_TMP/err"
	is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: $want" "$desc"
}
refused "a bridge not in the policy" \
	"bridge br2: not allowed for user $U (add \"allow user $U bridge br2\" to $NSRT_POLICY)" \
	as_user "$NSRT_CAPS" --bridge br2 -- true
refused "--state-dir" "--state-dir: not allowed for user $U (root only; no policy line allows it)" \
	as_user "$NSRT_CAPS" --bridge br1 --state-dir "$NSRT_TMP/evil" -- true
refused "NSRUN_STATE_DIR" "NSRUN_STATE_DIR: not allowed for user $U (root only; no policy line allows it)" \
	as_user env NSRUN_STATE_DIR="$NSRT_TMP/evil" "$NSRT_CAPS" --bridge br1 -- true
refused "--user" "--user: not allowed for user $U (root only; no policy line allows it)" \
	as_user "$NSRT_CAPS" --user root --bridge br1 -- true
refused "--ip without the grant" \
	"--ip: not allowed for user $U (add \"allow user $U bridge br1 options ip\" to $NSRT_POLICY)" \
	as_user "$NSRT_CAPS" --bridge br1 --ip 192.168.1.77 -- true
refused "--mac without the grant" \
	"--mac: not allowed for user $U (add \"allow user $U bridge br1 options mac\" to $NSRT_POLICY)" \
	as_user "$NSRT_CAPS" --bridge br1 --mac 02:00:00:00:00:01 -- true
refused "--subnet (creating a bridge) without the grant" \
	"--subnet: not allowed for user $U (add \"allow user $U bridge br1 options create\" to $NSRT_POLICY)" \
	as_user "$NSRT_CAPS" --bridge br1 --subnet 10.99.0.0/24 -- true
refused "--cap-add without the grant" \
	"--cap-add: not allowed for user $U (add \"allow user $U bridge br1 options cap-add\" to $NSRT_POLICY)" \
	as_user "$NSRT_CAPS" --bridge br1 --cap-add NET_RAW -- true
refused "--seccomp none without the grant" \
	"--seccomp: not allowed for user $U (add \"allow user $U bridge br1 options seccomp\" to $NSRT_POLICY)" \
	as_user "$NSRT_CAPS" --bridge br1 --seccomp none -- true
# --nat comes from another branch: refused by name once it exists,
# unknown until then; 125 and nothing done either way.
as_user "$NSRT_CAPS" --bridge br1 --nat -- true 2>"$NSRT_TMP/err"
is "$?" 125 "--nat: 125"
if "$NSRUN" --help | grep -q -- '--nat'; then
	is "$(cat "$NSRT_TMP/err")" "nsrun: --nat: not allowed for user $U (add \"allow user $U bridge br1 options nat\" to $NSRT_POLICY)" \
		"  refused by name"
else
	is "$(cat "$NSRT_TMP/err")" "nsrun: --nat: unknown option (see --help)" "  unknown in this build"
fi
refused "a new bridge by name" \
	"bridge brnew: not allowed for user $U (add \"allow user $U bridge brnew\" to $NSRT_POLICY)" \
	as_user "$NSRT_CAPS" --bridge brnew --subnet 10.98.0.0/24 -- true
policy "allow user $U bridge br1,nsrun0"
refused "the default bridge, missing, without create" \
	"bridge nsrun0: does not exist, and creating it is not allowed for user $U (add \"allow user $U bridge nsrun0 options create\" to $NSRT_POLICY)" \
	as_user "$NSRT_CAPS" -- true
is "$(links)" "$links_before" "the host's links are unchanged by all these refusals"
is "$(cat /run/nsrun/br1.leases)" "$leases_before" "  and so are the leases"

# --- grants -----------------------------------------------------------------------
policy "allow user $U bridge br1 options ip" "allow group $NSRT_GROUP bridge nsrun0 options create"
out=$(as_user "$NSRT_CAPS" --bridge br1 --ip 192.168.1.77 -- sh -c 'echo $NSRUN_ADDR')
is "$out" 192.168.1.77 "--ip once the policy grants it"
out=$(as_user "$NSRT_CAPS" -- sh -c 'echo $NSRUN_BRIDGE $NSRUN_GATEWAY')
is "$out" "nsrun0 10.47.0.1" "the default bridge is created once the policy grants create"

# --- the policy file itself -------------------------------------------------------
policy_refused() { # DESC WANT
	as_user "$NSRT_CAPS" --bridge br1 -- true 2>"$NSRT_TMP/err"
	is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: $2" "$1"
}
policy "allow user $U bridge br1"
chmod 0666 "$NSRT_POLICY"
policy_refused "a policy file writable by others is refused" \
	"policy $NSRT_POLICY: writable by group or others (mode 0666); refusing it"
chmod 0664 "$NSRT_POLICY"
policy_refused "  by its group too" "policy $NSRT_POLICY: writable by group or others (mode 0664); refusing it"
chmod 0644 "$NSRT_POLICY"
chown "$U" "$NSRT_POLICY"
policy_refused "a policy file not owned by root is refused" \
	"policy $NSRT_POLICY: owned by uid $(id -u "$U"), not root; refusing it"
chown 0 "$NSRT_POLICY"
chmod 0777 /run/nsrt-etc/nsrun
policy_refused "a directory above it writable by others is refused" \
	"policy /run/nsrt-etc/nsrun: writable by group or others (mode 0777); refusing it"
chmod 0755 /run/nsrt-etc/nsrun
chmod 0600 "$NSRT_POLICY"
out=$(as_user "$NSRT_CAPS" --bridge br1 -- sh -c 'echo $NSRUN_BRIDGE')
is "$out" br1 "a policy file only root can read is read (as root)"
mv "$NSRT_POLICY" /run/nsrt-etc/real.conf
ln -s /run/nsrt-etc/real.conf "$NSRT_POLICY"
policy_refused "a policy file that is a symbolic link is refused" \
	"policy $NSRT_POLICY: a symbolic link or not a directory; refusing it"
rm "$NSRT_POLICY"
policy_refused "no policy file: nothing allowed, and the line to add is named" \
	"bridge br1: not allowed for user $U (add \"allow user $U bridge br1\" to $NSRT_POLICY)"
policy "allow user $U bridge br1" "allow user $U bridge br2 options ip,frobnicate"
policy_refused "a malformed policy file is refused with its line" \
	"policy $NSRT_POLICY: line 2: option \"frobnicate\": not an nsrun option"
policy "allow user $U bridge br1"

# --- the environment and descriptors ---------------------------------------------
out=$(as_user sh -c 'umask 027; exec "$0" --bridge br1 -- sh -c umask' "$NSRT_CAPS")
is "$out" 0027 "the target gets the caller's umask"
as_user sh -c 'umask 777; exec "$0" --bridge br1 -- true' "$NSRT_CAPS"
is "$?/$(stat -c %a /run/nsrun/br1.leases)" "0/644" "  which does not reach nsrun's state files"
out=$(as_user bash -c "$NSRT_ONLY_STD" only_std "$NSRT_CAPS" --bridge br1 -- sh -c 'ls /proc/$$/fd' | tr "\n" " ")
is "$out" "0 1 2 " "the target sees only descriptors 0, 1 and 2"
out=$(as_user bash -c "$NSRT_ONLY_STD" only_std sh -c 'exec 7</dev/null; exec "$0" --bridge br1 -- sh -c "ls /proc/\$\$/fd"' "$NSRT_CAPS" | tr "\n" " ")
is "$out" "0 1 2 7 " "  plus those the caller passes (its own)"
# (glibc's secure mode puts /dev/full there before nsrun's own check.)
out=$(as_user "$NSRT_CAPS" --bridge br1 -- sh -c 'readlink /proc/$$/fd/0' <&-)
like "$out" '^/dev/(null|full)$' "a closed stdin reaches the target as a device, never as a file nsrun opened"
out=$(as_user env LD_PRELOAD=/nonexistent/evil.so MALLOC_CHECK_=3 "$NSRT_CAPS" --bridge br1 -- sh -c 'echo ${LD_PRELOAD-unset} ${MALLOC_CHECK_-unset}' 2>&1)
is "$out" "unset unset" "the loader's secure mode drops LD_PRELOAD and MALLOC_CHECK_"

# --- install variants ------------------------------------------------------------
out=$(as_user "$NSRT_SUID" --bridge br1 -- sh -c "$NSRT_STATUS"'; id -u')
is "$out" "${NSRT_ZERO_CAPS}NoNewPrivs: 1;Seccomp: 2;$(id -u "$U")" \
	"setuid-root install: the same clean target, as the user"
refused "setuid-root install: the same refusals" \
	"bridge br2: not allowed for user $U (add \"allow user $U bridge br2\" to $NSRT_POLICY)" \
	as_user "$NSRT_SUID" --bridge br2 -- true
refused "an nsrun without capabilities says how to get them" \
	"permission denied: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run it as root, or have root install it with \`make install-privileged\` and allow you in /etc/nsrun/nsrun.conf)" \
	as_user "$NSRUN" --bridge br1 -- true
install -m 0755 "$POLICYTEST" "$NSRT_BIN/nsrun-partial"
setcap cap_net_admin,cap_sys_admin=ep "$NSRT_BIN/nsrun-partial"
refused "an nsrun installed with too few capabilities says which" \
	"permission denied: nsrun is installed without CAP_SETPCAP, CAP_SETUID, CAP_SETGID (install it with \`make install-privileged\`)" \
	as_user "$NSRT_BIN/nsrun-partial" --bridge br1 -- true

wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "no veth left on br1"
done_testing
