#!/bin/bash
# --cap-add/--cap-drop adjust root's default set (Docker's), seen in the
# target's CapBnd and CapEff; a user gets a capability only when the policy
# grants cap-add, only NET_BIND_SERVICE or NET_RAW, and only if nsrun holds it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/privs.sh"
plan 22

U=$NSRT_USER
mkbridge br1 192.168.1.10/24

# caps ARGS...: "CapBnd CapEff" of a root target launched with ARGS.
caps() {
	$NSRUN --bridge br1 "$@" -- sh -c 'grep -E "^Cap(Bnd|Eff):" /proc/self/status | cut -f2 | tr "\n" " "'
}
hex() { printf '%016x' "$1"; }
DEFAULT=$((0xa80425fb)) # Docker's default set
ALL=$((0x$(grep '^CapPrm:' /proc/self/status | cut -f2))) # all that root here holds
NET_ADMIN=$((1 << 12)) NET_RAW=$((1 << 13)) SYS_ADMIN=$((1 << 21)) NET_BIND=$((1 << 10))

is "$(caps)" "$(hex $DEFAULT) $(hex $DEFAULT) " "root's target: Docker's default set, bounding and effective"
is "$(caps --cap-drop NET_RAW)" "$(hex $((DEFAULT & ~NET_RAW))) $(hex $((DEFAULT & ~NET_RAW))) " \
	"--cap-drop NET_RAW removes it"
is "$(caps --cap-add SYS_ADMIN)" "$(hex $((DEFAULT | SYS_ADMIN))) $(hex $((DEFAULT | SYS_ADMIN))) " \
	"--cap-add SYS_ADMIN adds it"
is "$(caps --cap-add cap_net_admin --cap-add Net_Raw)" "$(hex $((DEFAULT | NET_ADMIN))) $(hex $((DEFAULT | NET_ADMIN))) " \
	"  names in any case, with or without CAP_"
is "$(caps --cap-drop ALL)" "$(hex 0) $(hex 0) " "--cap-drop ALL: nothing"
is "$(caps --cap-drop ALL --cap-add NET_BIND_SERVICE)" "$(hex $NET_BIND) $(hex $NET_BIND) " \
	"--cap-drop ALL --cap-add NET_BIND_SERVICE: only that"
is "$(caps --cap-add ALL)" "$(hex $ALL) $(hex $ALL) " "--cap-add ALL: every capability root holds"
is "$(caps --cap-add ALL --cap-drop SYS_ADMIN)" "$(hex $((ALL & ~SYS_ADMIN))) $(hex $((ALL & ~SYS_ADMIN))) " \
	"--cap-add ALL --cap-drop SYS_ADMIN"
out=$($NSRUN --bridge br1 --cap-add NET_ADMIN -- ip link set eth0 mtu 1400 2>&1)
is "$?/$out" "0/" "  which the target can use: NET_ADMIN sets its MTU"
out=$($NSRUN --bridge br1 -- ip link set eth0 mtu 1400 2>&1)
like "$?/$out" '^2/RTNETLINK answers: Operation not permitted' "  and without it cannot"
setpriv --bounding-set -sys_boot -- $NSRUN --bridge br1 --cap-add SYS_BOOT -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --cap-add SYS_BOOT: nsrun itself does not hold it (not in its bounding set)" \
	"a capability root itself lacks cannot be added: 125"
out=$(setpriv --bounding-set -mknod -- $NSRUN --bridge br1 -- sh -c 'grep "^CapBnd:" /proc/self/status | cut -f2')
is "$out" "$(hex $((DEFAULT & ~(1 << 27))))" "  and is left out of the default set"
$NSRUN --bridge br1 --cap-add FROB -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" \
	"125/nsrun: --cap-add FROB: unknown capability (names as in capabilities(7), e.g. NET_RAW, or ALL)" \
	"an unknown capability: 125"
$NSRUN --bridge br1 --cap-drop NET_RAW --cap-add net_raw -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" "125/nsrun: --cap-add NET_RAW and --cap-drop NET_RAW: contradict each other" \
	"adding and dropping the same: 125"

# --- a user ---------------------------------------------------------------------------
policy "allow user $U bridge br1 options cap-add"
NSRT_CAPS_BIND=$NSRT_BIN/nsrun-caps-bind
install -m 0755 "$POLICYTEST" "$NSRT_CAPS_BIND"
setcap "$PRIV_CAPS,cap_net_bind_service=ep" "$NSRT_CAPS_BIND"
out=$(as_user "$NSRT_CAPS_BIND" --bridge br1 --cap-add NET_BIND_SERVICE -- sh -c "$NSRT_STATUS")
is "$out" "CapInh: 0000000000000400;CapPrm: 0000000000000400;CapEff: 0000000000000400;CapBnd: 0000000000000400;CapAmb: 0000000000000400;NoNewPrivs: 1;Seccomp: 2;" \
	"a granted --cap-add NET_BIND_SERVICE: that capability only, ambient"
out=$(as_user "$NSRT_CAPS_BIND" --bridge br1 --cap-add NET_BIND_SERVICE -- "$NSRT_PY" -c '
import socket; s = socket.socket(); s.bind(("0.0.0.0", 80)); print("bound 80")')
is "$out" "bound 80" "  the user's server binds port 80"
out=$(as_user "$NSRT_CAPS_BIND" --bridge br1 -- sh -c "$NSRT_STATUS")
is "$out" "${NSRT_ZERO_CAPS}NoNewPrivs: 1;Seccomp: 2;" "  and without --cap-add, nothing, though nsrun holds it"
as_user "$NSRT_CAPS" --bridge br1 --cap-add NET_BIND_SERVICE -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" \
	"125/nsrun: --cap-add NET_BIND_SERVICE: nsrun itself does not hold it (install it with \`make install-privileged PRIV_EXTRA_CAPS=cap_net_bind_service\`)" \
	"a granted capability nsrun does not hold: 125, and how to install it"
as_user "$NSRT_CAPS_BIND" --bridge br1 --cap-add SYS_ADMIN -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" \
	"125/nsrun: --cap-add SYS_ADMIN: not allowed for user $U (a policy can grant only NET_BIND_SERVICE and NET_RAW, with \"options cap-add\")" \
	"a capability no policy can grant: 125"
as_user "$NSRT_CAPS_BIND" --bridge br1 --cap-add ALL -- true 2>"$NSRT_TMP/err"
is "$?/$(cat "$NSRT_TMP/err")" \
	"125/nsrun: --cap-add ALL: not allowed for user $U (a policy can grant only NET_BIND_SERVICE and NET_RAW, with \"options cap-add\")" \
	"  nor ALL"
out=$(as_user "$NSRT_CAPS_BIND" --bridge br1 --cap-drop ALL -- sh -c "$NSRT_STATUS")
is "$out" "${NSRT_ZERO_CAPS}NoNewPrivs: 1;Seccomp: 2;" "--cap-drop needs no grant (it only takes away)"

wait_for test "$(ports br1)" = 0
is "$(ports br1)" 0 "no veth left"
done_testing
